/**
 * How each policy type of a run ended, end to end through Temporal, PostgreSQL and the Graph
 * simulator: complete types with their new, changed and unchanged items across two syncs; Graph's
 * refusals (a permission not granted, a licence missing); a cancelled run; failures of the whole
 * tenant (no token, no Intune) and the types never asked for after them; and "missing" answers
 * that tell items of completely enumerated types from unverified ones, in the client and the CLI.
 * One type at a time, so which type is running, done or never started is certain.
 */
import { describe, expect, it } from 'vitest';
import { type SyncRun, type SyncRunType } from '../../client';
import { type PolicyType } from '../../inventory/policy-types';
import { parseSelection, selectionScope } from '../../inventory/selection';
import { runCli } from '../support/cli';
import { useEngine } from '../support/engine';

const ctx = useEngine({ limits: { typeConcurrency: 1 } });

async function sync(tenantId: string, selection: { policy_types?: string[]; categories?: string[] }) {
  const started = await ctx.engine.client.startSync({ tenantId, selection });
  return ctx.engine.client.waitForSync(started.workflowId);
}

async function typesOf(tenantId: string, runId: string): Promise<Record<string, SyncRunType>> {
  const rows = await ctx.engine.client.getRunTypes(tenantId, runId);
  return Object.fromEntries(rows.map((row) => [row.policyType, row]));
}

/** A type's end lies within its run (the workflow's clock and the database's, a second apart at most). */
function expectEndedWithin(type: SyncRunType, run: SyncRun): void {
  expect(type.finishedAt).toBeInstanceOf(Date);
  expect(type.finishedAt!.getTime()).toBeGreaterThanOrEqual(run.startedAt.getTime() - 1_000);
  expect(type.finishedAt!.getTime()).toBeLessThanOrEqual(run.finishedAt!.getTime() + 1_000);
}

describe('complete types', () => {
  it('count every item new on the first sync, then one new, one changed and the rest unchanged', async () => {
    const tenantId = await ctx.engine.addTenant({
      counts: { deviceConfiguration: 25, mobileApp: 12 },
      pageSizes: { deviceConfiguration: 10 },
    });
    const selection = { policy_types: ['deviceConfiguration', 'mobileApp'] };
    const first = await sync(tenantId, selection);
    expect(first).toMatchObject({
      status: 'success',
      itemsUpsertedCount: 37,
      itemsNewCount: 37,
      itemsChangedCount: 0,
      itemsUnchangedCount: 0,
    });
    const firstRun = await ctx.engine.client.getRun(tenantId, first.runId);
    const firstTypes = await typesOf(tenantId, first.runId);
    expect(firstTypes.deviceConfiguration).toMatchObject({
      tenantId,
      runId: first.runId,
      outcome: 'complete',
      errorCode: null,
      pagesCount: 3,
      itemsObservedCount: 25,
      itemsNewCount: 25,
    });
    expect(firstTypes.mobileApp).toMatchObject({ outcome: 'complete', itemsNewCount: 12 });
    for (const type of Object.values(firstTypes)) expectEndedWithin(type, firstRun);

    const apps = await ctx.engine.sim.admin.listItems(tenantId, 'mobileApp');
    await ctx.engine.sim.admin.renameItem(tenantId, 'mobileApp', apps[3]!.id, 'Renamed app');
    await ctx.engine.sim.admin.addItems(tenantId, 'deviceConfiguration', 1);
    const second = await sync(tenantId, selection);
    expect(second).toMatchObject({
      status: 'success',
      itemsUpsertedCount: 38,
      itemsNewCount: 1,
      itemsChangedCount: 1,
      itemsUnchangedCount: 36,
    });
    expect(await ctx.engine.client.getRun(tenantId, second.runId)).toMatchObject({
      itemsUpsertedCount: 38,
      itemsNewCount: 1,
      itemsChangedCount: 1,
      itemsUnchangedCount: 36,
    });
    const secondTypes = await typesOf(tenantId, second.runId);
    expect(secondTypes.deviceConfiguration).toMatchObject({
      itemsNewCount: 1,
      itemsChangedCount: 0,
      itemsUnchangedCount: 25,
    });
    expect(secondTypes.mobileApp).toMatchObject({
      itemsNewCount: 0,
      itemsChangedCount: 1,
      itemsUnchangedCount: 11,
    });

    const runs = await runCli(ctx.engine, ['runs', '--tenant', tenantId]);
    expect(runs.stdout).toMatch(/items_new_count\s+items_changed_count\s+items_unchanged_count/);
    expect(runs.stdout).toMatch(new RegExp(`${second.runId} .*\\b38\\s+1\\s+1\\s+36\\b`));
    const json = JSON.parse((await runCli(ctx.engine, ['runs', '--tenant', tenantId, '--json'])).stdout) as {
      runs: Array<Record<string, unknown>>;
    };
    expect(json.runs[0]).toMatchObject({ itemsNewCount: 1, itemsChangedCount: 1, itemsUnchangedCount: 36 });
  });
});

describe('types that did not complete', () => {
  it('are forbidden and not licensed when Graph refuses them, beside a complete one (partial)', async () => {
    const tenantId = await ctx.engine.addTenant({
      forbiddenTypes: ['deviceCompliancePolicy'],
      unlicensedTypes: ['windowsFeatureUpdateProfile'],
    });
    const result = await sync(tenantId, {
      policy_types: ['deviceConfiguration', 'deviceCompliancePolicy', 'windowsFeatureUpdateProfile'],
    });
    expect(result).toMatchObject({
      status: 'partial',
      errorCodes: ['graph_forbidden', 'graph_not_licensed'],
    });
    const run = await ctx.engine.client.getRun(tenantId, result.runId);
    const types = await typesOf(tenantId, result.runId);
    expect(types.deviceConfiguration).toMatchObject({ outcome: 'complete', errorCode: null });
    expect(types.deviceCompliancePolicy).toMatchObject({
      outcome: 'forbidden',
      errorCode: 'graph_forbidden',
      pagesCount: 0,
      itemsObservedCount: 0,
    });
    expect(types.windowsFeatureUpdateProfile).toMatchObject({
      outcome: 'not_licensed',
      errorCode: 'graph_not_licensed',
      pagesCount: 0,
    });
    for (const type of Object.values(types)) expectEndedWithin(type, run);
  });

  it('are cancelled when the run is: the one running dated, the one never started not', async () => {
    const selection = { policy_types: ['deviceConfiguration', 'deviceCompliancePolicy', 'mobileApp'] };
    const scope = selectionScope(parseSelection(selection));
    const [done, hanging, pending] = scope as [PolicyType, PolicyType, PolicyType];
    const tenantId = await ctx.engine.addTenant({ faults: [{ kind: 'hang', type: hanging }] });
    const started = await ctx.engine.client.startSync({ tenantId, selection });
    // The hanging type's page has reached Graph (the progress query learns of it only when the
    // activity reading it reports).
    await expect
      .poll(async () => (await ctx.engine.sim.admin.stats()).tenants[tenantId]?.byType[hanging] ?? 0, {
        timeout: 20_000,
        interval: 50,
      })
      .toBeGreaterThan(0);
    await ctx.engine.temporal.workflow.getHandle(started.workflowId).cancel();
    await expect(ctx.engine.client.waitForSync(started.workflowId)).rejects.toMatchObject({
      code: 'run_cancelled',
    });
    const [run] = (await ctx.engine.client.listRuns(tenantId)).runs;
    expect(run).toMatchObject({ status: 'failed', errorCodes: ['run_cancelled'] });
    const types = await typesOf(tenantId, run!.id);
    expect(types[done]).toMatchObject({ outcome: 'complete', errorCode: null });
    expect(types[hanging]).toMatchObject({ outcome: 'cancelled', errorCode: 'run_cancelled', pagesCount: 0 });
    expectEndedWithin(types[hanging]!, run!);
    expect(types[pending]).toMatchObject({
      outcome: 'cancelled',
      errorCode: 'run_cancelled',
      finishedAt: null,
    });
  });

  it('are not attempted after the tenant turned out to have no token: only the first was asked', async () => {
    const selection = { policy_types: ['deviceConfiguration', 'mobileApp', 'assignmentFilter'] };
    const [first, ...rest] = selectionScope(parseSelection(selection));
    const tenantId = await ctx.engine.addTenant({ consentedClients: [] });
    const result = await sync(tenantId, selection);
    expect(result).toMatchObject({ status: 'failed', errorCodes: ['auth_failed'] });
    const types = await typesOf(tenantId, result.runId);
    expect(types[first!]).toMatchObject({ outcome: 'failed', errorCode: 'auth_failed' });
    expect(types[first!]!.finishedAt).toBeInstanceOf(Date);
    for (const type of rest) {
      expect(types[type]).toMatchObject({
        outcome: 'not_attempted',
        errorCode: 'auth_failed',
        finishedAt: null,
      });
    }
  });

  it('are not attempted after Graph said the tenant has no Intune, while Conditional Access is read', async () => {
    const selection = {
      policy_types: ['conditionalAccessPolicy', 'deviceConfiguration', 'mobileApp', 'vppToken'],
    };
    const intune = selectionScope(parseSelection(selection)).filter(
      (type) => type !== 'conditionalAccessPolicy',
    );
    const tenantId = await ctx.engine.addTenant({ intuneProvisioned: false });
    const result = await sync(tenantId, selection);
    expect(result).toMatchObject({ status: 'partial', errorCodes: ['intune_not_provisioned'] });
    const types = await typesOf(tenantId, result.runId);
    expect(types.conditionalAccessPolicy).toMatchObject({ outcome: 'complete' });
    const [asked, ...skipped] = intune;
    expect(types[asked!]).toMatchObject({ outcome: 'failed', errorCode: 'intune_not_provisioned' });
    for (const type of skipped) {
      expect(types[type]).toMatchObject({
        outcome: 'not_attempted',
        errorCode: 'intune_not_provisioned',
        finishedAt: null,
      });
    }
  });
});

describe('missing items per type', () => {
  it('tells items of a completely enumerated type from unverified ones in one answer; confidence stays the run rule', async () => {
    const tenantId = await ctx.engine.addTenant({
      counts: { deviceConfiguration: 5, deviceCompliancePolicy: 4 },
    });
    const selection = { policy_types: ['deviceConfiguration', 'deviceCompliancePolicy'] };
    expect((await sync(tenantId, selection)).status).toBe('success');
    const [gone] = await ctx.engine.sim.admin.listItems(tenantId, 'deviceConfiguration');
    await ctx.engine.sim.admin.deleteItems(tenantId, 'deviceConfiguration', [gone!.id]);
    await ctx.engine.sim.admin.setFaults(tenantId, [
      { kind: 'status', status: 403, type: 'deviceCompliancePolicy' },
    ]);
    const basis = await sync(tenantId, selection);
    expect(basis).toMatchObject({ status: 'partial', errorCodes: ['graph_forbidden'] });

    const all = await ctx.engine.client.listMissing(tenantId, selection);
    if (all.basis === null) throw new Error('expected a basis');
    // The run-level rule, as before: the basis is partial, so the answer is low confidence.
    expect(all).toMatchObject({
      basis: { runId: basis.runId, status: 'partial' },
      confidence: 'low',
      unverifiedTypes: ['deviceCompliancePolicy'],
      omittedUnverifiedCount: 0,
    });
    const flags = all.items.map((item) => [item.policyType, item.typeComplete]);
    expect(flags.filter(([, complete]) => complete)).toEqual([['deviceConfiguration', true]]);
    expect(flags.filter(([, complete]) => !complete)).toHaveLength(4);
    expect(all.items.find((item) => item.typeComplete)?.externalId).toBe(gone!.id);

    const verified = await ctx.engine.client.listMissing(tenantId, selection, { includeUnverified: false });
    if (verified.basis === null) throw new Error('expected a basis');
    expect(verified.items.map((item) => item.externalId)).toEqual([gone!.id]);
    expect(verified).toMatchObject({ confidence: 'low', omittedUnverifiedCount: 4 });

    const args = ['missing', '--tenant', tenantId, '--types', 'deviceConfiguration,deviceCompliancePolicy'];
    const human = await runCli(ctx.engine, args);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('confidence low');
    expect(human.stdout).toContain(
      'not completely enumerated by that run (unverified): deviceCompliancePolicy',
    );
    expect(human.stdout.split('\n').filter((line) => line.startsWith('deviceConfiguration '))).toHaveLength(
      1,
    );
    expect(human.stdout).not.toMatch(/^deviceCompliancePolicy /m);
    expect(human.stdout).toContain(
      '4 missing items of unverified types left out; --include-unverified shows them',
    );
    const everything = await runCli(ctx.engine, [...args, '--include-unverified']);
    expect(everything.stdout.split('\n').filter((line) => /no \(unverified\)$/.test(line))).toHaveLength(4);
    expect(everything.stdout).not.toContain('left out');
    const json = JSON.parse((await runCli(ctx.engine, [...args, '--json'])).stdout) as {
      items: Array<{ typeComplete: boolean }>;
      omittedUnverifiedCount: number;
    };
    expect(json.items.map((item) => item.typeComplete)).toEqual([true]);
    expect(json.omittedUnverifiedCount).toBe(4);
  });
});
