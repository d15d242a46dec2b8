/**
 * Every injected fault, over real HTTPS, mapped by the page fetcher to its error code and retry
 * decision (or, for data faults, to a page that is still usable).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GraphError } from '../../graph/errors';
import { MAX_DISPLAY_NAME, MAX_META_STRING } from '../../inventory/item';
import { type FaultRule, type GraphSimulator } from '../../simulator/types';
import { caught, startTestSimulator, testClient, TENANT_A } from './support';

const TYPE = 'deviceCompliancePolicy';
const COUNT = 12;
const PAGE_SIZE = 5;

let sim: GraphSimulator;

beforeAll(async () => {
  sim = await startTestSimulator({
    tenants: [{ tenantId: TENANT_A, counts: { [TYPE]: COUNT }, pageSizes: { [TYPE]: PAGE_SIZE } }],
  });
});

afterAll(async () => {
  await sim.close();
});

beforeEach(async () => {
  await sim.admin.clearFaults();
  await sim.admin.resetStats();
});

async function failWith(
  faults: FaultRule[],
  options: { attempt?: number; timeoutMs?: number } = {},
): Promise<GraphError> {
  await sim.admin.setFaults(TENANT_A, faults);
  const client = testClient(sim, {
    random: () => 0.5,
    ...(options.timeoutMs && { timeoutMs: options.timeoutMs }),
  });
  const error = await caught(() => client.fetchPage(TENANT_A, TYPE, { attempt: options.attempt ?? 1 }));
  expect(error).toBeInstanceOf(GraphError);
  return error as GraphError;
}

async function pageWith(faults: FaultRule[]) {
  await sim.admin.setFaults(TENANT_A, faults);
  return testClient(sim).fetchPage(TENANT_A, TYPE);
}

describe('throttling', () => {
  it('honours Retry-After in seconds', async () => {
    const error = await failWith([
      { kind: 'status', status: 429, retryAfter: 'seconds', retryAfterSeconds: 2 },
    ]);
    expect(error.decision).toMatchObject({ code: 'graph_throttled', retryable: true, httpStatus: 429 });
    expect(error.decision.requestId).toMatch(/^[0-9a-f-]{36}$/);
    // 2 s plus half of the at most 10% jitter (random = 0.5).
    expect(error.decision.delayMs).toBe(2_100);
  });

  it('honours fractional Retry-After', async () => {
    const error = await failWith([
      { kind: 'status', status: 429, retryAfter: 'fractional', retryAfterSeconds: 1.5 },
    ]);
    expect(error.decision.delayMs).toBe(1_575);
  });

  it('honours Retry-After as an HTTP-date', async () => {
    const error = await failWith([
      { kind: 'status', status: 429, retryAfter: 'http-date', retryAfterSeconds: 3 },
    ]);
    // The date has whole seconds and is rounded up: between 2 and 4 s from now, plus jitter.
    expect(error.decision.delayMs).toBeGreaterThan(2_000);
    expect(error.decision.delayMs).toBeLessThanOrEqual(4_200);
  });

  it('backs off exponentially when 429 has no Retry-After', async () => {
    const error = await failWith([{ kind: 'status', status: 429, retryAfter: 'none' }], { attempt: 3 });
    expect(error.decision).toMatchObject({ code: 'graph_throttled', retryable: true, delayMs: 2_000 });
  });

  it('answers 429 beyond a token bucket budget, with the wait until the next token', async () => {
    await sim.admin.setFaults(TENANT_A, [
      { kind: 'rateLimit', requestsPerSecond: 1, burst: 2, retryAfter: 'fractional' },
    ]);
    const client = testClient(sim, { random: () => 0 });
    await client.fetchPage(TENANT_A, TYPE);
    await client.fetchPage(TENANT_A, TYPE);
    const error = (await caught(() => client.fetchPage(TENANT_A, TYPE))) as GraphError;
    expect(error.code).toBe('graph_throttled');
    expect(error.decision.delayMs).toBeGreaterThan(0);
    expect(error.decision.delayMs).toBeLessThanOrEqual(1_000);
    expect((await sim.admin.stats()).tenants[TENANT_A]?.byStatus).toEqual({ '200': 2, '429': 1 });
  });
});

describe('server and network failures', () => {
  it('maps 503 with Retry-After and 504 without to graph_unavailable', async () => {
    const unavailable = await failWith([
      { kind: 'status', status: 503, retryAfter: 'seconds', retryAfterSeconds: 1 },
    ]);
    expect(unavailable.decision).toMatchObject({
      code: 'graph_unavailable',
      retryable: true,
      delayMs: 1_050,
    });
    const gateway = await failWith([{ kind: 'status', status: 504 }], { attempt: 2 });
    expect(gateway.decision).toMatchObject({
      code: 'graph_unavailable',
      retryable: true,
      delayMs: 1_000,
      httpStatus: 504,
    });
    const internal = await failWith([{ kind: 'status', status: 500 }]);
    expect(internal.decision).toMatchObject({ code: 'graph_unavailable', retryable: true, httpStatus: 500 });
  });

  it('maps a reset connection to a retryable graph_network_error', async () => {
    const error = await failWith([{ kind: 'reset' }]);
    expect(error.decision).toMatchObject({ code: 'graph_network_error', retryable: true, delayMs: 500 });
    expect((await sim.admin.stats()).tenants[TENANT_A]?.byStatus).toEqual({ reset: 1 });
  });

  it('times out a request Graph never answers', async () => {
    const error = await failWith([{ kind: 'hang' }], { timeoutMs: 300 });
    expect(error.decision).toMatchObject({ code: 'graph_network_error', retryable: true });
    expect(error.message).toContain('timed out');
  });

  it('stops a request at once when the caller cancels, rejecting with the cancellation itself', async () => {
    await sim.admin.setFaults(TENANT_A, [{ kind: 'hang' }]);
    const client = testClient(sim, { timeoutMs: 10_000 });
    const controller = new AbortController();
    const reason = new Error('activity cancelled');
    const begun = Date.now();
    setTimeout(() => controller.abort(reason), 200);
    const error = await caught(() => client.fetchPage(TENANT_A, TYPE, { signal: controller.signal }));
    expect(error).toBe(reason);
    expect(Date.now() - begun).toBeLessThan(5_000);
    // Already cancelled: nothing is sent.
    await sim.admin.resetStats();
    expect(await caught(() => client.fetchPage(TENANT_A, TYPE, { signal: controller.signal }))).toBe(reason);
    expect((await sim.admin.stats()).tenants[TENANT_A]?.graphRequests ?? 0).toBe(0);
  });

  it('delays answers of the matching type by a latency fault', async () => {
    const error = await failWith([{ kind: 'latency', ms: 1_000, type: TYPE }], { timeoutMs: 200 });
    expect(error.decision).toMatchObject({ code: 'graph_network_error', retryable: true });
    const other = await testClient(sim, { timeoutMs: 200 }).fetchPage(TENANT_A, 'mobileApp');
    expect(other.items.length).toBeGreaterThan(0);
  });

  it('maps a body that is not JSON to a retryable graph_invalid_response', async () => {
    const error = await failWith([{ kind: 'malformedJson' }]);
    expect(error.decision).toMatchObject({ code: 'graph_invalid_response', retryable: true, delayMs: 500 });
  });

  it('does not retry 403, 404 and 400', async () => {
    const cases = [
      [403, 'graph_forbidden'],
      [404, 'graph_not_found'],
      [400, 'graph_bad_request'],
    ] as const;
    for (const [status, code] of cases) {
      const error = await failWith([{ kind: 'status', status, retryAfter: 'seconds' }]);
      expect(error.decision).toMatchObject({ code, retryable: false, delayMs: null, httpStatus: status });
      expect(error.decision.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(error.message).toContain(`${status}`);
    }
  });

  it('scopes a fault to a page and expires it after its count', async () => {
    await sim.admin.setFaults(TENANT_A, [{ kind: 'status', status: 503, page: 2, count: 1 }]);
    const client = testClient(sim);
    const first = await client.fetchPage(TENANT_A, TYPE);
    const error = (await caught(() =>
      client.fetchPage(TENANT_A, TYPE, { nextLink: first.nextLink }),
    )) as GraphError;
    expect(error.code).toBe('graph_unavailable');
    const second = await client.fetchPage(TENANT_A, TYPE, { nextLink: first.nextLink, attempt: 2 });
    expect(second.items).toHaveLength(PAGE_SIZE);
    await client.fetchPage(TENANT_A, 'mobileApp');
    expect((await sim.admin.stats()).tenants[TENANT_A]?.byStatus).toEqual({ '200': 3, '503': 1 });
  });

  it('never fires a fault of probability 0, always one of probability 1', async () => {
    await sim.admin.setFaults(TENANT_A, [{ kind: 'status', status: 500, probability: 0 }]);
    await testClient(sim).fetchPage(TENANT_A, TYPE);
    const error = await failWith([{ kind: 'status', status: 500, probability: 1 }]);
    expect(error.code).toBe('graph_unavailable');
  });
});

describe('data faults', () => {
  it('skips and counts items without an id, keeping the rest of the page', async () => {
    const page = await pageWith([{ kind: 'itemsWithoutId', n: 3 }]);
    expect(page.items).toHaveLength(PAGE_SIZE);
    expect(page.itemsInvalidCount).toBe(3);
  });

  it('removes NUL characters from names', async () => {
    const page = await pageWith([{ kind: 'nulInNames' }]);
    expect(page.items).toHaveLength(PAGE_SIZE);
    for (const item of page.items) {
      expect(item.display_name).not.toContain('\u0000');
      expect(item.display_name).toContain('(nul)');
    }
  });

  it('bounds oversized strings', async () => {
    const page = await pageWith([{ kind: 'oversizedStrings', length: 50_000 }]);
    for (const item of page.items) {
      expect([...item.display_name]).toHaveLength(MAX_DISPLAY_NAME);
      expect(String(item.meta.description)).toHaveLength(MAX_META_STRING);
    }
  });
});
