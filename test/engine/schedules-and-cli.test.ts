/**
 * Ways in other than the client's startSync: a Temporal Schedule (its trigger workflow runs the
 * sync under the derived ID, so it shares the lock and joins a manual sync already running) and a raw `temporal workflow start` from the
 * Temporal CLI with the hash from `inventory selection-hash`, as the README shows. Also the exit
 * code of `inventory sync start --wait`, which scripts rely on.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SyncNotFoundError } from '../../client';
import { resolveTemporalCli } from '../../dev/temporal-dev-server';
import { ERROR_CODES } from '../../inventory/error-codes';
import { parseSelection } from '../../inventory/selection';
import { selectionHash } from '../../inventory/selection-hash';
import { syncWorkflowId } from '../../inventory/workflow-ids';
import { queryRows } from '../../db/sql';
import { runCli } from '../support/cli';
import { useEngine, waitForPageInFlight } from '../support/engine';
import { untilScheduleListed } from '../support/schedules';

const run = promisify(execFile);
const BIN = resolve(__dirname, '../../bin/inventory.js');
const ctx = useEngine();

async function resultOf(workflowId: string) {
  for (let i = 0; i < 200; i++) {
    try {
      return await ctx.engine.client.waitForSync(workflowId);
    } catch (error) {
      if (!(error instanceof SyncNotFoundError)) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`${workflowId} never started`);
}

describe('schedules', () => {
  it('runs the sync under the derived workflow ID, and can be listed and deleted', async () => {
    const tenantId = await ctx.engine.addTenant();
    const selection = { categories: ['compliance'] };
    const created = await ctx.engine.client.createSchedule({
      tenantId,
      selection,
      every: '6h',
      jitter: '10m',
    });
    expect(created.created).toBe(true);
    expect((await ctx.engine.client.createSchedule({ tenantId, selection, every: '4h' })).created).toBe(
      false,
    );

    await untilScheduleListed(ctx.engine.temporal, created.scheduleId);
    const listed = await ctx.engine.client.listSchedules(tenantId);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      scheduleId: created.scheduleId,
      tenantId,
      every: '4h',
      jitter: null,
      paused: false,
    });

    await ctx.engine.temporal.schedule.getHandle(created.scheduleId).trigger();
    const hash = selectionHash(parseSelection(selection));
    expect(created.scheduleId.endsWith(`:${hash}`)).toBe(true);
    const result = await resultOf(syncWorkflowId(tenantId, hash));
    expect(result.status).toBe('success');
    expect(result.selectionHash).toBe(hash);

    await ctx.engine.client.deleteSchedule({ tenantId, selection });
    expect(await ctx.engine.client.listSchedules(tenantId)).toEqual([]);
    await expect(ctx.engine.client.deleteSchedule({ tenantId, selection })).rejects.toMatchObject({
      code: 'schedule_not_found',
    });
  });

  it('lists the interval and jitter the schedule has now, after an update from outside', async () => {
    const tenantId = await ctx.engine.addTenant();
    const created = await ctx.engine.client.createSchedule({
      tenantId,
      selection: { categories: ['apps'] },
      every: '6h',
      jitter: '10m',
    });
    await untilScheduleListed(ctx.engine.temporal, created.scheduleId);
    expect(await ctx.engine.client.listSchedules(tenantId)).toMatchObject([
      { scheduleId: created.scheduleId, every: '6h', jitter: '10m' },
    ]);
    await ctx.engine.temporal.schedule.getHandle(created.scheduleId).update((previous) => ({
      ...previous,
      spec: { ...previous.spec, intervals: [{ every: '2h' }], jitter: '5m' },
    }));
    expect(await ctx.engine.client.listSchedules(tenantId)).toMatchObject([
      { scheduleId: created.scheduleId, every: '2h', jitter: '5m' },
    ]);
    await ctx.engine.client.deleteSchedule({ scheduleId: created.scheduleId });
  });

  it('a trigger firing while a manual sync of the selection runs joins it instead of starting another', async () => {
    // Slow Graph answers keep the manual sync running while the schedule fires.
    const tenantId = await ctx.engine.addTenant({
      counts: { mobileApp: 40 },
      pageSizes: { mobileApp: 5 },
      faults: [{ kind: 'latency', ms: 500 }],
    });
    const selection = { policy_types: ['mobileApp'] };
    const manual = await ctx.engine.client.startSync({ tenantId, selection });
    await waitForPageInFlight(ctx.engine.temporal, manual.workflowId);

    const { scheduleId } = await ctx.engine.client.createSchedule({ tenantId, selection, every: '1h' });
    const schedule = ctx.engine.temporal.schedule.getHandle(scheduleId);
    await schedule.trigger();
    let triggerId: string | undefined;
    for (let i = 0; i < 200 && !triggerId; i++) {
      triggerId = (await schedule.describe()).info.recentActions[0]?.action.workflow.workflowId;
      if (!triggerId) await new Promise((r) => setTimeout(r, 50));
    }
    const trigger: unknown = await ctx.engine.temporal.workflow.getHandle(triggerId!).result();
    expect(trigger).toEqual({ outcome: 'already_running', workflowId: manual.workflowId });
    // It returned while the manual sync was still running, and that execution is the only one.
    const { status, runId } = await ctx.engine.temporal.workflow.getHandle(manual.workflowId).describe();
    expect(status.name).toBe('RUNNING');
    expect(runId).toBe(manual.executionRunId);

    expect((await ctx.engine.client.waitForSync(manual.workflowId)).status).toBe('success');
    const { runs } = await ctx.engine.client.listRuns(tenantId);
    expect(runs).toHaveLength(1);
    await schedule.delete();
  });

  it('rejects intervals that are too short or jitter that is too long', async () => {
    const tenantId = await ctx.engine.addTenant();
    await expect(
      ctx.engine.client.createSchedule({ tenantId, selection: { categories: ['apps'] }, every: '10s' }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(
      ctx.engine.client.createSchedule({
        tenantId,
        selection: { categories: ['apps'] },
        every: '1h',
        jitter: '2h',
      }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await ctx.engine.client.listSchedules(tenantId)).toEqual([]);
  });
});

describe('the Temporal CLI', () => {
  it('starts a sync with the derived ID and input from the README, and the run gets its search attributes', async () => {
    const tenantId = await ctx.engine.addTenant();
    const { stdout: hashOut } = await run(process.execPath, [
      BIN,
      'selection-hash',
      '--types',
      'deviceConfiguration,deviceCompliancePolicy',
    ]);
    const hash = hashOut.trim();
    expect(hash).toBe('0b1e890b43056bc8b98d55f3f4967dc667984b20fb08c11d72e6d878bdb5410a');
    const workflowId = `inventory-sync:${tenantId}:${hash}`;
    await run(resolveTemporalCli(), [
      'workflow',
      'start',
      '--address',
      process.env.INVENTORY_TEST_TEMPORAL_ADDRESS!,
      '--type',
      'inventorySync',
      '--task-queue',
      ctx.engine.taskQueue,
      '--workflow-id',
      workflowId,
      '--input',
      JSON.stringify({
        tenantId,
        selection: { policy_types: ['deviceConfiguration', 'deviceCompliancePolicy'] },
      }),
    ]);
    const result = await resultOf(workflowId);
    expect(result).toMatchObject({ status: 'success', selectionHash: hash });
    const description = await ctx.engine.temporal.workflow.getHandle(workflowId).describe();
    expect(description.typedSearchAttributes.getAll().map((p) => [p.key.name, p.value])).toEqual(
      expect.arrayContaining([
        ['TenantId', tenantId],
        ['SelectionHash', hash],
      ]),
    );
    expect(description.memo).toMatchObject({ selectionHash: hash });
  });
});

describe('inventory sync start --wait', () => {
  async function liveRuns(tenantId: string): Promise<number> {
    const [row] = await queryRows<{ n: number }>(
      ctx.engine.db.admin,
      `SELECT count(*)::int AS n FROM inventory_sync_runs WHERE tenant_id = $1 AND status = 'running'`,
      [tenantId],
    );
    return row!.n;
  }

  it('exits 1 with the code and its hint when the run is skipped', async () => {
    const tenantId = await ctx.engine.addTenant({
      counts: { deviceConfiguration: 4, mobileApp: 4 },
      pageSizes: { deviceConfiguration: 2, mobileApp: 2 },
      faults: [{ kind: 'latency', ms: 3_000 }],
    });
    // Two live selections fill the tenant's slots (the per-tenant cap is 2).
    const busy = await Promise.all(
      [['deviceConfiguration'], ['mobileApp']].map((policy_types) =>
        ctx.engine.client.startSync({ tenantId, selection: { policy_types } }),
      ),
    );
    while ((await liveRuns(tenantId)) < 2) await new Promise((r) => setTimeout(r, 25));

    const result = await runCli(ctx.engine, [
      'sync',
      'start',
      '--tenant',
      tenantId,
      '--types',
      'assignmentFilter',
      '--wait',
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^run \S+ skipped: .*errors: concurrency_limit_tenant$/m);
    // After the progress display's last line: the error line and its hint.
    expect(result.stderr).toMatch(
      /^error \[concurrency_limit_tenant\]: run \S+ skipped: the per-tenant limit .*\n {2}hint: raise SYNC_MAX_CONCURRENT_PER_TENANT/m,
    );
    for (const started of busy) {
      expect((await ctx.engine.client.waitForSync(started.workflowId)).status).toBe('success');
    }
  });

  it('exits 1 when the run fails, also with --json', async () => {
    const tenantId = await ctx.engine.addTenant({ consentedClients: [] });
    const result = await runCli(ctx.engine, [
      'sync',
      'start',
      '--tenant',
      tenantId,
      '--categories',
      'apps',
      '--wait',
      '--json',
    ]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      result: { status: 'failed', errorCodes: ['auth_failed'] },
    });
    expect(JSON.parse(result.stderr)).toMatchObject({
      error: { code: 'auth_failed', hint: ERROR_CODES.auth_failed.hint },
    });
  });

  it('exits 0 when the run succeeds', async () => {
    const tenantId = await ctx.engine.addTenant();
    const result = await runCli(ctx.engine, [
      'sync',
      'start',
      '--tenant',
      tenantId,
      '--categories',
      'apps',
      '--wait',
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain('error');
    expect(result.stdout).toMatch(/^run \S+ success: /m);
  });
});
