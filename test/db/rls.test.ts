/**
 * Tenant isolation and privileges as PostgreSQL enforces them for the runtime role: row-level
 * security in and out of a tenant scope, the snapshot tables it may not write, and the
 * cross-tenant live-runs function. The start-up guard against roles that escape all of it has
 * its own file (runtime-role-guard.test.ts).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from 'pg';
import { connectionUrl } from '../../db/connection-url';
import { sqlState } from '../../db/errors';
import { upsertItems } from '../../db/repositories/inventory-items';
import { listRunTypes } from '../../db/repositories/sync-run-types';
import { queryRows } from '../../db/sql';
import { withTenant } from '../../db/tenant-scope';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { beginRun, endRun, item, newTenant, selectionOf } from './fixtures';

let db: TestDatabase;
let tenantA: string;
let tenantB: string;
let runA: string;
let runB: string;
const configs = selectionOf({ policy_types: ['deviceConfiguration'] });

beforeAll(async () => {
  db = await createTestDatabase();
  tenantA = await newTenant(db.runtime, 'A');
  tenantB = await newTenant(db.runtime, 'B');
  for (const tenantId of [tenantA, tenantB]) {
    const run = await beginRun(db.runtime, tenantId, configs);
    await withTenant(db.runtime, tenantId, (manager) =>
      upsertItems(manager, tenantId, run.id, [item('deviceConfiguration', `${tenantId}-item`)]),
    );
    if (tenantId === tenantA) runA = run.id;
    else runB = run.id;
  }
});
afterAll(async () => {
  await db?.drop();
});

async function failure(promise: Promise<unknown>): Promise<{ state: string | undefined; message: string }> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error === undefined) throw new Error('expected the statement to fail');
  return { state: sqlState(error), message: error instanceof Error ? error.message : 'not an Error' };
}

async function countAsAdmin(table: string, tenantId: string): Promise<number> {
  const [row] = await withTenant(db.admin, tenantId, (manager) =>
    queryRows<{ n: number }>(manager, `SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1`, [
      tenantId,
    ]),
  );
  return row!.n;
}

describe('row-level security for the runtime role', () => {
  it('shows a tenant scope only its own items and runs, even without a tenant filter', async () => {
    const seen = await withTenant(db.runtime, tenantA, async (manager) => ({
      items: await queryRows<{ tenant_id: string }>(manager, 'SELECT tenant_id FROM inventory_items'),
      runs: await queryRows<{ tenant_id: string }>(manager, 'SELECT tenant_id FROM inventory_sync_runs'),
    }));
    expect(seen.items.map((row) => row.tenant_id)).toEqual([tenantA]);
    expect(seen.runs.map((row) => row.tenant_id)).toEqual([tenantA]);
  });

  it('lets a tenant scope update nothing of another tenant', async () => {
    const changed = await withTenant(db.runtime, tenantA, async (manager) => ({
      items: await queryRows(
        manager,
        `UPDATE inventory_items SET display_name = 'hijacked' WHERE tenant_id = $1 RETURNING id`,
        [tenantB],
      ),
      runs: await queryRows(
        manager,
        `UPDATE inventory_sync_runs SET status = 'failed', finished_at = now() WHERE id = $1 RETURNING id`,
        [runB],
      ),
    }));
    expect(changed).toEqual({ items: [], runs: [] });
    const [itemB] = await withTenant(db.admin, tenantB, (manager) =>
      queryRows<{ display_name: string }>(manager, 'SELECT display_name FROM inventory_items'),
    );
    expect(itemB!.display_name).not.toBe('hijacked');
  });

  it('refuses deletes outright: the runtime holds no DELETE privilege', async () => {
    const deletes = [
      'DELETE FROM inventory_items WHERE tenant_id = $1',
      'DELETE FROM inventory_sync_runs WHERE tenant_id = $1',
      'DELETE FROM tenants WHERE id = $1',
    ];
    for (const sql of deletes) {
      const result = await failure(
        withTenant(db.runtime, tenantA, (manager) => manager.query(sql, [tenantB])),
      );
      expect(result.state, sql).toBe('42501');
    }
    expect(await countAsAdmin('inventory_items', tenantB)).toBe(1);
  });

  it('rejects rows for another tenant through WITH CHECK, including via upsertItems', async () => {
    const insertRun = await failure(
      withTenant(db.runtime, tenantA, (manager) =>
        manager.query(
          `INSERT INTO inventory_sync_runs (tenant_id, selection_hash, selection_payload, status, finished_at)
           VALUES ($1, $2, '{}'::jsonb, 'failed', now())`,
          [tenantB, 'b'.repeat(64)],
        ),
      ),
    );
    expect(insertRun.state).toBe('42501');
    expect(insertRun.message).toMatch(/row-level security/);

    const upsert = await failure(
      withTenant(db.runtime, tenantA, (manager) =>
        upsertItems(manager, tenantB, runB, [item('deviceConfiguration', 'smuggled')]),
      ),
    );
    expect(upsert.state).toBe('42501');

    const moveOut = await failure(
      withTenant(db.runtime, tenantA, (manager) =>
        manager.query(`UPDATE inventory_items SET tenant_id = $1`, [tenantB]),
      ),
    );
    expect(moveOut.state).toBe('42501');
    expect(await countAsAdmin('inventory_items', tenantB)).toBe(1);
    expect(await countAsAdmin('inventory_items', tenantA)).toBe(1);
  });

  it('shows and writes nothing outside a tenant scope, also after a scoped transaction ended', async () => {
    const runner = db.runtime.createQueryRunner();
    try {
      await runner.startTransaction();
      await runner.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantA]);
      await runner.commitTransaction();
      // Same connection: the transaction-local setting is now '' rather than unset.
      const [setting] = (await runner.query(
        `SELECT current_setting('app.tenant_id', true) AS value`,
      )) as Array<{
        value: string | null;
      }>;
      expect(setting!.value).toBe('');
      const [counts] = (await runner.query(
        `SELECT (SELECT count(*) FROM inventory_items)::int AS items, (SELECT count(*) FROM inventory_sync_runs)::int AS runs`,
      )) as Array<{ items: number; runs: number }>;
      expect(counts).toEqual({ items: 0, runs: 0 });
      const insert = await failure(
        runner.query(
          `INSERT INTO inventory_sync_runs (tenant_id, selection_hash, selection_payload, status, finished_at)
           VALUES ($1, $2, '{}'::jsonb, 'failed', now())`,
          [tenantA, 'c'.repeat(64)],
        ),
      );
      expect(insert.state).toBe('42501');
    } finally {
      await runner.release();
    }
  });

  it('rejects a tenant id that is not a GUID before any statement', async () => {
    await expect(withTenant(db.runtime, "x' OR true --", () => Promise.resolve(1))).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });
});

describe('row-level security on the per-type outcomes (inventory_sync_run_types)', () => {
  const complete = {
    policyType: 'deviceConfiguration' as const,
    outcome: 'complete' as const,
    errorCode: null,
    pagesCount: 1,
    itemsObservedCount: 1,
    itemsNewCount: 1,
    itemsChangedCount: 0,
    itemsUnchangedCount: 0,
    finishedAt: '2030-01-01T00:00:00.000Z',
  };
  let finishedA: string;
  let finishedB: string;
  beforeAll(async () => {
    const ended = [];
    for (const tenantId of [tenantA, tenantB]) {
      const run = await beginRun(db.runtime, tenantId, selectionOf({ categories: ['compliance'] }));
      ended.push(await endRun(db.runtime, run, { types: [complete] }));
    }
    [finishedA, finishedB] = ended.map((run) => run.id) as [string, string];
  });

  it('shows a tenant scope only its own rows, even without a tenant filter, and none outside a scope', async () => {
    const seen = await withTenant(db.runtime, tenantA, (manager) =>
      queryRows<{ run_id: string }>(manager, 'SELECT run_id FROM inventory_sync_run_types'),
    );
    expect(seen.map((row) => row.run_id)).toEqual([finishedA]);
    expect(await withTenant(db.runtime, tenantA, (tx) => listRunTypes(tx, tenantB, finishedB))).toEqual([]);
    expect(await queryRows(db.runtime, 'SELECT run_id FROM inventory_sync_run_types')).toEqual([]);
  });

  it('refuses a row for another tenant, one pointing at another tenant’s run, and any UPDATE or DELETE', async () => {
    const insert = `INSERT INTO inventory_sync_run_types (tenant_id, run_id, policy_type, outcome, pages_count,
        items_observed_count, items_new_count, items_changed_count, items_unchanged_count)
      VALUES ($1, $2, 'deviceCompliancePolicy', 'complete', 0, 0, 0, 0, 0)`;
    const foreign = await failure(
      withTenant(db.runtime, tenantA, (manager) => manager.query(insert, [tenantB, finishedB])),
    );
    expect(foreign.state).toBe('42501');
    expect(foreign.message).toMatch(/row-level security/);
    // Own tenant id, another tenant's run: the composite foreign key refuses it.
    const crossed = await failure(
      withTenant(db.runtime, tenantA, (manager) => manager.query(insert, [tenantA, finishedB])),
    );
    expect(crossed.state).toBe('23503');
    for (const sql of [
      `UPDATE inventory_sync_run_types SET outcome = 'failed', error_code = 'graph_forbidden' WHERE tenant_id = $1`,
      'DELETE FROM inventory_sync_run_types WHERE tenant_id = $1',
    ]) {
      const result = await failure(
        withTenant(db.runtime, tenantA, (manager) => manager.query(sql, [tenantA])),
      );
      expect(result.state, sql).toBe('42501');
    }
    const [held] = await queryRows<{ rls: boolean; force: boolean; public: boolean }>(
      db.admin,
      `SELECT relrowsecurity AS rls, relforcerowsecurity AS force,
              has_table_privilege('public', 'inventory_sync_run_types', 'SELECT, INSERT, UPDATE, DELETE') AS public
       FROM pg_class WHERE oid = 'public.inventory_sync_run_types'::regclass`,
    );
    expect(held).toEqual({ rls: true, force: true, public: false });
    expect(await countAsAdmin('inventory_sync_run_types', tenantB)).toBe(1);
  });
});

describe('the snapshot module’s tables', () => {
  it.each(['policy_versions', 'backup_sets', 'backup_items'])(
    'cannot be written, truncated or read by the runtime role: %s',
    async (table) => {
      const statements = [
        `INSERT INTO ${table} DEFAULT VALUES`,
        `UPDATE ${table} SET tenant_id = tenant_id`,
        `DELETE FROM ${table}`,
        `TRUNCATE ${table}`,
        `SELECT * FROM ${table}`,
      ];
      for (const sql of statements) {
        const result = await failure(db.runtime.query(sql));
        expect(result.state, sql).toBe('42501');
        expect(result.message, sql).toMatch(/permission denied/);
      }
      const [held] = await queryRows<{ runtime: boolean; public: boolean }>(
        db.admin,
        `SELECT has_table_privilege('inventory_runtime', $1, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE') AS runtime,
                has_table_privilege('public', $1, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE') AS public`,
        [table],
      );
      expect(held).toEqual({ runtime: false, public: false });
    },
  );
});

describe('inventory_live_runs()', () => {
  it('exposes live runs of every tenant, and nothing of finished runs', async () => {
    const finished = await endRun(
      db.runtime,
      await beginRun(db.runtime, tenantB, selectionOf({ categories: ['apps'] })),
    );
    const rows = await queryRows<Record<string, unknown>>(db.runtime, 'SELECT * FROM inventory_live_runs()');
    const ids = rows.map((row) => row.id);
    expect(ids).toEqual(expect.arrayContaining([runA, runB]));
    expect(ids).not.toContain(finished.id);
    expect(Object.keys(rows[0]!).sort()).toEqual(
      ['correlation_id', 'created_at', 'id', 'selection_hash', 'started_at', 'status', 'tenant_id'].sort(),
    );
  });

  it('is not executable by a role outside inventory_runtime, and the runtime cannot become the monitor', async () => {
    const outsider = `inventory_outsider_${randomBytes(4).toString('hex')}`;
    const password = randomBytes(12).toString('hex');
    await db.admin.query(`CREATE ROLE ${outsider} LOGIN PASSWORD '${password}'`);
    const client = new Client({ connectionString: connectionUrl(db.adminUrl, { user: outsider, password }) });
    try {
      await client.connect();
      const denied = await failure(client.query('SELECT * FROM inventory_live_runs()'));
      expect(denied.state).toBe('42501');
    } finally {
      await client.end();
      await db.admin.query(`DROP ROLE ${outsider}`);
    }
    const setRole = await failure(db.runtime.query('SET ROLE inventory_run_monitor'));
    expect(setRole.state).toBe('42501');
  });
});
