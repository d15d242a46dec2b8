/**
 * latency-bound: the realistic case, 150 ms added to every Graph request. Pages of one type are
 * sequential by nature (each needs the previous nextLink), so the critical path is the longest
 * type: max over types of (pages × 150 ms). Types run in parallel, here all eight at once
 * (SYNC_TYPE_CONCURRENCY 8), so the engine should finish close to that path.
 */
import { syncWorkflowId } from '../../inventory/workflow-ids';
import { selectionHash } from '../../inventory/selection-hash';
import { historyTiming } from '../history-timing';
import { check, median, row } from '../report';
import { type Scenario } from '../scenario';
import { EIGHT_TYPES, evenShape, pagesPerType } from '../shapes';
import { UNLIMITED_RATES, engineVersusRaw, selectionOf } from '../sync-runs';

const LATENCY_MS = 150;

export const latencyBound: Scenario = {
  name: 'latency-bound',
  summary: 'engine vs critical path, 150 ms per Graph request',
  async run({ stack, quick, say }) {
    const items = quick ? 1_000 : 10_000;
    const reps = quick ? 1 : 3;
    const shape = evenShape(EIGHT_TYPES, items, 100, { faults: [{ kind: 'latency', ms: LATENCY_MS }] });
    const worker = await stack.startWorker({ typeConcurrency: EIGHT_TYPES.length, ...UNLIMITED_RATES });
    try {
      // The raw loop under the same latency tells how much of the gap is the engine's.
      const { engineMs, rawMs, exact, lastEngineTenant } = await engineVersusRaw(
        stack,
        worker,
        { shape, items, reps, typeConcurrency: EIGHT_TYPES.length, label: 'latency-bound' },
        say,
      );
      const requestsPerType = (await stack.sim.stats()).tenants[lastEngineTenant]?.byType ?? {};
      const timing = await historyTiming(
        stack.temporal,
        syncWorkflowId(lastEngineTenant, selectionHash(selectionOf(EIGHT_TYPES))),
      );
      const expectedPages = pagesPerType(shape);
      const criticalPath = Math.max(...expectedPages.values()) * LATENCY_MS;
      // Requests the simulator saw per type must be exactly the pages: no retries, no re-fetches.
      const noExtraRequests = [...expectedPages].every(([type, pages]) => requestsPerType[type] === pages);
      return {
        rows: [
          row({
            scenario: 'latency-bound',
            metric: 'elapsed (median)',
            value: median(engineMs),
            unit: 'ms',
            baseline: criticalPath,
            // Issue 15's target.
            target: { kind: 'max', limit: 1.15 },
            note: `critical path = ${Math.max(...expectedPages.values())} pages × ${LATENCY_MS} ms`,
          }),
          row({
            scenario: 'latency-bound',
            metric: 'raw loop elapsed (median)',
            value: median(rawMs),
            unit: 'ms',
            baseline: criticalPath,
            note: 'the same Graph layer and upsert without Temporal',
          }),
          row({
            scenario: 'latency-bound',
            metric: 'page activity: dispatch',
            value: timing.activityDispatchMs,
            unit: 'ms',
            note: 'scheduled → started, from the last run’s history',
          }),
          row({
            scenario: 'latency-bound',
            metric: 'page activity: run',
            value: timing.activityRunMs,
            unit: 'ms',
            note: `started → completed (every page it read: Graph ${LATENCY_MS} ms + parse + upsert each, pipelined)`,
          }),
          row({
            scenario: 'latency-bound',
            metric: 'workflow task',
            value: timing.workflowTaskMs,
            unit: 'ms',
            note: `scheduled → completed; ${timing.workflowTasks} tasks for ${timing.activities} activities`,
          }),
          check('latency-bound', 'counts exact', exact, `${items} items per run, engine and raw`),
          check(
            'latency-bound',
            'one request per page',
            noExtraRequests,
            'simulator request counts per type',
          ),
        ],
        details: {
          items,
          reps,
          latencyMs: LATENCY_MS,
          engineMs,
          rawMs,
          criticalPath,
          requestsPerType,
          timing,
        },
      };
    } finally {
      await worker.stop();
    }
  },
};
