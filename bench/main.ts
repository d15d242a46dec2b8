/**
 * `npm run bench [-- --quick] [-- --only a,b]`: runs the benchmark scenarios one after another on
 * one real stack, prints one table, and writes the results as JSON (bench/results.json for a full
 * run; the quick smoke variant writes .data/bench/results-quick.json so it never overwrites the
 * reference numbers). Exits non-zero when a scenario crashed or a correctness check failed;
 * a missed performance target is reported, not fatal.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { check, formatTable, writeResults, type ResultRow } from './report';
import { type Scenario } from './scenario';
import { assignmentsCost } from './scenarios/assignments-cost';
import { fanOut } from './scenarios/fan-out';
import { fleet } from './scenarios/fleet';
import { latencyBound } from './scenarios/latency-bound';
import { missingQuery } from './scenarios/missing-query';
import { overhead } from './scenarios/overhead';
import { throttled } from './scenarios/throttled';
import { upsert } from './scenarios/upsert';
import { startBenchStack } from './stack';

const SCENARIOS: readonly Scenario[] = [
  overhead,
  latencyBound,
  throttled,
  missingQuery,
  fanOut,
  upsert,
  assignmentsCost,
  fleet,
];

const say = (line: string) => process.stdout.write(`${line}\n`);

function usage(message: string): never {
  process.stderr.write(
    `error: ${message}\nusage: npm run bench -- [--quick] [--only ${SCENARIOS.map((s) => s.name).join(',')}] [--out file.json]\n`,
  );
  process.exit(2);
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        quick: { type: 'boolean', default: false },
        only: { type: 'string' },
        out: { type: 'string' },
      },
    }).values;
  } catch (error) {
    usage(error instanceof Error ? error.message : String(error));
  }
  const names = args.only?.split(',').map((name) => name.trim()) ?? SCENARIOS.map((s) => s.name);
  const unknown = names.filter((name) => !SCENARIOS.some((s) => s.name === name));
  if (unknown.length > 0) usage(`unknown scenario(s) ${unknown.join(', ')}`);
  const chosen = SCENARIOS.filter((s) => names.includes(s.name));
  const out = resolve(args.out ?? (args.quick ? '.data/bench/results-quick.json' : 'bench/results.json'));

  const startedAt = new Date();
  const stack = await startBenchStack(say);
  const rows: ResultRow[] = [];
  const details: Record<string, unknown> = {};
  try {
    for (const scenario of chosen) {
      say(`${scenario.name}: ${scenario.summary}${args.quick ? ' (quick)' : ''}`);
      const began = Date.now();
      try {
        const result = await scenario.run({ stack, quick: args.quick, say });
        rows.push(...result.rows);
        details[scenario.name] = result.details;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        rows.push(check(scenario.name, 'completed', false, message.split('\n')[0]!));
        say(`  failed: ${message}`);
      }
      say(`  (${((Date.now() - began) / 1000).toFixed(0)} s)`);
    }
  } finally {
    await stack.close();
  }
  say('');
  say(formatTable(rows));
  writeResults(out, { quick: args.quick, startedAt, rows, details });
  say('');
  say(`results written to ${out}`);
  return rows.some((r) => r.unit === 'check' && !r.pass) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
