/** The item upsert against real PostgreSQL: idempotence, change tracking, hostile text, concurrency, one statement per batch. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type QueryRunner } from 'typeorm';
import { listItems, upsertItems } from '../../db/repositories/inventory-items';
import { queryRows } from '../../db/sql';
import { withTenant, type TenantManager } from '../../db/tenant-scope';
import { normalizeItem } from '../../inventory/item';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { beginRun, item, items, newTenant, selectionOf, waitForBlockedBy } from './fixtures';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const configs = selectionOf({ policy_types: ['deviceConfiguration', 'deviceManagementScript'] });

interface StoredItem {
  external_id: string;
  display_name: string;
  meta_jsonb: Record<string, unknown>;
  last_seen_at: Date;
  last_seen_run_id: string;
  created_at: Date;
  updated_at: Date;
}

async function stored(tenantId: string): Promise<Map<string, StoredItem>> {
  const rows = await withTenant(db.admin, tenantId, (manager) =>
    queryRows<StoredItem>(
      manager,
      `SELECT external_id, display_name, meta_jsonb, last_seen_at, last_seen_run_id, created_at, updated_at
       FROM inventory_items WHERE tenant_id = $1`,
      [tenantId],
    ),
  );
  return new Map(rows.map((row) => [row.external_id, row]));
}

function upsert(tenantId: string, runId: string, batch: Parameters<typeof upsertItems>[3]) {
  return withTenant(db.runtime, tenantId, (manager) => upsertItems(manager, tenantId, runId, batch));
}

describe('upsertItems', () => {
  it('inserts once, then only refreshes last_seen_* when the same batch is applied again', async () => {
    const tenantId = await newTenant(db.runtime);
    const run1 = await beginRun(db.runtime, tenantId, configs);
    const batch = items('deviceConfiguration', 20);
    expect(await upsert(tenantId, run1.id, batch)).toEqual({
      itemsUpsertedCount: 20,
      itemsNewCount: 20,
      itemsChangedCount: 0,
      itemsUnchangedCount: 0,
      assignmentsWrittenCount: 0,
    });
    const first = await stored(tenantId);
    expect(first.size).toBe(20);
    for (const row of first.values()) expect(row.last_seen_run_id).toBe(run1.id);

    const run2 = await beginRun(db.runtime, tenantId, selectionOf({ policy_types: ['deviceConfiguration'] }));
    expect(await upsert(tenantId, run2.id, batch)).toEqual({
      itemsUpsertedCount: 20,
      itemsNewCount: 0,
      itemsChangedCount: 0,
      itemsUnchangedCount: 20,
      assignmentsWrittenCount: 0,
    });
    const second = await stored(tenantId);
    expect(second.size).toBe(20);
    for (const [id, row] of second) {
      const before = first.get(id)!;
      expect(row.last_seen_run_id).toBe(run2.id);
      expect(row.last_seen_at.getTime()).toBeGreaterThan(before.last_seen_at.getTime());
      expect(row.last_seen_at.getTime()).toBeGreaterThanOrEqual(run2.startedAt.getTime());
      expect({ ...row, last_seen_at: null, last_seen_run_id: null }).toEqual({
        ...before,
        last_seen_at: null,
        last_seen_run_id: null,
      });
    }
  });

  it('moves updated_at only for items whose content changed, and counts them new, changed, unchanged', async () => {
    const tenantId = await newTenant(db.runtime);
    const run1 = await beginRun(db.runtime, tenantId, configs);
    await upsert(tenantId, run1.id, [item('deviceConfiguration', 'a'), item('deviceConfiguration', 'b')]);
    const before = await stored(tenantId);

    const run2 = await beginRun(db.runtime, tenantId, selectionOf({ categories: ['configuration'] }));
    expect(
      await upsert(tenantId, run2.id, [
        item('deviceConfiguration', 'a', { displayName: 'Renamed' }),
        item('deviceConfiguration', 'b'),
        item('deviceConfiguration', 'c'),
      ]),
    ).toEqual({
      itemsUpsertedCount: 3,
      itemsNewCount: 1,
      itemsChangedCount: 1,
      itemsUnchangedCount: 1,
      assignmentsWrittenCount: 0,
    });
    const after = await stored(tenantId);
    expect(after.get('a')!.display_name).toBe('Renamed');
    expect(after.get('a')!.updated_at.getTime()).toBeGreaterThan(before.get('a')!.updated_at.getTime());
    expect(after.get('b')!.updated_at).toEqual(before.get('b')!.updated_at);
    expect(after.get('b')!.last_seen_run_id).toBe(run2.id);
  });

  it('collapses duplicate keys within one batch, the last occurrence winning', async () => {
    const tenantId = await newTenant(db.runtime);
    const run = await beginRun(db.runtime, tenantId, configs);
    const result = await upsert(tenantId, run.id, [
      item('deviceConfiguration', 'dup', { displayName: 'first' }),
      item('deviceConfiguration', 'other'),
      item('deviceConfiguration', 'dup', { displayName: 'last' }),
    ]);
    expect(result).toEqual({
      itemsUpsertedCount: 2,
      itemsNewCount: 2,
      itemsChangedCount: 0,
      itemsUnchangedCount: 0,
      assignmentsWrittenCount: 0,
    });
    expect((await stored(tenantId)).get('dup')!.display_name).toBe('last');
  });

  it('stores names and metadata with U+0000 and lone surrogates without aborting the batch', async () => {
    const tenantId = await newTenant(db.runtime);
    const run = await beginRun(db.runtime, tenantId, configs);
    const hostile = normalizeItem('deviceConfiguration', {
      id: 'hostile',
      displayName: 'nul\u0000name \uD800 end',
      description: 'lone \uDC00 low',
      roleScopeTagIds: ['0', 'tag\u0000'],
    });
    if (!hostile.ok) throw new Error(hostile.reason);
    const result = await upsert(tenantId, run.id, [hostile.item, item('deviceConfiguration', 'plain')]);
    expect(result).toEqual({
      itemsUpsertedCount: 2,
      itemsNewCount: 2,
      itemsChangedCount: 0,
      itemsUnchangedCount: 0,
      assignmentsWrittenCount: 0,
    });
    const row = (await stored(tenantId)).get('hostile')!;
    expect(row.display_name).toBe('nulname \uFFFD end');
    expect(row.meta_jsonb).toMatchObject({ description: 'lone \uFFFD low', roleScopeTagIds: ['0', 'tag'] });
  });

  it('keeps only whitelisted metadata (unknown keys and script content never reach meta_jsonb)', async () => {
    const tenantId = await newTenant(db.runtime);
    const run = await beginRun(db.runtime, tenantId, configs);
    const script = normalizeItem('deviceManagementScript', {
      id: 'script-1',
      displayName: 'Install agent',
      description: 'installs the agent',
      scriptContent: 'JHBhc3N3b3JkID0gInMzY3IzdCI=',
      secretSetting: 'nope',
      nested: { deep: true },
    });
    if (!script.ok) throw new Error(script.reason);
    await upsert(tenantId, run.id, [script.item]);
    const meta = (await stored(tenantId)).get('script-1')!.meta_jsonb;
    expect(meta).toEqual({ description: 'installs the agent' });
  });

  it('lets two connections upsert the same batch concurrently without duplicates', async () => {
    const tenantId = await newTenant(db.runtime);
    const run1 = await beginRun(db.runtime, tenantId, configs);
    const run2 = await beginRun(db.runtime, tenantId, selectionOf({ categories: ['configuration'] }));
    const batch = items('deviceConfiguration', 200, 'race');

    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let firstXid!: (xid: string) => void;
    const xid = new Promise<string>((resolve) => (firstXid = resolve));
    // The first writer inserts and holds its transaction open; the second must block on its rows.
    const first = withTenant(db.runtime, tenantId, async (manager) => {
      const result = await upsertItems(manager, tenantId, run1.id, batch);
      const [row] = await queryRows<{ xid: string }>(manager, 'SELECT pg_current_xact_id()::text AS xid');
      firstXid(row!.xid);
      await gate;
      return result;
    });
    const blocker = await xid;
    const second = upsert(tenantId, run2.id, batch);
    await waitForBlockedBy(db.admin, blocker);
    release();

    expect(await first).toEqual({
      itemsUpsertedCount: 200,
      itemsNewCount: 200,
      itemsChangedCount: 0,
      itemsUnchangedCount: 0,
      assignmentsWrittenCount: 0,
    });
    expect(await second).toEqual({
      itemsUpsertedCount: 200,
      itemsNewCount: 0,
      itemsChangedCount: 0,
      itemsUnchangedCount: 200,
      assignmentsWrittenCount: 0,
    });
    const rows = await stored(tenantId);
    expect(rows.size).toBe(200);
    for (const row of rows.values()) expect(row.last_seen_run_id).toBe(run2.id);
  });

  it('never moves last_seen_at backwards when an older observation commits later', async () => {
    const tenantId = await newTenant(db.runtime);
    const older = await beginRun(db.runtime, tenantId, configs);
    const newer = await beginRun(db.runtime, tenantId, selectionOf({ categories: ['configuration'] }));
    const batch = [item('deviceConfiguration', 'x', { displayName: 'old name' })];

    const slow = db.runtime.createQueryRunner();
    try {
      await slow.startTransaction();
      // now() of this transaction is fixed here, before the newer observation below.
      await slow.query(`SELECT set_config('app.tenant_id', $1, true), now()`, [tenantId]);
      await upsert(tenantId, newer.id, [item('deviceConfiguration', 'x', { displayName: 'new name' })]);
      // Scoped by hand above (withTenant could not fix now() before the newer observation).
      const late = await upsertItems(slow.manager as TenantManager, tenantId, older.id, batch);
      await slow.commitTransaction();
      expect(late).toEqual({
        itemsUpsertedCount: 0,
        itemsNewCount: 0,
        itemsChangedCount: 0,
        itemsUnchangedCount: 0,
        assignmentsWrittenCount: 0,
      });
    } finally {
      await slow.release();
    }
    const row = (await stored(tenantId)).get('x')!;
    expect(row.last_seen_run_id).toBe(newer.id);
    expect(row.display_name).toBe('new name');
  });

  it('writes a batch of 5,000 items with one statement', async () => {
    const tenantId = await newTenant(db.runtime);
    const run = await beginRun(db.runtime, tenantId, configs);
    const batch = items('deviceConfiguration', 5000, 'bulk');
    let statements = 0;
    const result = await withTenant(db.runtime, tenantId, async (manager) => {
      const runner = manager.queryRunner as QueryRunner;
      const query = runner.query.bind(runner);
      runner.query = ((...args: Parameters<QueryRunner['query']>) => {
        statements++;
        return query(...args);
      }) as QueryRunner['query'];
      try {
        return await upsertItems(manager, tenantId, run.id, batch);
      } finally {
        runner.query = query;
      }
    });
    expect(result).toEqual({
      itemsUpsertedCount: 5000,
      itemsNewCount: 5000,
      itemsChangedCount: 0,
      itemsUnchangedCount: 0,
      assignmentsWrittenCount: 0,
    });
    expect(statements).toBe(1);
    // The database agrees: every row carries the same inserting transaction and command id.
    const [origin] = await withTenant(db.admin, tenantId, (manager) =>
      queryRows<{ rows: number; transactions: number; commands: number }>(
        manager,
        `SELECT count(*)::int AS rows, count(DISTINCT xmin::text)::int AS transactions,
                count(DISTINCT cmin::text)::int AS commands
         FROM inventory_items WHERE tenant_id = $1`,
        [tenantId],
      ),
    );
    expect(origin).toEqual({ rows: 5000, transactions: 1, commands: 1 });
  });

  it('writes nothing for an empty batch', async () => {
    const tenantId = await newTenant(db.runtime);
    const run = await beginRun(db.runtime, tenantId, configs);
    expect(await upsert(tenantId, run.id, [])).toEqual({
      itemsUpsertedCount: 0,
      itemsNewCount: 0,
      itemsChangedCount: 0,
      itemsUnchangedCount: 0,
      assignmentsWrittenCount: 0,
    });
  });
});

describe('listItems', () => {
  it('pages by (policy type, external id) and filters by policy type', async () => {
    const tenantId = await newTenant(db.runtime);
    const run = await beginRun(db.runtime, tenantId, configs);
    await upsert(tenantId, run.id, [
      ...items('deviceConfiguration', 5, 'c'),
      ...items('deviceManagementScript', 4, 's'),
    ]);
    const seen: string[] = [];
    let after: string | undefined;
    do {
      const page = await withTenant(db.runtime, tenantId, (tx) =>
        listItems(tx, tenantId, { limit: 2, ...(after && { after }) }),
      );
      seen.push(...page.items.map((row) => `${row.policyType}/${row.externalId}`));
      after = page.nextCursor ?? undefined;
    } while (after);
    expect(seen).toEqual([
      ...items('deviceConfiguration', 5, 'c').map((i) => `deviceConfiguration/${i.external_id}`),
      ...items('deviceManagementScript', 4, 's').map((i) => `deviceManagementScript/${i.external_id}`),
    ]);

    const scripts = await withTenant(db.runtime, tenantId, (tx) =>
      listItems(tx, tenantId, {
        policyTypes: ['deviceManagementScript'],
        limit: 10,
      }),
    );
    expect(scripts.items).toHaveLength(4);
    expect(scripts.items[0]).toMatchObject({
      tenantId,
      policyType: 'deviceManagementScript',
      externalId: 's-00000',
      displayName: 'Policy s-00000',
      platform: 'windows',
      category: 'scripts',
      lastSeenRunId: run.id,
    });
    expect(scripts.nextCursor).toBeNull();
  });
});
