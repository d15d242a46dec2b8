/**
 * The migrations as a whole: every `down()` really undoes its `up()` (down to nothing and back to
 * the same schema), the snapshot-table guard never drops another module's table, and the
 * `inventory migrate` command applies, reports and reverts.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { connectionUrl } from '../../db/connection-url';
import { MIGRATIONS_TABLE } from '../../db/data-source';
import { MIGRATIONS } from '../../db/migrations';
import { revertLastMigration, runMigrations } from '../../db/migrate';

const serverUrl = () => process.env.INVENTORY_TEST_PG_ADMIN_URL!;
const created: string[] = [];

async function sql<T = Record<string, unknown>>(
  url: string,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** An empty database (no template): migrations start from nothing. */
async function emptyDatabase(): Promise<string> {
  const name = `inventory_scratch_${randomBytes(5).toString('hex')}`;
  await sql(serverUrl(), `CREATE DATABASE ${name}`);
  created.push(name);
  return connectionUrl(serverUrl(), { database: name });
}

afterAll(async () => {
  for (const name of created) await sql(serverUrl(), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
});

/** Everything the migrations define in `public` (not TypeORM's bookkeeping table), as sorted text. */
async function schemaFingerprint(url: string): Promise<string[]> {
  const rows = await sql<{ line: string }>(
    url,
    `SELECT line FROM (
       SELECT format('column %s.%s %s null=%s default=%s', table_name, column_name, data_type, is_nullable,
                     column_default) AS line
       FROM information_schema.columns WHERE table_schema = 'public'
       UNION ALL SELECT format('index %s', indexdef) FROM pg_indexes WHERE schemaname = 'public'
       UNION ALL SELECT format('constraint %s %s', conrelid::regclass, pg_get_constraintdef(oid))
         FROM pg_constraint WHERE connamespace = 'public'::regnamespace
       UNION ALL SELECT format('policy %s.%s %s %s using=%s check=%s', tablename, policyname, cmd, roles, qual, with_check)
         FROM pg_policies WHERE schemaname = 'public'
       UNION ALL SELECT format('function %s owner=%s definer=%s acl=%s', p.oid::regprocedure, pg_get_userbyid(p.proowner),
                               p.prosecdef, p.proacl)
         FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
       UNION ALL SELECT format('schema %s acl=%s', nspname, nspacl) FROM pg_namespace WHERE nspname = 'public'
       UNION ALL SELECT format('table %s rls=%s force=%s acl=%s comment=%s', c.relname, c.relrowsecurity,
                               c.relforcerowsecurity, c.relacl, obj_description(c.oid, 'pg_class'))
         FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
     ) AS schema
     WHERE line NOT LIKE '%inventory_sync_migrations%'
     ORDER BY line`,
  );
  return rows.map((row) => row.line);
}

describe('migrations', () => {
  let template: string[];
  beforeAll(async () => {
    template = await schemaFingerprint(
      connectionUrl(serverUrl(), { database: process.env.INVENTORY_TEST_PG_TEMPLATE! }),
    );
  });

  it('go down one by one, each down() restoring exactly the schema before its up()', async () => {
    const url = await emptyDatabase();
    const names = MIGRATIONS.map((migration) => new migration().name);
    // Apply one migration at a time, recording the schema after each.
    const afterUp: string[][] = [await schemaFingerprint(url)];
    for (let k = 1; k <= MIGRATIONS.length; k++) {
      const ds = new DataSource({
        type: 'postgres',
        url,
        migrations: MIGRATIONS.slice(0, k),
        migrationsTableName: MIGRATIONS_TABLE,
        migrationsTransactionMode: 'each',
      });
      await ds.initialize();
      try {
        expect((await ds.runMigrations()).map((migration) => migration.name)).toEqual([names[k - 1]]);
      } finally {
        await ds.destroy();
      }
      afterUp.push(await schemaFingerprint(url));
    }
    expect(afterUp[0]).toHaveLength(1); // only the schema's own ACL
    expect(afterUp[MIGRATIONS.length]).toEqual(template);
    expect(
      template.some((line) => line.startsWith('policy inventory_items.inventory_items_tenant_isolation')),
    ).toBe(true);
    expect(await runMigrations(url)).toEqual([]);

    for (let k = MIGRATIONS.length; k >= 1; k--) {
      expect(await revertLastMigration(url)).toBe(names[k - 1]);
      expect(await schemaFingerprint(url), `after reverting ${names[k - 1]}`).toEqual(afterUp[k - 1]);
    }
    expect(await revertLastMigration(url)).toBeNull();
    // Roles are cluster-wide: other databases (the template) still use them, so down() kept them.
    const roles = await sql<{ rolname: string }>(
      url,
      `SELECT rolname FROM pg_roles WHERE rolname IN ('inventory_runtime', 'inventory_run_monitor') ORDER BY 1`,
    );
    expect(roles.map((role) => role.rolname)).toEqual(['inventory_run_monitor', 'inventory_runtime']);

    expect(await runMigrations(url)).toEqual(names);
    expect(await schemaFingerprint(url)).toEqual(template);
  });

  it('guard a pre-existing snapshot table without taking it over, and never drop it', async () => {
    const url = await emptyDatabase();
    await sql(url, `CREATE TABLE policy_versions (id uuid PRIMARY KEY, tenant_id uuid NOT NULL, body text)`);
    await sql(url, `INSERT INTO policy_versions VALUES (gen_random_uuid(), gen_random_uuid(), 'kept')`);
    await sql(url, `GRANT INSERT, SELECT ON policy_versions TO PUBLIC`);
    await runMigrations(url);

    const [state] = await sql<{ runtime: boolean; public: boolean; comment: string | null }>(
      url,
      `SELECT has_table_privilege('inventory_runtime', 'policy_versions', 'INSERT, SELECT') AS runtime,
              has_table_privilege('public', 'policy_versions', 'INSERT, SELECT') AS public,
              obj_description('policy_versions'::regclass, 'pg_class') AS comment`,
    );
    expect(state).toEqual({ runtime: false, public: false, comment: null });

    while ((await revertLastMigration(url)) !== null);
    const tables = await sql<{ relname: string }>(
      url,
      `SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' ORDER BY 1`,
    );
    expect(tables.map((t) => t.relname)).toEqual(['inventory_sync_migrations', 'policy_versions']);
    expect(await sql(url, `SELECT body FROM policy_versions`)).toEqual([{ body: 'kept' }]);
  });
});

describe('inventory migrate', () => {
  const run = promisify(execFile);
  const bin = join(__dirname, '..', '..', 'bin', 'inventory.js');

  async function cli(args: string[], env: Record<string, string>) {
    // Empty values count as unset for parseEnv and are not overridden by a .env file.
    const base = { ...process.env, DATABASE_URL: '', DATABASE_MIGRATION_URL: '', INVENTORY_DEBUG: '' };
    try {
      const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env: { ...base, ...env } });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }

  it('applies, reports an up-to-date database, and reverts the last migration', async () => {
    const url = await emptyDatabase();
    const names = MIGRATIONS.map((migration) => new migration().name);

    const applied = await cli(['migrate'], { DATABASE_MIGRATION_URL: url });
    expect(applied).toMatchObject({ code: 0, stderr: '' });
    expect(applied.stdout.trim().split('\n')).toEqual(names.map((name) => `applied ${name}`));

    const again = await cli(['migrate', '--json'], { DATABASE_URL: url });
    expect(JSON.parse(again.stdout)).toEqual({ applied: [] });

    const reverted = await cli(['migrate', '--revert'], { DATABASE_MIGRATION_URL: url });
    expect(reverted.stdout.trim()).toBe(`reverted ${names[names.length - 1]}`);
  });

  it('fails with one config_invalid line naming DATABASE_URL when no URL is set', async () => {
    const result = await cli(['migrate'], {});
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error \[config_invalid\]: DATABASE_URL is required/);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('fails with one config_invalid line naming DATABASE_MIGRATION_URL, without the password, when it cannot log in', async () => {
    const url = connectionUrl(serverUrl(), {
      database: 'inventory_does_not_exist',
      password: 'hunter2-secret',
    });
    const result = await cli(['migrate'], { DATABASE_MIGRATION_URL: url });
    expect(result.code).toBe(1);
    const server = new URL(serverUrl());
    expect(result.stderr).toMatch(
      new RegExp(
        `^error \\[config_invalid\\]: DATABASE_MIGRATION_URL \\(${server.username}@${server.hostname}:${server.port}/inventory_does_not_exist\\): .*SQLSTATE (28P01|3D000)`,
      ),
    );
    expect(result.stderr).not.toContain('hunter2-secret');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('fails with one db_error line naming DATABASE_MIGRATION_URL when nothing listens there', async () => {
    const url = connectionUrl(serverUrl(), { password: 'hunter2-secret' }).replace(/:\d+\//, ':1/');
    const result = await cli(['migrate'], { DATABASE_MIGRATION_URL: url });
    expect(result.code).toBe(1);
    const [line, hint, ...rest] = result.stderr.trim().split('\n');
    expect(line).toMatch(
      /^error \[db_error\]: cannot connect to PostgreSQL as .*:1\/.* \(DATABASE_MIGRATION_URL\): /,
    );
    expect(hint).toMatch(/^ {2}hint: check DATABASE_URL \(DATABASE_MIGRATION_URL for inventory migrate\)/);
    expect(rest).toEqual([]);
    expect(result.stderr).not.toContain('hunter2-secret');
  });
});
