/**
 * Graph's refusals in a sync (issue 10, item 5): a tenant without Intune fails its run once, with
 * `intune_not_provisioned`, instead of asking Graph for every type; a 403 names the application
 * permission the type needs, in the run row.
 */
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { POLICY_TYPE_KEYS, isIntuneType } from '../../inventory/policy-types';
import { DEFAULT_TEST_LIMITS, useEngine } from '../support/engine';

const ctx = useEngine();

async function syncAll(tenantId: string, policyTypes: readonly string[]) {
  await ctx.engine.client.registerTenant({ tenantId, displayName: `refusals ${tenantId}` });
  const started = await ctx.engine.client.startSync({
    tenantId,
    selection: { policy_types: [...policyTypes] },
  });
  const result = await ctx.engine.client.waitForSync(started.workflowId);
  return { result, run: await ctx.engine.client.getRun(tenantId, result.runId) };
}

it('a tenant without Intune: one code for the run, and Graph asked at most once per lane', async () => {
  const tenantId = randomUUID();
  await ctx.engine.sim.admin.upsertTenant({ tenantId, intuneProvisioned: false });
  const intuneTypes = POLICY_TYPE_KEYS.filter(isIntuneType);
  const { result } = await syncAll(tenantId, intuneTypes);
  expect(result.status).toBe('failed');
  expect(result.errorCodes).toEqual(['intune_not_provisioned']);
  const graphRequests = (await ctx.engine.sim.admin.stats()).tenants[tenantId]!.graphRequests;
  // Lanes already waiting on their first page when the first refusal arrives still get theirs.
  expect(graphRequests).toBeLessThanOrEqual(DEFAULT_TEST_LIMITS.typeConcurrency);
  expect(graphRequests).toBeLessThan(intuneTypes.length);
});

it.each([
  ['deviceManagementScript', 'DeviceManagementScripts.Read.All'],
  ['deviceHealthScript', 'DeviceManagementScripts.Read.All'],
  ['roleDefinition', 'DeviceManagementRBAC.Read.All'],
  ['conditionalAccessPolicy', 'Policy.Read.All'],
] as const)('a 403 on %s names %s in the run row', async (type, permission) => {
  const tenantId = randomUUID();
  await ctx.engine.sim.admin.upsertTenant({ tenantId, forbiddenTypes: [type] });
  const { result, run } = await syncAll(tenantId, [type, 'assignmentFilter']);
  expect(result.status).toBe('partial');
  expect(result.errorCodes).toEqual(['graph_forbidden']);
  const context = run.errorContext as { types: Record<string, { code: string; message: string }> };
  expect(context.types[type]).toMatchObject({ code: 'graph_forbidden' });
  expect(context.types[type]!.message).toContain(permission);
});
