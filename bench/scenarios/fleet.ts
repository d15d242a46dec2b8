/**
 * fleet: a nightly sweep of 250 tenants (issue 15 asks 1,000; see fleetSize), every policy type of the registry with
 * realistic, seed-varied sizes and assignments on, 150–350 ms per Graph request (mean 250), the
 * per-tenant budget at Intune's 50 requests/s, started by triggering every tenant's Temporal
 * Schedule at once. Measured three ways on fresh tenants of the same shapes: the engine with one
 * worker process, the raw loop (no Temporal), the engine with two worker processes on one task
 * queue. Reports the sweep against the raw loop and against the lower bound of its inputs
 * (fleet-model.ts), Graph requests per tenant, CPU seconds per 1,000 pages of every process,
 * worker peak RSS and history events per run; checks exact counts, caps and that no run was skipped.
 */
import { cpus } from 'node:os';
import { type BenchWorker, type WorkerSettings } from '../stack';
import { sweepBound, tenantBound, LATENCY_MEAN_MS, type SweepCaps, type TenantBound } from '../fleet-model';
import {
  createFleet,
  engineSweep,
  rawSweep,
  releaseFleet,
  TENANT_BUDGET,
  type FleetTenant,
  type SweepMeasure,
} from '../fleet-sweep';
import { maxOverlap } from '../overlap';
import { peakRssMiB } from '../proc-stats';
import { check, median, percentile, row, type ResultRow } from '../report';
import { type Scenario } from '../scenario';
import { FLEET_PAGE_SIZES } from '../shapes';

const SCENARIO = 'fleet';

/**
 * The full run's fleet: 250 tenants, a quarter of the 1,000, because one engine sweep of
 * 1,000 took 16.7 minutes on the 2-core reference machine, and the run has three (BENCHMARKS.md
 * "Fleet sweep" says how the numbers scale); BENCH_FLEET_TENANTS=1000 measures the fleet,
 * with the same caps.
 */
function fleetSize(quick: boolean): number {
  if (quick) return 20;
  const set = process.env.BENCH_FLEET_TENANTS;
  return set === undefined ? 250 : Number.parseInt(set, 10);
}

/** The caps an operator sets for the sweep (BENCHMARKS.md "Fleet sweep"); the quick fleet's are smaller. */
function capsFor(quick: boolean): SweepCaps & { settings: WorkerSettings } {
  const caps: SweepCaps = {
    globalCap: quick ? 5 : 40,
    typeConcurrency: 4,
    queueRps: 1_000,
    tenantRps: TENANT_BUDGET.requestsPerSecond,
  };
  return {
    ...caps,
    settings: {
      ...caps,
      perTenantCap: 1,
      // Long enough that no run of the sweep is skipped.
      slotWaitMs: 6 * 3_600_000,
      // Every lane of every running sync can hold a page, with room for begin and finalize.
      maxActivities: caps.globalCap * caps.typeConcurrency + 40,
      dbPoolSize: 20,
      assignments: true,
    },
  };
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

function groupRequestsOf(sweep: SweepMeasure, tenant: FleetTenant): number {
  const stats = sweep.stats.get(tenant.tenantId);
  if (stats === undefined) return 0;
  return stats.graphRequests - sum(Object.values(stats.byType));
}

/** Per tenant of `sweep`: exact items, one run, not skipped. */
function exactCounts(sweep: SweepMeasure, tenants: readonly FleetTenant[]): { ok: boolean; bad: number } {
  const runsOf = new Map<string, SweepMeasure['runs']>();
  for (const run of sweep.runs) runsOf.set(run.tenant_id, [...(runsOf.get(run.tenant_id) ?? []), run]);
  const bad = tenants.filter((t) => {
    const runs = runsOf.get(t.tenantId) ?? [];
    return !(
      runs.length === 1 &&
      runs[0]!.status === 'success' &&
      runs[0]!.items_observed_count === t.items &&
      (sweep.stored.get(t.tenantId)?.items ?? 0) === t.items
    );
  }).length;
  return { ok: bad === 0, bad };
}

function overlapOf(sweep: SweepMeasure): number {
  return maxOverlap(
    sweep.runs
      .filter((r) => r.status !== 'skipped')
      .map((r) => ({ start: r.started_at.getTime(), end: (r.finished_at ?? new Date()).getTime() })),
  );
}

/** Each tenant's run time (ms, slot granted to end), in the order of `tenants`. */
function runTimes(sweep: SweepMeasure, tenants: readonly FleetTenant[]): number[] {
  const byTenant = new Map(sweep.runs.map((r) => [r.tenant_id, r]));
  return tenants.map((t) => {
    const run = byTenant.get(t.tenantId);
    return run?.finished_at ? run.finished_at.getTime() - run.started_at.getTime() : NaN;
  });
}

function throttledOf(sweep: SweepMeasure): number {
  return sum([...sweep.stats.values()].map((s) => s.byStatus['429'] ?? 0));
}

/**
 * The rows every sweep has: how full its slots were and how its runs compare with their bounds,
 * CPU per 1,000 pages by process, its checks.
 */
function sweepRows(
  label: string,
  sweep: SweepMeasure,
  tenants: readonly FleetTenant[],
  bounds: readonly TenantBound[],
  caps: SweepCaps,
): ResultRow[] {
  const cores = cpus().length;
  const pages = sum(bounds.map((b) => b.pages));
  const times = runTimes(sweep, tenants);
  const stretch = times.map((ms, i) => ms / bounds[i]!.ms);
  const rows: ResultRow[] = [
    row({
      scenario: SCENARIO,
      metric: `${label}: slot occupancy`,
      value: (sum(times) / (caps.globalCap * sweep.ms)) * 100,
      unit: '%',
      note: `Σ run times ÷ (cap ${caps.globalCap} × sweep)`,
    }),
    row({
      scenario: SCENARIO,
      metric: `${label}: run time ÷ its bound (median)`,
      value: median(stretch),
      unit: '×',
      note: `p90 ${percentile(stretch, 90).toFixed(2)}×; run median ${(median(times) / 1_000).toFixed(1)} s`,
    }),
  ];
  for (const [process, seconds] of Object.entries(sweep.cpu)) {
    if (seconds === null) continue;
    rows.push(
      row({
        scenario: SCENARIO,
        metric: `${label}: ${process} CPU per 1,000 pages`,
        value: (seconds / pages) * 1_000,
        unit: 's',
        note: `${seconds.toFixed(1)} s in the sweep, ${((seconds / (sweep.ms / 1_000)) * 100).toFixed(0)} % of one core`,
      }),
    );
  }
  const total = sum(Object.values(sweep.cpu).map((s) => s ?? 0));
  rows.push(
    row({
      scenario: SCENARIO,
      metric: `${label}: CPU used by the stack`,
      value: (total / (cores * (sweep.ms / 1_000))) * 100,
      unit: '%',
      note: `${total.toFixed(0)} CPU s over ${(sweep.ms / 1_000).toFixed(0)} s × ${cores} cores`,
    }),
  );
  rows.push(
    row({
      scenario: SCENARIO,
      metric: `${label}: connections waiting for the start lock (mean)`,
      value: sweep.startLockWaits.mean,
      unit: 'conns',
      note: `max ${sweep.startLockWaits.max}; ${sweep.startLockWaits.inUseMean.toFixed(1)} of the database's connections busy on average (polled)`,
    }),
  );
  if (sweep.machine !== null) {
    rows.push(
      row({
        scenario: SCENARIO,
        metric: `${label}: machine CPU busy`,
        value: (sweep.machine.busy / sweep.machine.total) * 100,
        unit: '%',
        note: `${(sweep.machine.busy - total).toFixed(0)} CPU s of it by processes outside the stack`,
      }),
    );
  }
  const exact = exactCounts(sweep, tenants);
  const overlap = overlapOf(sweep);
  const skipped = sweep.runs.filter((r) => r.status === 'skipped').length;
  rows.push(
    check(SCENARIO, `${label}: counts exact`, exact.ok, `${tenants.length} tenants, ${exact.bad} not exact`),
    check(
      SCENARIO,
      `${label}: never above the global cap`,
      overlap <= caps.globalCap && sweep.sampledMax <= caps.globalCap,
      `max ${overlap} running from run rows, ${sweep.sampledMax} polled; cap ${caps.globalCap}; one run per tenant`,
    ),
    check(SCENARIO, `${label}: no run skipped`, skipped === 0, `${skipped} skipped`),
  );
  return rows;
}

/** What the sampled histories of a sweep's runs say: events, workflow tasks, activities, timing. */
function historyRows(label: string, sweep: SweepMeasure): ResultRow[] {
  const histories = sweep.histories ?? [];
  const syncEvents = histories.map((h) => h.sync.events);
  const polls = histories.map((h) => h.sync.activities.beginRun ?? 0);
  return [
    row({
      scenario: SCENARIO,
      metric: `${label}: history events per run (median)`,
      value: median(syncEvents),
      unit: 'events',
      note: `${histories.length} runs sampled, max ${percentile(syncEvents, 100)}; ${Math.max(...histories.map((h) => h.sync.executions))} execution(s) per chain; trigger workflow ${median(histories.map((h) => h.trigger.events))} more`,
    }),
    row({
      scenario: SCENARIO,
      metric: `${label}: workflow tasks per run (median)`,
      value: median(histories.map((h) => h.sync.workflowTasks)),
      unit: 'tasks',
      note: `for ${median(histories.map((h) => sum(Object.values(h.sync.activities))))} activities`,
    }),
    row({
      scenario: SCENARIO,
      metric: `${label}: page activity dispatch (median of runs)`,
      value: median(histories.map((h) => h.timing.activityDispatchMs)),
      unit: 'ms',
      note: 'scheduled → started, averaged over each sampled run',
    }),
    row({
      scenario: SCENARIO,
      metric: `${label}: page activity run (median of runs)`,
      value: median(histories.map((h) => h.timing.activityRunMs)),
      unit: 'ms',
      note: 'started → completed: Graph, batches, upserts (all pages of the activity)',
    }),
    row({
      scenario: SCENARIO,
      metric: `${label}: workflow task (median of runs)`,
      value: median(histories.map((h) => h.timing.workflowTaskMs)),
      unit: 'ms',
      note: 'scheduled → completed',
    }),
    row({
      scenario: SCENARIO,
      metric: `${label}: slot polls per run (median)`,
      value: median(polls),
      unit: 'beginRun',
      note: `max ${percentile(polls, 100)}; each a workflow task, a timer and an activity`,
    }),
  ];
}

export const fleet: Scenario = {
  name: SCENARIO,
  summary:
    'a nightly sweep of a fleet: engine (1 and 2 workers, and an activity per page) against the raw loop and the lower bound',
  async run({ stack, quick, say }) {
    const count = fleetSize(quick);
    const caps = capsFor(quick);
    const timeoutMs = quick ? 5 * 60_000 : 3 * 3_600_000;
    const historySample = quick ? 3 : 10;
    const details: Record<string, unknown> = {
      tenants: count,
      caps,
      latencyMeanMs: LATENCY_MEAN_MS,
      tenantBudget: TENANT_BUDGET,
      pageSizes: FLEET_PAGE_SIZES,
    };

    /** One engine sweep of `tenants` by `workers` worker processes polling one task queue. */
    const engineSweepBy = async (
      label: string,
      tenants: FleetTenant[],
      workers: 1 | 2,
      settings: WorkerSettings,
    ): Promise<SweepMeasure> => {
      const started: BenchWorker[] = [];
      try {
        started.push(await stack.startWorker(settings));
        if (workers === 2)
          started.push(await stack.startWorker({ ...settings, taskQueue: started[0]!.taskQueue }));
        const pageActivity = settings.pagesPerActivity === 1 ? 'syncPage' : 'syncTypes';
        const sweep = await engineSweep(
          stack,
          label,
          tenants,
          started,
          { timeoutMs, historySample, pageActivity },
          say,
        );
        say(`  ${label}: ${(sweep.ms / 1_000).toFixed(1)} s`);
        return sweep;
      } finally {
        for (const worker of started.reverse()) await worker.stop();
      }
    };

    // 0. The design before issue 15, an activity per page (SYNC_PAGES_PER_ACTIVITY=1), one worker
    // process, so its cost stands beside the new design's in the same run.
    const fleetPrev = await createFleet(stack, count, quick, 'activity per page');
    const prev = await engineSweepBy('activity per page', fleetPrev, 1, {
      ...caps.settings,
      pagesPerActivity: 1,
    });
    await releaseFleet(stack, fleetPrev);

    // 1. The engine, one worker process.
    const fleet1 = await createFleet(stack, count, quick, '1 worker');
    const items = sum(fleet1.map((t) => t.items));
    say(
      `  ${count} tenants, ${items} items (${Math.min(...fleet1.map((t) => t.items))}–${Math.max(...fleet1.map((t) => t.items))} per tenant)`,
    );
    const one = await engineSweepBy('1 worker', fleet1, 1, caps.settings);
    await releaseFleet(stack, fleet1);

    // 2. The raw loop, same caps, in this process.
    const fleetRaw = await createFleet(stack, count, quick, 'raw');
    const raw = await rawSweep(stack, fleetRaw, caps, timeoutMs);
    say(`  raw loop: ${(raw.ms / 1_000).toFixed(1)} s`);
    await releaseFleet(stack, fleetRaw);

    // 3. The engine, two worker processes on one task queue.
    const fleet2 = await createFleet(stack, count, quick, '2 workers');
    const two = await engineSweepBy('2 workers', fleet2, 2, caps.settings);

    // The bound, from the tenants' shapes and the group reads Graph saw (the same data in every sweep).
    const bounds: TenantBound[] = fleet1.map((t) =>
      tenantBound(
        { counts: t.counts, pageSizes: FLEET_PAGE_SIZES, groupRequests: groupRequestsOf(one, t) },
        caps,
      ),
    );
    const bound = sweepBound(bounds, caps);
    const pages = sum(bounds.map((b) => b.pages));
    const binding = Object.entries(bound.terms).sort((a, b) => b[1] - a[1])[0]![0];
    const seconds = (ms: number) => ms / 1_000;

    const oneStats = fleet1.map((t) => one.stats.get(t.tenantId));
    const graphRequests = oneStats.map((s) => s?.graphRequests ?? 0);
    const roundTrips = oneStats.map((s) => (s ? s.graphRequests - s.batchedRequests + s.batchRequests : 0));
    const waits = one.runs.map((r) => r.started_at.getTime() - one.startedAt);
    // The same index is the same tenant data in every sweep, so the same edges.
    const edgesAlike = fleet1.every((t, i) => {
      const edges = [
        one.stored.get(t.tenantId)?.edges,
        prev.stored.get(fleetPrev[i]!.tenantId)?.edges,
        raw.stored.get(fleetRaw[i]!.tenantId)?.edges,
        two.stored.get(fleet2[i]!.tenantId)?.edges,
      ];
      return edges[0] !== undefined && edges.every((e) => e === edges[0]);
    });

    const rows: ResultRow[] = [
      row({
        scenario: SCENARIO,
        metric: 'sweep time, 1 worker',
        value: seconds(one.ms),
        unit: 's',
        baseline: seconds(raw.ms),
        target: { kind: 'max', limit: 1.25 },
        note: `÷ the raw loop's sweep; first trigger to last run's end, ${count} tenants`,
      }),
      row({
        scenario: SCENARIO,
        metric: 'sweep time, 1 worker, activity per page',
        value: seconds(prev.ms),
        unit: 's',
        baseline: seconds(raw.ms),
        note: `÷ the raw loop's sweep; the design before issue 15 (SYNC_PAGES_PER_ACTIVITY=1); new design ${(one.ms / prev.ms).toFixed(2)}× its time`,
      }),
      row({
        scenario: SCENARIO,
        metric: 'sweep time, 1 worker, vs lower bound',
        value: seconds(one.ms),
        unit: 's',
        baseline: seconds(bound.ms),
        note: `bound set by ${binding}`,
      }),
      row({
        scenario: SCENARIO,
        metric: 'sweep time, raw loop, vs lower bound',
        value: seconds(raw.ms),
        unit: 's',
        baseline: seconds(bound.ms),
      }),
      row({
        scenario: SCENARIO,
        metric: 'sweep time, 2 workers',
        value: seconds(two.ms),
        unit: 's',
        baseline: seconds(one.ms),
        note: '÷ 1 worker',
      }),
      row({
        scenario: SCENARIO,
        metric: 'lower bound',
        value: seconds(bound.ms),
        unit: 's',
        note: `Σ runs ÷ cap ${seconds(bound.terms.globalCapMs).toFixed(1)} s, largest run ${seconds(bound.terms.largestTenantMs).toFixed(1)} s, pages ÷ queue rate ${seconds(bound.terms.queueRateMs).toFixed(1)} s`,
      }),
      row({
        scenario: SCENARIO,
        metric: 'items, pages',
        value: items,
        unit: 'items',
        note: `${pages} pages (${(pages / count).toFixed(1)} per tenant)`,
      }),
      row({
        scenario: SCENARIO,
        metric: 'Graph requests per tenant (median)',
        value: median(graphRequests),
        unit: 'requests',
        note: `as Graph counts them; mean ${(sum(graphRequests) / count).toFixed(0)}, max ${percentile(graphRequests, 100)}`,
      }),
      row({
        scenario: SCENARIO,
        metric: 'HTTP round trips per tenant (median)',
        value: median(roundTrips),
        unit: 'requests',
        note: `mean ${(sum(roundTrips) / count).toFixed(0)}, max ${percentile(roundTrips, 100)}`,
      }),
      ...sweepRows('activity per page', prev, fleetPrev, bounds, caps),
      ...sweepRows('1 worker', one, fleet1, bounds, caps),
      ...sweepRows('raw loop', raw, fleetRaw, bounds, caps),
      ...sweepRows('2 workers', two, fleet2, bounds, caps),
      ...prev.workerPeakRssMiB.flatMap((rss) =>
        rss === null
          ? []
          : [
              row({
                scenario: SCENARIO,
                metric: 'activity per page: worker peak RSS',
                value: rss,
                unit: 'MiB',
              }),
            ],
      ),
      ...one.workerPeakRssMiB.flatMap((rss) =>
        rss === null
          ? []
          : [row({ scenario: SCENARIO, metric: '1 worker: worker peak RSS', value: rss, unit: 'MiB' })],
      ),
      ...two.workerPeakRssMiB.flatMap((rss, i) =>
        rss === null
          ? []
          : [
              row({
                scenario: SCENARIO,
                metric: `2 workers: worker ${i + 1} peak RSS`,
                value: rss,
                unit: 'MiB',
              }),
            ],
      ),
      row({
        scenario: SCENARIO,
        metric: 'slot wait p50 (1 worker)',
        value: seconds(median(waits)),
        unit: 's',
        note: `max ${seconds(percentile(waits, 100)).toFixed(1)} s; first trigger to the run's slot`,
      }),
      ...historyRows('activity per page', prev),
      ...historyRows('1 worker', one),
      check(
        SCENARIO,
        'per-tenant rate held (every sweep)',
        [prev, one, raw, two].every((sweep) => throttledOf(sweep) === 0),
        `429s: ${[prev, one, raw, two].map(throttledOf).join(', ')} (activity per page, 1 worker, raw, 2 workers); simulator bucket ${TENANT_BUDGET.requestsPerSecond}/s, burst ${TENANT_BUDGET.burst}; one limiter in PostgreSQL for every process`,
      ),
      check(
        SCENARIO,
        'every trigger workflow completed its sync',
        [prev, one, two].every((sweep) => sweep.triggersCompleted === count),
        `${prev.triggersCompleted}, ${one.triggersCompleted} and ${two.triggersCompleted} of ${count}`,
      ),
      check(
        SCENARIO,
        'edges alike in every sweep',
        edgesAlike,
        'current edges per tenant: activity per page = 1 worker = raw = 2 workers',
      ),
    ];
    const [prevTimes, oneTimes, rawTimes, twoTimes] = [
      runTimes(prev, fleetPrev),
      runTimes(one, fleet1),
      runTimes(raw, fleetRaw),
      runTimes(two, fleet2),
    ];
    Object.assign(details, {
      peakRssMiB: {
        simulator: peakRssMiB(stack.pids.simulator),
        temporal: stack.pids.temporal === null ? null : peakRssMiB(stack.pids.temporal),
      },
      items,
      pages,
      bound,
      sweeps: Object.fromEntries(
        [prev, one, raw, two].map((s) => [
          s.label,
          {
            ms: s.ms,
            cpu: s.cpu,
            machine: s.machine,
            startLockWaits: s.startLockWaits,
            sampledMax: s.sampledMax,
            maxOverlap: overlapOf(s),
            throttled: throttledOf(s),
            workerPeakRssMiB: s.workerPeakRssMiB,
            histories: s.histories,
          },
        ]),
      ),
      perTenant: fleet1.map((t, i) => ({
        items: t.items,
        graphRequests: graphRequests[i],
        roundTrips: roundTrips[i],
        boundMs: bounds[i]!.ms,
        runMs: {
          'activity per page': prevTimes[i],
          '1 worker': oneTimes[i],
          raw: rawTimes[i],
          '2 workers': twoTimes[i],
        },
      })),
    });
    return { rows, details };
  },
};
