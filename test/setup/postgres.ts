/**
 * vitest globalSetup: one PostgreSQL for the whole run. With DATABASE_URL set it is an admin URL
 * (CREATEDB + CREATEROLE) on an existing server; otherwise an embedded cluster starts in a fresh
 * temp dir on a free port. Migrations run once into `inventory_template`, which every test file
 * clones (test/support/database.ts), and the runtime login `inventory_app` is provisioned. The
 * coordinates reach the test processes through process.env.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { connectionUrl } from '../../db/connection-url';
import { startEmbeddedPostgres } from '../../dev/embedded-postgres';
import { runMigrations } from '../../db/migrate';
import { ensureRuntimeLogin } from '../../db/provision';

const TEMPLATE = 'inventory_template';
const RUNTIME_USER = 'inventory_app';

async function recreateTemplate(adminUrl: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${TEMPLATE} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${TEMPLATE}`);
  } finally {
    await client.end();
  }
}

async function dropTemplate(adminUrl: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${TEMPLATE} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

export default async function setup(): Promise<() => Promise<void>> {
  let adminUrl: string;
  let teardown: () => Promise<void>;
  const existing = process.env.DATABASE_URL;
  if (existing) {
    adminUrl = existing;
    teardown = () => dropTemplate(existing);
  } else {
    const dir = await mkdtemp(join(tmpdir(), 'inventory-pg-'));
    const cluster = await startEmbeddedPostgres({ dataDir: join(dir, 'data') });
    adminUrl = cluster.adminUrl;
    teardown = async () => {
      await cluster.stop();
      await rm(dir, { recursive: true, force: true });
    };
  }

  const password = randomBytes(18).toString('base64url');
  try {
    await recreateTemplate(adminUrl);
    await runMigrations(connectionUrl(adminUrl, { database: TEMPLATE }));
    await ensureRuntimeLogin(adminUrl, { user: RUNTIME_USER, password });
  } catch (error) {
    await teardown();
    throw error;
  }

  process.env.INVENTORY_TEST_PG_ADMIN_URL = adminUrl;
  process.env.INVENTORY_TEST_PG_RUNTIME_USER = RUNTIME_USER;
  process.env.INVENTORY_TEST_PG_RUNTIME_PASSWORD = password;
  process.env.INVENTORY_TEST_PG_TEMPLATE = TEMPLATE;
  return teardown;
}
