/**
 * What a benchmark run reports: one row per (scenario, metric) with its baseline, the ratio and
 * the target, printed as one table and written as JSON with the machine and the git revision.
 * Targets are reported, never asserted: a miss is information for the next round of work.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, relative } from 'node:path';

export interface Target {
  /**
   * The ratio must be at most (`max`) or at least (`min`) `limit`; for a row without a baseline,
   * the value itself.
   */
  kind: 'max' | 'min';
  limit: number;
}

export interface ResultRow {
  scenario: string;
  metric: string;
  value: number;
  unit: string;
  /** What the value is compared with (a physical limit or an ideal), in the same unit. */
  baseline: number | null;
  /** value ÷ baseline. */
  ratio: number | null;
  target: Target | null;
  pass: boolean | null;
  note?: string;
}

export function row(input: {
  scenario: string;
  metric: string;
  value: number;
  unit: string;
  baseline?: number;
  target?: Target;
  note?: string;
}): ResultRow {
  const baseline = input.baseline ?? null;
  const ratio = baseline === null || baseline === 0 ? null : input.value / baseline;
  const target = input.target ?? null;
  const compared = baseline === null ? input.value : ratio;
  const pass =
    target === null || compared === null
      ? null
      : target.kind === 'max'
        ? compared <= target.limit
        : compared >= target.limit;
  return {
    scenario: input.scenario,
    metric: input.metric,
    value: input.value,
    unit: input.unit,
    baseline,
    ratio,
    target,
    pass,
    ...(input.note !== undefined && { note: input.note }),
  };
}

/** A correctness check (exact counts, caps never exceeded): reported as a row that passes or fails. */
export function check(scenario: string, metric: string, ok: boolean, note: string): ResultRow {
  return {
    scenario,
    metric,
    value: ok ? 1 : 0,
    unit: 'check',
    baseline: null,
    ratio: null,
    target: null,
    pass: ok,
    note,
  };
}

function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 100
    ? value.toFixed(0)
    : Math.abs(value) >= 1
      ? value.toFixed(2)
      : value.toFixed(3);
}

export function formatTable(rows: readonly ResultRow[]): string {
  const cells = rows.map((r) => [
    r.scenario,
    r.metric,
    r.unit === 'check' ? (r.pass ? 'ok' : 'FAILED') : `${formatNumber(r.value)} ${r.unit}`,
    r.baseline === null ? '' : `${formatNumber(r.baseline)} ${r.unit}`,
    r.ratio === null ? '' : `${r.ratio.toFixed(2)}×`,
    r.target === null
      ? ''
      : `${r.target.kind === 'max' ? '≤' : '≥'} ${r.target.limit}${r.baseline === null ? ` ${r.unit}` : '×'}`,
    r.pass === null ? '' : r.pass ? 'pass' : 'MISS',
    r.note ?? '',
  ]);
  const header = ['scenario', 'metric', 'value', 'baseline', 'ratio', 'target', 'result', 'note'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

export function writeResults(
  path: string,
  input: { quick: boolean; startedAt: Date; rows: readonly ResultRow[]; details: Record<string, unknown> },
): void {
  const cpuList = cpus();
  const document = {
    generated_at: new Date().toISOString(),
    started_at: input.startedAt.toISOString(),
    quick: input.quick,
    git: {
      sha: git(['rev-parse', 'HEAD']),
      // Uncommitted changes other than this very file mean the numbers are not of that commit.
      dirty: (git(['status', '--porcelain', '--', '.', `:!${relative(process.cwd(), path)}`]) ?? '') !== '',
    },
    machine: {
      cpus: cpuList.length,
      cpu_model: cpuList[0]?.model ?? null,
      memory_gib: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
    },
    results: input.rows,
    details: input.details,
  };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(document, null, 2)}\n`);
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}
