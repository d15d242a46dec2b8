/**
 * The Grafana dashboard and the Prometheus alert rules under deploy/ against the metric catalogue
 * of issue 14 (the metrics the worker serves): every PromQL expression parses
 * (with Prometheus's own grammar, @prometheus-io/lezer-promql) and names only catalogue metrics,
 * the Temporal SDK's `temporal_*` metrics or Prometheus's `up` (the rules also the worker's process
 * metrics, for its uptime), so a renamed metric fails here
 * instead of leaving an empty panel or an alert that can never fire. promtool checks the rules'
 * semantics (test/unit/deploy-promtool.test.ts).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createServiceMetrics } from '../../worker/metrics';

const ROOT = resolve(__dirname, '../..');

/** The worker's service metrics and their types (the issue 14 catalogue). */
const CATALOGUE: Record<string, 'counter' | 'gauge' | 'histogram'> = {
  inventory_sync_runs_finished_total: 'counter',
  inventory_sync_run_errors_total: 'counter',
  inventory_sync_run_duration_seconds: 'histogram',
  inventory_items_observed_total: 'counter',
  inventory_items_written_total: 'counter',
  inventory_graph_requests_total: 'counter',
  inventory_graph_throttled_total: 'counter',
  inventory_graph_retry_after_seconds_total: 'counter',
  inventory_graph_request_duration_seconds: 'histogram',
  inventory_token_requests_total: 'counter',
  inventory_sync_runs_live: 'gauge',
  inventory_sync_slot_waits_total: 'counter',
  inventory_tenant_last_success_timestamp_seconds: 'gauge',
  inventory_worker_ready: 'gauge',
  inventory_sync_run_oldest_live_age_seconds: 'gauge',
};

/** The series names a catalogue metric is exposed as: histograms as _bucket, _sum and _count. */
const SERIES = new Set(
  Object.entries(CATALOGUE).flatMap(([name, type]) =>
    type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name],
  ),
);

/**
 * The process metrics prom-client serves in the worker's registry (`inventory_worker_process_*`),
 * named as the worker names them: the never-synced alert measures the worker's uptime with
 * `inventory_worker_process_start_time_seconds`, the only clock Prometheus has for "long enough
 * that the schedules should have run". Read from the registry, so a changed prefix fails here.
 */
const PROCESS_METRICS = new Set(
  createServiceMetrics()
    .registry.getMetricsAsArray()
    .map((metric) => metric.name)
    .filter((name) => name.startsWith('inventory_worker_process_')),
);

/**
 * The metric names `expr` selects. Throws on a syntax error, and on a selector without a metric
 * name (`{__name__=~…}`), whose metrics nobody could check.
 */
function metricNames(expr: string): string[] {
  const names: string[] = [];
  const cursor = parser.parse(expr).cursor();
  do {
    if (cursor.type.isError) throw new Error(`PromQL syntax error at ${cursor.from} in: ${expr}`);
    if (cursor.name === 'VectorSelector') {
      const identifier = cursor.node.getChild('Identifier');
      if (!identifier) throw new Error(`a selector without a metric name in: ${expr}`);
      names.push(expr.slice(identifier.from, identifier.to));
    }
  } while (cursor.next());
  return names;
}

/** A name the worker, its Temporal SDK or Prometheus itself exposes. */
function known(name: string): boolean {
  return SERIES.has(name) || name.startsWith('temporal_') || name === 'up';
}

interface Target {
  expr: string;
  datasource?: { uid?: string };
}

interface Panel {
  type: string;
  title: string;
  datasource?: { uid?: string };
  targets?: Target[];
  panels?: Panel[];
}

interface Dashboard {
  uid: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: { name: string; type: string; current: { value: string }; query: string }[] };
}

const dashboard = JSON.parse(
  readFileSync(resolve(ROOT, 'deploy/grafana/dashboards/inventory-sync.json'), 'utf8'),
) as Dashboard;
const panels = dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
const queryPanels = panels.filter((panel) => panel.type !== 'row');
const variables = Object.fromEntries(dashboard.templating.list.map((v) => [v.name, v]));

/**
 * `expr` with Grafana's variables replaced as Grafana would before sending it: the dashboard's
 * own by their default value, the built-in range variables by a duration. An unknown variable
 * throws: its panel would send the literal `$name`.
 */
function interpolate(expr: string): string {
  return expr.replace(/\$\{?(\w+)\}?/g, (_, name: string) => {
    if (name === '__rate_interval' || name === '__interval' || name === '__range') return '5m';
    const variable = variables[name];
    if (!variable) throw new Error(`unknown dashboard variable $${name} in: ${expr}`);
    return variable.current.value;
  });
}

const dashboardExprs = queryPanels.flatMap((panel) =>
  (panel.targets ?? []).map((target) => ({ panel: panel.title, expr: target.expr })),
);

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const alertsFile = parse(readFileSync(resolve(ROOT, 'deploy/prometheus/alerts.yml'), 'utf8')) as {
  groups: { name: string; rules: Rule[] }[];
};
const rules = alertsFile.groups.flatMap((group) => group.rules);
const alerts = rules.filter((rule) => rule.alert);
const recorded = new Set(rules.flatMap((rule) => (rule.record ? [rule.record] : [])));

describe('Grafana dashboard deploy/grafana/dashboards/inventory-sync.json', () => {
  it('is a current dashboard with a fixed uid, queried through the `datasource` variable', () => {
    expect(dashboard.uid).toBe('inventory-sync');
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
    expect(variables.datasource).toMatchObject({ type: 'datasource', query: 'prometheus' });
    expect(queryPanels.length).toBeGreaterThan(10);
    for (const panel of queryPanels) {
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      expect(panel.datasource?.uid, panel.title).toBe('${datasource}');
      for (const target of panel.targets!) expect(target.datasource?.uid, panel.title).toBe('${datasource}');
    }
  });

  it('defaults the datasource variable to the provisioned Prometheus', () => {
    const { datasources } = parse(
      readFileSync(resolve(ROOT, 'deploy/grafana/provisioning/datasources/prometheus.yml'), 'utf8'),
    ) as { datasources: { uid: string }[] };
    expect(variables.datasource!.current.value).toBe(datasources[0]!.uid);
  });

  it.each(dashboardExprs)('$panel: parses and names only known metrics', ({ expr }) => {
    const names = metricNames(interpolate(expr));
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((name) => !known(name))).toEqual([]);
  });

  it('shows every metric of the catalogue', () => {
    const used = new Set(dashboardExprs.flatMap(({ expr }) => metricNames(interpolate(expr))));
    const missing = Object.keys(CATALOGUE).filter((name) => !used.has(name) && !used.has(`${name}_bucket`));
    expect(missing).toEqual([]);
  });

  it('has the panels operators look for', () => {
    const titles = queryPanels.map((panel) => panel.title);
    expect(titles).toEqual(
      expect.arrayContaining([
        'Runs finished by status',
        'Sync failure ratio',
        'Run duration',
        'Graph requests by status class',
        'Throttling ratio',
        'Retry-After waited',
        'Graph latency',
        'Token acquisitions',
        'Live runs',
        'Oldest live run',
        'Stale tenants',
        'Tenants never synced',
        'Time since last successful sync',
        'Worker ready',
      ]),
    );
  });

  it('has the never-synced count beside the stale one', () => {
    const never = queryPanels.find((panel) => panel.title === 'Tenants never synced');
    expect(never?.type).toBe('stat');
    expect(never?.targets?.[0]?.expr).toMatch(/inventory_tenant_last_success_timestamp_seconds\) == 0\)/);
  });

  it('measures staleness against the same default interval as the alert rules', () => {
    const interval = variables.interval!;
    expect(interval.type).toBe('custom');
    const recordingRule = rules.find((rule) => rule.record === 'inventory:sync_schedule_interval_seconds');
    expect(recordingRule?.expr).toBe(`vector(${interval.current.value})`);
    expect(interval.current.value).toBe(String(24 * 3600));
    const stale = dashboardExprs.filter(({ expr }) => expr.includes('inventory_tenant_last_success'));
    expect(stale.some(({ expr }) => expr.includes('> 2 * $interval'))).toBe(true);
  });

  // The gauge is 0 for a tenant that never succeeded: `time() - 0` is ~56 years, which would top
  // every staleness panel. deploy-promtool.test.ts evaluates these panels at today's clock.
  it('measures time since the last success only for tenants that had one', () => {
    const ages = dashboardExprs.filter(({ expr }) => /time\(\) - .*inventory_tenant_last_success/.test(expr));
    expect(ages.map(({ panel }) => panel).sort()).toEqual([
      'Stale tenants',
      'Stale tenants',
      'Time since last successful sync',
    ]);
    for (const { panel, expr } of ages)
      expect(expr, panel).toContain('(inventory_tenant_last_success_timestamp_seconds > 0)');
  });
});

describe('Prometheus alert rules deploy/prometheus/alerts.yml', () => {
  it('has the six alerts, each held for a while, with a severity and what to do next', () => {
    expect(alerts.map((rule) => rule.alert).sort()).toEqual([
      'InventoryGraphThrottlingHigh',
      'InventorySyncFailureRatioHigh',
      'InventorySyncRunStuck',
      'InventoryTenantNeverSynced',
      'InventoryTenantSyncStale',
      'InventoryWorkerNotReady',
    ]);
    for (const rule of alerts) {
      expect(rule.for, rule.alert).toMatch(/^\d+[mh]$/);
      expect(['warning', 'critical'], rule.alert).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary, rule.alert).toBeTruthy();
      // Each description tells the operator where to look next: a command, a setting or a panel.
      expect(rule.annotations?.description, rule.alert).toMatch(/`[^`]+`|[A-Z_]{6,}|dashboard/);
    }
  });

  it.each(rules.map((rule) => ({ name: rule.alert ?? rule.record!, expr: rule.expr })))(
    '$name: parses and names only catalogue metrics, the process metrics, `up` or rules of this file',
    ({ expr }) => {
      const names = metricNames(expr);
      expect(
        names.filter(
          (name) => !SERIES.has(name) && !PROCESS_METRICS.has(name) && name !== 'up' && !recorded.has(name),
        ),
      ).toEqual([]);
    },
  );

  it('watches the worker through the scrape job prometheus.yml defines', () => {
    const config = parse(readFileSync(resolve(ROOT, 'deploy/prometheus/prometheus.yml'), 'utf8')) as {
      scrape_configs: { job_name: string }[];
    };
    const notReady = alerts.find((rule) => rule.alert === 'InventoryWorkerNotReady')!;
    const job = /up\{job="([^"]+)"\}/.exec(notReady.expr)?.[1];
    expect(config.scrape_configs.map((c) => c.job_name)).toContain(job);
  });

  it('flags a tenant after twice the schedule interval, a run after an hour', () => {
    const byName: Record<string, string> = Object.fromEntries(alerts.map((rule) => [rule.alert!, rule.expr]));
    expect(PROCESS_METRICS).toContain('inventory_worker_process_start_time_seconds');
    expect(byName.InventoryTenantSyncStale).toMatch(
      /\(inventory_tenant_last_success_timestamp_seconds > 0\)\s+> 2 \* scalar\(inventory:sync_schedule_interval_seconds\)/,
    );
    expect(byName.InventoryTenantNeverSynced).toMatch(
      /inventory_tenant_last_success_timestamp_seconds == 0\s+and on \(job, instance\)\s+time\(\) - inventory_worker_process_start_time_seconds\s+> 2 \* scalar\(inventory:sync_schedule_interval_seconds\)/,
    );
    expect(byName.InventorySyncRunStuck).toMatch(/inventory_sync_run_oldest_live_age_seconds\) > 3600$/);
  });
});
