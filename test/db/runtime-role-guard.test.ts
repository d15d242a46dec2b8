/**
 * The start-up guard on the runtime connection (worker and client): it accepts the runtime login
 * and refuses every role that could escape row-level security or write the snapshot tables,
 * also through a role it belongs to, unless the operator opted out explicitly.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from 'pg';
import { type DataSource } from 'typeorm';
import { connectionUrl } from '../../db/connection-url';
import { createDataSource, initializeDataSource } from '../../db/data-source';
import { assertRuntimeRoleIsolated } from '../../db/runtime-role-guard';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { isSuperuser } from './fixtures';

let db: TestDatabase;
const roles: string[] = [];
const connections: DataSource[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
});
// Roles are cluster-wide: they go once this file's database (and with it their grants and any
// object they own) is gone.
afterAll(async () => {
  await Promise.all(connections.map((ds) => ds.destroy()));
  await db?.drop();
  const client = new Client({ connectionString: process.env.INVENTORY_TEST_PG_ADMIN_URL! });
  await client.connect();
  try {
    for (const role of roles.reverse()) await client.query(`DROP ROLE IF EXISTS ${role}`);
  } finally {
    await client.end();
  }
});

/** A new role, created as the owner with `attributes` (e.g. `LOGIN PASSWORD '…'`). */
async function newRole(prefix: string, attributes = 'NOLOGIN'): Promise<string> {
  const role = `inventory_guard_${prefix}_${randomBytes(4).toString('hex')}`;
  await db.admin.query(`CREATE ROLE ${role} ${attributes}`);
  roles.push(role);
  return role;
}

/** A new login role; `connect()` opens this file's database as it. */
async function newLogin(
  prefix: string,
  attributes = '',
): Promise<{ role: string; connect(): Promise<DataSource> }> {
  const password = randomBytes(12).toString('hex');
  const role = await newRole(prefix, `LOGIN ${attributes} PASSWORD '${password}'`);
  return {
    role,
    async connect() {
      const ds = await initializeDataSource(
        createDataSource({ url: connectionUrl(db.adminUrl, { user: role, password }), poolSize: 1 }),
      );
      connections.push(ds);
      return ds;
    },
  };
}

/** What the guard throws: `config_invalid` with a message containing or matching `message`. */
function refusal(message: RegExp | string) {
  const matcher = (
    typeof message === 'string' ? expect.stringContaining(message) : expect.stringMatching(message)
  ) as string;
  return { code: 'config_invalid', message: matcher };
}

describe('assertRuntimeRoleIsolated', () => {
  it('accepts the runtime login', async () => {
    await expect(assertRuntimeRoleIsolated(db.runtime, { allowBypass: false })).resolves.toBeUndefined();
  });

  it('refuses a superuser unless bypass is allowed explicitly', async ({ skip }) => {
    if (!(await isSuperuser(db.admin))) skip('the admin connection (DATABASE_URL) is not a superuser');
    await expect(assertRuntimeRoleIsolated(db.admin, { allowBypass: false })).rejects.toMatchObject(
      refusal(/is a superuser.*INVENTORY_ALLOW_RLS_BYPASS/),
    );
    await expect(assertRuntimeRoleIsolated(db.admin, { allowBypass: true })).resolves.toBeUndefined();
  });

  it('refuses a BYPASSRLS role', async ({ skip }) => {
    if (!(await isSuperuser(db.admin))) skip('only a superuser can create a BYPASSRLS role');
    const login = await newLogin('bypass', 'BYPASSRLS');
    await expect(
      assertRuntimeRoleIsolated(await login.connect(), { allowBypass: false }),
    ).rejects.toMatchObject(refusal(`"${login.role}" has BYPASSRLS`));
  });

  it('refuses the owner of the service’s tables, and a member of the owning role, even one that does not inherit', async ({
    skip,
  }) => {
    if (!(await isSuperuser(db.admin))) skip('only a superuser can hand the tables to another role');
    // As when migrations ran as the runtime role (DATABASE_MIGRATION_URL unset).
    const owner = await newLogin('owner');
    await db.admin.query(`GRANT inventory_runtime TO ${owner.role}`);
    const member = await newLogin('member', 'NOINHERIT');
    await db.admin.query(`GRANT inventory_runtime, ${owner.role} TO ${member.role}`);
    try {
      for (const table of ['tenants', 'inventory_sync_runs', 'inventory_items', 'graph_tenant_pacing']) {
        await db.admin.query(`ALTER TABLE public.${table} OWNER TO ${owner.role}`);
      }
      const asOwner = await owner.connect();
      await expect(assertRuntimeRoleIsolated(asOwner, { allowBypass: false })).rejects.toMatchObject(
        refusal(
          new RegExp(
            `^database role "${owner.role}" owns tenants, inventory_sync_runs, inventory_items, graph_tenant_pacing .*` +
              'could turn row-level security off; run migrations as a separate owner role \\(DATABASE_MIGRATION_URL\\)',
          ),
        ),
      );
      await expect(
        assertRuntimeRoleIsolated(await member.connect(), { allowBypass: false }),
      ).rejects.toMatchObject(refusal(`"${member.role}" owns tenants`));
      await expect(assertRuntimeRoleIsolated(asOwner, { allowBypass: true })).resolves.toBeUndefined();
    } finally {
      await db.admin.query(`REASSIGN OWNED BY ${owner.role} TO CURRENT_USER`);
    }
  });

  it('refuses a login granted a write on a snapshot table, directly or through a role it belongs to', async () => {
    const direct = await newLogin('writer');
    await db.admin.query(`GRANT inventory_runtime TO ${direct.role}`);
    await db.admin.query(`GRANT INSERT ON public.policy_versions TO ${direct.role}`);
    await expect(
      assertRuntimeRoleIsolated(await direct.connect(), { allowBypass: false }),
    ).rejects.toMatchObject(
      refusal(
        new RegExp(
          `^database role "${direct.role}" may write the snapshot tables policy_versions, .*` +
            'revoke INSERT, UPDATE, DELETE and TRUNCATE on them',
        ),
      ),
    );

    const group = await newRole('backup_writers');
    await db.admin.query(`GRANT TRUNCATE ON public.backup_items TO ${group}`);
    const member = await newLogin('member');
    await db.admin.query(`GRANT inventory_runtime, ${group} TO ${member.role}`);
    await expect(
      assertRuntimeRoleIsolated(await member.connect(), { allowBypass: false }),
    ).rejects.toMatchObject(refusal(`"${member.role}" may write the snapshot tables backup_items,`));
  });
});
