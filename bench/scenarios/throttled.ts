/**
 * throttled: the simulator enforces a per-tenant budget of 20 requests/s and answers 429 beyond
 * it, half the time with Retry-After and half without (as Intune does). The engine's own
 * per-tenant rate (Temporal fairness key rate limit on the Graph queue) is set just below the
 * budget, as an operator would set it below Intune's. Ideal = requests needed ÷ budget.
 *
 * A second worker runs at twice the budget, as when the rate is set too high or another app
 * spends the same tenant's budget: then the 429s do come, and the run must still end exact,
 * paced by Retry-After where Graph sends it and by backoff with jitter where it does not.
 */
import { check, median, row, type ResultRow } from '../report';
import { type Scenario } from '../scenario';
import { EIGHT_TYPES, evenShape, pagesPerType } from '../shapes';
import { type BenchStack } from '../stack';
import { createTenant, engineSync, exact, selectionOf, type TenantShape } from '../sync-runs';

const BUDGET_RPS = 20;
const ENGINE_TENANT_RPS = 18;
const OVER_BUDGET_RPS = 2 * BUDGET_RPS;

interface Measured {
  elapsed: number[];
  requests: number[];
  /** 429 answers ÷ all Graph requests, per run. */
  shares: number[];
  exact: boolean;
}

async function measure(
  stack: BenchStack,
  tenantRps: number,
  shape: TenantShape,
  items: number,
  reps: number,
  say: (line: string) => void,
): Promise<Measured> {
  const selection = selectionOf(EIGHT_TYPES);
  const worker = await stack.startWorker({ typeConcurrency: EIGHT_TYPES.length, tenantRps });
  const measured: Measured = { elapsed: [], requests: [], shares: [], exact: true };
  try {
    for (let rep = 1; rep <= reps; rep++) {
      const tenantId = await createTenant(stack, shape, `throttled ${tenantRps}/s ${rep}`);
      const { run, ms } = await engineSync(worker, tenantId, selection);
      measured.exact &&= await exact(stack.runtime, tenantId, run, items);
      const stats = (await stack.sim.stats()).tenants[tenantId];
      const total = stats?.graphRequests ?? 0;
      const throttledCount = stats?.byStatus['429'] ?? 0;
      measured.elapsed.push(ms);
      measured.requests.push(total);
      measured.shares.push(total === 0 ? 0 : throttledCount / total);
      say(
        `  engine at ${tenantRps}/s, rep ${rep}/${reps}: ${ms.toFixed(0)} ms, ${total} requests, ${throttledCount} answered 429`,
      );
    }
    return measured;
  } finally {
    await worker.stop();
  }
}

export const throttled: Scenario = {
  name: 'throttled',
  summary: 'per-tenant budget of 20 req/s with 429s',
  async run({ stack, quick, say }) {
    const items = quick ? 1_000 : 5_000;
    const reps = quick ? 1 : 2;
    const shape = evenShape(EIGHT_TYPES, items, 25, {
      faults: [{ kind: 'rateLimit', requestsPerSecond: BUDGET_RPS, retryAfter: 'mixed' }],
    });
    const needed = [...pagesPerType(shape).values()].reduce((a, b) => a + b, 0);
    const idealMs = (needed / BUDGET_RPS) * 1000;
    const below = await measure(stack, ENGINE_TENANT_RPS, shape, items, reps, say);
    const over = await measure(stack, OVER_BUDGET_RPS, shape, items, 1, say);
    const rows = (label: string, m: Measured, withTargets: boolean): ResultRow[] => [
      row({
        scenario: 'throttled',
        metric: `elapsed, engine at ${label}`,
        value: median(m.elapsed),
        unit: 'ms',
        baseline: idealMs,
        ...(withTargets && { target: { kind: 'max' as const, limit: 1.3 } }),
        note: `ideal = ${needed} requests ÷ ${BUDGET_RPS}/s`,
      }),
      row({
        scenario: 'throttled',
        metric: `429 share, engine at ${label}`,
        value: Math.max(...m.shares) * 100,
        unit: '%',
        ...(withTargets && { target: { kind: 'max' as const, limit: 5 } }),
        note: `of all Graph requests (max over runs); median ${median(m.requests)} requests for ${needed} pages`,
      }),
    ];
    return {
      rows: [
        ...rows(`${ENGINE_TENANT_RPS}/s`, below, true),
        ...rows(`${OVER_BUDGET_RPS}/s (over budget)`, over, false),
        check('throttled', 'counts exact', below.exact && over.exact, `${items} items per run, both rates`),
      ],
      details: { items, reps, budgetRps: BUDGET_RPS, needed, idealMs, below, over },
    };
  },
};
