/**
 * The two ways a benchmark syncs one tenant: through the engine (startSync → workflow → page
 * activities on a worker process → final run row), and the raw baseline: the same Graph layer and
 * the same run and upsert repositories in a plain loop in this process, with no Temporal.
 * Both enumerate `typeConcurrency` policy types at a time.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { type DataSource } from 'typeorm';
import { upsertItems } from '../db/repositories/inventory-items';
import { registerTenant } from '../db/repositories/tenants';
import { finalizeRun, getRun, startRun, type SyncRun } from '../db/repositories/sync-runs';
import { queryRows } from '../db/sql';
import { withTenant } from '../db/tenant-scope';
import { enumeratePolicyType } from '../graph/enumerate';
import { type FaultRule } from '../graph/simulator/types';
import { type PolicyType } from '../inventory/policy-types';
import { parseSelection, selectionHash, selectionScope, type Selection } from '../inventory/selection';
import { type BenchStack, type BenchWorker } from './stack';

export interface TenantShape {
  /** Items per policy type. */
  counts: Partial<Record<PolicyType, number>>;
  pageSize: number;
  faults?: FaultRule[];
  /** The same seed gives the same items (ids, names) in every tenant that uses it. */
  seed?: number;
}

/** A tenant in the simulator (with exactly `shape`'s items) and registered in the database. */
export async function createTenant(stack: BenchStack, shape: TenantShape, name: string): Promise<string> {
  const tenantId = randomUUID();
  const types = Object.keys(shape.counts) as PolicyType[];
  await stack.sim.upsertTenant({
    tenantId,
    seed: shape.seed ?? 1,
    counts: shape.counts,
    pageSizes: Object.fromEntries(types.map((type) => [type, shape.pageSize])),
    ...(shape.faults && { faults: shape.faults }),
  });
  await registerTenant(stack.runtime, { id: tenantId, displayName: name });
  return tenantId;
}

export function selectionOf(types: readonly PolicyType[]): Selection {
  return parseSelection({ policy_types: [...types] });
}

export interface TimedRun {
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
 * enough never to refuse it. Returns the run id.
 */
export async function startBenchRun(
  db: DataSource,
  tenantId: string,
  selection: Selection,
  label: string,
): Promise<string> {
  const begun = await startRun(db, {
    tenantId,
    selection,
    selectionHash: selectionHash(selection),
    correlationId: `bench-${label}/${randomUUID()}`,
    limits: { global: 1_000, perTenant: 1_000 },
  });
  if (begun.outcome !== 'started')
    throw new Error(`the ${label} benchmark could not start a run: ${begun.outcome}`);
  return begun.run.id;
}

/** Splits `items` into consecutive groups of `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
    items.slice(i * size, (i + 1) * size),
  );
}

/** The raw baseline: one sync in a plain loop in this process, run row included. */
export async function rawSync(
  db: DataSource,
  stack: BenchStack,
  tenantId: string,
  selection: Selection,
  typeConcurrency: number,
): Promise<TimedRun> {
  const started = performance.now();
  const runId = await startBenchRun(db, tenantId, selection, 'raw');
  const queue = [...selectionScope(selection)];
  let observed = 0;
  let upserted = 0;
  const lane = async () => {
    for (let type = queue.shift(); type !== undefined; type = queue.shift()) {
      await enumeratePolicyType(stack.graph, tenantId, type, {
        maxAttempts: 10,
        onPage: async (page) => {
          observed += page.items.length;
          if (page.items.length === 0) return;
          const written = await withTenant(db, tenantId, (manager) =>
            upsertItems(manager, tenantId, runId, page.items),
          );
          upserted += written.upserted;
        },
      });
    }
  };
  await Promise.all(Array.from({ length: typeConcurrency }, lane));
  await finalizeRun(db, tenantId, runId, {
    status: 'success',
    hadErrors: false,
    itemsObserved: observed,
    itemsUpserted: upserted,
    errorsCount: 0,
    errorCodes: [],
  });
  const ms = performance.now() - started;
  const run = await getRun(db, tenantId, runId);
  return { run: run!, ms };
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
