/**
 * End-to-end syncs through Temporal, PostgreSQL and the Graph simulator over HTTPS: exact counts,
 * idempotent re-syncs, derived missing items, partial runs, progress, continue-as-new, and that
 * nothing secret reaches run rows or workflow history.
 */
import { describe, expect, it } from 'vitest';
import { type PolicyType } from '../../inventory/policy-types';
import { parseSelection, selectionScope } from '../../inventory/selection';
import { TEST_APP } from '../graph/support';
import { queryRows } from '../../db/sql';
import { useEngine } from '../support/engine';
import { executionChainTexts, expectNoSecretsOrPayloads, graphItemValues } from '../support/history';

const ctx = useEngine();

async function simulatorCount(tenantId: string, types: readonly PolicyType[]): Promise<number> {
  const tenants = await ctx.engine.sim.admin.listTenants();
  const tenant = tenants.find((t) => t.tenantId === tenantId)!;
  return types.reduce((sum, type) => sum + tenant.counts[type], 0);
}

async function itemRows(
  tenantId: string,
): Promise<Array<{ policy_type: string; external_id: string; last_seen_run_id: string; created_at: Date }>> {
  return queryRows(
    ctx.engine.db.admin,
    'SELECT policy_type, external_id, last_seen_run_id, created_at FROM inventory_items WHERE tenant_id = $1 ORDER BY policy_type, external_id',
    [tenantId],
  );
}

async function sync(tenantId: string, selection: { policy_types?: string[]; categories?: string[] }) {
  const started = await ctx.engine.client.startSync({ tenantId, selection });
  return { started, result: await ctx.engine.client.waitForSync(started.workflowId) };
}

/**
 * Checks the decoded history of an execution (and of any it continued as new into): no credential,
 * token or Graph item in it, while the decoder does see inside payloads (the run id is only ever
 * in one).
 */
async function expectCleanHistory(
  started: { workflowId: string; executionRunId: string },
  tenantId: string,
  runId: string,
  types: readonly PolicyType[],
): Promise<void> {
  const graphValues = await graphItemValues(ctx.engine.sim.admin, tenantId, types);
  expect(graphValues.length).toBeGreaterThan(0);
  const texts = await executionChainTexts(ctx.engine.temporal, started.workflowId, started.executionRunId);
  for (const text of texts) {
    expect(text).toContain(runId);
    expectNoSecretsOrPayloads(text, { secrets: [TEST_APP.clientSecret], graphValues });
  }
}

describe('a sync of several policy types', () => {
  const selection = { categories: ['configuration', 'apps'], policy_types: ['assignmentFilter'] };
  const scope = selectionScope(parseSelection(selection));
  let tenantId: string;
  let firstRunId: string;
  const runs: Array<{ started: { workflowId: string; executionRunId: string }; runId: string }> = [];

  it('stores exactly what Graph served, across pages, with a success run row', async () => {
    // Page sizes small enough that every type spans several pages.
    tenantId = await ctx.engine.addTenant({
      counts: { deviceConfiguration: 230, settingsCatalogPolicy: 60, mobileApp: 120 },
      pageSizes: { deviceConfiguration: 50, mobileApp: 40 },
    });
    const expected = await simulatorCount(tenantId, scope);
    const { started, result } = await sync(tenantId, selection);
    expect(started.joined).toBe(false);
    expect(started.workflowId).toBe(`inventory-sync:${tenantId}:${started.selectionHash}`);
    expect(result).toMatchObject({
      status: 'success',
      itemsObservedCount: expected,
      itemsUpsertedCount: expected,
      hadErrors: false,
      errorCodes: [],
    });
    firstRunId = result.runId;
    runs.push({ started, runId: result.runId });

    const run = await ctx.engine.client.getRun(tenantId, result.runId);
    expect(run).toMatchObject({
      status: 'success',
      hadErrors: false,
      itemsObservedCount: expected,
      itemsUpsertedCount: expected,
      errorsCount: 0,
      errorCodes: [],
      selectionHash: started.selectionHash,
    });
    expect(run.correlationId).toMatch(new RegExp(`^${started.workflowId}/`));
    expect(run.finishedAt!.getTime()).toBeGreaterThanOrEqual(run.startedAt.getTime());

    const rows = await itemRows(tenantId);
    expect(rows).toHaveLength(expected);
    const simIds = new Set<string>();
    for (const type of scope) {
      for (const item of await ctx.engine.sim.admin.listItems(tenantId, type))
        simIds.add(`${type}/${item.id}`);
    }
    expect(new Set(rows.map((r) => `${r.policy_type}/${r.external_id}`))).toEqual(simIds);
  });

  it('is idempotent: a re-sync adds no rows and moves last_seen to the new run', async () => {
    const before = await itemRows(tenantId);
    const { started, result } = await sync(tenantId, selection);
    runs.push({ started, runId: result.runId });
    expect(result.status).toBe('success');
    expect(result.runId).not.toBe(firstRunId);
    const after = await itemRows(tenantId);
    expect(after).toHaveLength(before.length);
    expect(after.map((r) => r.created_at.getTime())).toEqual(before.map((r) => r.created_at.getTime()));
    expect(new Set(after.map((r) => r.last_seen_run_id))).toEqual(new Set([result.runId]));
  });

  it('derives missing items after Graph deletes some, with high confidence', async () => {
    const apps = await ctx.engine.sim.admin.listItems(tenantId, 'mobileApp');
    const deleted = apps.slice(0, 3).map((a) => a.id);
    await ctx.engine.sim.admin.deleteItems(tenantId, 'mobileApp', deleted);
    await ctx.engine.sim.admin.renameItem(tenantId, 'mobileApp', apps[5]!.id, 'Renamed – Ü 🔒');
    const { started, result } = await sync(tenantId, selection);
    runs.push({ started, runId: result.runId });
    expect(result.status).toBe('success');

    const missing = await ctx.engine.client.listMissing(tenantId, selection, { limit: 100 });
    expect(missing.basis?.runId).toBe(result.runId);
    expect(missing.basis && missing.confidence).toBe('high');
    expect(missing.basis && missing.items.map((i) => i.externalId).sort()).toEqual([...deleted].sort());
    const [renamed] = await queryRows<{ display_name: string }>(
      ctx.engine.db.admin,
      'SELECT display_name FROM inventory_items WHERE tenant_id = $1 AND external_id = $2',
      [tenantId, apps[5]!.id],
    );
    expect(renamed!.display_name).toBe('Renamed – Ü 🔒');
  });

  it('never writes the snapshot/backup tables', async () => {
    for (const table of ['policy_versions', 'backup_sets', 'backup_items']) {
      const [row] = await queryRows<{ n: number }>(
        ctx.engine.db.admin,
        `SELECT count(*)::int AS n FROM ${table}`,
      );
      expect(row!.n).toBe(0);
    }
  });

  it('keeps tokens and secrets out of run rows and workflow history', async () => {
    const rows = await queryRows(
      ctx.engine.db.admin,
      'SELECT * FROM inventory_sync_runs WHERE tenant_id = $1',
      [tenantId],
    );
    expect(rows).toHaveLength(runs.length);
    expectNoSecretsOrPayloads(JSON.stringify(rows), { secrets: [TEST_APP.clientSecret], graphValues: [] });
    for (const { started, runId } of runs) await expectCleanHistory(started, tenantId, runId, scope);
  });
});

describe('runs that do not fully succeed', () => {
  it('is partial when one type is forbidden, and missing answers get low confidence', async () => {
    const tenantId = await ctx.engine.addTenant({
      faults: [{ kind: 'status', status: 403, type: 'deviceCompliancePolicy' }],
    });
    const selection = { policy_types: ['deviceCompliancePolicy', 'deviceConfiguration'] };
    const { started, result } = await sync(tenantId, selection);
    expect(result.status).toBe('partial');
    expect(result.hadErrors).toBe(true);
    expect(result.errorCodes).toEqual(['graph_forbidden']);
    await expectCleanHistory(started, tenantId, result.runId, [
      'deviceCompliancePolicy',
      'deviceConfiguration',
    ]);
    expect(result.itemsObservedCount).toBe(await simulatorCount(tenantId, ['deviceConfiguration']));
    const run = await ctx.engine.client.getRun(tenantId, result.runId);
    expect(run.errorContext).toMatchObject({
      types: { deviceCompliancePolicy: { code: 'graph_forbidden' } },
    });
    const missing = await ctx.engine.client.listMissing(tenantId, selection);
    expect(missing.basis && missing.confidence).toBe('low');
  });

  it('keeps success but records had_errors when items come without ids', async () => {
    const tenantId = await ctx.engine.addTenant({
      faults: [{ kind: 'itemsWithoutId', n: 2, type: 'assignmentFilter', page: 1 }],
    });
    const { result } = await sync(tenantId, { policy_types: ['assignmentFilter'] });
    expect(result).toMatchObject({ status: 'success', hadErrors: true, errorCodes: ['graph_item_invalid'] });
    expect(result.itemsObservedCount).toBe(await simulatorCount(tenantId, ['assignmentFilter']));
    const run = await ctx.engine.client.getRun(tenantId, result.runId);
    expect(run.errorsCount).toBe(2);
    const missing = await ctx.engine.client.listMissing(tenantId, { policy_types: ['assignmentFilter'] });
    expect(missing.basis && missing.confidence).toBe('low');
  });

  it('fails with auth_failed when the tenant has not consented the app', async () => {
    const tenantId = await ctx.engine.addTenant({ consentedClients: [] });
    const { result } = await sync(tenantId, { categories: ['updates'] });
    expect(result.status).toBe('failed');
    expect(result.errorCodes).toEqual(['auth_failed']);
  });

  it('fails the workflow with tenant_unknown for an unregistered tenant, writing no row', async () => {
    const tenantId = '99999999-9999-4999-8999-999999999999';
    await expect(
      ctx.engine.client.startSync({ tenantId, selection: { categories: ['apps'] } }),
    ).rejects.toMatchObject({ code: 'tenant_unknown' });
    const handle = await ctx.engine.temporal.workflow.start('inventorySync', {
      taskQueue: ctx.engine.taskQueue,
      workflowId: `raw-unknown-${tenantId}`,
      args: [{ tenantId, selection: { categories: ['apps'] } }],
    });
    await expect(ctx.engine.client.waitForSync(handle.workflowId)).rejects.toMatchObject({
      code: 'tenant_unknown',
    });
    const [row] = await queryRows<{ n: number }>(
      ctx.engine.db.admin,
      'SELECT count(*)::int AS n FROM inventory_sync_runs WHERE tenant_id = $1',
      [tenantId],
    );
    expect(row!.n).toBe(0);
  });

  it('records a skipped run for a disabled tenant', async () => {
    const tenantId = await ctx.engine.addTenant();
    await ctx.engine.client.setTenantEnabled(tenantId, false);
    await expect(
      ctx.engine.client.startSync({ tenantId, selection: { categories: ['apps'] } }),
    ).rejects.toMatchObject({ code: 'tenant_disabled' });
    // A start that bypasses the client's check still ends as a skipped run.
    const handle = await ctx.engine.temporal.workflow.start('inventorySync', {
      taskQueue: ctx.engine.taskQueue,
      workflowId: `raw-disabled-${tenantId}`,
      args: [{ tenantId, selection: { categories: ['apps'] } }],
    });
    const result = await ctx.engine.client.waitForSync(handle.workflowId);
    expect(result).toMatchObject({ status: 'skipped', errorCodes: ['tenant_disabled'] });
    const run = await ctx.engine.client.getRun(tenantId, result.runId);
    expect(run).toMatchObject({ status: 'skipped', hadErrors: true, errorCodes: ['tenant_disabled'] });
  });
});
