/**
 * Reading what a Prometheus endpoint serves, for assertions: the samples of a scrape and sums over
 * them. Test-side only; production never writes or reads the format by hand (prom-client does).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

function unescapeLabel(value: string): string {
  return value.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

/** The samples of a text exposition (comments and blank lines skipped); throws on a line it cannot read. */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = SAMPLE_LINE.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels = Object.fromEntries(
      [...(match[2] ?? '').matchAll(LABEL)].map((m) => [m[1]!, unescapeLabel(m[2]!)]),
    );
    samples.push({ name: match[1]!, labels, value: Number(match[3]!.replace(/^\+?Inf$/, 'Infinity')) });
  }
  return samples;
}

/** The sum of the samples named `name` whose labels include `labels`; 0 when there is none. */
export function total(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

/** Whether any sample is named `name` (with `labels`). */
export function has(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): boolean {
  return samples.some((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

/** GET `url`; its status and body. */
export async function httpGet(url: string): Promise<{ status: number; body: string; contentType: string }> {
  const response = await fetch(url);
  return {
    status: response.status,
    body: await response.text(),
    contentType: response.headers.get('content-type') ?? '',
  };
}

/** Scrapes `<metricsUrl>/metrics` and parses it; fails on any status but 200. */
export async function scrape(metricsUrl: string): Promise<{ text: string; samples: Sample[] }> {
  const { status, body } = await httpGet(`${metricsUrl}/metrics`);
  if (status !== 200) throw new Error(`${metricsUrl}/metrics answered ${status}: ${body}`);
  return { text: body, samples: parseExposition(body) };
}

/**
 * The first promtool that runs: the one on PATH, else the one scripts/setup installed into
 * .tools/prometheus (from Debian's `prometheus` package); undefined when neither does.
 */
export function findPromtool(): string | undefined {
  return ['promtool', resolve(__dirname, '../../.tools/prometheus/bin/promtool')].find((candidate) => {
    try {
      execFileSync(candidate, ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
}

/** `promtool check metrics` on `text`: null when there is no promtool (findPromtool), else its exit status and output. */
export function promtoolCheckMetrics(text: string): { status: number; output: string } | null {
  const promtool = findPromtool();
  if (promtool === undefined) return null;
  const result = spawnSync(promtool, ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}

/** A loopback port nothing listens on right now, for listeners whose port 0 cannot be learnt. */
export async function freeLocalPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
