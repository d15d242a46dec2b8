/**
 * SYNC_PAGES_PER_ACTIVITY (issue 15): by default one `syncTypes` activity reads every page of a
 * small run, so the run's history no longer grows by an activity per page; a smaller budget makes
 * the activity report more often, each report carrying exact per-type progress; and 1 keeps the
 * design before it, an activity per page. The counts are the same in all three.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type SyncLimits } from '../../activities';
import { activityTypeOf } from '../../bench/history-counts';
import { startEngine, type Engine } from '../support/engine';

let engine: Engine;

beforeAll(async () => {
  engine = await startEngine({ assignments: false });
}, 120_000);

afterAll(async () => {
  await engine?.close();
});

const selection = { policy_types: ['deviceConfiguration', 'mobileApp'] };

/** Syncs a tenant of 10 + 7 pages with workers of these limits; answers the run's activities by type. */
async function syncWith(limits: Partial<SyncLimits>) {
  const tenantId = await engine.addTenant({
    counts: { deviceConfiguration: 95, mobileApp: 64 },
    pageSizes: { deviceConfiguration: 10, mobileApp: 10 },
  });
  const workers = await engine.startWorkers(limits);
  try {
    const started = await engine.client.startSync({ tenantId, selection });
    const result = await engine.client.waitForSync(started.workflowId);
    const history = await engine.temporal.workflow.getHandle(started.workflowId).fetchHistory();
    const activities: Record<string, number> = {};
    for (const event of history.events ?? []) {
      const name = activityTypeOf(event);
      if (name) activities[name] = (activities[name] ?? 0) + 1;
    }
    const types = await engine.client.getRunTypes(tenantId, result.runId);
    return {
      result,
      activities,
      events: history.events?.length ?? 0,
      types: types.map(({ policyType, pagesCount, itemsObservedCount }) => ({
        policyType,
        pagesCount,
        itemsObservedCount,
      })),
    };
  } finally {
    await workers.stop();
  }
}

const exactTypes = [
  { policyType: 'deviceConfiguration', pagesCount: 10, itemsObservedCount: 95 },
  { policyType: 'mobileApp', pagesCount: 7, itemsObservedCount: 64 },
];

it('reads all 17 pages of a run in one syncTypes activity by default, group names at its end', async () => {
  const run = await syncWith({});
  expect(run.result).toMatchObject({ status: 'success', itemsObservedCount: 159, itemsNewCount: 159 });
  expect(run.types).toEqual(exactTypes);
  expect(run.activities).toEqual({ beginRun: 1, syncTypes: 1, finalizeRun: 1 });
});

it('reports every 4 pages with a budget of 4, exactly', async () => {
  const run = await syncWith({ pagesPerActivity: 4 });
  expect(run.result).toMatchObject({ status: 'success', itemsObservedCount: 159, itemsNewCount: 159 });
  expect(run.types).toEqual(exactTypes);
  // 17 pages, at most 4 per answer (pages of both types together); the last reads group names.
  expect(run.activities.syncTypes).toBeGreaterThanOrEqual(5);
  expect(run.activities.syncPage).toBeUndefined();
  expect(run.activities.refreshGroupNames).toBeUndefined();
});

it('keeps an activity per page with SYNC_PAGES_PER_ACTIVITY=1, the design before it', async () => {
  const run = await syncWith({ pagesPerActivity: 1 });
  expect(run.result).toMatchObject({ status: 'success', itemsObservedCount: 159, itemsNewCount: 159 });
  expect(run.types).toEqual(exactTypes);
  expect(run.activities).toEqual({ beginRun: 1, syncPage: 17, refreshGroupNames: 1, finalizeRun: 1 });
  const batched = await syncWith({});
  // An activity per page costs its events per page: several times the history of one activity.
  expect(run.events).toBeGreaterThan(3 * batched.events);
});

// Found by trying it: a page waiting out a long Retry-After held the whole activity, so the other
// types stopped being read and progress froze for as long as the throttling lasted.
it('goes on with the other types, and reports progress, while one type waits out a long Retry-After', async () => {
  const tenantId = await engine.addTenant({
    counts: { deviceConfiguration: 60, mobileApp: 5 },
    pageSizes: { deviceConfiguration: 5 },
    faults: [
      { kind: 'latency', ms: 500, type: 'deviceConfiguration' },
      { kind: 'status', status: 429, retryAfterSeconds: 20, type: 'mobileApp', forMs: 25_000 },
    ],
  });
  const workers = await engine.startWorkers({ typeConcurrency: 2, graphThrottleBudgetMs: 120_000 });
  try {
    const started = await engine.client.startSync({
      tenantId,
      selection: { policy_types: ['mobileApp', 'deviceConfiguration'] },
    });
    let pagesWhileThrottled = 0;
    const result = await engine.client.waitForSync(started.workflowId, {
      pollMs: 500,
      onProgress: (p) => {
        if (p.types.mobileApp?.state !== 'done') {
          pagesWhileThrottled = Math.max(pagesWhileThrottled, p.types.deviceConfiguration?.pagesCount ?? 0);
        }
      },
    });
    expect(result).toMatchObject({ status: 'success', itemsObservedCount: 65 });
    // 12 pages of 0.5 s: read, and shown, while mobileApp still waited for its 20 s.
    expect(pagesWhileThrottled).toBe(12);
    const types = await engine.client.getRunTypes(tenantId, result.runId);
    const ended = Object.fromEntries(types.map((t) => [t.policyType, t.finishedAt!.getTime()]));
    expect(ended.mobileApp! - ended.deviceConfiguration!).toBeGreaterThan(5_000);
  } finally {
    await workers.stop();
  }
}, 120_000);
