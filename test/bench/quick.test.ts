/**
 * The benchmark suite's smoke variant (`npm run bench -- --quick`) runs in CI, so the suite itself
 * cannot rot: every scenario must complete on the real stack and pass its correctness checks
 * (exact counts, caps never exceeded, the missing query on its index). Performance targets are
 * reported by the suite, never asserted here.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ResultRow } from '../../bench/report';

const ROOT = resolve(__dirname, '../..');
const SCENARIOS = [
  'overhead',
  'latency-bound',
  'throttled',
  'missing-query',
  'fan-out',
  'upsert',
  'assignments',
  'fleet',
];

describe('npm run bench -- --quick', () => {
  const dir = mkdtempSync(join(tmpdir(), 'inventory-bench-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('completes every scenario with its correctness checks passing, and writes the results', () => {
    const out = join(dir, 'results.json');
    const run = spawnSync(join(ROOT, 'scripts', 'bench'), ['--quick', '--out', out], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 540_000,
    });
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.status, output).toBe(0);
    const results = JSON.parse(readFileSync(out, 'utf8')) as {
      quick: boolean;
      git: { sha: string | null };
      machine: { cpus: number };
      results: ResultRow[];
    };
    expect(results.quick).toBe(true);
    expect(results.machine.cpus).toBeGreaterThan(0);
    const scenarios = new Set(results.results.map((r) => r.scenario));
    expect([...scenarios].sort()).toEqual([...SCENARIOS].sort());
    const failedChecks = results.results.filter((r) => r.unit === 'check' && r.pass !== true);
    expect(failedChecks).toEqual([]);
    // Every measured row carries a number; a row with a target also carries its verdict.
    for (const r of results.results) {
      expect(Number.isFinite(r.value), `${r.scenario} ${r.metric}`).toBe(true);
      if (r.target !== null) expect(typeof r.pass, `${r.scenario} ${r.metric}`).toBe('boolean');
    }
    expect(output).toContain('scenario');
  }, 600_000);

  it('refuses an unknown scenario with a usage line and exit code 2', () => {
    const run = spawnSync(join(ROOT, 'scripts', 'bench'), ['--only', 'nonsense'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/unknown scenario\(s\) nonsense/);
    expect(run.stderr).toMatch(/usage: npm run bench/);
  });
});
