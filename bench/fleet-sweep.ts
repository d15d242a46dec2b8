/**
 * One nightly sweep of a fleet of tenants, measured: through the engine (every tenant's Temporal
 * Schedule triggered at once, as the schedules of a sweep fire; one or more worker processes on
 * one task queue) or through the raw loop (the same Graph layer, upsert and caps in this process,
 * no Temporal). Each sweep gets fresh tenants of the same shapes, so every sweep inserts alike.
 * Reads the run rows, the simulator's request counts and the CPU time of every process of the stack.
 */
import { performance } from 'node:perf_hooks';
import { queryRows } from '../db/sql';
import { POLICY_TYPE_KEYS, type PolicyType } from '../inventory/policy-types';
import { selectionHash } from '../inventory/selection-hash';
import { syncWorkflowId } from '../inventory/workflow-ids';
import { type TenantStats } from '../simulator/types';
import { type ScheduledSyncResult } from '../workflows/contract';
import { LATENCY_RULES } from './fleet-model';
import { historyCounts, type HistoryCounts } from './history-counts';
import { historyTiming, type HistoryTiming } from './history-timing';
import { cpuSeconds, machineCpuSeconds, treeCpuSeconds } from './proc-stats';
import { FLEET_PAGE_SIZES, fleetCounts } from './shapes';
import { type BenchStack, type BenchWorker } from './stack';
import { chunk, createTenant, rawSync, selectionOf } from './sync-runs';

const FLEET_SELECTION = selectionOf(POLICY_TYPE_KEYS);
const SELECTION_HASH = selectionHash(FLEET_SELECTION);
const SEED = 17;

/**
 * The simulator holds each tenant to the engine's own per-tenant rate (GRAPH_TENANT_RPS 50/s) with
 * a burst of 100: the worker's pacer lets 1 s of budget (50) and one batch (20) go ahead, and 30
 * more absorb arrival jitter. Stricter than Intune's 1,000 per 20 s on purpose: a request over the
 * engine's rate is answered 429 and counted, instead of passing unseen.
 */
export const TENANT_BUDGET = { requestsPerSecond: 50, burst: 100 } as const;

export interface FleetTenant {
  index: number;
  tenantId: string;
  counts: Record<PolicyType, number>;
  items: number;
}

/** `count` fresh tenants of the fleet (the same shapes and data for the same indices). */
export async function createFleet(
  stack: BenchStack,
  count: number,
  quick: boolean,
  label: string,
): Promise<FleetTenant[]> {
  const tenants: FleetTenant[] = [];
  for (const group of chunk(
    Array.from({ length: count }, (_, index) => index),
    25,
  )) {
    tenants.push(
      ...(await Promise.all(
        group.map(async (index) => {
          const counts = fleetCounts(SEED, index, quick);
          const tenantId = await createTenant(
            stack,
            {
              counts,
              pageSizes: FLEET_PAGE_SIZES,
              seed: SEED * 100_000 + index,
              faults: [...LATENCY_RULES, { kind: 'rateLimit', ...TENANT_BUDGET }],
            },
            `fleet ${label} ${index}`,
          );
          return { index, tenantId, counts, items: Object.values(counts).reduce((a, b) => a + b, 0) };
        }),
      )),
    );
  }
  return tenants;
}

/**
 * Empties the fleet's tenants in the simulator (re-created with no items) once a sweep has been
 * read, so the next sweep's fresh tenants do not pile up in its memory; their statistics stay.
 */
export async function releaseFleet(stack: BenchStack, tenants: readonly FleetTenant[]): Promise<void> {
  const none = Object.fromEntries(POLICY_TYPE_KEYS.map((type) => [type, 0]));
  for (const group of chunk(tenants, 25)) {
    await Promise.all(group.map((t) => stack.sim.upsertTenant({ tenantId: t.tenantId, counts: none })));
  }
}

export interface RunRow {
  tenant_id: string;
  status: string;
  started_at: Date;
  finished_at: Date | null;
  items_observed_count: number;
}

export interface SweepMeasure {
  label: string;
  /** When the sweep began (epoch ms): the first trigger, or the raw loop's start. */
  startedAt: number;
  /** From `startedAt` to the last run's end. */
  ms: number;
  runs: RunRow[];
  /** The most `running` rows of the fleet seen at once, polled every 500 ms. */
  sampledMax: number;
  /** CPU seconds spent during the sweep, by process (null: not readable here). */
  cpu: Record<string, number | null>;
  /**
   * PostgreSQL connections of the fleet's database waiting for the start lock (beginRun's advisory
   * lock, slot polls included), polled every 500 ms: mean and max, and the connections in use.
   */
  startLockWaits: { mean: number; max: number; inUseMean: number };
  /** The whole machine's CPU seconds during the sweep, every process of every user included. */
  machine: { busy: number; total: number } | null;
  /** Peak RSS (MiB) of each worker process, for engine sweeps. */
  workerPeakRssMiB: Array<number | null>;
  /** The simulator's counts per tenant id. */
  stats: Map<string, TenantStats>;
  /** Stored items and current edges per tenant id (owner connection, after the sweep). */
  stored: Map<string, { items: number; edges: number }>;
  /** Engine sweeps: every schedule's trigger workflow completed a successful sync. */
  triggersCompleted?: number;
  /** Engine sweeps: history of a sample of runs (the sync's chain and its trigger workflow). */
  histories?: Array<{
    tenantId: string;
    items: number;
    sync: HistoryCounts;
    trigger: HistoryCounts;
    timing: HistoryTiming;
  }>;
}

type CpuReader = () => number | null;

function cpuReaders(stack: BenchStack, workers: readonly BenchWorker[]): Record<string, CpuReader> {
  const { temporal, postgres, simulator } = stack.pids;
  return {
    ...Object.fromEntries(workers.map((w, i) => [`worker ${i + 1}`, () => cpuSeconds(w.pid)])),
    'Temporal server': () => (temporal === null ? null : cpuSeconds(temporal)),
    PostgreSQL: () => (postgres === null ? null : treeCpuSeconds(postgres)),
    simulator: () => cpuSeconds(simulator),
    'bench process': () => {
      const usage = process.cpuUsage();
      return (usage.user + usage.system) / 1e6;
    },
  };
}

/**
 * Runs `sweep` (which may return before the runs end) and polls the fleet's run rows every 500 ms
 * until every tenant has an ended run; returns the sweep's measure, CPU included.
 */
async function measured(
  stack: BenchStack,
  label: string,
  tenants: readonly FleetTenant[],
  workers: readonly BenchWorker[],
  sweep: () => Promise<void>,
  timeoutMs: number,
): Promise<Omit<SweepMeasure, 'stats' | 'stored' | 'workerPeakRssMiB'>> {
  const ids = tenants.map((t) => t.tenantId);
  const readRuns = () =>
    queryRows<RunRow>(
      stack.owner,
      `SELECT tenant_id, status, started_at, finished_at, items_observed_count
       FROM inventory_sync_runs WHERE tenant_id = ANY($1::uuid[])`,
      [ids],
    );
  const readers = cpuReaders(stack, workers);
  const before = Object.fromEntries(Object.entries(readers).map(([name, read]) => [name, read()]));
  const machineBefore = machineCpuSeconds();
  let sampledMax = 0;
  const lockSamples: Array<{ waiting: number; inUse: number }> = [];
  const t0 = Date.now();
  const began = performance.now();
  let failure: { error: unknown } | null = null;
  const driving = sweep().catch((error: unknown) => {
    failure = { error };
  });
  let runs: RunRow[];
  for (;;) {
    if (failure !== null) throw (failure as { error: unknown }).error;
    runs = await readRuns();
    const [connections] = await queryRows<{ waiting: number; in_use: number }>(
      stack.owner,
      `SELECT count(*) FILTER (WHERE wait_event_type = 'Lock' AND wait_event = 'advisory')::int AS waiting,
              count(*) FILTER (WHERE state <> 'idle')::int AS in_use
       FROM pg_stat_activity
       WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()`,
    );
    lockSamples.push({ waiting: connections?.waiting ?? 0, inUse: connections?.in_use ?? 0 });
    sampledMax = Math.max(sampledMax, runs.filter((r) => r.status === 'running').length);
    const ended = new Set(runs.filter((r) => r.status !== 'running').map((r) => r.tenant_id));
    if (ended.size === ids.length) break;
    if (performance.now() - began > timeoutMs) {
      throw new Error(`the ${label} sweep did not end within ${timeoutMs / 60_000} minutes`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await driving;
  const cpu = Object.fromEntries(
    Object.entries(readers).map(([name, read]) => {
      const [start, end] = [before[name], read()];
      return [name, start == null || end === null ? null : end - start];
    }),
  );
  const machineAfter = machineCpuSeconds();
  const machine =
    machineBefore === null || machineAfter === null
      ? null
      : { busy: machineAfter.busy - machineBefore.busy, total: machineAfter.total - machineBefore.total };
  const lastEnd = Math.max(...runs.map((r) => (r.finished_at ?? new Date()).getTime()));
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  const startLockWaits = {
    mean: mean(lockSamples.map((s) => s.waiting)),
    max: Math.max(0, ...lockSamples.map((s) => s.waiting)),
    inUseMean: mean(lockSamples.map((s) => s.inUse)),
  };
  return { label, startedAt: t0, ms: lastEnd - t0, runs, sampledMax, cpu, machine, startLockWaits };
}

async function afterSweep(
  stack: BenchStack,
  tenants: readonly FleetTenant[],
): Promise<Pick<SweepMeasure, 'stats' | 'stored'>> {
  const ids = tenants.map((t) => t.tenantId);
  const all = (await stack.sim.stats()).tenants;
  const stats = new Map(ids.flatMap((id) => (all[id] ? [[id, all[id]] as const] : [])));
  const rows = await queryRows<{ tenant_id: string; items: number; edges: number }>(
    stack.owner,
    `SELECT item.tenant_id, count(DISTINCT (item.policy_type, item.external_id))::int AS items,
            count(edge.assignment_id)::int AS edges
     FROM inventory_items item
     LEFT JOIN inventory_assignments edge
       ON edge.tenant_id = item.tenant_id AND edge.policy_type = item.policy_type
      AND edge.external_id = item.external_id AND edge.observation_id = item.assignments_observation_id
     WHERE item.tenant_id = ANY($1::uuid[])
     GROUP BY item.tenant_id`,
    [ids],
  );
  const stored = new Map(rows.map((r) => [r.tenant_id, { items: r.items, edges: r.edges }]));
  return { stats, stored };
}

/**
 * The engine's sweep: one Temporal Schedule per tenant (every day, as `inventory schedule create`
 * makes it), all triggered at once, as when a night's schedules fire together; `workers` poll
 * one task queue. Afterwards every trigger workflow's result is read and the schedules deleted.
 */
export async function engineSweep(
  stack: BenchStack,
  label: string,
  tenants: readonly FleetTenant[],
  workers: readonly BenchWorker[],
  options: {
    timeoutMs: number;
    historySample: number;
    /** The activity that reads pages: `syncTypes`, or `syncPage` with an activity per page. */
    pageActivity: 'syncTypes' | 'syncPage';
  },
  say: (line: string) => void,
): Promise<SweepMeasure> {
  const client = workers[0]!.client;
  const scheduleIds: string[] = [];
  for (const group of chunk(tenants, 50)) {
    const created = await Promise.all(
      group.map((t) =>
        client.createSchedule({
          tenantId: t.tenantId,
          selection: { policy_types: [...POLICY_TYPE_KEYS] },
          every: '1d',
        }),
      ),
    );
    scheduleIds.push(...created.map((c) => c.scheduleId));
  }
  try {
    const sweep = await measured(
      stack,
      label,
      tenants,
      workers,
      async () => {
        const t0 = performance.now();
        for (const group of chunk(scheduleIds, 100)) {
          await Promise.all(group.map((id) => stack.temporal.schedule.getHandle(id).trigger()));
        }
        say(
          `  ${label}: ${scheduleIds.length} schedules triggered in ${(performance.now() - t0).toFixed(0)} ms`,
        );
      },
      options.timeoutMs,
    );
    const triggers = new Map<string, string>();
    let triggersCompleted = 0;
    for (const group of chunk(
      tenants.map((t, i) => [t, scheduleIds[i]!] as const),
      50,
    )) {
      await Promise.all(
        group.map(async ([tenant, scheduleId]) => {
          const { info } = await stack.temporal.schedule.getHandle(scheduleId).describe();
          const started = info.recentActions.at(-1)?.action.workflow;
          if (started === undefined) return;
          triggers.set(tenant.tenantId, started.workflowId);
          const result = (await stack.temporal.workflow
            .getHandle(started.workflowId, started.firstExecutionRunId)
            .result()) as ScheduledSyncResult;
          if (result.outcome === 'completed' && result.result.status === 'success') triggersCompleted += 1;
        }),
      );
    }
    // The largest tenant and an even spread of the others.
    const bySize = [...tenants].sort((a, b) => b.items - a.items);
    const step = Math.max(1, Math.floor(bySize.length / options.historySample));
    const sample = bySize.filter((_, i) => i % step === 0).slice(0, options.historySample);
    const histories = [];
    for (const t of sample) {
      const workflowId = syncWorkflowId(t.tenantId, SELECTION_HASH);
      histories.push({
        tenantId: t.tenantId,
        items: t.items,
        sync: await historyCounts(stack.temporal, workflowId),
        trigger: await historyCounts(stack.temporal, triggers.get(t.tenantId) ?? ''),
        timing: await historyTiming(stack.temporal, workflowId, options.pageActivity),
      });
    }
    return {
      ...sweep,
      workerPeakRssMiB: workers.map((w) => w.peakRssMiB()),
      ...(await afterSweep(stack, tenants)),
      triggersCompleted,
      histories,
    };
  } finally {
    for (const group of chunk(scheduleIds, 50)) {
      await Promise.all(
        group.map((id) =>
          stack.temporal.schedule
            .getHandle(id)
            .delete()
            .catch(() => undefined),
        ),
      );
    }
  }
}

/**
 * The raw loop's sweep: `globalCap` tenants at a time (one run each), each synced by rawSync with
 * `typeConcurrency` lanes, assignments and group names, through a Graph client paced per tenant
 * at `tenantRps` as the worker's is.
 */
export async function rawSweep(
  stack: BenchStack,
  tenants: readonly FleetTenant[],
  caps: { globalCap: number; typeConcurrency: number; tenantRps: number },
  timeoutMs: number,
): Promise<SweepMeasure> {
  const graph = stack.graphClient({ assignments: true, tenantRps: caps.tenantRps });
  const queue = [...tenants];
  const sweep = await measured(
    stack,
    'raw loop',
    tenants,
    [],
    async () => {
      const slot = async () => {
        for (let t = queue.shift(); t !== undefined; t = queue.shift()) {
          await rawSync(stack, t.tenantId, FLEET_SELECTION, caps.typeConcurrency, {
            graph,
            groupNames: true,
          });
        }
      };
      await Promise.all(Array.from({ length: caps.globalCap }, slot));
    },
    timeoutMs,
  );
  return { ...sweep, workerPeakRssMiB: [], ...(await afterSweep(stack, tenants)) };
}
