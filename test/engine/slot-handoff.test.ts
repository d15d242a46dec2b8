/**
 * Slot handoff through the real engine: a run waiting for a concurrency slot is woken by the
 * `slotFreed` signal of the run that frees it, not by its fallback poll (30–60 s), and starts
 * within moments of that run's end; waiters start in order of arrival; a waiter whose workflow is
 * gone is forgotten and the next one woken instead; the cap holds throughout.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { activityTypeOf } from '../../bench/history-counts';
import { queryRows } from '../../db/sql';
import { type SyncRun } from '../../db/repositories/sync-runs';
import type { inventoryReaper } from '../../workflows';
import { startEngine, type Engine, type RunningWorkers } from '../support/engine';
import { liveRunCount, watchLiveRuns as watchRuns } from '../support/live-runs';

let engine: Engine;
let workers: RunningWorkers | undefined;

beforeAll(async () => {
  engine = await startEngine();
});
afterEach(async () => {
  await workers?.stop();
  workers = undefined;
});
afterAll(async () => {
  await engine?.close();
});

/** Far below the fallback poll's 30 s minimum, far above a signal's way on a busy machine. */
const HANDED_OVER_WITHIN_MS = 15_000;
const selection = { policy_types: ['deviceConfiguration', 'mobileApp'] };

/** A tenant whose syncs take seconds: every Graph request is slowed down by `ms`. */
function slowTenant(ms: number): Promise<string> {
  return engine.addTenant({
    counts: { deviceConfiguration: 6, mobileApp: 6 },
    pageSizes: { deviceConfiguration: 2, mobileApp: 2 },
    faults: [{ kind: 'latency', ms }],
  });
}

async function count(sql: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(engine.db.admin, sql);
  return row!.n;
}

const liveRuns = () => liveRunCount(engine.db.admin);
const waiters = () => count(`SELECT count(*)::int AS n FROM inventory_sync_slot_waiters`);

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  await expect.poll(check, { timeout: 30_000, interval: 25, message: what }).toBe(true);
}

const watchLiveRuns = () => watchRuns(engine.db.admin);

/** Starts a sync of `tenantId` and resolves once it is registered as a slot waiter. */
async function startWaiter(tenantId: string): Promise<string> {
  const before = await waiters();
  const { workflowId } = await engine.client.startSync({ tenantId, selection });
  await until(async () => (await waiters()) > before, `${workflowId} waits for a slot`);
  return workflowId;
}

async function finishedRun(tenantId: string, workflowId: string): Promise<SyncRun> {
  const result = await engine.client.waitForSync(workflowId);
  expect(result.status).toBe('success');
  return engine.client.getRun(tenantId, result.runId);
}

/** ms from the end of `before` to the start of `after`, both by the database's clock. */
function gap(before: SyncRun, after: SyncRun): number {
  return after.startedAt.getTime() - before.finishedAt!.getTime();
}

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

async function historyOf(workflowId: string): Promise<HistoryEvent[]> {
  return (await engine.temporal.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
}

const beginRuns = (events: HistoryEvent[]) => events.filter((e) => activityTypeOf(e) === 'beginRun').length;
const slotSignals = (events: HistoryEvent[]) =>
  events.filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'slotFreed').length;

describe('slot handoff', () => {
  it('starts a waiting run at once when the run holding the slot ends, woken by its signal', async () => {
    workers = await engine.startWorkers({ global: 1, perTenant: 1, slotWaitMs: 600_000 });
    const [a, b] = [await slowTenant(700), await slowTenant(100)];
    const watch = watchLiveRuns();
    const first = await engine.client.startSync({ tenantId: a, selection });
    await until(async () => (await liveRuns()) === 1, 'the first run started');
    const second = await startWaiter(b);

    const runA = await finishedRun(a, first.workflowId);
    const runB = await finishedRun(b, second);
    expect(await watch.stop()).toBe(1);
    expect(gap(runA, runB)).toBeGreaterThanOrEqual(0);
    expect(gap(runA, runB)).toBeLessThan(HANDED_OVER_WITHIN_MS);
    const history = await historyOf(second);
    // One begin that answered `wait`, then the one that started, woken by one signal; the wait's
    // fallback timer was cancelled, not fired.
    expect(beginRuns(history)).toBe(2);
    expect(slotSignals(history)).toBe(1);
    expect(history.filter((e) => e.timerCanceledEventAttributes).length).toBe(1);
    expect(history.filter((e) => e.timerFiredEventAttributes).length).toBe(0);
    expect(await waiters()).toBe(0);
    // A history with a signalled wait replays against the worker's workflow code.
    await Worker.runReplayHistory(
      { workflowBundle: { codePath: process.env.INVENTORY_TEST_WORKFLOW_BUNDLE! } },
      { events: history },
      second,
    );
  }, 120_000);

  it('starts three waiters one after another in their order of arrival, the cap held', async () => {
    workers = await engine.startWorkers({ global: 1, perTenant: 1, slotWaitMs: 600_000 });
    const holder = await slowTenant(1_500);
    const tenants = [await slowTenant(100), await slowTenant(100), await slowTenant(100)];
    const watch = watchLiveRuns();
    const first = await engine.client.startSync({ tenantId: holder, selection });
    await until(async () => (await liveRuns()) === 1, 'the first run started');
    const waiting: string[] = [];
    for (const tenantId of tenants) waiting.push(await startWaiter(tenantId));

    const runs = [await finishedRun(holder, first.workflowId)];
    for (const [i, tenantId] of tenants.entries()) runs.push(await finishedRun(tenantId, waiting[i]!));
    expect(await watch.stop()).toBe(1);
    for (let i = 1; i < runs.length; i++) {
      expect(gap(runs[i - 1]!, runs[i]!), `run ${i} after run ${i - 1}`).toBeGreaterThanOrEqual(0);
      expect(gap(runs[i - 1]!, runs[i]!), `run ${i} after run ${i - 1}`).toBeLessThan(HANDED_OVER_WITHIN_MS);
    }
    for (const workflowId of waiting) expect(slotSignals(await historyOf(workflowId))).toBeGreaterThan(0);
  }, 120_000);

  it('hands a tenant’s freed slot to that tenant’s waiting selection', async () => {
    workers = await engine.startWorkers({ global: 10, perTenant: 1, slotWaitMs: 600_000 });
    const tenantId = await engine.addTenant({
      counts: { deviceConfiguration: 6, mobileApp: 2 },
      pageSizes: { deviceConfiguration: 2, mobileApp: 2 },
      faults: [{ kind: 'latency', ms: 700 }],
    });
    const first = await engine.client.startSync({
      tenantId,
      selection: { policy_types: ['deviceConfiguration'] },
    });
    await until(async () => (await liveRuns()) === 1, 'the first run started');
    const before = await waiters();
    const other = await engine.client.startSync({ tenantId, selection: { policy_types: ['mobileApp'] } });
    await until(async () => (await waiters()) > before, 'the second selection waits for the tenant’s slot');

    const runFirst = await finishedRun(tenantId, first.workflowId);
    const runOther = await finishedRun(tenantId, other.workflowId);
    expect(gap(runFirst, runOther)).toBeGreaterThanOrEqual(0);
    expect(gap(runFirst, runOther)).toBeLessThan(HANDED_OVER_WITHIN_MS);
    expect(slotSignals(await historyOf(other.workflowId))).toBe(1);
  }, 120_000);

  it('skips a waiter when SYNC_SLOT_WAIT is spent, its fallback bounded by it, and forgets it', async () => {
    workers = await engine.startWorkers({ global: 1, perTenant: 1, slotWaitMs: 2_000 });
    const [holder, late] = [await slowTenant(1_500), await slowTenant(100)];
    const first = await engine.client.startSync({ tenantId: holder, selection });
    await until(async () => (await liveRuns()) === 1, 'the first run started');
    const waiting = await startWaiter(late);

    const result = await engine.client.waitForSync(waiting);
    expect(result).toMatchObject({ status: 'skipped', errorCodes: ['concurrency_limit_global'] });
    expect(await waiters()).toBe(0);
    // One wait, its timer at most the 2 s left rather than 30-60 s, then the begin that gave up.
    const history = await historyOf(waiting);
    expect(beginRuns(history)).toBe(2);
    const timers = history.flatMap((e) => e.timerStartedEventAttributes?.startToFireTimeout ?? []);
    expect(timers).toHaveLength(1);
    expect(Number(timers[0]!.seconds ?? 0)).toBeLessThanOrEqual(2);
    expect((await finishedRun(holder, first.workflowId)).status).toBe('success');
  }, 120_000);

  it('hands over the slot of a run the reaper marks abandoned', async () => {
    workers = await engine.startWorkers({ global: 1, perTenant: 1, slotWaitMs: 600_000 });
    const [holder, next] = [await slowTenant(1_500), await slowTenant(100)];
    const first = await engine.client.startSync({ tenantId: holder, selection });
    await until(async () => (await liveRuns()) === 1, 'the first run started');
    const waiting = await startWaiter(next);
    await engine.temporal.workflow.getHandle(first.workflowId).terminate('test: a run that never finalizes');
    const reaped = await engine.temporal.workflow.execute<typeof inventoryReaper>('inventoryReaper', {
      taskQueue: engine.taskQueue,
      workflowId: `reaper-${first.workflowId}`,
      args: [],
    });
    expect(reaped).toMatchObject({ abandoned: 1 });

    const runNext = await finishedRun(next, waiting);
    const [abandoned] = (await engine.client.listRuns(holder)).runs;
    expect(abandoned).toMatchObject({ status: 'failed', errorCodes: ['run_abandoned'] });
    expect(gap(abandoned!, runNext)).toBeGreaterThanOrEqual(0);
    expect(gap(abandoned!, runNext)).toBeLessThan(HANDED_OVER_WITHIN_MS);
    expect(slotSignals(await historyOf(waiting))).toBe(1);
  }, 120_000);

  it('forgets a waiter whose workflow was terminated and wakes the next one', async () => {
    workers = await engine.startWorkers({ global: 1, perTenant: 1, slotWaitMs: 600_000 });
    const holder = await slowTenant(1_000);
    const [gone, next] = [await slowTenant(100), await slowTenant(100)];
    const watch = watchLiveRuns();
    const first = await engine.client.startSync({ tenantId: holder, selection });
    await until(async () => (await liveRuns()) === 1, 'the first run started');
    const terminated = await startWaiter(gone);
    const woken = await startWaiter(next);
    await engine.temporal.workflow.getHandle(terminated).terminate('test: a waiter that is gone');

    const runA = await finishedRun(holder, first.workflowId);
    const runNext = await finishedRun(next, woken);
    expect(await watch.stop()).toBe(1);
    expect(gap(runA, runNext)).toBeLessThan(HANDED_OVER_WITHIN_MS);
    expect(slotSignals(await historyOf(woken))).toBe(1);
    expect(await waiters()).toBe(0);
    const { runs } = await engine.client.listRuns(gone);
    expect(runs).toEqual([]);
  }, 120_000);
});
