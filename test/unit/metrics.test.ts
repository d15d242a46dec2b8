/**
 * The metrics module and listener on their own: how Graph answers map to labels (status classes,
 * throttling), that the listener answers only its three paths and refuses an address in use, and
 * that the logger redacts the task tokens the Temporal SDK logs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../logging/logger';
import { createServiceMetrics, statusClass } from '../../worker/metrics';
import { startMetricsServer, type MetricsServer } from '../../worker/metrics-server';
import { httpGet, parseExposition, total } from '../support/prometheus';

const servers: MetricsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('Graph answers as labels', () => {
  it.each([
    [200, '2xx'],
    [302, '3xx'],
    [401, '4xx'],
    [429, '4xx'],
    [503, '5xx'],
    [null, 'network'],
  ] as const)('status %s is %s', (status, expected) => {
    expect(statusClass(status)).toBe(expected);
  });

  it('counts 429 and 503 as throttled, batch sub-requests one by one, group-name reads under ""', async () => {
    const metrics = createServiceMetrics();
    metrics.graph.onRequests('mobileApp', 429, 1);
    metrics.graph.onRequests('mobileApp', 503, 1);
    metrics.graph.onRequests('mobileApp', 504, 1);
    metrics.graph.onRequests('mobileApp', 200, 19);
    metrics.graph.onRequests(null, 200, 3);
    metrics.graph.onThrottleWait('mobileApp', 1.5);
    metrics.pages.onThrottleWait('mobileApp', 2);
    const samples = parseExposition(await metrics.registry.metrics());
    expect(total(samples, 'inventory_graph_requests_total', { policy_type: 'mobileApp' })).toBe(22);
    expect(
      total(samples, 'inventory_graph_requests_total', { policy_type: 'mobileApp', status_class: '5xx' }),
    ).toBe(2);
    expect(total(samples, 'inventory_graph_throttled_total', { policy_type: 'mobileApp' })).toBe(2);
    expect(total(samples, 'inventory_graph_requests_total', { policy_type: '' })).toBe(3);
    expect(total(samples, 'inventory_graph_retry_after_seconds_total', { policy_type: 'mobileApp' })).toBe(
      3.5,
    );
  });

  it('shows every run status, token outcome and slot scope from the start, at 0', async () => {
    const samples = parseExposition(await createServiceMetrics().registry.metrics());
    for (const status of ['success', 'partial', 'failed', 'skipped']) {
      expect(samples).toContainEqual({
        name: 'inventory_sync_runs_finished_total',
        labels: { status },
        value: 0,
      });
    }
    expect(samples).toContainEqual({
      name: 'inventory_token_requests_total',
      labels: { outcome: 'failure' },
      value: 0,
    });
    expect(samples).toContainEqual({
      name: 'inventory_sync_slot_waits_total',
      labels: { scope: 'tenant' },
      value: 0,
    });
  });
});

describe('the operations listener', () => {
  async function start(port = 0): Promise<MetricsServer> {
    const server = await startMetricsServer({
      host: '127.0.0.1',
      port,
      registry: createServiceMetrics().registry,
      ready: () => Promise.resolve({ ready: false, reason: 'the workers are starting' }),
      logger: createLogger({ level: 'silent' }),
    });
    servers.push(server);
    return server;
  }

  it('serves /metrics in the text format, /healthz, a one-line /readyz, and nothing else', async () => {
    const { url } = await start();
    const metrics = await httpGet(`${url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await httpGet(`${url}/healthz`)).toMatchObject({ status: 200, body: 'ok\n' });
    expect(await httpGet(`${url}/readyz`)).toMatchObject({
      status: 503,
      body: 'not ready: the workers are starting\n',
    });
    expect((await httpGet(`${url}/metrics/x`)).status).toBe(404);
    expect((await fetch(`${url}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('refuses an address in use with config_invalid naming METRICS_ADDRESS', async () => {
    const taken = Number(new URL((await start()).url).port);
    await expect(start(taken)).rejects.toMatchObject({
      code: 'config_invalid',
      message: `METRICS_ADDRESS 127.0.0.1:${taken} cannot be listened on (EADDRINUSE); choose another address, or off`,
    });
  });
});

describe('the logger', () => {
  it('redacts task tokens, which the Temporal SDK logs with activity outcomes', () => {
    const lines: string[] = [];
    const logger = createLogger({ destination: { write: (line: string) => void lines.push(line) } });
    logger.warn({ taskToken: 'CiQ2ZjE0secret', activity: { taskToken: 'CiQ2ZjE0other' } }, 'Activity failed');
    expect(lines.join('')).not.toContain('CiQ2ZjE0');
    expect(JSON.parse(lines[0]!)).toMatchObject({
      taskToken: '[REDACTED]',
      activity: { taskToken: '[REDACTED]' },
    });
  });
});
