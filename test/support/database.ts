/**
 * A private database per test file, cloned from the migrated template that
 * test/setup/postgres.ts prepared: isolated (files run in parallel) and fast (no migrations).
 * `runtime` connects as the runtime login (row-level security applies); `admin` as the owner,
 * for assertions and for setting up states the runtime is not allowed to create.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { type DataSource } from 'typeorm';
import { connectionUrl } from '../../db/connection-url';
import { createDataSource, initializeDataSource } from '../../db/data-source';

export interface TestDatabase {
  name: string;
  /** This database, as its owner. */
  adminUrl: string;
  /** This database, as the runtime login (inventory_app). */
  runtimeUrl: string;
  /** Initialised, runtime role. */
  runtime: DataSource;
  /** Initialised, owner; for assertions only. */
  admin: DataSource;
  drop(): Promise<void>;
}

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: is test/setup/postgres.ts in vitest's globalSetup?`);
  return value;
}

async function onServer(adminUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const serverAdminUrl = requireEnv('INVENTORY_TEST_PG_ADMIN_URL');
  const template = requireEnv('INVENTORY_TEST_PG_TEMPLATE');
  const name = `inventory_test_${randomBytes(6).toString('hex')}`;
  await onServer(serverAdminUrl, `CREATE DATABASE ${name} TEMPLATE ${template}`);

  const adminUrl = connectionUrl(serverAdminUrl, { database: name });
  const runtimeUrl = connectionUrl(adminUrl, {
    user: requireEnv('INVENTORY_TEST_PG_RUNTIME_USER'),
    password: requireEnv('INVENTORY_TEST_PG_RUNTIME_PASSWORD'),
  });
  const admin = await initializeDataSource(
    createDataSource({ url: adminUrl, poolSize: 4, applicationName: 'inventory-test-admin' }),
  );
  const runtime = await initializeDataSource(
    createDataSource({ url: runtimeUrl, poolSize: 10, applicationName: 'inventory-test-runtime' }),
  );
  return {
    name,
    adminUrl,
    runtimeUrl,
    runtime,
    admin,
    async drop() {
      await Promise.all([runtime.destroy(), admin.destroy()]);
      await onServer(serverAdminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
