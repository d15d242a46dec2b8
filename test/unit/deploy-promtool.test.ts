/**
 * Prometheus's own checker on the deployment files: `promtool check config` on the compose stack's
 * prometheus.yml (which loads alerts.yml), `promtool check rules` on alerts.yml, and
 * `promtool test rules` on alerts.test.yml and alerts-epoch.test.yml, the rules' unit tests (stale
 * and never-synced tenant, failure ratio, throttling, stuck run, worker not ready, each firing and
 * not firing; the tenant alerts also at today's clock), and the dashboard's tenant panels evaluated
 * by promtool at today's clock on a tenant that never synced, a stale one and a healthy one. promtool comes from
 * Debian's `prometheus` package: on PATH, or taken from the package into .tools/prometheus by
 * scripts/setup; where neither has it these tests are skipped with a notice rather than passing
 * silently.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { findPromtool } from '../support/prometheus';

const ROOT = resolve(__dirname, '../..');
const PROMETHEUS = resolve(ROOT, 'deploy/prometheus');
const run = promisify(execFile);

const promtoolPath = findPromtool();
if (!promtoolPath) {
  console.warn(
    'deploy-promtool: promtool is neither on PATH nor in .tools/prometheus, so the Prometheus config and ' +
      'alert rules are NOT checked; scripts/setup installs it from the Debian package `prometheus`',
  );
}

/** promtool's exit code and output for `args`, run from `cwd` (default deploy/prometheus). */
async function promtool(args: string[], cwd = PROMETHEUS): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(promtoolPath!, args, { cwd });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code?: number; stdout?: string; stderr?: string };
    return { code: code ?? -1, output: `${stdout ?? ''}${stderr ?? ''}` };
  }
}

describe.skipIf(!promtoolPath)('promtool (skipped when it is not installed: run scripts/setup)', () => {
  it('accepts prometheus.yml and the rule file it loads', async () => {
    const result = await promtool(['check', 'config', 'prometheus.yml']);
    expect(result.output).toContain('SUCCESS: 1 rule files found');
    expect(result.code, result.output).toBe(0);
  });

  it('accepts alerts.yml', async () => {
    const result = await promtool(['check', 'rules', 'alerts.yml']);
    expect(result.code, result.output).toBe(0);
  });

  // The epoch file steps through 56 years of weeks: a few seconds on a busy machine.
  it("passes the rules' unit tests in alerts.test.yml and alerts-epoch.test.yml", async () => {
    const result = await promtool(['test', 'rules', 'alerts.test.yml', 'alerts-epoch.test.yml']);
    expect(result.output.match(/SUCCESS/g)).toHaveLength(2);
    expect(result.code, result.output).toBe(0);
  }, 60_000);

  it("evaluates the dashboard's tenant panels at today's clock", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deploy-promtool-'));
    writeFileSync(join(dir, 'dashboard.test.yml'), stringify(dashboardTenantTests()));
    const result = await promtool(['test', 'rules', 'dashboard.test.yml'], dir);
    expect(result.output).toContain('SUCCESS');
    expect(result.code, result.output).toBe(0);
  });
});

interface Panel {
  title: string;
  targets?: { expr: string }[];
}

/**
 * A promtool test file for the dashboard's tenant panels, with their `$interval` at its default
 * (24h): on 2027-01-15 plus two weeks (t = 1801094400 s), tenant fresh never succeeded (gauge 0),
 * tenant stale last succeeded 15 days before, tenant healthy just now. Fresh is counted as never
 * synced and appears in no staleness panel (`time() - 0` would be 56 years); stale is stale.
 */
function dashboardTenantTests(): object {
  const dashboard = JSON.parse(
    readFileSync(resolve(ROOT, 'deploy/grafana/dashboards/inventory-sync.json'), 'utf8'),
  ) as { panels: Panel[] };
  const exprs = (title: string): string[] =>
    dashboard.panels
      .filter((panel) => panel.title === title)
      .map((panel) => panel.targets![0]!.expr.replaceAll('$interval', '86400'));
  const [staleCount, staleTable] = exprs('Stale tenants');
  const gauge = 'inventory_tenant_last_success_timestamp_seconds';
  const at = (expr: string | undefined, samples: [string, number][]) => ({
    expr,
    eval_time: '20846d',
    exp_samples: samples.map(([labels, value]) => ({ labels, value })),
  });
  return {
    evaluation_interval: '7d',
    tests: [
      {
        interval: '7d',
        input_series: [
          { series: `${gauge}{tenant_id="fresh"}`, values: '_x2976 0x3' },
          { series: `${gauge}{tenant_id="stale"}`, values: '_x2976 1799798400x3' },
          { series: `${gauge}{tenant_id="healthy"}`, values: '_x2976 1799884800+604800x3' },
        ],
        promql_expr_test: [
          at(staleCount, [['{}', 1]]),
          at(staleTable, [['{tenant_id="stale"}', 15 * 86400]]),
          at(exprs('Time since last successful sync')[0], [
            ['{tenant_id="stale"}', 15 * 86400],
            ['{tenant_id="healthy"}', 0],
          ]),
          at(exprs('Tenants never synced')[0], [['{}', 1]]),
        ],
      },
    ],
  };
}
