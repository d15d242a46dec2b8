/**
 * The worker's metrics and run log lines during real syncs: the counters and histograms move by
 * exactly what the simulator saw (requests, a 429 with Retry-After, tokens) and the database
 * recorded (runs, items, durations); the scrape-time gauges follow the runs; `promtool` accepts the
 * scrape; the Temporal SDK's exporter serves its own metrics; each run logs one start and one end
 * line with its fields and no secret.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../logging/logger';
import { installTemporalRuntime } from '../../worker/temporal-runtime';
import { TEST_APP } from '../graph/support';
import { startEngine, type Engine, type RunningWorkers } from '../support/engine';
import {
  freeLocalPort,
  has,
  httpGet,
  parseExposition,
  promtoolCheckMetrics,
  scrape,
  total,
  type Sample,
} from '../support/prometheus';

/** Every line the workers logged, at debug and above, as written. */
const logLines: string[] = [];
const workerLogger = createLogger({
  level: 'debug',
  name: 'metrics-test',
  destination: { write: (line: string) => void logLines.push(line) },
});

let engine: Engine;
let workers: RunningWorkers;
let sdkMetricsUrl: string;

beforeAll(async () => {
  const port = await freeLocalPort();
  // Before startEngine, whose own installation is then a no-op: one runtime per process.
  installTemporalRuntime(createLogger({ level: 'error' }), { metricsAddress: { host: '127.0.0.1', port } });
  sdkMetricsUrl = `http://127.0.0.1:${port}`;
  // Items only: one Graph request per page, so requests and exchanges are counted one to one.
  engine = await startEngine({ assignments: false });
  workers = await engine.startWorkers({}, { logger: workerLogger });
});

afterAll(async () => {
  await workers?.stop();
  await engine?.close();
});

/** What changed between two scrapes for `name` with `labels`. */
function delta(before: Sample[], after: Sample[], name: string, labels: Record<string, string> = {}): number {
  return total(after, name, labels) - total(before, name, labels);
}

interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

function parsedLogLines(): LogLine[] {
  return logLines.map((line) => JSON.parse(line) as LogLine);
}

const SELECTION = { policy_types: ['deviceConfiguration', 'mobileApp'] as string[] };

describe('a sync with a throttled page', () => {
  let tenantId: string;
  let runId: string;
  let workflowId: string;
  let before: Sample[];
  let after: Sample[];
  let duringSync: Sample[][] = [];

  beforeAll(async () => {
    tenantId = await engine.addTenant({
      counts: { deviceConfiguration: 7, mobileApp: 3 },
      pageSizes: { deviceConfiguration: 3 },
      faults: [
        {
          kind: 'status',
          status: 429,
          retryAfter: 'seconds',
          retryAfterSeconds: 2,
          count: 1,
          type: 'mobileApp',
          page: 1,
        },
      ],
    });
    await engine.sim.admin.resetStats();
    before = (await scrape(workers.metricsUrl)).samples;
    const started = await engine.client.startSync({ tenantId, selection: SELECTION });
    workflowId = started.workflowId;
    const result = engine.client.waitForSync(workflowId);
    // Scrapes while the run is live (the 429's 2 s Retry-After keeps it so).
    let settled = false;
    void result.finally(() => (settled = true)).catch(() => undefined);
    duringSync = [];
    while (!settled) {
      duringSync.push((await scrape(workers.metricsUrl)).samples);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const run = await result;
    expect(run).toMatchObject({ status: 'success', itemsObservedCount: 10 });
    runId = run.runId;
    after = (await scrape(workers.metricsUrl)).samples;
  });

  it('counts the finished run and its duration as the database recorded it', async () => {
    const run = await engine.client.getRun(tenantId, runId);
    expect(delta(before, after, 'inventory_sync_runs_finished_total', { status: 'success' })).toBe(1);
    expect(delta(before, after, 'inventory_sync_runs_finished_total')).toBe(1);
    expect(delta(before, after, 'inventory_sync_run_errors_total')).toBe(0);
    expect(delta(before, after, 'inventory_sync_run_duration_seconds_count', { status: 'success' })).toBe(1);
    const seconds = (run.finishedAt!.getTime() - run.startedAt.getTime()) / 1_000;
    expect(seconds).toBeGreaterThan(2);
    expect(
      delta(before, after, 'inventory_sync_run_duration_seconds_sum', { status: 'success' }),
    ).toBeCloseTo(seconds, 3);
  });

  it('counts items observed and written, per policy type', () => {
    const d = (name: string, labels: Record<string, string>) => delta(before, after, name, labels);
    expect(d('inventory_items_observed_total', { policy_type: 'deviceConfiguration' })).toBe(7);
    expect(d('inventory_items_observed_total', { policy_type: 'mobileApp' })).toBe(3);
    expect(d('inventory_items_written_total', { policy_type: 'deviceConfiguration', change: 'new' })).toBe(7);
    expect(d('inventory_items_written_total', { policy_type: 'mobileApp', change: 'new' })).toBe(3);
    expect(d('inventory_items_written_total', { change: 'changed' })).toBe(0);
    expect(d('inventory_items_written_total', { change: 'unchanged' })).toBe(0);
  });

  it('counts Graph requests, the 429, and the Retry-After waited, as the simulator saw them', async () => {
    const stats = (await engine.sim.admin.stats()).tenants[tenantId]!;
    // 3 deviceConfiguration pages, the mobileApp page twice (429, then 200).
    expect(stats.byStatus).toEqual({ '200': 4, '429': 1 });
    const d = (name: string, labels: Record<string, string> = {}) => delta(before, after, name, labels);
    expect(d('inventory_graph_requests_total')).toBe(stats.graphRequests);
    expect(
      d('inventory_graph_requests_total', { policy_type: 'deviceConfiguration', status_class: '2xx' }),
    ).toBe(3);
    expect(d('inventory_graph_requests_total', { policy_type: 'mobileApp', status_class: '2xx' })).toBe(1);
    expect(d('inventory_graph_requests_total', { policy_type: 'mobileApp', status_class: '4xx' })).toBe(1);
    expect(d('inventory_graph_throttled_total', { policy_type: 'mobileApp' })).toBe(1);
    expect(d('inventory_graph_throttled_total', { policy_type: 'deviceConfiguration' })).toBe(0);
    // Retry-After: 2, plus at most 10 % jitter (graph/retry-decision.ts).
    const waited = d('inventory_graph_retry_after_seconds_total', { policy_type: 'mobileApp' });
    expect(waited).toBeGreaterThanOrEqual(2);
    expect(waited).toBeLessThanOrEqual(2.2);
    // One exchange per request: no batches, no 401 refresh.
    expect(d('inventory_graph_request_duration_seconds_count')).toBe(stats.graphRequests);
    expect(d('inventory_graph_request_duration_seconds_sum')).toBeGreaterThan(0);
    expect(d('inventory_token_requests_total', { outcome: 'success' })).toBe(stats.tokenByStatus['200']);
    expect(d('inventory_token_requests_total', { outcome: 'failure' })).toBe(0);
  });

  it('reads live runs and the tenant’s last success from the database at scrape', async () => {
    const live = duringSync.filter((samples) => total(samples, 'inventory_sync_runs_live') >= 1);
    expect(live.length).toBeGreaterThan(0);
    expect(
      Math.max(...live.map((s) => total(s, 'inventory_sync_run_oldest_live_age_seconds'))),
    ).toBeGreaterThan(0);
    expect(total(after, 'inventory_sync_runs_live')).toBe(0);
    expect(total(after, 'inventory_sync_run_oldest_live_age_seconds')).toBe(0);
    const run = await engine.client.getRun(tenantId, runId);
    expect(
      total(after, 'inventory_tenant_last_success_timestamp_seconds', { tenant_id: tenantId }),
    ).toBeCloseTo(run.finishedAt!.getTime() / 1_000, 3);
    expect(total(after, 'inventory_worker_ready')).toBe(1);
  });

  it('logs one start and one end line with the run’s fields, pages at debug only', () => {
    const lines = parsedLogLines().filter((l) => l.runId === runId);
    const started = lines.filter((l) => l.msg === 'sync run started');
    const ended = lines.filter((l) => l.msg === 'sync run ended');
    expect(started).toHaveLength(1);
    expect(ended).toHaveLength(1);
    const selectionHash = workflowId.split(':')[2];
    expect(started[0]).toMatchObject({ level: 30, tenantId, selectionHash, runId, workflowId });
    expect(ended[0]).toMatchObject({
      level: 30,
      tenantId,
      selectionHash,
      runId,
      workflowId,
      status: 'success',
      itemsObservedCount: 10,
      itemsNewCount: 10,
      itemsChangedCount: 0,
      itemsUnchangedCount: 0,
      errorCodes: [],
    });
    expect(ended[0]!.durationSeconds).toBeGreaterThan(2);
    const pages = lines.filter((l) => l.msg === 'page stored');
    expect(pages).toHaveLength(4);
    expect(pages.every((l) => l.level === 20)).toBe(true);
    expect(lines.filter((l) => l.level >= 30).map((l) => l.msg)).toEqual([
      'sync run started',
      'sync run ended',
    ]);
  });

  it('logs no secret, token or task token', () => {
    const text = logLines.join('');
    expect(text.length).toBeGreaterThan(0);
    expect(text).not.toContain(TEST_APP.clientSecret);
    // JWTs (access tokens, client assertions) start with a base64url `{"`.
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{8,}/);
    expect(text).not.toMatch(/"taskToken":"(?!\[REDACTED\])/);
    expect(text.toLowerCase()).not.toContain('bearer ');
  });

  it('passes promtool check metrics', async (context) => {
    const { text } = await scrape(workers.metricsUrl);
    const check = promtoolCheckMetrics(text);
    if (check === null) {
      console.warn(
        'promtool is neither on PATH nor in .tools/prometheus (scripts/setup): the scrape was not linted',
      );
      context.skip();
      return;
    }
    expect(check.output).toBe('');
    expect(check.status).toBe(0);
  });

  it('serves the Temporal SDK’s worker metrics on their own address', async () => {
    const { status, body } = await httpGet(`${sdkMetricsUrl}/metrics`);
    expect(status).toBe(200);
    const samples = parseExposition(body);
    expect(has(samples, 'temporal_worker_task_slots_available')).toBe(true);
    expect(total(samples, 'temporal_workflow_completed')).toBeGreaterThanOrEqual(1);
  });
});

describe('runs that do not succeed', () => {
  it('counts a partial run and each of its error codes', async () => {
    const tenantId = await engine.addTenant({
      counts: { deviceConfiguration: 2, mobileApp: 2 },
      faults: [{ kind: 'status', status: 403, type: 'mobileApp' }],
    });
    const before = (await scrape(workers.metricsUrl)).samples;
    const started = await engine.client.startSync({ tenantId, selection: SELECTION });
    const run = await engine.client.waitForSync(started.workflowId);
    const after = (await scrape(workers.metricsUrl)).samples;
    expect(run.status).toBe('partial');
    expect(run.errorCodes.length).toBeGreaterThan(0);
    expect(delta(before, after, 'inventory_sync_runs_finished_total', { status: 'partial' })).toBe(1);
    for (const code of run.errorCodes) {
      expect(delta(before, after, 'inventory_sync_run_errors_total', { error_code: code })).toBe(1);
    }
    expect(delta(before, after, 'inventory_sync_run_errors_total')).toBe(run.errorCodes.length);
    expect(
      delta(before, after, 'inventory_graph_requests_total', {
        policy_type: 'mobileApp',
        status_class: '4xx',
      }),
    ).toBe(1);
    // Never a success: the tenant's gauge says so with 0.
    expect(total(after, 'inventory_tenant_last_success_timestamp_seconds', { tenant_id: tenantId })).toBe(0);
    const ended = parsedLogLines().find((l) => l.runId === run.runId && l.msg === 'sync run ended');
    expect(ended).toMatchObject({ status: 'partial', errorCodes: run.errorCodes });
  });

  it('counts a skipped run (a disabled tenant, started through Temporal) with its code', async () => {
    const tenantId = await engine.addTenant({ counts: { mobileApp: 1 } });
    await engine.client.setTenantEnabled(tenantId, false);
    const before = (await scrape(workers.metricsUrl)).samples;
    const handle = await engine.temporal.workflow.start('inventorySync', {
      taskQueue: engine.taskQueue,
      workflowId: `metrics-test-${randomUUID()}`,
      args: [{ tenantId, selection: { policy_types: ['mobileApp'] } }],
    });
    await handle.result().catch(() => undefined);
    const after = (await scrape(workers.metricsUrl)).samples;
    expect(delta(before, after, 'inventory_sync_runs_finished_total', { status: 'skipped' })).toBe(1);
    expect(delta(before, after, 'inventory_sync_run_errors_total', { error_code: 'tenant_disabled' })).toBe(
      1,
    );
    expect(has(after, 'inventory_tenant_last_success_timestamp_seconds', { tenant_id: tenantId })).toBe(
      false,
    );
    const ended = parsedLogLines().filter((l) => l.tenantId === tenantId && l.msg === 'sync run ended');
    expect(ended).toHaveLength(1);
    expect(ended[0]).toMatchObject({ status: 'skipped', errorCodes: ['tenant_disabled'] });
  });
});
