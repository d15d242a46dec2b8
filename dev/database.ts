/**
 * The dev stack's PostgreSQL: the one at DATABASE_URL when set (migrations then run as
 * DATABASE_MIGRATION_URL, else DATABASE_URL, whose role then owns the tables and is refused by the
 * worker's start-up check), otherwise an embedded cluster whose data lives in the data dir, so
 * re-running the dev stack keeps the inventory. Either way migrations run and the runtime login
 * exists before anything else connects.
 */
import { join } from 'node:path';
import { Client } from 'pg';
import { connectionUrl, describeConnection } from '../db/connection-url';
import { startEmbeddedPostgres } from './embedded-postgres';
import { runMigrations } from '../db/migrate';
import { ensureRuntimeLogin } from '../db/provision';

export interface DevDatabase {
  /** The runtime login (row-level security applies): what the worker and CLI use. */
  runtimeUrl: string;
  /** The owner, for migrations. */
  ownerUrl: string;
  description: string;
  stop(): Promise<void>;
}

const DATABASE = 'inventory';
const RUNTIME_LOGIN = { user: 'inventory_app', password: 'inventory-dev-app' };

async function ensureDatabase(adminUrl: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await client.end();
  }
}

export async function startDevDatabase(options: {
  dataDir: string;
  port: number;
  env: NodeJS.ProcessEnv;
}): Promise<DevDatabase> {
  if (options.env.DATABASE_URL) {
    const runtimeUrl = options.env.DATABASE_URL;
    const ownerUrl = options.env.DATABASE_MIGRATION_URL ?? runtimeUrl;
    await runMigrations(ownerUrl);
    return {
      runtimeUrl,
      ownerUrl,
      description: `${describeConnection(runtimeUrl)} (DATABASE_URL)`,
      stop: async () => {},
    };
  }
  const cluster = await startEmbeddedPostgres({
    dataDir: join(options.dataDir, 'postgres'),
    port: options.port,
    // The dev stack stops its services in order on Ctrl-C/SIGTERM, this cluster last.
    callerHandlesSignals: true,
  });
  try {
    await ensureDatabase(cluster.adminUrl);
    const ownerUrl = connectionUrl(cluster.adminUrl, { database: DATABASE });
    await runMigrations(ownerUrl);
    await ensureRuntimeLogin(ownerUrl, RUNTIME_LOGIN);
    const runtimeUrl = connectionUrl(ownerUrl, RUNTIME_LOGIN);
    return {
      runtimeUrl,
      ownerUrl,
      description: `${describeConnection(runtimeUrl)} (embedded, data in ${join(options.dataDir, 'postgres')})`,
      stop: () => cluster.stop(),
    };
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}
