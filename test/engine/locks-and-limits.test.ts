/**
 * The lock (workflow ID, then the run table's partial unique index) and the concurrency caps,
 * observed through run rows written by the real engine.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/sql';
import { syncWorkflowId } from '../../inventory/workflow-ids';
import { type SyncLimits } from '../../activities';
import { startEngine, type Engine, type RunningWorkers } from '../support/engine';
import { watchLiveRuns as watchRuns } from '../support/live-runs';

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

async function useWorkers(limits: Partial<SyncLimits>): Promise<void> {
  workers = await engine.startWorkers(limits);
}

/** A tenant whose syncs take a few seconds: every Graph request is slowed down. */
function slowTenant(ms = 700): Promise<string> {
  return engine.addTenant({
    counts: { deviceConfiguration: 6, mobileApp: 6 },
    pageSizes: { deviceConfiguration: 2, mobileApp: 2 },
    faults: [{ kind: 'latency', ms }],
  });
}

/** Live run rows, of one tenant or of all. */
const watchLiveRuns = (tenantId?: string) => watchRuns(engine.db.admin, tenantId);

async function waitUntilRunning(tenantId: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const [row] = await queryRows<{ n: number }>(
      engine.db.admin,
      `SELECT count(*)::int AS n FROM inventory_sync_runs WHERE tenant_id = $1 AND status = 'running'`,
      [tenantId],
    );
    if (row!.n > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no running run for ${tenantId}`);
}

const selection = { policy_types: ['deviceConfiguration', 'mobileApp'] };

describe('the lock', () => {
  it('joins a second start of a running selection: one execution, one run row', async () => {
    await useWorkers({});
    const tenantId = await slowTenant();
    const first = await engine.client.startSync({ tenantId, selection });
    await waitUntilRunning(tenantId);
    const second = await engine.client.startSync({
      tenantId,
      selection: { policy_types: ['mobileApp', 'deviceConfiguration'] },
    });
    expect(first.joined).toBe(false);
    expect(second).toMatchObject({
      joined: true,
      workflowId: first.workflowId,
      executionRunId: first.executionRunId,
    });
    const result = await engine.client.waitForSync(first.workflowId);
    expect(result.status).toBe('success');
    const { runs } = await engine.client.listRuns(tenantId);
    expect(runs).toHaveLength(1);
  });

  it('records lock_held for a start under another workflow ID while the selection is live', async () => {
    await useWorkers({});
    const tenantId = await slowTenant();
    const first = await engine.client.startSync({ tenantId, selection });
    await waitUntilRunning(tenantId);
    const foreign = await engine.temporal.workflow.start('inventorySync', {
      taskQueue: engine.taskQueue,
      workflowId: `some-other-id-${tenantId}`,
      args: [{ tenantId, selection }],
    });
    const skipped = await engine.client.waitForSync(foreign.workflowId);
    expect(skipped).toMatchObject({ status: 'skipped', errorCodes: ['lock_held'], hadErrors: true });
    const row = await engine.client.getRun(tenantId, skipped.runId);
    const firstResult = await engine.client.waitForSync(first.workflowId);
    expect(row).toMatchObject({
      status: 'skipped',
      errorCodes: ['lock_held'],
      errorContext: { heldBy: firstResult.runId },
    });
    expect(firstResult.status).toBe('success');
  });
});

describe('concurrency caps', () => {
  it('never runs more than the global cap; the rest are skipped with concurrency_limit_global', async () => {
    await useWorkers({ global: 3, perTenant: 2 });
    const tenants = await Promise.all(Array.from({ length: 8 }, () => slowTenant(400)));
    const watch = watchLiveRuns();
    const starts = await Promise.all(
      tenants.map((tenantId) => engine.client.startSync({ tenantId, selection })),
    );
    const results = await Promise.all(starts.map((s) => engine.client.waitForSync(s.workflowId)));
    const maxLive = await watch.stop();

    expect(maxLive).toBeLessThanOrEqual(3);
    expect(maxLive).toBeGreaterThan(0);
    const skipped = results.filter((r) => r.status === 'skipped');
    const succeeded = results.filter((r) => r.status === 'success');
    expect(skipped.length + succeeded.length).toBe(8);
    expect(succeeded.length).toBeGreaterThanOrEqual(3);
    expect(skipped.length).toBeGreaterThanOrEqual(1);
    for (const r of skipped) expect(r.errorCodes).toEqual(['concurrency_limit_global']);
    const [row] = await queryRows<{ n: number }>(
      engine.db.admin,
      `SELECT count(*)::int AS n FROM inventory_sync_runs WHERE status = 'skipped' AND had_errors AND error_codes = '{concurrency_limit_global}'`,
    );
    expect(row!.n).toBe(skipped.length);
  });

  it('never runs more than the per-tenant cap of one tenant’s selections at once', async () => {
    await useWorkers({ global: 10, perTenant: 2 });
    const tenantId = await engine.addTenant({
      counts: { deviceConfiguration: 4, mobileApp: 4, assignmentFilter: 4, deviceCompliancePolicy: 4 },
      pageSizes: { deviceConfiguration: 2, mobileApp: 2, assignmentFilter: 2, deviceCompliancePolicy: 2 },
      faults: [{ kind: 'latency', ms: 700 }],
    });
    const selections = [
      { policy_types: ['deviceConfiguration'] },
      { policy_types: ['mobileApp'] },
      { policy_types: ['assignmentFilter'] },
      { policy_types: ['deviceCompliancePolicy'] },
      { categories: ['updates'] },
    ];
    const watch = watchLiveRuns(tenantId);
    const starts = await Promise.all(
      selections.map((selection) => engine.client.startSync({ tenantId, selection })),
    );
    const results = await Promise.all(starts.map((s) => engine.client.waitForSync(s.workflowId)));
    const maxLive = await watch.stop();

    expect(maxLive).toBeGreaterThan(0);
    expect(maxLive).toBeLessThanOrEqual(2);
    const succeeded = results.filter((r) => r.status === 'success');
    const skipped = results.filter((r) => r.status === 'skipped');
    expect(succeeded.length + skipped.length).toBe(selections.length);
    expect(succeeded.length).toBeGreaterThanOrEqual(1);
    expect(skipped.length).toBeGreaterThanOrEqual(selections.length - 2);
    for (const r of skipped) expect(r.errorCodes).toEqual(['concurrency_limit_tenant']);
  });

  it('skips a second selection of a busy tenant with concurrency_limit_tenant', async () => {
    await useWorkers({ global: 10, perTenant: 1 });
    const tenantId = await slowTenant();
    const first = await engine.client.startSync({ tenantId, selection });
    await waitUntilRunning(tenantId);
    const other = await engine.client.startSync({ tenantId, selection: { categories: ['updates'] } });
    expect(other.workflowId).toBe(syncWorkflowId(tenantId, other.selectionHash));
    const otherResult = await engine.client.waitForSync(other.workflowId);
    expect(otherResult).toMatchObject({ status: 'skipped', errorCodes: ['concurrency_limit_tenant'] });
    const row = await engine.client.getRun(tenantId, otherResult.runId);
    expect(row.errorContext).toMatchObject({ limit: 1, running: 1 });
    expect((await engine.client.waitForSync(first.workflowId)).status).toBe('success');
  });

  it('waits for a slot instead of skipping when SYNC_SLOT_WAIT allows it', async () => {
    await useWorkers({ global: 1, perTenant: 1, slotWaitMs: 60_000 });
    const [a, b] = await Promise.all([slowTenant(), slowTenant()]);
    const first = await engine.client.startSync({ tenantId: a, selection });
    await waitUntilRunning(a);
    const watch = watchLiveRuns();
    const second = await engine.client.startSync({ tenantId: b, selection });
    let sawWaiting = false;
    const secondResult = await engine.client.waitForSync(second.workflowId, {
      pollMs: 50,
      onProgress: (p) => {
        sawWaiting ||= p.phase === 'waiting_for_slot';
      },
    });
    const firstResult = await engine.client.waitForSync(first.workflowId);
    expect(await watch.stop()).toBeLessThanOrEqual(1);
    expect(sawWaiting).toBe(true);
    expect(firstResult.status).toBe('success');
    expect(secondResult.status).toBe('success');
  });
});
