/**
 * A worker process killed with SIGKILL in the middle of a sync, with a page in flight, then
 * restarted: the run resumes where it was and ends with exact counts, one run row and no
 * duplicate items. The worker is the real `inventory worker` command in a child process.
 */
import { expect, it } from 'vitest';
import { queryRows } from '../../db/sql';
import { waitForPageInFlight } from '../support/engine';
import { useWorkerProcesses } from '../support/worker-process';

const workers = useWorkerProcesses();

it('resumes after SIGKILL with exact counts and no duplicates', async () => {
  const { engine } = workers;
  const tenantId = await engine.addTenant({
    counts: { deviceConfiguration: 60, mobileApp: 60, assignmentFilter: 60 },
    pageSizes: { deviceConfiguration: 5, mobileApp: 5, assignmentFilter: 5 },
    faults: [{ kind: 'latency', ms: 400 }],
  });
  const pages = 3 * (60 / 5);
  const selection = { policy_types: ['deviceConfiguration', 'mobileApp', 'assignmentFilter'] };

  const first = await workers.start();
  const started = await engine.client.startSync({ tenantId, selection });
  // Six pages (of 5 items) stored: the progress query only sees them when an activity reports.
  for (let stored = 0; stored < 30;) {
    await new Promise((r) => setTimeout(r, 100));
    const [row] = await queryRows<{ n: number }>(
      engine.db.admin,
      'SELECT count(*)::int AS n FROM inventory_items WHERE tenant_id = $1',
      [tenantId],
    );
    stored = row!.n;
  }
  // Kill the worker with a page running on it (each Graph answer takes 400 ms).
  await waitForPageInFlight(engine.temporal, started.workflowId);
  process.kill(first.pid, 'SIGKILL');
  await first.exited;

  await workers.start();
  const result = await engine.client.waitForSync(started.workflowId);
  expect(result).toMatchObject({
    status: 'success',
    itemsObservedCount: 180,
    itemsUpsertedCount: 180,
    hadErrors: false,
  });

  const [items] = await queryRows<{ n: number; distinct_ids: number }>(
    engine.db.admin,
    'SELECT count(*)::int AS n, count(DISTINCT (policy_type, external_id))::int AS distinct_ids FROM inventory_items WHERE tenant_id = $1',
    [tenantId],
  );
  expect(items).toEqual({ n: 180, distinct_ids: 180 });
  const { runs } = await engine.client.listRuns(tenantId);
  expect(runs).toHaveLength(1);
  expect(runs[0]).toMatchObject({ status: 'success', itemsObservedCount: 180 });
  // The page running when the worker died was lost with it and fetched again by the new worker.
  expect((await engine.sim.admin.stats()).tenants[tenantId]!.graphRequests).toBeGreaterThan(pages);
}, 180_000);
