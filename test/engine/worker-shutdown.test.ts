/**
 * Stopping the workers while a page is being fetched: the shutdown grace time lets the page
 * finish, so its items are stored and its result reported before the workers are gone, and the
 * run completes on the next workers without fetching that page again.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { queryRows } from '../../db/sql';
import { startEngine, waitForPageInFlight, type Engine, type RunningWorkers } from '../support/engine';

let engine: Engine;
let workers: RunningWorkers | undefined;

beforeAll(async () => {
  // Counts page requests: items only (assignments have their own tests).
  engine = await startEngine({ assignments: false });
});

afterAll(async () => {
  await workers?.stop();
  await engine?.close();
});

it('lets an in-flight page finish when the workers shut down', async () => {
  const tenantId = await engine.addTenant({
    counts: { mobileApp: 3 },
    faults: [{ kind: 'latency', ms: 1_500 }],
  });
  workers = await engine.startWorkers();
  const started = await engine.client.startSync({ tenantId, selection: { policy_types: ['mobileApp'] } });
  await waitForPageInFlight(engine.temporal, started.workflowId);
  await workers.stop();
  workers = undefined;

  const [stored] = await queryRows<{ n: number }>(
    engine.db.admin,
    'SELECT count(*)::int AS n FROM inventory_items WHERE tenant_id = $1',
    [tenantId],
  );
  expect(stored!.n).toBe(3);

  workers = await engine.startWorkers();
  expect(await engine.client.waitForSync(started.workflowId)).toMatchObject({
    status: 'success',
    itemsObservedCount: 3,
    itemsUpsertedCount: 3,
  });
  expect((await engine.sim.admin.stats()).tenants[tenantId]!.graphRequests).toBe(1);
});
