/**
 * fan-out: 200 tenants × 500 items started at once, with the global cap at 20 running syncs and
 * the per-tenant cap at 2, in the mode where a run waits for a slot (SYNC_SLOT_WAIT) instead of
 * being skipped. The caps are checked from the run rows themselves: the maximum overlap of
 * [started_at, finished_at] intervals, and a sampled count of `running` rows while it runs.
 * Perfect packing (runs × median run time ÷ cap) is the baseline for the total time.
 */
import { performance } from 'node:perf_hooks';
import { queryRows } from '../../db/sql';
import { maxOverlap } from '../overlap';
import { check, median, percentile, row } from '../report';
import { type Scenario } from '../scenario';
import { EIGHT_TYPES, evenShape } from '../shapes';
import { chunk, createTenant, selectionOf } from '../sync-runs';

const TYPES = EIGHT_TYPES.slice(0, 5);

interface RunRow {
  tenant_id: string;
  status: string;
  started_at: Date;
  finished_at: Date | null;
  items_observed_count: number;
}

export const fanOut: Scenario = {
  name: 'fan-out',
  summary: '200 tenants started at once, global cap 20, per-tenant cap 2',
  async run({ stack, quick, say }) {
    const tenantCount = quick ? 20 : 200;
    const items = quick ? 100 : 500;
    const globalCap = quick ? 4 : 20;
    const perTenantCap = 2;
    const shape = evenShape(TYPES, items, 100);
    const selection = selectionOf(TYPES);
    const tenants: string[] = [];
    for (const group of chunk(
      Array.from({ length: tenantCount }, (_, i) => i + 1),
      20,
    )) {
      tenants.push(...(await Promise.all(group.map((i) => createTenant(stack, shape, `fan-out ${i}`)))));
    }
    const worker = await stack.startWorker({ globalCap, perTenantCap, slotWaitMs: 60 * 60_000 });
    let sampledMax = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const [live] = await queryRows<{ n: number }>(
          stack.owner,
          `SELECT count(*)::int AS n FROM inventory_sync_runs WHERE status = 'running' AND tenant_id = ANY($1::uuid[])`,
          [tenants],
        );
        sampledMax = Math.max(sampledMax, live?.n ?? 0);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    try {
      const t0 = performance.now();
      const wallStart = Date.now();
      const starts = await Promise.all(
        tenants.map(async (tenantId) => {
          const requestedAt = Date.now();
          const sync = await worker.client.startSync({ tenantId, selection });
          return { tenantId, requestedAt, workflowId: sync.workflowId };
        }),
      );
      say(`  ${starts.length} syncs started in ${(performance.now() - t0).toFixed(0)} ms`);
      await Promise.all(starts.map((s) => worker.client.waitForSync(s.workflowId)));
      const totalMs = performance.now() - t0;
      sampling = false;
      await sampler;

      const runs = await queryRows<RunRow>(
        stack.owner,
        `SELECT tenant_id, status, started_at, finished_at, items_observed_count
         FROM inventory_sync_runs WHERE tenant_id = ANY($1::uuid[])`,
        [tenants],
      );
      const ran = runs.filter((r) => r.status !== 'skipped');
      const skipped = runs.length - ran.length;
      const overlap = maxOverlap(
        ran.map((r) => ({ start: r.started_at.getTime(), end: (r.finished_at ?? new Date()).getTime() })),
      );
      const requestedAt = new Map(starts.map((s) => [s.tenantId, s.requestedAt]));
      const waits = ran.map((r) => Math.max(0, r.started_at.getTime() - requestedAt.get(r.tenant_id)!));
      const durations = ran.map((r) => (r.finished_at ?? new Date()).getTime() - r.started_at.getTime());
      const packedMs = (ran.length * median(durations)) / globalCap;
      const exact =
        ran.length === tenantCount &&
        ran.every((r) => r.status === 'success' && r.items_observed_count === items);
      const rss = worker.peakRssMiB();
      say(
        `  done in ${(totalMs / 1000).toFixed(1)} s; max running ${overlap} (sampled ${sampledMax}), skipped ${skipped}`,
      );
      return {
        rows: [
          row({
            scenario: 'fan-out',
            metric: 'total time',
            value: totalMs / 1000,
            unit: 's',
            baseline: packedMs / 1000,
            note: `baseline = ${ran.length} runs × median run ${(median(durations) / 1000).toFixed(1)} s ÷ cap ${globalCap}`,
          }),
          row({
            scenario: 'fan-out',
            metric: 'runs per minute',
            value: (tenantCount / totalMs) * 60_000,
            unit: 'runs/min',
          }),
          row({ scenario: 'fan-out', metric: 'slot wait p50', value: median(waits) / 1000, unit: 's' }),
          row({
            scenario: 'fan-out',
            metric: 'slot wait max',
            value: percentile(waits, 100) / 1000,
            unit: 's',
          }),
          row({
            scenario: 'fan-out',
            metric: 'skipped runs',
            value: skipped,
            unit: 'runs',
            note: 'wait mode',
          }),
          ...(rss === null
            ? []
            : [row({ scenario: 'fan-out', metric: 'worker peak RSS', value: rss, unit: 'MiB' })]),
          check(
            'fan-out',
            'never above the global cap',
            overlap <= globalCap && sampledMax <= globalCap,
            `max ${overlap} running from run rows, ${sampledMax} sampled; cap ${globalCap}`,
          ),
          check('fan-out', 'counts exact', exact, `${tenantCount} runs × ${items} items, all success`),
        ],
        details: {
          tenants: tenantCount,
          items,
          globalCap,
          perTenantCap,
          wallStart: new Date(wallStart).toISOString(),
          totalMs,
          maxOverlap: overlap,
          sampledMax,
          skipped,
          waitMs: { p50: median(waits), p95: percentile(waits, 95), max: percentile(waits, 100) },
          runMs: { p50: median(durations), p95: percentile(durations, 95) },
          workerPeakRssMiB: rss,
        },
      };
    } finally {
      sampling = false;
      await sampler;
      await worker.stop();
    }
  },
};
