/**
 * TypeORM connections. No entities: repositories run parameterised SQL through `manager.query`,
 * and the schema comes only from the raw-SQL migrations (never `synchronize`). The same factory
 * serves the runtime pool and the migration runner, which is why the migrations are attached.
 */
import { DataSource } from 'typeorm';
import { connectionError } from './errors';
import { describeConnection, driverConnectionString } from './connection-url';
import { MIGRATIONS } from './migrations';

/** TypeORM's bookkeeping table, named so it cannot clash with another module's `migrations`. */
export const MIGRATIONS_TABLE = 'inventory_sync_migrations';

export interface DataSourceOptions {
  url: string;
  poolSize?: number;
  applicationName?: string;
}

/**
 * A DataSource for `options.url`, not yet connected (initializeDataSource connects): `poolSize`
 * connections (default 10), `applicationName` (default inventory-sync), a 10 s connect timeout,
 * `sslmode` with libpq's meaning (db/connection-url.ts driverConnectionString).
 */
export function createDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: driverConnectionString(options.url),
    poolSize: options.poolSize ?? 10,
    applicationName: options.applicationName ?? 'inventory-sync',
    // An unreachable host fails start-up in seconds instead of hanging on TCP retries.
    connectTimeoutMS: 10_000,
    entities: [],
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsTransactionMode: 'each',
    installExtensions: false,
    logging: false,
  });
}

/**
 * Connects, turning any failure into one line that names the target but no password, and the
 * variable `setting` the URL came from (DATABASE_URL unless given, e.g. DATABASE_MIGRATION_URL):
 * `config_invalid` when the URL itself is wrong, else `db_error` (db/errors.ts connectionError).
 */
export async function initializeDataSource(ds: DataSource, setting = 'DATABASE_URL'): Promise<DataSource> {
  try {
    return await ds.initialize();
  } catch (error) {
    const url = (ds.options as { url?: string }).url ?? '';
    throw connectionError(error, describeConnection(url), setting);
  }
}
