/**
 * Per-type request budgets (issue 11, item 3): Graph documents about 1 request/s per tenant for
 * Conditional Access (learn.microsoft.com/graph/throttling-limits, "Identity protection and
 * conditional access service limits"), far below Intune's. A sync of Conditional Access and an
 * Intune type together never sends Conditional Access faster than that, whatever the tenant's
 * overall rate, while the Intune type is not slowed to it. Counted at the simulator.
 */
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { policyType } from '../../inventory/policy-types';
import { useEngine } from '../support/engine';

const ctx = useEngine();

it('Conditional Access pages arrive at most at its documented rate; an Intune type is not held to it', async () => {
  const tenantId = randomUUID();
  const rate = policyType('conditionalAccessPolicy').requestsPerSecond!;
  expect(rate).toBe(1);
  await ctx.engine.sim.admin.upsertTenant({
    tenantId,
    counts: { conditionalAccessPolicy: 6, assignmentFilter: 30 },
    pageSizes: { conditionalAccessPolicy: 1, assignmentFilter: 1 },
  });
  await ctx.engine.client.registerTenant({ tenantId, displayName: `rate ${tenantId}` });
  const started = await ctx.engine.client.startSync({
    tenantId,
    selection: { policy_types: ['conditionalAccessPolicy', 'assignmentFilter'] },
  });
  const result = await ctx.engine.client.waitForSync(started.workflowId);
  expect(result.status).toBe('success');
  expect(result.itemsObservedCount).toBe(36);

  const stats = (await ctx.engine.sim.admin.stats()).tenants[tenantId]!;
  expect(stats.byType.conditionalAccessPolicy).toBe(6);
  expect(stats.peakRequestsPerSecond.conditionalAccessPolicy).toBeLessThanOrEqual(rate);
  // The Intune type shares the run but not the budget: it goes faster than Conditional Access may.
  expect(stats.peakRequestsPerSecond.assignmentFilter).toBeGreaterThan(rate);
});
