/**
 * A worker process killed with SIGKILL while a page waits for its JSON batch of per-item
 * assignment requests, then restarted: the page is asked again, and the run ends with exact items
 * and exactly the simulator's edges, each counted once (issue 13: "a worker killed mid-batch
 * leaves exact edges after the retry").
 */
import { expect, it } from 'vitest';
import { queryRows } from '../../db/sql';
import { normalizeAssignment } from '../../inventory/assignment';
import { type PolicyType } from '../../inventory/policy-types';
import { useWorkerProcesses } from '../support/worker-process';

const workers = useWorkerProcesses();

const TYPES: PolicyType[] = ['endpointSecurityIntent', 'windowsFeatureUpdateProfile'];

it('resumes after SIGKILL mid-batch with exact items and edges', async () => {
  const { engine } = workers;
  const tenantId = await engine.addTenant({
    counts: { endpointSecurityIntent: 40, windowsFeatureUpdateProfile: 40 },
    pageSizes: { endpointSecurityIntent: 10, windowsFeatureUpdateProfile: 10 },
    // Each batch of per-item requests takes 600 ms; pages themselves answer at once.
    faults: [{ kind: 'latency', ms: 600, batched: true }],
  });
  const first = await workers.start();
  const started = await engine.client.startSync({ tenantId, selection: { policy_types: TYPES } });
  // Kill once a batch is in flight: the simulator has received more batches (one per page of 10
  // items) than pages are stored, and each batch takes 600 ms to answer.
  for (let i = 0; ; i++) {
    await new Promise((r) => setTimeout(r, 25));
    const [row] = await queryRows<{ n: number }>(
      engine.db.admin,
      'SELECT count(*)::int AS n FROM inventory_items WHERE tenant_id = $1',
      [tenantId],
    );
    const pages = row!.n / 10;
    const batches = (await engine.sim.admin.stats()).tenants[tenantId]?.batchRequests ?? 0;
    if (pages >= 2 && batches > pages) break;
    if (i > 2_000) throw new Error('no batch was ever in flight');
  }
  process.kill(first.pid, 'SIGKILL');
  await first.exited;

  await workers.start();
  const result = await engine.client.waitForSync(started.workflowId);
  expect(result).toMatchObject({ status: 'success', itemsObservedCount: 80, hadErrors: false });

  const expected = new Set<string>();
  for (const type of TYPES) {
    for (const item of await engine.sim.admin.listItems(tenantId, type)) {
      for (const raw of await engine.sim.admin.assignments(tenantId, type, item.id)) {
        const edge = normalizeAssignment(raw);
        if (!edge.ok) throw new Error(edge.reason);
        expected.add(`${type} ${item.id} ${edge.assignment.assignment_id}`);
      }
    }
  }
  const stored = await queryRows<{ key: string }>(
    engine.db.admin,
    `SELECT edge.policy_type || ' ' || edge.external_id || ' ' || edge.assignment_id AS key
     FROM inventory_assignments edge JOIN inventory_items item USING (tenant_id, policy_type, external_id)
     WHERE edge.tenant_id = $1 AND edge.observation_id = item.assignments_observation_id`,
    [tenantId],
  );
  expect(stored).toHaveLength(expected.size);
  expect(new Set(stored.map((r) => r.key))).toEqual(expected);
  const [items] = await queryRows<{ n: number; observed: number }>(
    engine.db.admin,
    `SELECT count(*)::int AS n, count(assignments_observation_id)::int AS observed
     FROM inventory_items WHERE tenant_id = $1`,
    [tenantId],
  );
  expect(items).toEqual({ n: 80, observed: 80 });
  // The page in flight when the worker died was asked again, its batch with it.
  const stats = (await engine.sim.admin.stats()).tenants[tenantId]!;
  const perItem = TYPES.reduce((sum, t) => sum + (stats.batchedByType[t] ?? 0), 0);
  expect(perItem).toBeGreaterThan(80);
}, 180_000);
