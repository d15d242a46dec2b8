/**
 * The engine under Graph throttling, cancellation and termination: exact counts through 429
 * storms, cancelled runs finalized as failed/run_cancelled, and terminated runs closed by the
 * reaper schedule (or by the next start of the same selection) as failed/run_abandoned.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/sql';
import { reaperScheduleId } from '../../inventory/workflow-ids';
import { ensureReaperSchedule } from '../../worker/reaper-schedule';
import { startEngine, type Engine, type RunningWorkers } from '../support/engine';

let engine: Engine;
let workers: RunningWorkers | undefined;

beforeAll(async () => {
  engine = await startEngine();
  workers = await engine.startWorkers({ pageAttempts: 20 });
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
      itemsObserved: expected,
      itemsUpserted: expected,
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

  it('records graph_throttled for a type whose retries run out, and goes on with the others', async () => {
    const tenantId = await engine.addTenant({
      faults: [
        { kind: 'status', status: 429, type: 'mobileApp', retryAfter: 'fractional', retryAfterSeconds: 0.05 },
      ],
    });
    const local = await engine.startWorkers({ pageAttempts: 3 });
    await workers!.stop();
    try {
      const started = await engine.client.startSync({ tenantId, selection });
      const result = await engine.client.waitForSync(started.workflowId);
      expect(result).toMatchObject({ status: 'partial', errorCodes: ['graph_throttled'] });
      expect((await engine.sim.admin.stats()).tenants[tenantId]!.byType.mobileApp).toBe(3);
    } finally {
      await local.stop();
      workers = await engine.startWorkers({ pageAttempts: 20 });
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

describe('ending a run from outside', () => {
  it('finalizes a cancelled run as failed with run_cancelled and the counts so far', async () => {
    const tenantId = await slowTenant();
    const started = await engine.client.startSync({ tenantId, selection });
    const runId = await liveRunOf(tenantId);
    await engine.temporal.workflow.getHandle(started.workflowId).cancel();
    await expect(engine.client.waitForSync(started.workflowId)).rejects.toMatchObject({
      code: 'run_cancelled',
    });
    const run = await runRow(tenantId, runId);
    expect(run).toMatchObject({ status: 'failed', hadErrors: true });
    expect(run.errorCodes).toContain('run_cancelled');
    expect(run.finishedAt).not.toBeNull();
    const [row] = await queryRows<{ n: number }>(
      engine.db.admin,
      'SELECT count(*)::int AS n FROM inventory_items WHERE tenant_id = $1',
      [tenantId],
    );
    expect(run.itemsUpsertedCount).toBe(row!.n);
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
