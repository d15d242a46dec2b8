/**
 * TypeORM connections. No entities: repositories run parameterised SQL through `manager.query`,
 * and the schema comes only from the raw-SQL migrations (never `synchronize`). The same factory
 * serves the runtime pool and the migration runner, which is why the migrations are attached.
 */
import { DataSource } from 'typeorm';
import { toDbError } from './errors';
import { describeConnection } from './connection-url';
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
 * connections (default 10), `applicationName` (default inventory-sync), a 10 s connect timeout.
 */
export function createDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
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

/** Connects, turning any failure into one `db_error` line that names the target but no password. */
export async function initializeDataSource(ds: DataSource): Promise<DataSource> {
  try {
    return await ds.initialize();
  } catch (error) {
    const url = (ds.options as { url?: string }).url ?? '';
    throw toDbError(error, `cannot connect to PostgreSQL as ${describeConnection(url)}`);
  }
}
