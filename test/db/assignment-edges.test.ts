/**
 * The edge half of upsertItems against real PostgreSQL (migration 1795478400008): an item's
 * current edges are exactly those of its latest observation with assignments, written in the
 * item's statement; an older observation, or one without assignments, leaves them alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertItems } from '../../db/repositories/inventory-items';
import { groupIdsObservedByRun, upsertGroupNames } from '../../db/repositories/directory-groups';
import { queryRows } from '../../db/sql';
import { withTenant, type TenantManager } from '../../db/tenant-scope';
import { type NormalizedAssignment } from '../../inventory/assignment';
import { type NormalizedItem } from '../../inventory/item';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { beginRun, item, newTenant, selectionOf } from './fixtures';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const selection = selectionOf({ policy_types: ['deviceConfiguration'] });

function toGroup(groupId: string, id = groupId): NormalizedAssignment {
  return {
    assignment_id: id,
    target_kind: 'group',
    target_type: '#microsoft.graph.groupAssignmentTarget',
    group_id: groupId,
    filter_id: null,
    filter_type: 'none',
    intent: 'apply',
    source: 'direct',
    source_id: null,
  };
}

function withEdges(id: string, edges: NormalizedAssignment[] | undefined): NormalizedItem {
  const base = item('deviceConfiguration', id);
  return edges === undefined ? base : { ...base, assignments: edges };
}

function upsert(tenantId: string, runId: string, batch: NormalizedItem[]) {
  return withTenant(db.runtime, tenantId, (manager) => upsertItems(manager, tenantId, runId, batch));
}

/** The current edges' group ids per item, read as every query must: stamp = item's stamp. */
async function currentGroups(tenantId: string): Promise<Record<string, string[]>> {
  const rows = await withTenant(db.runtime, tenantId, (manager) =>
    queryRows<{ external_id: string; groups: string[] }>(
      manager,
      `SELECT item.external_id, array_agg(edge.group_id ORDER BY edge.group_id) AS groups
       FROM inventory_items item
       JOIN inventory_assignments edge ON edge.tenant_id = item.tenant_id
        AND edge.policy_type = item.policy_type AND edge.external_id = item.external_id
        AND edge.observation_id = item.assignments_observation_id
       WHERE item.tenant_id = $1 GROUP BY item.external_id`,
      [tenantId],
    ),
  );
  return Object.fromEntries(rows.map((r) => [r.external_id, r.groups]));
}

describe('assignment edges', () => {
  it('writes edges with their items in the same statement and counts them', async () => {
    const tenantId = await newTenant(db.runtime);
    const run = await beginRun(db.runtime, tenantId, selection);
    const counts = await upsert(tenantId, run.id, [
      withEdges('a', [toGroup('g1'), toGroup('g2')]),
      withEdges('b', []),
      withEdges('c', undefined),
    ]);
    expect(counts).toMatchObject({ itemsUpsertedCount: 3, assignmentsWrittenCount: 2 });
    expect(await currentGroups(tenantId)).toEqual({ a: ['g1', 'g2'] });
    const [observed] = await withTenant(db.runtime, tenantId, (m) =>
      queryRows<{ n: number }>(
        m,
        `SELECT count(*)::int AS n FROM inventory_items
         WHERE tenant_id = $1 AND assignments_run_id = $2 AND assignments_observed_at IS NOT NULL`,
        [tenantId, run.id],
      ),
    );
    expect(observed!.n).toBe(2); // a and b were observed with their assignments, c was not
  });

  it('replaces the edge set on the next observation, and keeps it through one without assignments', async () => {
    const tenantId = await newTenant(db.runtime);
    const run1 = await beginRun(db.runtime, tenantId, selection);
    await upsert(tenantId, run1.id, [withEdges('a', [toGroup('g1'), toGroup('g2')])]);
    const run2 = await beginRun(db.runtime, tenantId, selectionOf({ categories: ['configuration'] }));
    await upsert(tenantId, run2.id, [withEdges('a', [toGroup('g2'), toGroup('g3')])]);
    expect(await currentGroups(tenantId)).toEqual({ a: ['g2', 'g3'] });
    await upsert(tenantId, run2.id, [withEdges('a', undefined)]);
    expect(await currentGroups(tenantId)).toEqual({ a: ['g2', 'g3'] });
    // A second observation by the same run (a page retried after its first attempt committed)
    // wins too: g3 removed in between is no longer current.
    await upsert(tenantId, run2.id, [withEdges('a', [toGroup('g2')])]);
    expect(await currentGroups(tenantId)).toEqual({ a: ['g2'] });
    await upsert(tenantId, run2.id, [withEdges('a', [])]);
    expect(await currentGroups(tenantId)).toEqual({});
  });

  it('writes no edges for an observation older than the stored one', async () => {
    const tenantId = await newTenant(db.runtime);
    const older = await beginRun(db.runtime, tenantId, selection);
    const newer = await beginRun(db.runtime, tenantId, selectionOf({ categories: ['configuration'] }));
    const slow = db.runtime.createQueryRunner();
    try {
      await slow.startTransaction();
      await slow.query(`SELECT set_config('app.tenant_id', $1, true), now()`, [tenantId]);
      await upsert(tenantId, newer.id, [withEdges('x', [toGroup('new')])]);
      const late = await upsertItems(slow.manager as TenantManager, tenantId, older.id, [
        withEdges('x', [toGroup('old')]),
      ]);
      await slow.commitTransaction();
      expect(late).toMatchObject({ itemsUpsertedCount: 0, assignmentsWrittenCount: 0 });
    } finally {
      await slow.release();
    }
    expect(await currentGroups(tenantId)).toEqual({ x: ['new'] });
  });

  it('keeps each tenant’s edges and group names to itself', async () => {
    const a = await newTenant(db.runtime);
    const b = await newTenant(db.runtime, 'Fabrikam');
    const runA = await beginRun(db.runtime, a, selection);
    await upsert(a, runA.id, [withEdges('a', [toGroup('g1')])]);
    expect(await withTenant(db.runtime, a, (m) => groupIdsObservedByRun(m, a, runA.id, 10))).toEqual(['g1']);
    await withTenant(db.runtime, a, (m) => upsertGroupNames(m, a, new Map([['g1', 'Kiosks – Zürich']])));
    // A name read within a day is not read again.
    expect(await withTenant(db.runtime, a, (m) => groupIdsObservedByRun(m, a, runA.id, 10))).toEqual([]);
    const seenByB = await withTenant(db.runtime, b, (m) =>
      queryRows<{ n: number }>(
        m,
        `SELECT (SELECT count(*) FROM inventory_assignments) + (SELECT count(*) FROM directory_groups) AS n`,
      ),
    );
    expect(Number(seenByB[0]!.n)).toBe(0);
    const names = await withTenant(db.runtime, a, (m) =>
      queryRows<{ display_name: string }>(m, 'SELECT display_name FROM directory_groups'),
    );
    expect(names).toEqual([{ display_name: 'Kiosks – Zürich' }]);
  });
});
