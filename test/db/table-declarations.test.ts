/** The table declarations (db/table.ts) name exactly the columns the migrations create. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIRECTORY_GROUPS, INVENTORY_ASSIGNMENTS } from '../../db/repositories/assignment-row';
import { INVENTORY_ITEMS } from '../../db/repositories/inventory-item-row';
import { SLOT_WAITERS } from '../../db/repositories/slot-waiters';
import { SYNC_RUNS } from '../../db/repositories/sync-run-row';
import { SYNC_RUN_TYPES } from '../../db/repositories/sync-run-type-row';
import { TENANTS } from '../../db/repositories/tenants';
import { queryRows } from '../../db/sql';
import { createTestDatabase, type TestDatabase } from '../support/database';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe('table declarations', () => {
  it.each([
    ['tenants', TENANTS.columnList],
    ['inventory_items', INVENTORY_ITEMS.columnList],
    ['inventory_sync_runs', SYNC_RUNS.columnList],
    ['inventory_sync_run_types', SYNC_RUN_TYPES.columnList],
    ['inventory_assignments', INVENTORY_ASSIGNMENTS.columnList],
    ['directory_groups', DIRECTORY_GROUPS.columnList],
    ['inventory_sync_slot_waiters', SLOT_WAITERS.columnList],
  ])('declare every column of %s and no other', async (table, columnList) => {
    const columns = await queryRows<{ column_name: string }>(
      db.admin,
      `SELECT column_name FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name = $1`,
      [table],
    );
    expect(columnList.split(', ').sort()).toEqual(columns.map((c) => c.column_name).sort());
  });
});
