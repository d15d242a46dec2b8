/**
 * A run longer than one execution's page budget continues as new, carrying cursors and counts,
 * and still ends with exact counts, per run and per type; its progress query works throughout, and no execution of the
 * chain carries a secret or a Graph item in its history.
 */
import { expect, it } from 'vitest';
import { queryRows } from '../../db/sql';
import { TEST_APP } from '../graph/support';
import { useEngine } from '../support/engine';
import { executionChainTexts, expectNoSecretsOrPayloads, graphItemValues } from '../support/history';

const ctx = useEngine({ limits: { pagesPerExecution: 3, typeConcurrency: 2 } });

it('continues as new within a run and still counts exactly, reporting progress on the way', async () => {
  const tenantId = await ctx.engine.addTenant({
    counts: { deviceConfiguration: 95, mobileApp: 64 },
    pageSizes: { deviceConfiguration: 10, mobileApp: 10 },
  });
  const started = await ctx.engine.client.startSync({
    tenantId,
    selection: { policy_types: ['deviceConfiguration', 'mobileApp'] },
  });
  const seen: number[] = [];
  const result = await ctx.engine.client.waitForSync(started.workflowId, {
    pollMs: 50,
    onProgress: (p) => seen.push(p.totals.itemsObservedCount),
  });
  expect(result).toMatchObject({
    status: 'success',
    itemsObservedCount: 95 + 64,
    itemsUpsertedCount: 95 + 64,
    itemsNewCount: 95 + 64,
    itemsChangedCount: 0,
    itemsUnchangedCount: 0,
  });
  // Each type's pages, counts and end survive the executions it spanned.
  const run = await ctx.engine.client.getRun(tenantId, result.runId);
  const types = await ctx.engine.client.getRunTypes(tenantId, result.runId);
  expect(
    types.map(({ policyType, outcome, pagesCount, itemsObservedCount, itemsNewCount }) => ({
      policyType,
      outcome,
      pagesCount,
      itemsObservedCount,
      itemsNewCount,
    })),
  ).toEqual([
    {
      policyType: 'deviceConfiguration',
      outcome: 'complete',
      pagesCount: 10,
      itemsObservedCount: 95,
      itemsNewCount: 95,
    },
    {
      policyType: 'mobileApp',
      outcome: 'complete',
      pagesCount: 7,
      itemsObservedCount: 64,
      itemsNewCount: 64,
    },
  ]);
  for (const type of types) {
    expect(type.finishedAt!.getTime()).toBeGreaterThanOrEqual(run.startedAt.getTime() - 1_000);
    expect(type.finishedAt!.getTime()).toBeLessThanOrEqual(run.finishedAt!.getTime() + 1_000);
  }

  // 10 + 7 pages at 3 pages per execution: several executions in one chain.
  const description = await ctx.engine.temporal.workflow.getHandle(started.workflowId).describe();
  expect(description.runId).not.toBe(started.executionRunId);
  expect(description.raw.workflowExecutionInfo?.firstRunId).toBe(started.executionRunId);

  expect(seen.some((items) => items > 0 && items < 95 + 64)).toBe(true);
  const [row] = await queryRows<{ n: number }>(
    ctx.engine.db.admin,
    'SELECT count(*)::int AS n FROM inventory_items WHERE tenant_id = $1',
    [tenantId],
  );
  expect(row!.n).toBe(95 + 64);
  const runs = await ctx.engine.client.listRuns(tenantId);
  expect(runs.runs).toHaveLength(1);

  // The state carried across continue-as-new is cursors and counts: no secret and no Graph item
  // in any execution of the chain (whose payloads the decoder does read: the run id is in each).
  const texts = await executionChainTexts(ctx.engine.temporal, started.workflowId, started.executionRunId);
  expect(texts.length).toBeGreaterThan(2);
  const graphValues = await graphItemValues(ctx.engine.sim.admin, tenantId, [
    'deviceConfiguration',
    'mobileApp',
  ]);
  for (const text of texts) {
    expect(text).toContain(result.runId);
    expectNoSecretsOrPayloads(text, { secrets: [TEST_APP.clientSecret], graphValues });
  }
});
