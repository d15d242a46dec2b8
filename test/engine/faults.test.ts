/**
 * The engine under Graph throttling, cancellation and termination: exact counts through 429
 * storms, Retry-After honoured between attempts, cancelled runs finalized as failed/run_cancelled
 * with the counts of what they stored (pages in flight settle first; a hanging page is aborted),
 * and terminated runs closed by the reaper schedule (or by the next start of the same selection)
 * as failed/run_abandoned.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/sql';
import { reaperScheduleId } from '../../inventory/workflow-ids';
import { ensureReaperSchedule } from '../../worker/reaper-schedule';
import { startEngine, waitForPageInFlight, type Engine, type RunningWorkers } from '../support/engine';

let engine: Engine;
let workers: RunningWorkers | undefined;

beforeAll(async () => {
  // Page-level faults, counted per page request: items only (assignments have their own tests).
  engine = await startEngine({ assignments: false });
  workers = await engine.startWorkers({ graphMaxAttempts: 20 });
});

afterAll(async () => {
  await workers?.stop();
  await engine?.close();
});

const selection = {
  policy_types: ['deviceConfiguration', 'mobileApp', 'assignmentFilter', 'settingsCatalogPolicy'],
};

async function expectedItems(tenantId: string): Promise<number> {
  const tenant = (await engine.sim.admin.listTenants()).find((t) => t.tenantId === tenantId)!;
  return selection.policy_types.reduce(
    (sum, type) => sum + tenant.counts[type as keyof typeof tenant.counts],
    0,
  );
}

async function runRow(tenantId: string, runId: string) {
  return engine.client.getRun(tenantId, runId);
}

async function liveRunOf(tenantId: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const [row] = await queryRows<{ id: string }>(
      engine.db.admin,
      `SELECT id FROM inventory_sync_runs WHERE tenant_id = $1 AND status = 'running'`,
      [tenantId],
    );
    if (row) return row.id;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the run never started');
}

describe('429 storms', () => {
  it.each([
    ['with Retry-After on half the answers and none on the rest', 'mixed'],
    ['without any Retry-After', 'none'],
    ['with fractional Retry-After', 'fractional'],
  ] as const)('completes with exact counts %s', async (_, retryAfter) => {
    const tenantId = await engine.addTenant({
      counts: { deviceConfiguration: 30, mobileApp: 30, assignmentFilter: 30, settingsCatalogPolicy: 30 },
      pageSizes: { deviceConfiguration: 5, mobileApp: 5, assignmentFilter: 5, settingsCatalogPolicy: 5 },
      faults: [{ kind: 'rateLimit', requestsPerSecond: 8, burst: 2, retryAfter }],
    });
    const started = await engine.client.startSync({ tenantId, selection });
    const result = await engine.client.waitForSync(started.workflowId);
    const expected = await expectedItems(tenantId);
    expect(result).toMatchObject({
      status: 'success',
      itemsObservedCount: expected,
      itemsUpsertedCount: expected,
      hadErrors: false,
    });
    const stats = (await engine.sim.admin.stats()).tenants[tenantId]!;
    expect(stats.byStatus['429'] ?? 0).toBeGreaterThan(0);
    const [row] = await queryRows<{ n: number }>(
      engine.db.admin,
      'SELECT count(*)::int AS n FROM inventory_items WHERE tenant_id = $1',
      [tenantId],
    );
    expect(row!.n).toBe(expected);
  });

  it('retries a throttled page only after the Retry-After Graph announced', async () => {
    const tenantId = await engine.addTenant({
      counts: { mobileApp: 3 },
      faults: [
        {
          kind: 'status',
          status: 429,
          retryAfter: 'seconds',
          retryAfterSeconds: 2,
          count: 1,
          type: 'mobileApp',
          page: 1,
        },
      ],
    });
    const started = await engine.client.startSync({ tenantId, selection: { policy_types: ['mobileApp'] } });
    const result = await engine.client.waitForSync(started.workflowId);
    expect(result).toMatchObject({ status: 'success', itemsObservedCount: 3 });
    expect((await engine.sim.admin.stats()).tenants[tenantId]!.byStatus).toEqual({ '200': 1, '429': 1 });

    // The page is asked again after the announced 2 s, not at once: the run (two requests of a
    // few ms each) lasts at least that long.
    const run = await engine.client.getRun(tenantId, result.runId);
    expect(run.finishedAt!.getTime() - run.startedAt.getTime()).toBeGreaterThanOrEqual(2_000);
  });

  it('records graph_throttled for a type throttled beyond GRAPH_THROTTLE_BUDGET, and goes on with the others', async () => {
    const tenantId = await engine.addTenant({
      faults: [
        { kind: 'status', status: 429, type: 'mobileApp', retryAfter: 'fractional', retryAfterSeconds: 0.05 },
      ],
    });
    // One failed attempt allowed, but throttled attempts do not count: the 2 s budget ends it.
    const local = await engine.startWorkers({ graphMaxAttempts: 1, graphThrottleBudgetMs: 2_000 });
    await workers!.stop();
    try {
      const started = await engine.client.startSync({ tenantId, selection });
      const result = await engine.client.waitForSync(started.workflowId);
      expect(result).toMatchObject({ status: 'partial', errorCodes: ['graph_throttled'] });
      expect((await engine.sim.admin.stats()).tenants[tenantId]!.byType.mobileApp).toBeGreaterThanOrEqual(2);
      const run = await engine.client.getRun(tenantId, result.runId);
      expect(JSON.stringify(run.errorContext)).toMatch(/gave up after throttled for \d+ s over \d+ attempts/);
    } finally {
      await local.stop();
      workers = await engine.startWorkers({ graphMaxAttempts: 20 });
    }
  });
});

function slowTenant(): Promise<string> {
  return engine.addTenant({
    counts: { deviceConfiguration: 20, mobileApp: 20 },
    pageSizes: { deviceConfiguration: 2, mobileApp: 2 },
    faults: [{ kind: 'latency', ms: 300 }],
  });
}

/** Items stored under the run so far. */
async function storedItemsOf(tenantId: string, runId: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    engine.db.admin,
    'SELECT count(*)::int AS n FROM inventory_items WHERE tenant_id = $1 AND last_seen_run_id = $2',
    [tenantId, runId],
  );
  return row!.n;
}

/** Items stored under the run, once neither Graph requests nor stored rows have changed for a while. */
async function settledItemsOf(tenantId: string, runId: string): Promise<number> {
  const sample = async () => ({
    items: await storedItemsOf(tenantId, runId),
    requests: (await engine.sim.admin.stats()).tenants[tenantId]?.graphRequests ?? 0,
  });
  let last = await sample();
  // Several times the simulator's latency: a page still running would answer and store within it.
  for (let quiet = 0; quiet < 1_500; quiet += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const next = await sample();
    if (next.items !== last.items || next.requests !== last.requests) quiet = 0;
    last = next;
  }
  return last.items;
}

describe('paging loops', () => {
  it('ends a type Graph pages in a loop with graph_paging_loop, counting what it stored, and goes on with the others', async () => {
    // Page 3 of mobileApp links back to page 2: the workflow's own guard (workflows/type-progress.ts)
    // must stop it, not the attempt budget or the page cap.
    const tenantId = await engine.addTenant({
      counts: { mobileApp: 20, deviceConfiguration: 4 },
      pageSizes: { mobileApp: 5 },
      faults: [{ kind: 'nextLinkLoop', type: 'mobileApp', page: 3 }],
    });
    const started = await engine.client.startSync({
      tenantId,
      selection: { policy_types: ['mobileApp', 'deviceConfiguration'] },
    });
    const result = await engine.client.waitForSync(started.workflowId);
    expect(result).toMatchObject({
      status: 'partial',
      errorCodes: ['graph_paging_loop'],
      // Pages 1–3 of mobileApp were stored before the loop showed; page 2 was not fetched again.
      itemsObservedCount: 15 + 4,
    });
    expect((await engine.sim.admin.stats()).tenants[tenantId]!.byType.mobileApp).toBe(3);
    const run = await engine.client.getRun(tenantId, result.runId);
    expect(run.errorContext).toMatchObject({
      types: { mobileApp: { code: 'graph_paging_loop', pagesCount: 3, itemsObservedCount: 15 } },
    });
  });
});

describe('ending a run from outside', () => {
  it('finalizes a cancelled run as failed with run_cancelled and the counts of what it stored', async () => {
    const tenantId = await slowTenant();
    const started = await engine.client.startSync({ tenantId, selection });
    const runId = await liveRunOf(tenantId);
    // Cancel mid-enumeration, once two pages (of 2 items) are stored, while the lanes read more.
    while ((await storedItemsOf(tenantId, runId)) < 4) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await engine.temporal.workflow.getHandle(started.workflowId).cancel();
    await expect(engine.client.waitForSync(started.workflowId)).rejects.toMatchObject({
      code: 'run_cancelled',
    });
    const stored = await settledItemsOf(tenantId, runId);
    const run = await runRow(tenantId, runId);
    expect(run).toMatchObject({ status: 'failed', hadErrors: true });
    expect(run.errorCodes).toContain('run_cancelled');
    expect(run.finishedAt).not.toBeNull();
    expect(stored).toBeGreaterThan(0);
    expect(run.itemsUpsertedCount).toBe(stored);
    expect(run.itemsObservedCount).toBe(stored);
  });

  it('counts the last page when it completes after the cancellation, and still ends cancelled', async () => {
    // One page, answered in 1 s: before any heartbeat could bring the cancellation to it.
    const tenantId = await engine.addTenant({
      counts: { mobileApp: 3 },
      faults: [{ kind: 'latency', ms: 1_000 }],
    });
    const started = await engine.client.startSync({ tenantId, selection: { policy_types: ['mobileApp'] } });
    const runId = await liveRunOf(tenantId);
    await waitForPageInFlight(engine.temporal, started.workflowId);
    await engine.temporal.workflow.getHandle(started.workflowId).cancel();
    await expect(engine.client.waitForSync(started.workflowId)).rejects.toMatchObject({
      code: 'run_cancelled',
    });
    const run = await runRow(tenantId, runId);
    expect(run).toMatchObject({ status: 'failed', itemsUpsertedCount: 3, errorCodes: ['run_cancelled'] });
    expect(await settledItemsOf(tenantId, runId)).toBe(3);
  });

  it('stops a page Graph never answers as soon as the cancellation reaches it', async () => {
    // Without the activity's cancellation signal the page would run into the 5 s request timeout.
    const tenantId = await engine.addTenant({ faults: [{ kind: 'hang', type: 'mobileApp' }] });
    const started = await engine.client.startSync({ tenantId, selection: { policy_types: ['mobileApp'] } });
    await waitForPageInFlight(engine.temporal, started.workflowId);
    const cancelledAt = Date.now();
    await engine.temporal.workflow.getHandle(started.workflowId).cancel();
    await expect(engine.client.waitForSync(started.workflowId)).rejects.toMatchObject({
      code: 'run_cancelled',
    });
    // The first heartbeat, 2 s into the page, brings the cancellation.
    expect(Date.now() - cancelledAt).toBeLessThan(3_500);
    expect((await engine.sim.admin.stats()).tenants[tenantId]!.byStatus).toEqual({ hang: 1 });
  });

  it('lets the reaper schedule mark a terminated run abandoned', async () => {
    const tenantId = await slowTenant();
    const started = await engine.client.startSync({ tenantId, selection });
    const runId = await liveRunOf(tenantId);
    await engine.temporal.workflow.getHandle(started.workflowId).terminate('test: terminated from outside');
    expect((await runRow(tenantId, runId)).status).toBe('running');

    await ensureReaperSchedule(engine.temporal, engine.taskQueue);
    const schedule = engine.temporal.schedule.getHandle(reaperScheduleId(engine.taskQueue));
    const description = await schedule.describe();
    expect(description.action).toMatchObject({ type: 'startWorkflow', workflowType: 'inventoryReaper' });
    await schedule.trigger();
    let run = await runRow(tenantId, runId);
    for (let i = 0; i < 300 && run.status === 'running'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      run = await runRow(tenantId, runId);
    }
    await schedule.delete();
    expect(run).toMatchObject({ status: 'failed', hadErrors: true });
    expect(run.errorCodes).toContain('run_abandoned');

    const again = await engine.client.startSync({ tenantId, selection });
    expect((await engine.client.waitForSync(again.workflowId)).status).toBe('success');
  });

  it('does not let a terminated run block the next start of its selection', async () => {
    const tenantId = await slowTenant();
    const started = await engine.client.startSync({ tenantId, selection });
    const runId = await liveRunOf(tenantId);
    await engine.temporal.workflow.getHandle(started.workflowId).terminate('test: terminated from outside');
    const again = await engine.client.startSync({ tenantId, selection });
    expect(again.joined).toBe(false);
    const result = await engine.client.waitForSync(again.workflowId);
    expect(result.status).toBe('success');
    const stale = await runRow(tenantId, runId);
    expect(stale.status).toBe('failed');
    expect(stale.errorCodes).toContain('run_abandoned');
  });
});
