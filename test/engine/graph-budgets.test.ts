/**
 * The page's retry budget, the $select fallback and the page size cap, end to end (issue 10):
 * throttling that outlasts GRAPH_MAX_ATTEMPTS ends `success` with exact counts, since throttled
 * attempts spend time, not attempts; a first page whose $select Graph refuses (400 naming a
 * property) or keeps failing (a 5xx only while $select is present) is read without it and the run
 * records a warning, not an error; an oversized page fails its type alone without the worker
 * reading it; an invalid answer three times running gives up at once.
 *
 * The workers allow 4 failed attempts per page: fewer than the 429s a 20 s throttle answers (the
 * first four waits add up to at most 15 s), more than the three invalid answers that end a page.
 * That the throttled runs succeed also shows the retry state survives between attempts: without
 * it, each attempt would count the earlier ones as failed and the fifth would not be sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/sql';
import { type PolicyType } from '../../inventory/policy-types';
import { type FaultRule } from '../../simulator/types';
import { startEngine, type Engine, type RunningWorkers } from '../support/engine';

const MAX_ATTEMPTS = 4;
const MAX_PAGE_BYTES = 1_024 * 1_024;

let engine: Engine;
let workers: RunningWorkers | undefined;

beforeAll(async () => {
  // Page retry budgets, counted per page request: items only (assignments have their own tests).
  engine = await startEngine({ maxPageBytes: MAX_PAGE_BYTES, assignments: false });
  // A generous throttling budget: backoff without Retry-After may wait up to a minute once.
  workers = await engine.startWorkers({ graphMaxAttempts: MAX_ATTEMPTS, graphThrottleBudgetMs: 180_000 });
});

afterAll(async () => {
  await workers?.stop();
  await engine?.close();
});

/** `policy_type/external_id` of every item stored for the tenant. */
async function storedItems(tenantId: string): Promise<Set<string>> {
  const rows = await queryRows<{ policy_type: string; external_id: string }>(
    engine.db.admin,
    'SELECT policy_type, external_id FROM inventory_items WHERE tenant_id = $1',
    [tenantId],
  );
  return new Set(rows.map((r) => `${r.policy_type}/${r.external_id}`));
}

/** The same for what the simulator serves. */
async function servedItems(tenantId: string, types: readonly PolicyType[]): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const type of types) {
    for (const item of await engine.sim.admin.listItems(tenantId, type)) ids.add(`${type}/${item.id}`);
  }
  return ids;
}

async function syncOf(tenantId: string, types: readonly PolicyType[]) {
  const started = await engine.client.startSync({ tenantId, selection: { policy_types: [...types] } });
  const result = await engine.client.waitForSync(started.workflowId);
  return { result, run: await engine.client.getRun(tenantId, result.runId) };
}

describe('throttling is bounded by time, not by attempts', () => {
  const types = ['mobileApp', 'deviceConfiguration'] as const;
  // Every answer of the tenant is a 429 while the rule lasts, from the moment the tenant is created.
  const shapes: ReadonlyArray<[name: string, rule: FaultRule]> = [
    [
      'Retry-After: 1 for 20 s',
      { kind: 'status', status: 429, retryAfter: 'seconds', retryAfterSeconds: 1, forMs: 20_000 },
    ],
    [
      'Retry-After: 0 for 5 s',
      { kind: 'status', status: 429, retryAfter: 'seconds', retryAfterSeconds: 0, forMs: 5_000 },
    ],
    ['no Retry-After for 20 s', { kind: 'status', status: 429, retryAfter: 'none', forMs: 20_000 }],
    [
      'Retry-After as an HTTP-date in the past for 10 s',
      { kind: 'status', status: 429, retryAfter: 'http-date', retryAfterSeconds: -60, forMs: 10_000 },
    ],
  ];

  it('ends success with exact counts under each throttling shape, the four runs at once', async () => {
    const outcomes = await Promise.all(
      shapes.map(async ([name, rule]) => {
        const tenantId = await engine.addTenant({
          counts: { mobileApp: 12, deviceConfiguration: 7 },
          pageSizes: { mobileApp: 5, deviceConfiguration: 5 },
          faults: [rule],
        });
        const { result, run } = await syncOf(tenantId, types);
        return { name, tenantId, result, run };
      }),
    );
    const stats = (await engine.sim.admin.stats()).tenants;
    for (const { name, tenantId, result, run } of outcomes) {
      expect(result, name).toMatchObject({
        status: 'success',
        itemsObservedCount: 19,
        itemsUpsertedCount: 19,
        hadErrors: false,
        errorCodes: [],
      });
      expect(run.warningCodes, name).toEqual([]);
      expect(await storedItems(tenantId), name).toEqual(await servedItems(tenantId, types));
      expect(stats[tenantId]!.byStatus['200'], name).toBe(5);
    }
    // The 20 s throttle with Retry-After: 1 answered more 429s than GRAPH_MAX_ATTEMPTS allows
    // failures, on each of its two first pages.
    const first = stats[outcomes[0]!.tenantId]!;
    expect(first.byStatus['429']).toBeGreaterThan(2 * MAX_ATTEMPTS);
  }, 150_000);
});

describe('$select fallback', () => {
  const types = ['assignmentFilter', 'mobileApp'] as const;
  const counts = { assignmentFilter: 7, mobileApp: 6 };
  const pageSizes = { assignmentFilter: 3 };

  it('reads a type whose $select Graph refuses with a 400 naming a property without it, and records a warning', async () => {
    // Graph's answer to an unknown $select property (issue 10, item 1).
    const message =
      "Parsing OData Select and Expand failed: Could not find a property named 'roleScopeTagIds' on type 'microsoft.graph.deviceAndAppManagementAssignmentFilter'.";
    const tenantId = await engine.addTenant({
      counts,
      pageSizes,
      faults: [{ kind: 'status', status: 400, message, type: 'assignmentFilter', select: true }],
    });
    const { result, run } = await syncOf(tenantId, types);
    expect(result).toMatchObject({
      status: 'success',
      itemsObservedCount: 13,
      hadErrors: false,
      errorCodes: [],
    });
    expect(run).toMatchObject({ status: 'success', hadErrors: false, errorCodes: [], errorsCount: 0 });
    expect(run.warningCodes).toEqual(['graph_select_rejected']);
    expect(run.errorContext).toMatchObject({
      warnings: { assignmentFilter: { code: 'graph_select_rejected', property: 'roleScopeTagIds' } },
    });
    expect(await storedItems(tenantId)).toEqual(await servedItems(tenantId, types));
    // One refused first page, then three pages without $select; a 400 is not retried.
    expect((await engine.sim.admin.stats()).tenants[tenantId]!.byType.assignmentFilter).toBe(1 + 3);
  });

  it('reads a type whose server error repeats only while $select is present without it (microsoft-graph-docs #14937)', async () => {
    const tenantId = await engine.addTenant({
      counts,
      pageSizes,
      faults: [{ kind: 'status', status: 500, type: 'assignmentFilter', select: true }],
    });
    const { result, run } = await syncOf(tenantId, types);
    expect(result).toMatchObject({ status: 'success', itemsObservedCount: 13, hadErrors: false });
    expect(run.warningCodes).toEqual(['graph_select_rejected']);
    expect(run.errorContext).toMatchObject({
      warnings: { assignmentFilter: { code: 'graph_select_rejected', property: null } },
    });
    expect(await storedItems(tenantId)).toEqual(await servedItems(tenantId, types));
    const stats = (await engine.sim.admin.stats()).tenants[tenantId]!;
    expect(stats.byStatus['500']).toBe(MAX_ATTEMPTS);
    expect(stats.byType.assignmentFilter).toBe(MAX_ATTEMPTS + 3);
  });

  it('lists the run with its warning when Graph names no property', async () => {
    const tenantId = await engine.addTenant({
      counts,
      faults: [{ kind: 'status', status: 400, type: 'assignmentFilter', select: true }],
    });
    const { run } = await syncOf(tenantId, types);
    const page = await engine.client.listRuns(tenantId);
    expect(page.runs.map((r) => r.warningCodes)).toEqual([['graph_select_rejected']]);
    expect(run.errorContext).toMatchObject({ warnings: { assignmentFilter: { property: null } } });
  });
});

describe('bounded reads and quick give-ups', () => {
  it('fails only the type whose page is larger than GRAPH_MAX_PAGE_BYTES, without reading it', async () => {
    const tenantId = await engine.addTenant({
      counts: { mobileApp: 4, deviceConfiguration: 9 },
      // 512 MiB: a worker reading it whole would grow by far more than the bound below.
      faults: [{ kind: 'padPage', bytes: 512 * 1_024 * 1_024, type: 'mobileApp' }],
    });
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    try {
      const { result, run } = await syncOf(tenantId, ['mobileApp', 'deviceConfiguration']);
      expect(result).toMatchObject({
        status: 'partial',
        errorCodes: ['graph_page_too_large'],
        itemsObservedCount: 9,
      });
      expect(run.errorContext).toMatchObject({
        types: { mobileApp: { code: 'graph_page_too_large', pagesCount: 0 } },
      });
      expect(JSON.stringify(run.errorContext)).toContain(`longer than ${MAX_PAGE_BYTES} bytes`);
    } finally {
      clearInterval(sampler);
    }
    // Worker, simulator and test share this process: none of them held the page.
    expect(peak - baseline).toBeLessThan(128 * 1_024 * 1_024);
    // Not retried: no attempt makes a page shorter.
    expect((await engine.sim.admin.stats()).tenants[tenantId]!.byType.mobileApp).toBe(1);
  });

  it('gives up on a page answered with malformed JSON three times running, before GRAPH_MAX_ATTEMPTS', async () => {
    const tenantId = await engine.addTenant({
      counts: { mobileApp: 4, deviceConfiguration: 3 },
      faults: [{ kind: 'malformedJson', type: 'mobileApp' }],
    });
    const startedAt = Date.now();
    const { result, run } = await syncOf(tenantId, ['mobileApp', 'deviceConfiguration']);
    expect(result).toMatchObject({ status: 'partial', errorCodes: ['graph_invalid_response'] });
    expect(JSON.stringify(run.errorContext)).toContain('gave up after an invalid answer 3 times running');
    expect((await engine.sim.admin.stats()).tenants[tenantId]!.byType.mobileApp).toBe(3);
    // Two backoffs of at most 1 s and 2 s.
    expect(Date.now() - startedAt).toBeLessThan(10_000);
  });
});
