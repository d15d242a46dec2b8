/**
 * The Graph layer reads every item's assignments from the simulator over HTTPS as Graph serves
 * them: `$expand=assignments` where Intune returns them on the list, per-item requests in JSON
 * batches elsewhere (REFERENCE.md; https://learn.microsoft.com/graph/json-batching), each
 * throttled request inside a batch sent again on its own and none dropped.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type GraphClient } from '../../graph/client';
import { createProcessTenantLimiter } from '../../graph/request-pacing';
import { normalizeAssignment, type NormalizedAssignment } from '../../inventory/assignment';
import { POLICY_TYPE_KEYS, policyType, type PolicyType } from '../../inventory/policy-types';
import { type GraphSimulator } from '../../simulator/types';
import { caught, startTestSimulator, testClient, TENANT_A, TENANT_B } from './support';

const WITH_ASSIGNMENTS = POLICY_TYPE_KEYS.filter((type) => policyType(type).assignments !== undefined);
const COUNT = 23; // more than one batch of 20 for a per-item type

let sim: GraphSimulator;
let client: GraphClient;

beforeAll(async () => {
  const counts = Object.fromEntries(WITH_ASSIGNMENTS.map((type) => [type, COUNT]));
  sim = await startTestSimulator({
    tenants: [
      { tenantId: TENANT_A, counts },
      { tenantId: TENANT_B, counts: { endpointSecurityIntent: 5 }, groupsReadable: false },
    ],
  });
  client = testClient(sim, { assignments: true });
});

afterAll(async () => {
  await sim?.close();
});

beforeEach(async () => {
  await sim.admin.clearFaults();
  await sim.admin.resetStats();
});

/** Every page of `type` for TENANT_A, its items' assignments by item id. */
async function readAll(
  type: PolicyType,
  c = client,
): Promise<Map<string, readonly NormalizedAssignment[] | undefined>> {
  const edges = new Map<string, readonly NormalizedAssignment[] | undefined>();
  let nextLink: string | null = null;
  do {
    const page = await c.fetchPage(TENANT_A, type, { nextLink });
    for (const item of page.items) edges.set(item.external_id, item.assignments);
    nextLink = page.nextLink;
  } while (nextLink !== null);
  return edges;
}

async function truthOf(type: PolicyType, itemId: string): Promise<NormalizedAssignment[]> {
  const raw = await sim.admin.assignments(TENANT_A, type, itemId);
  return raw.map((a) => {
    const result = normalizeAssignment(a);
    if (!result.ok) throw new Error(result.reason);
    return result.assignment;
  });
}

const byId = (edges: readonly NormalizedAssignment[]) =>
  [...edges].sort((a, b) => (a.assignment_id < b.assignment_id ? -1 : 1));

describe('reading assignments', () => {
  it.each(WITH_ASSIGNMENTS)('%s: every item carries exactly the assignments Graph holds', async (type) => {
    const edges = await readAll(type);
    expect(edges.size).toBe(COUNT);
    for (const [itemId, assignments] of edges) {
      expect(assignments, `${type} ${itemId}`).toBeDefined();
      expect(byId(assignments!)).toEqual(byId(await truthOf(type, itemId)));
    }
    const stats = (await sim.admin.stats()).tenants[TENANT_A]!;
    if (policyType(type).assignments === 'expand') {
      // On the list itself: no per-item request at all.
      expect(stats.batchRequests).toBe(0);
    } else {
      // One request per item, in batches of at most 20.
      expect(stats.batchedRequests).toBe(COUNT);
      expect(stats.batchRequests).toBeGreaterThanOrEqual(Math.ceil(COUNT / 20));
    }
  });

  it('sends again exactly the requests throttled inside a batch, after their own Retry-After', async () => {
    const type: PolicyType = 'endpointSecurityIntent';
    const items = await sim.admin.listItems(TENANT_A, type);
    const [first, second] = [items[3]!.id, items[17]!.id];
    await sim.admin.setFaults(TENANT_A, [
      {
        kind: 'status',
        status: 429,
        retryAfter: 'seconds',
        retryAfterSeconds: 1,
        batched: true,
        itemId: first,
        count: 2,
      },
      {
        kind: 'status',
        status: 429,
        retryAfter: 'fractional',
        retryAfterSeconds: 0.3,
        batched: true,
        itemId: second,
        count: 1,
      },
    ]);
    const edges = await readAll(type);
    for (const [itemId, assignments] of edges) {
      expect(byId(assignments!)).toEqual(byId(await truthOf(type, itemId)));
    }
    const stats = (await sim.admin.stats()).tenants[TENANT_A]!;
    expect(stats.byStatus['429']).toBe(3);
    // Each item once, plus exactly the three throttled answers again; nothing else re-sent.
    expect(stats.batchedRequests).toBe(COUNT + 3);
  });

  it('leaves an item Graph no longer has without assignments, so it keeps its previous edges', async () => {
    const type: PolicyType = 'windowsFeatureUpdateProfile';
    const gone = (await sim.admin.listItems(TENANT_A, type))[5]!.id;
    await sim.admin.setFaults(TENANT_A, [{ kind: 'status', status: 404, batched: true, itemId: gone }]);
    const edges = await readAll(type);
    expect(edges.get(gone)).toBeUndefined();
    expect([...edges.values()].filter((e) => e !== undefined)).toHaveLength(COUNT - 1);
  });

  it('fails the page with the refusal when a request inside a batch is forbidden', async () => {
    const type: PolicyType = 'deviceShellScript';
    await sim.admin.setFaults(TENANT_A, [{ kind: 'status', status: 403, batched: true, count: 1 }]);
    const error = (await caught(() => client.fetchPage(TENANT_A, type))) as { code: string };
    expect(error.code).toBe('graph_forbidden');
  });

  it('reads no assignments when asked not to', async () => {
    const page = await client.fetchPage(TENANT_A, 'endpointSecurityIntent', { assignments: false });
    expect(page.items.every((item) => item.assignments === undefined)).toBe(true);
    expect((await sim.admin.stats()).tenants[TENANT_A]!.batchRequests).toBe(0);
  });

  it('paces every request of a tenant, each inside a batch too, at the tenant rate', async () => {
    const paced = testClient(sim, { assignments: true, tenantLimiter: createProcessTenantLimiter(10) });
    const start = Date.now();
    // 1 page, a batch of 20, a batch of 3. At 10/s with a second's worth allowed ahead, the last
    // batch is due when the 21 requests before it are 1 s from being paid off: at 1.1 s.
    await readAll('windowsDriverUpdateProfile', paced);
    expect(Date.now() - start).toBeGreaterThanOrEqual(1_050);
  });
});

describe('group names', () => {
  it('reads the display names of groups in batches, leaving out those that do not exist', async () => {
    const groups = await sim.admin.groups(TENANT_A);
    const wanted = [...groups.map((g) => g.id), '00000000-0000-0000-0000-000000000000'];
    const read = await client.fetchGroupNames(TENANT_A, wanted);
    expect(read.forbidden).toBe(false);
    expect(read.names).toEqual(new Map(groups.map((g) => [g.id, g.displayName])));
    // One request alone first (a tenant without the permission costs one), then batches of 20.
    expect((await sim.admin.stats()).tenants[TENANT_A]!.batchRequests).toBe(
      1 + Math.ceil((wanted.length - 1) / 20),
    );
  });

  it('answers forbidden when the app may not read groups', async () => {
    const groups = Array.from(
      { length: 30 },
      (_, i) => `00000000-0000-0000-0000-0000000000${String(i).padStart(2, '0')}`,
    );
    const read = await client.fetchGroupNames(TENANT_B, groups);
    expect(read).toEqual({ names: new Map(), forbidden: true });
    expect((await sim.admin.stats()).tenants[TENANT_B]!.graphRequests).toBe(1);
  });
});
