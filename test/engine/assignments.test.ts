/**
 * Issue 13 end to end: syncs through Temporal, PostgreSQL and the Graph simulator over HTTPS
 * capture every item's assignments; the edges equal the simulator's ground truth for every type
 * that has them; reverse lookups by group and by filter answer exactly across types; a changed
 * assignment replaces the old edge set; requests throttled inside a batch end exact; group names
 * are stored; and the HTTP requests stay within 1.5× those of a sync without assignments on a
 * tenant where half the types are read with `$expand`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/sql';
import { groupNameEnvelopes } from '../../graph/item-assignments';
import { normalizeAssignment, type NormalizedAssignment } from '../../inventory/assignment';
import { POLICY_TYPE_KEYS, policyType, type PolicyType } from '../../inventory/policy-types';
import { useEngine } from '../support/engine';

const ctx = useEngine();

const WITH_ASSIGNMENTS = POLICY_TYPE_KEYS.filter((type) => policyType(type).assignments !== undefined);
/** Filters and scope tags are what edges point at; the rest is every type with assignments. */
const SELECTION: PolicyType[] = [
  ...new Set<PolicyType>([...WITH_ASSIGNMENTS, 'assignmentFilter', 'roleScopeTag']),
];

interface Truth {
  type: PolicyType;
  itemId: string;
  edge: NormalizedAssignment;
}

/** The simulator's assignments of every item of `types`, normalized as the sync stores them. */
async function groundTruth(tenantId: string, types: readonly PolicyType[]): Promise<Truth[]> {
  const { sim } = ctx.engine;
  const truth: Truth[] = [];
  for (const type of types) {
    if (policyType(type).assignments === undefined) continue;
    for (const item of await sim.admin.listItems(tenantId, type)) {
      for (const raw of await sim.admin.assignments(tenantId, type, item.id)) {
        const result = normalizeAssignment(raw);
        if (!result.ok) throw new Error(result.reason);
        truth.push({ type, itemId: item.id, edge: result.assignment });
      }
    }
  }
  return truth;
}

const key = (type: string, itemId: string, assignmentId: string) => `${type} ${itemId} ${assignmentId}`;

async function sync(tenantId: string, policyTypes: PolicyType[]) {
  const { client } = ctx.engine;
  const started = await client.startSync({ tenantId, selection: { policy_types: policyTypes } });
  return client.waitForSync(started.workflowId);
}

describe('assignments captured by a sync', () => {
  let tenantId: string;
  let truth: Truth[];

  beforeAll(async () => {
    const counts = Object.fromEntries(SELECTION.map((type) => [type, 6]));
    tenantId = await ctx.engine.addTenant({
      counts: { ...counts, mobileApp: 45, endpointSecurityIntent: 45 },
    });
    const result = await sync(tenantId, SELECTION);
    expect(result.status).toBe('success');
    truth = await groundTruth(tenantId, SELECTION);
  }, 240_000);

  it('stores exactly the simulator’s assignments for every type that has them', async () => {
    const stored = await queryRows<{ policy_type: string; external_id: string; assignment_id: string }>(
      ctx.engine.db.admin,
      `SELECT edge.policy_type, edge.external_id, edge.assignment_id
       FROM inventory_assignments edge JOIN inventory_items item USING (tenant_id, policy_type, external_id)
       WHERE edge.tenant_id = $1 AND edge.observation_id = item.assignments_observation_id`,
      [tenantId],
    );
    expect(new Set(stored.map((r) => key(r.policy_type, r.external_id, r.assignment_id)))).toEqual(
      new Set(truth.map((t) => key(t.type, t.itemId, t.edge.assignment_id))),
    );
    expect(stored).toHaveLength(truth.length);
    expect(new Set(truth.map((t) => t.type)).size).toBe(WITH_ASSIGNMENTS.length);
  });

  it('answers by group exactly which policies of every type include or exclude it, with filters and intent', async () => {
    const groupIds = [...new Set(truth.map((t) => t.edge.group_id).filter((g): g is string => g !== null))];
    expect(groupIds.length).toBeGreaterThan(3);
    for (const groupId of groupIds.slice(0, 6)) {
      const answered = [];
      for await (const edge of ctx.engine.client.iterateAssignmentsByGroup(tenantId, groupId))
        answered.push(edge);
      const expected = truth.filter((t) => t.edge.group_id === groupId);
      expect(
        answered.map((e) => ({
          key: key(e.policyType, e.externalId, e.assignmentId),
          kind: e.targetKind,
          filterId: e.filterId,
          filterType: e.filterType,
          intent: e.intent,
          complete: e.typeCompleteWhenObserved,
        })),
      ).toEqual(
        expected
          .map((t) => ({
            key: key(t.type, t.itemId, t.edge.assignment_id),
            kind: t.edge.target_kind,
            filterId: t.edge.filter_id,
            filterType: t.edge.filter_type,
            intent: t.edge.intent,
            complete: true,
          }))
          .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
      );
      // Group names were read at the end of the run.
      const names = new Map((await ctx.engine.sim.admin.groups(tenantId)).map((g) => [g.id, g.displayName]));
      expect(new Set(answered.map((e) => e.groupDisplayName))).toEqual(new Set([names.get(groupId)]));
    }
  });

  it('answers by filter exactly which assignments use it, with the filter’s name', async () => {
    const filters = await ctx.engine.sim.admin.listItems(tenantId, 'assignmentFilter');
    const used = filters.filter((f) => truth.some((t) => t.edge.filter_id === f.id));
    expect(used.length).toBeGreaterThan(0);
    for (const filter of used) {
      const page = await ctx.engine.client.listAssignmentsByFilter(tenantId, filter.id, { limit: 1000 });
      expect(new Set(page.assignments.map((e) => key(e.policyType, e.externalId, e.assignmentId)))).toEqual(
        new Set(
          truth
            .filter((t) => t.edge.filter_id === filter.id)
            .map((t) => key(t.type, t.itemId, t.edge.assignment_id)),
        ),
      );
      expect(new Set(page.assignments.map((e) => e.filterDisplayName))).toEqual(new Set([filter.name]));
    }
  });

  it('replaces an item’s edge set on the next sync when its assignments change', async () => {
    const type: PolicyType = 'windowsFeatureUpdateProfile';
    const item = (await ctx.engine.sim.admin.listItems(tenantId, type))[0]!;
    const groups = await ctx.engine.sim.admin.groups(tenantId);
    const target = groups.at(-1)!.id;
    await ctx.engine.sim.admin.setAssignments(tenantId, type, item.id, [
      {
        id: 'replaced-1',
        target: {
          '@odata.type': '#microsoft.graph.exclusionGroupAssignmentTarget',
          groupId: target,
          deviceAndAppManagementAssignmentFilterId: null,
          deviceAndAppManagementAssignmentFilterType: 'none',
        },
      },
    ]);
    expect((await sync(tenantId, [type])).status).toBe('success');
    const answer = await ctx.engine.client.getItemAssignments(tenantId, type, item.id);
    expect(answer.assignments.map((e) => [e.assignmentId, e.targetKind, e.groupId])).toEqual([
      ['replaced-1', 'exclusionGroup', target],
    ]);
    expect(answer.assignmentsOutdated).toBe(false);
  }, 60_000);

  it('keeps the HTTP requests within 1.5× those of a sync without assignments when half the types use $expand', async () => {
    const expand = WITH_ASSIGNMENTS.filter((t) => policyType(t).assignments === 'expand').slice(0, 4);
    const perItem = WITH_ASSIGNMENTS.filter((t) => policyType(t).assignments === 'perItem').slice(0, 4);
    const types = [...expand, ...perItem];
    const other = await ctx.engine.addTenant({ counts: Object.fromEntries(types.map((t) => [t, 15])) });
    const result = await sync(other, types);
    expect(result.status).toBe('success');
    const stats = (await ctx.engine.sim.admin.stats()).tenants[other]!;
    const [{ pages, groups }] = (await queryRows<{ pages: number; groups: number }>(
      ctx.engine.db.admin,
      `SELECT (SELECT sum(pages_count) FROM inventory_sync_run_types WHERE tenant_id = $1)::int AS pages,
              (SELECT count(*) FROM directory_groups WHERE tenant_id = $1)::int AS groups`,
      [other],
    )) as [{ pages: number; groups: number }];
    // Without assignments a sync sends exactly its pages; with them, pages plus per-item batches,
    // plus the group-name batches at the end of the run (reported apart: names are optional).
    const groupBatches = groupNameEnvelopes(groups);
    const assignmentBatches = stats.batchRequests - groupBatches;
    expect(stats.graphRequests - stats.batchedRequests).toBe(pages);
    expect((pages + assignmentBatches) / pages).toBeLessThanOrEqual(1.5);
    // As Graph counts them, each per-item request counts: one per item of a per-item type.
    const perItemRequests = perItem.reduce((sum, t) => sum + (stats.batchedByType[t] ?? 0), 0);
    expect(perItemRequests).toBe(perItem.length * 15);
  }, 60_000);
});

describe('assignments through throttling inside batches', () => {
  it('retries exactly the throttled requests and ends with exact edges', async () => {
    const type: PolicyType = 'endpointSecurityIntent';
    const tenantId = await ctx.engine.addTenant({ counts: { [type]: 30 } });
    await ctx.engine.sim.admin.setFaults(tenantId, [
      {
        kind: 'status',
        status: 429,
        retryAfter: 'seconds',
        retryAfterSeconds: 1,
        // Only this type's requests: group-name reads inside batches would be throttled too.
        type,
        batched: true,
        probability: 0.3,
        count: 12,
      },
    ]);
    const result = await sync(tenantId, [type]);
    expect(result).toMatchObject({ status: 'success', itemsObservedCount: 30, hadErrors: false });
    const stats = (await ctx.engine.sim.admin.stats()).tenants[tenantId]!;
    const throttled = stats.byStatus['429'] ?? 0;
    expect(throttled).toBeGreaterThan(0);
    expect(stats.batchedByType[type]).toBe(30 + throttled);
    const truth = await groundTruth(tenantId, [type]);
    const [{ n }] = (await queryRows<{ n: number }>(
      ctx.engine.db.admin,
      `SELECT count(*)::int AS n FROM inventory_assignments edge JOIN inventory_items item USING (tenant_id, policy_type, external_id)
       WHERE edge.tenant_id = $1 AND edge.observation_id = item.assignments_observation_id`,
      [tenantId],
    )) as [{ n: number }];
    expect(n).toBe(truth.length);
  }, 120_000);
});
