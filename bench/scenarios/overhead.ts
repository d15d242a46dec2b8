/**
 * overhead: what Temporal costs. One tenant, 10,000 items over eight policy types, pages of 100,
 * no added latency; the engine (workflow + page activities on a worker process) against the raw
 * baseline (same Graph layer, same upsert, plain loop in one process). Rate limits are lifted so
 * that only the orchestration differs. Repetitions alternate which side goes first.
 */
import { check, median, row } from '../report';
import { type Scenario } from '../scenario';
import { EIGHT_TYPES, evenShape } from '../shapes';
import { createTenant, engineSync, exact, rawSync, selectionOf } from '../sync-runs';

const TYPE_CONCURRENCY = 8;

export const overhead: Scenario = {
  name: 'overhead',
  summary: 'engine vs raw loop, 10,000 items, no latency',
  async run({ stack, quick, say }) {
    const items = quick ? 1_000 : 10_000;
    const reps = quick ? 1 : 3;
    const shape = evenShape(EIGHT_TYPES, items, 100);
    const selection = selectionOf(EIGHT_TYPES);
    const worker = await stack.startWorker({
      typeConcurrency: TYPE_CONCURRENCY,
      queueRps: 10_000,
      tenantRps: 10_000,
    });
    try {
      // Warm-up on both sides: JIT, connection pools, the first token of a tenant, workflow cache.
      await engineSync(worker, await createTenant(stack, shape, 'warm-up engine'), selection);
      await rawSync(
        stack.runtime,
        stack,
        await createTenant(stack, shape, 'warm-up raw'),
        selection,
        TYPE_CONCURRENCY,
      );

      const engineMs: number[] = [];
      const rawMs: number[] = [];
      let allExact = true;
      for (let rep = 1; rep <= reps; rep++) {
        const sides = [
          async () => {
            const tenantId = await createTenant(stack, shape, `overhead engine ${rep}`);
            const { run, ms } = await engineSync(worker, tenantId, selection);
            allExact &&= await exact(stack.runtime, tenantId, run, items);
            engineMs.push(ms);
          },
          async () => {
            const tenantId = await createTenant(stack, shape, `overhead raw ${rep}`);
            const { run, ms } = await rawSync(stack.runtime, stack, tenantId, selection, TYPE_CONCURRENCY);
            allExact &&= await exact(stack.runtime, tenantId, run, items);
            rawMs.push(ms);
          },
        ];
        if (rep % 2 === 0) sides.reverse();
        for (const side of sides) await side();
        say(
          `  rep ${rep}/${reps}: engine ${engineMs.at(-1)!.toFixed(0)} ms, raw ${rawMs.at(-1)!.toFixed(0)} ms`,
        );
      }
      const engine = median(engineMs);
      const raw = median(rawMs);
      return {
        rows: [
          row({
            scenario: 'overhead',
            metric: 'elapsed (median)',
            value: engine,
            unit: 'ms',
            baseline: raw,
            target: { kind: 'max', limit: 1.5 },
            note: `raw loop = baseline; ${reps} reps`,
          }),
          row({
            scenario: 'overhead',
            metric: 'engine throughput',
            value: (items / engine) * 1000,
            unit: 'items/s',
          }),
          row({
            scenario: 'overhead',
            metric: 'raw throughput',
            value: (items / raw) * 1000,
            unit: 'items/s',
          }),
          check('overhead', 'counts exact', allExact, `${items} items per run, engine and raw`),
        ],
        details: { items, reps, engineMs, rawMs, typeConcurrency: TYPE_CONCURRENCY },
      };
    } finally {
      await worker.stop();
    }
  },
};
