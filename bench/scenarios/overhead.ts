/**
 * overhead: what Temporal costs. One tenant, 10,000 items over eight policy types, pages of 100,
 * no added latency; the engine (workflow + page activities on a worker process) against the raw
 * baseline (same Graph layer, same upsert, plain loop in one process). Rate limits are lifted so
 * that only the orchestration differs. Repetitions alternate which side goes first.
 */
import { check, median, row } from '../report';
import { type Scenario } from '../scenario';
import { EIGHT_TYPES, evenShape } from '../shapes';
import { UNLIMITED_RATES, engineVersusRaw } from '../sync-runs';

const TYPE_CONCURRENCY = 8;

export const overhead: Scenario = {
  name: 'overhead',
  summary: 'engine vs raw loop, 10,000 items, no latency',
  async run({ stack, quick, say }) {
    const items = quick ? 1_000 : 10_000;
    const reps = quick ? 1 : 3;
    const shape = evenShape(EIGHT_TYPES, items, 100);
    const worker = await stack.startWorker({ typeConcurrency: TYPE_CONCURRENCY, ...UNLIMITED_RATES });
    try {
      const { engineMs, rawMs, exact } = await engineVersusRaw(
        stack,
        worker,
        { shape, items, reps, typeConcurrency: TYPE_CONCURRENCY, label: 'overhead' },
        say,
      );
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
          check('overhead', 'counts exact', exact, `${items} items per run, engine and raw`),
        ],
        details: { items, reps, engineMs, rawMs, typeConcurrency: TYPE_CONCURRENCY },
      };
    } finally {
      await worker.stop();
    }
  },
};
