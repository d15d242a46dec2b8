/**
 * throttled: the simulator enforces a per-tenant budget of 20 requests/s and answers 429 beyond
 * it, half the time with Retry-After and half without (as Intune does). The engine's own
 * per-tenant rate (Temporal fairness key rate limit on the Graph queue) is set just below the
 * budget, as an operator would set it below Intune's. Ideal = requests needed ÷ budget.
 */
import { check, median, row } from '../report';
import { type Scenario } from '../scenario';
import { EIGHT_TYPES, evenShape, pagesPerType } from '../shapes';
import { createTenant, engineSync, exact, selectionOf } from '../sync-runs';

const BUDGET_RPS = 20;
const ENGINE_TENANT_RPS = 18;

export const throttled: Scenario = {
  name: 'throttled',
  summary: 'per-tenant budget of 20 req/s with 429s',
  async run({ stack, quick, say }) {
    const items = quick ? 1_000 : 5_000;
    const reps = quick ? 1 : 2;
    const shape = evenShape(EIGHT_TYPES, items, 25, {
      faults: [{ kind: 'rateLimit', requestsPerSecond: BUDGET_RPS, retryAfter: 'mixed' }],
    });
    const selection = selectionOf(EIGHT_TYPES);
    const needed = [...pagesPerType(shape).values()].reduce((a, b) => a + b, 0);
    const idealMs = (needed / BUDGET_RPS) * 1000;
    const worker = await stack.startWorker({
      typeConcurrency: EIGHT_TYPES.length,
      tenantRps: ENGINE_TENANT_RPS,
    });
    try {
      const elapsed: number[] = [];
      const shares: number[] = [];
      const requests: number[] = [];
      let allExact = true;
      for (let rep = 1; rep <= reps; rep++) {
        const tenantId = await createTenant(stack, shape, `throttled ${rep}`);
        const { run, ms } = await engineSync(worker, tenantId, selection);
        allExact &&= await exact(stack.runtime, tenantId, run, items);
        const stats = (await stack.sim.stats()).tenants[tenantId];
        const total = stats?.graphRequests ?? 0;
        const throttledCount = stats?.byStatus['429'] ?? 0;
        elapsed.push(ms);
        requests.push(total);
        shares.push(total === 0 ? 0 : throttledCount / total);
        say(`  rep ${rep}/${reps}: ${ms.toFixed(0)} ms, ${total} requests, ${throttledCount} answered 429`);
      }
      return {
        rows: [
          row({
            scenario: 'throttled',
            metric: 'elapsed (median)',
            value: median(elapsed),
            unit: 'ms',
            baseline: idealMs,
            target: { kind: 'max', limit: 1.3 },
            note: `ideal = ${needed} requests ÷ ${BUDGET_RPS}/s; engine rate ${ENGINE_TENANT_RPS}/s`,
          }),
          row({
            scenario: 'throttled',
            metric: '429 share (max)',
            value: Math.max(...shares) * 100,
            unit: '%',
            target: { kind: 'max', limit: 5 },
            note: `of all Graph requests; median ${median(requests)} requests for ${needed} pages`,
          }),
          check('throttled', 'counts exact', allExact, `${items} items per run`),
        ],
        details: {
          items,
          reps,
          budgetRps: BUDGET_RPS,
          engineTenantRps: ENGINE_TENANT_RPS,
          needed,
          idealMs,
          elapsed,
          requests,
          shares,
        },
      };
    } finally {
      await worker.stop();
    }
  },
};
