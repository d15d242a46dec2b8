/**
 * The real `inventory worker` process serves its operations endpoints: the service's metrics,
 * `/healthz` and `/readyz` on METRICS_ADDRESS, the Temporal SDK's metrics on
 * TEMPORAL_METRICS_ADDRESS, both moving with a sync; a second worker on a taken METRICS_ADDRESS
 * refuses to start with one config_invalid line.
 */
import { expect, it } from 'vitest';
import { useWorkerProcesses } from '../support/worker-process';
import { freeLocalPort, httpGet, parseExposition, scrape, total } from '../support/prometheus';

const processes = useWorkerProcesses();

it('serves metrics, health and readiness, and the SDK’s metrics, and they move with a sync', async () => {
  const [port, sdkPort] = [await freeLocalPort(), await freeLocalPort()];
  const url = `http://127.0.0.1:${port}`;
  await processes.start({
    METRICS_ADDRESS: `127.0.0.1:${port}`,
    TEMPORAL_METRICS_ADDRESS: `127.0.0.1:${sdkPort}`,
    // The simulator serves no JSON batches yet: items only.
    SYNC_ASSIGNMENTS: 'false',
  });
  expect(await httpGet(`${url}/healthz`)).toMatchObject({ status: 200 });
  expect(await httpGet(`${url}/readyz`)).toMatchObject({ status: 200, body: 'ready\n' });

  const { engine } = processes;
  const tenantId = await engine.addTenant({ counts: { mobileApp: 4 } });
  const started = await engine.client.startSync({ tenantId, selection: { policy_types: ['mobileApp'] } });
  expect(await engine.client.waitForSync(started.workflowId)).toMatchObject({ status: 'success' });

  const { samples, text } = await scrape(url);
  expect(total(samples, 'inventory_sync_runs_finished_total', { status: 'success' })).toBe(1);
  expect(total(samples, 'inventory_items_observed_total', { policy_type: 'mobileApp' })).toBe(4);
  expect(
    total(samples, 'inventory_graph_requests_total', { policy_type: 'mobileApp', status_class: '2xx' }),
  ).toBe(1);
  expect(total(samples, 'inventory_token_requests_total', { outcome: 'success' })).toBe(1);
  expect(total(samples, 'inventory_worker_ready')).toBe(1);
  expect(text).toContain('inventory_worker_process_resident_memory_bytes');

  const sdk = await httpGet(`http://127.0.0.1:${sdkPort}/metrics`);
  expect(sdk.status).toBe(200);
  expect(total(parseExposition(sdk.body), 'temporal_workflow_completed')).toBeGreaterThanOrEqual(1);

  // The address is taken now: a second worker says so and exits.
  await expect(
    processes.start({ METRICS_ADDRESS: `127.0.0.1:${port}`, TEMPORAL_METRICS_ADDRESS: 'off' }),
  ).rejects.toThrow(/config_invalid.*METRICS_ADDRESS 127\.0\.0\.1:\d+ cannot be listened on \(EADDRINUSE\)/);
});
