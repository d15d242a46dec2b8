/**
 * GRAPH_TENANT_RPS holds for a tenant whose pages run on two worker processes at once (issue 15,
 * "Scale out"): every Graph request of the tenant, each request inside a JSON batch counted, is
 * admitted by the limiter the processes share in PostgreSQL (db/tenant-request-limiter.ts), so
 * Graph sees the tenant's rate once, not once per process. The simulator holds the tenant to that
 * rate with a token bucket and answers 429 beyond it, as Intune does (1,000 requests per 20 s per
 * app and tenant, https://learn.microsoft.com/graph/throttling-limits).
 *
 * The sync reads per-item assignments (a page request and a batch of 20 per page), so each page
 * activity costs 21 requests: Temporal's per-tenant task rate (which counts activities) never
 * binds, and each process alone has the demand to send the whole rate. Two processes pacing on
 * their own would send twice the rate and drain the bucket within seconds (the limiter tests in
 * test/db/tenant-request-limiter.test.ts show per-process pacing doing so).
 */
import { expect, it } from 'vitest';
import { type temporal } from '@temporalio/proto';
import { type PolicyType } from '../../inventory/policy-types';
import { useWorkerProcesses } from '../support/worker-process';

const workers = useWorkerProcesses();

const RATE = 20;
/** One second of the rate and one batch may go ahead of schedule (TENANT_BURST_MS), with room for jitter. */
const BUCKET = 2 * RATE + 20;
const TYPES: PolicyType[] = [
  'windowsDriverUpdateProfile',
  'windowsFeatureUpdateProfile',
  'windowsQualityUpdateProfile',
  'endpointSecurityIntent',
];
const ITEMS_PER_TYPE = 80;
const PAGE_SIZE = 20;

/** The worker identities (`pid@host`) that ran the workflow's page activities, over its whole chain. */
async function pageWorkers(workflowId: string): Promise<Set<string>> {
  const identities = new Set<string>();
  const client = workers.engine.temporal;
  let runId: string | undefined;
  do {
    const history: temporal.api.history.v1.IHistory = await client.workflow
      .getHandle(workflowId, runId)
      .fetchHistory();
    const pageScheduled = new Set<string>();
    for (const event of history.events ?? []) {
      const scheduled = event.activityTaskScheduledEventAttributes;
      if (scheduled?.activityType?.name === 'syncPage') pageScheduled.add(String(event.eventId));
      const started = event.activityTaskStartedEventAttributes;
      if (started && pageScheduled.has(String(started.scheduledEventId)) && started.identity) {
        identities.add(started.identity);
      }
    }
    runId =
      history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  } while (runId);
  return identities;
}

it('two worker processes syncing one tenant send it no faster than GRAPH_TENANT_RPS: not one 429', async () => {
  const { engine } = workers;
  const tenantId = await engine.addTenant({
    counts: Object.fromEntries(TYPES.map((type) => [type, ITEMS_PER_TYPE])),
    pageSizes: Object.fromEntries(TYPES.map((type) => [type, PAGE_SIZE])),
    faults: [{ kind: 'rateLimit', requestsPerSecond: RATE, burst: BUCKET }],
  });
  // An activity per page spreads one run's pages over both processes at once: the hardest case
  // for a per-tenant rate (with many pages per activity, a run's pages stay on one process).
  const env = {
    GRAPH_TENANT_RPS: String(RATE),
    SYNC_TYPE_CONCURRENCY: String(TYPES.length),
    SYNC_PAGES_PER_ACTIVITY: '1',
  };
  const [first, second] = await Promise.all([workers.start(env), workers.start(env)]);

  const startedAt = Date.now();
  const started = await engine.client.startSync({ tenantId, selection: { policy_types: TYPES } });
  const result = await engine.client.waitForSync(started.workflowId);
  const seconds = (Date.now() - startedAt) / 1_000;
  expect(result).toMatchObject({ status: 'success', itemsObservedCount: TYPES.length * ITEMS_PER_TYPE });

  const stats = (await engine.sim.admin.stats()).tenants[tenantId]!;
  expect(stats.byStatus['429'] ?? 0).toBe(0);
  // Both processes ran pages of the tenant …
  const identities = [...(await pageWorkers(started.workflowId))];
  expect(identities.some((id) => id.startsWith(`${first.pid}@`))).toBe(true);
  expect(identities.some((id) => id.startsWith(`${second.pid}@`))).toBe(true);
  // … and the rate bound them: the requests took about as long as the rate allows, no less.
  const pageRequests = TYPES.length * (ITEMS_PER_TYPE / PAGE_SIZE) * (1 + PAGE_SIZE);
  expect(stats.graphRequests).toBeGreaterThanOrEqual(pageRequests);
  expect(seconds).toBeGreaterThanOrEqual((stats.graphRequests - RATE - PAGE_SIZE) / RATE);
  await Promise.all([first.stop(), second.stop()]);
}, 240_000);
