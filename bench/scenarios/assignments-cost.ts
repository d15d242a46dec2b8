/**
 * assignments: what reading each item's assignments costs (issue 13, "Cost, measured"). Two
 * workers differ only in SYNC_ASSIGNMENTS; each syncs a fresh tenant of the same shape and seed
 * (so the same items and assignments, and group names not read yet), alternating which goes first.
 * Every Graph request takes 120 ms (a batch too: the simulator serves its sub-requests side by side);
 * page sizes are the simulator's, which are Graph's; the workers run with their defaults.
 *
 * Two shapes: a realistic tenant over every policy type of the registry (shapes.ts TENANT_MIX),
 * and the tenant where half the types with assignments use `$expand` (six read with
 * `$expand`, six per item, 15 items each). The edges stored must equal the simulator's ground truth.
 */
import { type DataSource } from 'typeorm';
import { limitsEnv } from '../../config/fragments';
import { queryRows } from '../../db/sql';
import { withTenant } from '../../db/tenant-scope';
import { groupNameEnvelopes } from '../../graph/item-assignments';
import { normalizeAssignment } from '../../inventory/assignment';
import { POLICY_TYPE_KEYS, policyType, type PolicyType } from '../../inventory/policy-types';
import { check, median, row, type ResultRow } from '../report';
import { type Scenario } from '../scenario';
import { TENANT_MIX, halfExpandCounts } from '../shapes';
import { type BenchStack, type BenchWorker } from '../stack';
import { chunk, createTenant, engineSync, exact, selectionOf, type TenantShape } from '../sync-runs';

const SCENARIO = 'assignments';
const LATENCY_MS = 120;
/** Shapes of the same seed have the same items, assignments and groups in every tenant. */
const SEED = 13;
/** The workers run with the default per-tenant budget, which batches spend one per sub-request. */
const TENANT_RPS = limitsEnv.GRAPH_TENANT_RPS.parse(undefined);

/** One sync's cost, read from the simulator's statistics of its fresh tenant. */
interface SyncCost {
  ms: number;
  /** As Graph counts them (and rate-limits): every request inside a batch counts as one. */
  graphRequests: number;
  /** HTTP requests: the direct ones plus one per `POST /$batch`. */
  roundTrips: number;
  /** `GET /groups/{id}` for the names of referenced groups (Graph-counted); no policy type. */
  groupRequests: number;
  /** The batches those went in (graph/item-assignments.ts groupNameEnvelopes). */
  groupRoundTrips: number;
  itemsExact: boolean;
  /** With assignments: the current edges equal the simulator's; without: no edge and no batch. */
  edgesExact: boolean;
  edges: number;
}

/** Every edge the simulator holds for the tenant's items, as one comparable line each. */
async function groundTruth(
  stack: BenchStack,
  tenantId: string,
  types: readonly PolicyType[],
): Promise<string[]> {
  const lines: string[] = [];
  for (const type of types.filter((t) => policyType(t).assignments !== undefined)) {
    for (const items of chunk(await stack.sim.listItems(tenantId, type), 25)) {
      const perItem = await Promise.all(
        items.map(async (item) => ({ item, raws: await stack.sim.assignments(tenantId, type, item.id) })),
      );
      for (const { item, raws } of perItem) {
        for (const raw of raws) {
          const edge = normalizeAssignment(raw);
          if (!edge.ok)
            throw new Error(`the simulator served an assignment without a target: ${edge.reason}`);
          const a = edge.assignment;
          lines.push(
            JSON.stringify([
              type,
              item.id,
              a.assignment_id,
              a.target_kind,
              a.target_type,
              a.group_id,
              a.filter_id,
              a.filter_type,
              a.intent,
              a.source,
              a.source_id,
            ]),
          );
        }
      }
    }
  }
  return lines.sort();
}

/**
 * The tenant's current edges (those carrying their item's `assignments_observation_id`), read as
 * the tenant under row-level security, in groundTruth's form.
 */
async function storedEdges(db: DataSource, tenantId: string): Promise<string[]> {
  const rows = await withTenant(db, tenantId, (manager) =>
    queryRows<Record<string, string | null>>(
      manager,
      `SELECT edge.policy_type, edge.external_id, edge.assignment_id, edge.target_kind, edge.target_type,
              edge.group_id, edge.filter_id, edge.filter_type, edge.intent, edge.source, edge.source_id
       FROM inventory_assignments edge
       JOIN inventory_items item USING (tenant_id, policy_type, external_id)
       WHERE edge.tenant_id = $1 AND edge.observation_id = item.assignments_observation_id`,
      [tenantId],
    ),
  );
  return rows.map((r) => JSON.stringify(Object.values(r))).sort();
}

async function measuredSync(
  stack: BenchStack,
  worker: BenchWorker,
  shape: TenantShape,
  assignments: boolean,
  name: string,
): Promise<SyncCost> {
  const types = Object.keys(shape.counts) as PolicyType[];
  const items = Object.values(shape.counts).reduce((a, b) => a + b, 0);
  const tenantId = await createTenant(stack, shape, name);
  const { run, ms } = await engineSync(worker, tenantId, selectionOf(types));
  const stats = (await stack.sim.stats()).tenants[tenantId];
  if (stats === undefined) throw new Error(`the simulator saw no request of ${name}`);
  const typed = Object.values(stats.byType).reduce((a, b) => a + b, 0);
  const groupRequests = stats.graphRequests - typed;
  const stored = await storedEdges(stack.runtime, tenantId);
  const edgesExact = assignments
    ? JSON.stringify(stored) === JSON.stringify(await groundTruth(stack, tenantId, types))
    : stored.length === 0 && stats.batchRequests === 0 && groupRequests === 0;
  return {
    ms,
    graphRequests: stats.graphRequests,
    roundTrips: stats.graphRequests - stats.batchedRequests + stats.batchRequests,
    groupRequests,
    groupRoundTrips: groupNameEnvelopes(groupRequests),
    itemsExact: await exact(stack.runtime, tenantId, run, items),
    edgesExact,
    edges: stored.length,
  };
}

interface Compared {
  off: SyncCost[];
  on: SyncCost[];
  /** The warm-up syncs, checked for exactness but not measured. */
  warmUp: SyncCost[];
}

/**
 * `reps` pairs of syncs of fresh tenants of `shape`, one by each worker, alternating which goes
 * first, after one warm-up sync by each (JIT, pools, workflow cache) unless `warmUp` is false.
 */
async function compare(
  stack: BenchStack,
  workers: { off: BenchWorker; on: BenchWorker },
  input: { shape: TenantShape; label: string; reps: number; warmUp: boolean },
  say: (line: string) => void,
): Promise<Compared> {
  const { shape, label, reps } = input;
  const result: Compared = { off: [], on: [], warmUp: [] };
  const side = (assignments: boolean, name: string) =>
    measuredSync(stack, assignments ? workers.on : workers.off, shape, assignments, `${label} ${name}`);
  if (input.warmUp) result.warmUp.push(await side(false, 'warm-up off'), await side(true, 'warm-up on'));
  for (let rep = 1; rep <= reps; rep++) {
    const order = rep % 2 === 1 ? [false, true] : [true, false];
    for (const assignments of order) {
      const cost = await side(assignments, `${assignments ? 'on' : 'off'} ${rep}`);
      (assignments ? result.on : result.off).push(cost);
    }
    const [off, on] = [result.off.at(-1)!, result.on.at(-1)!];
    say(
      `  ${label} rep ${rep}/${reps}: without ${off.ms.toFixed(0)} ms, ${off.roundTrips} round trips; ` +
        `with ${on.ms.toFixed(0)} ms, ${on.roundTrips} round trips (${on.graphRequests} as Graph counts)`,
    );
  }
  return result;
}

/** The rows of one shape: requests per item with and without, their ratios, time, exactness. */
function rowsOf(label: string, items: number, compared: Compared): ResultRow[] {
  const { off, on } = compared;
  const all = [...off, ...on, ...compared.warmUp];
  const perItem = (costs: SyncCost[], of: (c: SyncCost) => number) => median(costs.map(of)) / items;
  const offTrips = perItem(off, (c) => c.roundTrips);
  const offGraph = perItem(off, (c) => c.graphRequests);
  const groupRequests = median(on.map((c) => c.groupRequests));
  const groupRoundTrips = median(on.map((c) => c.groupRoundTrips));
  const metric = (text: string) => `${label}: ${text}`;
  return [
    row({
      scenario: SCENARIO,
      metric: metric('HTTP round trips per item, without'),
      value: offTrips,
      unit: 'req/item',
      note: `${median(off.map((c) => c.roundTrips))} requests for ${items} items`,
    }),
    row({
      scenario: SCENARIO,
      metric: metric('HTTP round trips per item, with'),
      value: perItem(on, (c) => c.roundTrips - c.groupRoundTrips),
      unit: 'req/item',
      baseline: offTrips,
      target: { kind: 'max', limit: 1.5 },
      note: 'group names apart (below)',
    }),
    row({
      scenario: SCENARIO,
      metric: metric('HTTP round trips per item, with + names'),
      value: perItem(on, (c) => c.roundTrips),
      unit: 'req/item',
      baseline: offTrips,
      note: `${median(on.map((c) => c.roundTrips))} requests, ${groupRoundTrips} of them group-name batches`,
    }),
    row({
      scenario: SCENARIO,
      metric: metric('Graph requests per item, without'),
      value: offGraph,
      unit: 'req/item',
      note: 'as Graph counts them',
    }),
    row({
      scenario: SCENARIO,
      metric: metric('Graph requests per item, with + names'),
      value: perItem(on, (c) => c.graphRequests),
      unit: 'req/item',
      baseline: offGraph,
      note: `${median(on.map((c) => c.graphRequests))} requests; each inside a batch counts`,
    }),
    row({
      scenario: SCENARIO,
      metric: metric('group-name requests'),
      value: groupRequests,
      unit: 'requests',
      note: `GET /groups/{id} in ${groupRoundTrips} batches; at most once a day per group`,
    }),
    row({
      scenario: SCENARIO,
      metric: metric('sync time (median)'),
      value: median(on.map((c) => c.ms)),
      unit: 'ms',
      baseline: median(off.map((c) => c.ms)),
      note: `with ÷ without; ${off.length} reps each`,
    }),
    row({
      scenario: SCENARIO,
      metric: metric('sync time with, vs request budget'),
      value: median(on.map((c) => c.ms)),
      unit: 'ms',
      baseline: (median(on.map((c) => c.graphRequests)) / TENANT_RPS) * 1000,
      note: `Graph requests ÷ GRAPH_TENANT_RPS ${TENANT_RPS}/s (default)`,
    }),
    check(
      SCENARIO,
      metric('item counts exact'),
      all.every((c) => c.itemsExact),
      `${items} items per run, with and without`,
    ),
    check(
      SCENARIO,
      metric('edges equal the simulator’s'),
      all.every((c) => c.edgesExact),
      `${median(on.map((c) => c.edges))} current edges; none and no batch without assignments`,
    ),
  ];
}

/** The realistic mix; the quick variant has a fifth of the items of the types with hundreds. */
function mixShape(quick: boolean): TenantShape {
  const counts = Object.fromEntries(
    POLICY_TYPE_KEYS.map((type) => {
      const n: number = TENANT_MIX[type];
      return [type, quick && n > 20 ? Math.round(n / 5) : n];
    }),
  );
  return { counts, seed: SEED, faults: [{ kind: 'latency', ms: LATENCY_MS }] };
}

export const assignmentsCost: Scenario = {
  name: SCENARIO,
  summary: `Graph requests and sync time with and without assignments, ${LATENCY_MS} ms per request`,
  async run({ stack, quick, say }) {
    const reps = quick ? 1 : 3;
    const shapes = [
      { label: 'mix', shape: mixShape(quick) },
      {
        label: 'half $expand',
        shape: {
          counts: halfExpandCounts(6, 15),
          seed: SEED,
          faults: [{ kind: 'latency', ms: LATENCY_MS }],
        } satisfies TenantShape,
      },
    ];
    const off = await stack.startWorker({ assignments: false });
    const on = await stack.startWorker({ assignments: true });
    try {
      const rows: ResultRow[] = [];
      const details: Record<string, unknown> = { reps, latencyMs: LATENCY_MS, seed: SEED };
      for (const [index, { label, shape }] of shapes.entries()) {
        const items = Object.values(shape.counts).reduce((a, b) => a + b, 0);
        // One warm-up per worker is enough: the second shape runs on warm workers.
        const compared = await compare(
          stack,
          { off, on },
          { shape, label, reps, warmUp: !quick && index === 0 },
          say,
        );
        rows.push(...rowsOf(label, items, compared));
        details[label] = { counts: shape.counts, items, ...compared };
      }
      return { rows, details };
    } finally {
      await Promise.all([off.stop(), on.stop()]);
    }
  },
};
