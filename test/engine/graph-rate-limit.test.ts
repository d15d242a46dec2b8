/**
 * The per-tenant Graph rate is a safety property (Intune throttles the app beyond its budget), so
 * it is checked on the server, not trusted: a started worker has really set the Graph queue's
 * fairness-key default rate to GRAPH_TENANT_RPS, and a server that rejects the update stops the
 * worker's start-up (a coded error the CLI prints as one line) unless GRAPH_TENANT_RPS_OPTIONAL
 * opts out.
 */
import { temporal as proto } from '@temporalio/proto';
import { expect, it } from 'vitest';
import { InventoryError } from '../../inventory/error-codes';
import { createLogger } from '../../logging/logger';
import { applyGraphQueueLimits } from '../../worker/graph-queue-limits';
import { useWorkerProcesses } from '../support/worker-process';

const workers = useWorkerProcesses();

async function tenantRateOnServer(): Promise<number | null | undefined> {
  const { config } = await workers.engine.temporal.workflowService.describeTaskQueue({
    namespace: workers.engine.temporal.options.namespace,
    taskQueue: { name: workers.engine.graphTaskQueue },
    taskQueueType: proto.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
    reportConfig: true,
  });
  return config?.fairnessKeysRateLimitDefault?.rateLimit?.requestsPerSecond;
}

it('a started worker has set the fairness-key default rate to GRAPH_TENANT_RPS', async () => {
  // The test engine set 1000/s; the worker process must replace it with its own setting.
  expect(await tenantRateOnServer()).toBe(1000);
  const worker = await workers.start({ GRAPH_TENANT_RPS: '7' });
  expect(await tenantRateOnServer()).toBe(7);
  await worker.stop();
}, 120_000);

it('refuses when the server rejects the update, and only warns with the opt-out', async () => {
  const logger = createLogger({ level: 'silent', name: 'graph-rate-limit-test' });
  const options = {
    namespace: 'no-such-namespace',
    graphTaskQueue: workers.engine.graphTaskQueue,
    tenantRps: 5,
    logger,
  };
  const refused = await applyGraphQueueLimits(workers.engine.temporal, { ...options, optional: false }).catch(
    (error: unknown) => error,
  );
  expect(refused).toBeInstanceOf(InventoryError);
  expect(refused).toMatchObject({ code: 'temporal_unavailable' });
  expect((refused as Error).message).toMatch(/\(5 NOT_FOUND: Namespace no-such-namespace is not found\.\)/);
  await expect(
    applyGraphQueueLimits(workers.engine.temporal, { ...options, optional: true }),
  ).resolves.toBeUndefined();
});
