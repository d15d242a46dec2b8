/**
 * The two ways a benchmark syncs one tenant: through the engine (startSync → workflow → page
 * activities on a worker process → final run row), and the raw baseline: the same Graph layer and
 * the same run and upsert repositories in a plain loop in this process, with no Temporal.
 * Both enumerate `typeConcurrency` policy types at a time.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { type DataSource } from 'typeorm';
import { MAX_GROUPS_PER_RUN } from '../activities/group-names';
import { groupIdsObservedByRun, upsertGroupNames } from '../db/repositories/directory-groups';
import { upsertItems } from '../db/repositories/inventory-items';
import { registerTenant } from '../db/repositories/tenants';
import { finalizeRun, startRun, type SyncRun } from '../db/repositories/sync-runs';
import { queryRows } from '../db/sql';
import { withTenant } from '../db/tenant-scope';
import { type GraphClient } from '../graph/client';
import { enumeratePolicyType } from './raw-enumerate';
import { type FaultRule } from '../simulator/types';
import { type PolicyType } from '../inventory/policy-types';
import { parseSelection, selectionScope, type Selection } from '../inventory/selection';
import { selectionHash } from '../inventory/selection-hash';
import { type BenchStack, type BenchWorker } from './stack';

export interface TenantShape {
  /** Items per policy type. */
  counts: Partial<Record<PolicyType, number>>;
  /** Items per Graph page for every type; unset: the simulator's defaults, which are Graph's. */
  pageSize?: number;
  /** Items per Graph page by type, over `pageSize`. */
  pageSizes?: Partial<Record<PolicyType, number>>;
  faults?: FaultRule[];
  /** The same seed gives the same items (ids, names) in every tenant that uses it. */
  seed?: number;
}

/** A new tenant registered in the database only (for scenarios that never call Graph). */
export async function registerBenchTenant(stack: BenchStack, name: string): Promise<string> {
  const tenantId = randomUUID();
  await registerTenant(stack.runtime.manager, { id: tenantId, displayName: name });
  return tenantId;
}

/** A tenant in the simulator (with exactly `shape`'s items) and registered in the database. */
export async function createTenant(stack: BenchStack, shape: TenantShape, name: string): Promise<string> {
  const tenantId = await registerBenchTenant(stack, name);
  const types = Object.keys(shape.counts) as PolicyType[];
  const { pageSize } = shape;
  const pageSizes = {
    ...(pageSize !== undefined && Object.fromEntries(types.map((type) => [type, pageSize]))),
    ...shape.pageSizes,
  };
  await stack.sim.upsertTenant({
    tenantId,
    seed: shape.seed ?? 1,
    counts: shape.counts,
    ...(Object.keys(pageSizes).length > 0 && { pageSizes }),
    ...(shape.faults && { faults: shape.faults }),
  });
  return tenantId;
}

export function selectionOf(types: readonly PolicyType[]): Selection {
  return parseSelection({ policy_types: [...types] });
}

interface TimedRun {
  run: SyncRun;
  ms: number;
}

/** One sync through the engine, timed from startSync to the final run row. */
export async function engineSync(
  worker: BenchWorker,
  tenantId: string,
  selection: Selection,
): Promise<TimedRun> {
  const started = performance.now();
  const sync = await worker.client.startSync({ tenantId, selection });
  const result = await worker.client.waitForSync(sync.workflowId);
  const ms = performance.now() - started;
  return { run: await worker.client.getRun(tenantId, result.runId), ms };
}

/**
 * A `running` row for a sync the benchmark drives itself (not a workflow), with limits high
 * enough never to refuse it. Returns the run id and the correlation id that owns it.
 */
export async function startBenchRun(
  db: DataSource,
  tenantId: string,
  selection: Selection,
  label: string,
): Promise<BenchRun> {
  const begun = await withTenant(db, tenantId, (tx) =>
    startRun(tx, {
      tenantId,
      selection,
      selectionHash: selectionHash(selection),
      // No "/": not a workflow chain's `<workflowId>/<runId>`, so the reaper of a bench worker
      // running meanwhile cannot read it as a closed workflow and mark the run abandoned (it did,
      // once, in latency-bound: the raw loop's run failed its exact-count check).
      correlationId: `bench-${label}-${randomUUID()}`,
      limits: { global: 1_000, perTenant: 1_000 },
    }),
  );
  if (begun.outcome !== 'started')
    throw new Error(`the ${label} benchmark could not start a run: ${begun.outcome}`);
  return { runId: begun.run.id, correlationId: begun.run.correlationId! };
}

export interface BenchRun {
  runId: string;
  correlationId: string;
}

/** Closes a run started by startBenchRun as a success with its counts; returns the final row. */
export function finishBenchRun(
  db: DataSource,
  tenantId: string,
  run: BenchRun,
  counts: { itemsObservedCount: number; itemsUpsertedCount: number },
): Promise<SyncRun> {
  return withTenant(db, tenantId, (tx) =>
    finalizeRun(tx, tenantId, run.runId, run.correlationId, {
      status: 'success',
      hadErrors: false,
      ...counts,
      errorsCount: 0,
      errorCodes: [],
    }),
  );
}

/** Splits `items` into consecutive groups of `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
    items.slice(i * size, (i + 1) * size),
  );
}

/**
 * The raw baseline: one sync in a plain loop in this process, run row included, through
 * `graph` (default the stack's, items only). `groupNames`: then read the names of the groups the
 * run's edges name and store them, as the workflow's last Graph step does.
 */
export async function rawSync(
  stack: BenchStack,
  tenantId: string,
  selection: Selection,
  typeConcurrency: number,
  options: { graph?: GraphClient; groupNames?: boolean } = {},
): Promise<TimedRun> {
  const graph = options.graph ?? stack.graph;
  const db = stack.runtime;
  const started = performance.now();
  const benchRun = await startBenchRun(db, tenantId, selection, 'raw');
  const queue = [...selectionScope(selection)];
  const counts = { itemsObservedCount: 0, itemsUpsertedCount: 0 };
  const lane = async () => {
    for (let type = queue.shift(); type !== undefined; type = queue.shift()) {
      await enumeratePolicyType(graph, tenantId, type, {
        maxAttempts: 10,
        onPage: async (page) => {
          counts.itemsObservedCount += page.items.length;
          if (page.items.length === 0) return;
          const written = await withTenant(db, tenantId, (manager) =>
            upsertItems(manager, tenantId, benchRun.runId, page.items),
          );
          counts.itemsUpsertedCount += written.itemsUpsertedCount;
        },
      });
    }
  };
  await Promise.all(Array.from({ length: typeConcurrency }, lane));
  if (options.groupNames) await refreshGroupNames(db, graph, tenantId, benchRun.runId);
  const run = await finishBenchRun(db, tenantId, benchRun, counts);
  return { run, ms: performance.now() - started };
}

/** What the workflow's refreshGroupNames activity does, in this process. */
async function refreshGroupNames(db: DataSource, graph: GraphClient, tenantId: string, runId: string) {
  const groupIds = await withTenant(db, tenantId, (manager) =>
    groupIdsObservedByRun(manager, tenantId, runId, MAX_GROUPS_PER_RUN),
  );
  if (groupIds.length === 0) return;
  const read = await graph.fetchGroupNames(tenantId, groupIds);
  if (read.forbidden) return;
  await withTenant(db, tenantId, (manager) => upsertGroupNames(manager, tenantId, read.names));
}

/** Rate limits high enough never to bind: for scenarios that measure orchestration, not pacing. */
export const UNLIMITED_RATES = { queueRps: 10_000, tenantRps: 10_000 } as const;

export interface SideBySide {
  engineMs: number[];
  rawMs: number[];
  /** Every run, engine and raw, succeeded and stored exactly the shape's items. */
  exact: boolean;
  /** The tenant of the last engine run, for reading its history and request counts. */
  lastEngineTenant: string;
}

/**
 * `reps` pairs of syncs of fresh tenants of `shape`, one through the engine and one through the
 * raw loop, after a warm-up of each (JIT, connection pools, a tenant's first token, the workflow
 * cache). Pairs alternate which side goes first, so drift on the machine hits both alike.
 */
export async function engineVersusRaw(
  stack: BenchStack,
  worker: BenchWorker,
  input: { shape: TenantShape; items: number; reps: number; typeConcurrency: number; label: string },
  say: (line: string) => void,
): Promise<SideBySide> {
  const { shape, items, reps, typeConcurrency, label } = input;
  const selection = selectionOf(Object.keys(shape.counts) as PolicyType[]);
  const result: SideBySide = { engineMs: [], rawMs: [], exact: true, lastEngineTenant: '' };
  const engine = async (name: string) => {
    const tenantId = await createTenant(stack, shape, name);
    const { run, ms } = await engineSync(worker, tenantId, selection);
    result.exact &&= await exact(stack.runtime, tenantId, run, items);
    result.lastEngineTenant = tenantId;
    return ms;
  };
  const raw = async (name: string) => {
    const tenantId = await createTenant(stack, shape, name);
    const { run, ms } = await rawSync(stack, tenantId, selection, typeConcurrency);
    result.exact &&= await exact(stack.runtime, tenantId, run, items);
    return ms;
  };
  await engine(`${label} warm-up engine`);
  await raw(`${label} warm-up raw`);
  for (let rep = 1; rep <= reps; rep++) {
    const sides = [
      async () => result.engineMs.push(await engine(`${label} engine ${rep}`)),
      async () => result.rawMs.push(await raw(`${label} raw ${rep}`)),
    ];
    if (rep % 2 === 0) sides.reverse();
    for (const side of sides) await side();
    say(
      `  rep ${rep}/${reps}: engine ${result.engineMs.at(-1)!.toFixed(0)} ms, raw ${result.rawMs.at(-1)!.toFixed(0)} ms`,
    );
  }
  return result;
}

/** Items of the tenant in the database, counted as the tenant (row-level security applies). */
export async function storedItems(db: DataSource, tenantId: string): Promise<number> {
  return withTenant(db, tenantId, async (manager) => {
    const [row] = await queryRows<{ n: number }>(manager, 'SELECT count(*)::int AS n FROM inventory_items');
    return row!.n;
  });
}

/** True when the run succeeded and stored exactly `expected` items. */
export async function exact(
  db: DataSource,
  tenantId: string,
  run: SyncRun,
  expected: number,
): Promise<boolean> {
  return (
    run.status === 'success' &&
    run.itemsObservedCount === expected &&
    (await storedItems(db, tenantId)) === expected
  );
}
