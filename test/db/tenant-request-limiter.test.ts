/**
 * The per-tenant Graph request limiter every worker process shares (db/tenant-request-limiter.ts,
 * migration 1795478400010), against real PostgreSQL: the GCRA arithmetic of one reservation
 * (count, burst), the tenant's row under row-level security, and two limiters on pools of their
 * own, as two worker processes have, holding one tenant to its rate together while another tenant
 * keeps its own; a database failure fails the Graph page as `db_error` rather than letting it go
 * unpaced. Times are read where the requests would be sent, after `acquire` resolves.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DataSource } from 'typeorm';
import { createDataSource, initializeDataSource } from '../../db/data-source';
import { sqlState } from '../../db/errors';
import { reserveGraphRequests } from '../../db/repositories/graph-tenant-pacing';
import { queryRows } from '../../db/sql';
import { createPostgresTenantLimiter } from '../../db/tenant-request-limiter';
import { withTenant } from '../../db/tenant-scope';
import {
  createProcessTenantLimiter,
  TENANT_BURST_MS,
  type TenantRequestLimiter,
} from '../../graph/request-pacing';
import { retryDecisionOf } from '../../activities/failures';
import { InventoryError } from '../../inventory/error-codes';
import { startTestSimulator, testClient, TENANT_A } from '../graph/support';
import { createTestDatabase, type TestDatabase } from '../support/database';

let db: TestDatabase;
/** Two more runtime pools: the connections two worker processes would hold. */
const pools: DataSource[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  for (const name of ['first', 'second']) {
    pools.push(
      await initializeDataSource(
        createDataSource({ url: db.runtimeUrl, poolSize: 4, applicationName: `limiter-test-${name}` }),
      ),
    );
  }
});
afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.destroy()));
  await db?.drop();
});

function reserve(tenantId: string, count: number, intervalMs: number): Promise<number> {
  return reserveGraphRequests(db.runtime, tenantId, { count, intervalMs, burstMs: TENANT_BURST_MS });
}

describe('reserveGraphRequests', () => {
  it('lets a second of the budget go at once, then makes each reservation wait for its turn', async () => {
    const tenantId = randomUUID();
    // 10/s: 100 ms a request. 20 requests at once: the theoretical arrival time is 2 s ahead.
    expect(await reserve(tenantId, 20, 100)).toBe(0);
    // The next may go when that time is a second (the burst) away: in about 1 s.
    const next = await reserve(tenantId, 1, 100);
    expect(next).toBeGreaterThan(800);
    expect(next).toBeLessThanOrEqual(1_000);
    // A batch of 5 after it: 100 ms later still, whatever its own size.
    const batch = await reserve(tenantId, 5, 100);
    expect(batch - next).toBeGreaterThan(50);
    expect(batch - next).toBeLessThanOrEqual(100);
    // And the request after the batch waits for all five of its requests (500 ms).
    expect((await reserve(tenantId, 1, 100)) - batch).toBeGreaterThan(450);
  });

  it('keeps each tenant’s row to the tenant’s scope', async () => {
    const [mine, other] = [randomUUID(), randomUUID()];
    await reserve(mine, 1, 100);
    await reserve(other, 1, 100);
    const seen = await withTenant(db.runtime, mine, (manager) =>
      queryRows<{ tenant_id: string }>(manager, 'SELECT tenant_id FROM graph_tenant_pacing'),
    );
    expect(seen).toEqual([{ tenant_id: mine }]);
    // Outside a scope the runtime role sees no row and may write none: the scope a reservation
    // sets is local to its own statement, not left on the pooled connection.
    expect(await queryRows(db.runtime, 'SELECT tenant_id FROM graph_tenant_pacing')).toEqual([]);
    const refused = await queryRows(
      db.runtime,
      `INSERT INTO graph_tenant_pacing (tenant_id, theoretical_arrival_at) VALUES ($1, now())`,
      [other],
    ).catch((error: unknown) => error);
    expect(sqlState(refused)).toBe('42501');
  });
});

/**
 * The times (ms since `start`) at which `limiter` let requests of `tenantId` go, from `lanes`
 * callers acquiring one request after another for `durationMs`: demand far above any rate here.
 */
async function sendTimes(
  limiter: TenantRequestLimiter,
  tenantId: string,
  start: number,
  durationMs: number,
  lanes = 4,
): Promise<number[]> {
  const times: number[] = [];
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (Date.now() - start < durationMs) {
        await limiter.acquire(tenantId, 1);
        times.push(Date.now() - start);
      }
    }),
  );
  return times.filter((t) => t < durationMs);
}

/** The most requests inside any `windowMs` of `times`. */
function mostWithin(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let first = 0, last = 0; last < sorted.length; last++) {
    while (sorted[last]! - sorted[first]! >= windowMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

describe('two limiters on separate pools, as two worker processes', () => {
  const RATE = 20;
  const DURATION_MS = 3_000;
  // GCRA's bound: r × t plus the burst's requests, plus the one that opens the window; one more
  // for the jitter between the database's answer and the time read here.
  const bound = (RATE * (DURATION_MS + TENANT_BURST_MS)) / 1_000 + 2;

  it('send one tenant at most r × t + burst requests together, and leave another tenant its own rate', async () => {
    const [first, second] = pools.map((pool) =>
      createPostgresTenantLimiter(pool, { requestsPerSecond: RATE }),
    );
    const [shared, other] = [randomUUID(), randomUUID()];
    const start = Date.now();
    const [a, b, alone] = await Promise.all([
      sendTimes(first!, shared, start, DURATION_MS),
      sendTimes(second!, shared, start, DURATION_MS),
      sendTimes(first!, other, start, DURATION_MS),
    ]);
    // Both processes sent: the bound held for requests really spread over two pools.
    expect(a.length).toBeGreaterThan(10);
    expect(b.length).toBeGreaterThan(10);
    expect(a.length + b.length).toBeLessThanOrEqual(bound);
    expect(mostWithin([...a, ...b], 1_000)).toBeLessThanOrEqual(RATE * 2 + 2);
    // The other tenant, acquired through the same pool meanwhile, got its whole budget.
    expect(alone.length).toBeGreaterThanOrEqual(RATE * (DURATION_MS / 1_000) * 0.9);
    expect(alone.length).toBeLessThanOrEqual(bound);
  });

  it('(control) two limiters of one process each would have sent the tenant about twice that', async () => {
    const [first, second] = [createProcessTenantLimiter(RATE), createProcessTenantLimiter(RATE)];
    const tenantId = randomUUID();
    const start = Date.now();
    const [a, b] = await Promise.all([
      sendTimes(first, tenantId, start, DURATION_MS),
      sendTimes(second, tenantId, start, DURATION_MS),
    ]);
    expect(a.length + b.length).toBeGreaterThan(bound * 1.5);
  });

  it('fails with db_error when it cannot reach the database, and the Graph page with it, unsent', async () => {
    const broken = await initializeDataSource(
      createDataSource({ url: db.runtimeUrl, poolSize: 1, applicationName: 'limiter-test-broken' }),
    );
    await broken.destroy();
    const limiter = createPostgresTenantLimiter(broken, { requestsPerSecond: RATE });
    const dbError = {
      code: 'db_error',
      message: expect.stringMatching(/^cannot pace the tenant’s Graph requests: /) as string,
    };
    await expect(limiter.acquire(randomUUID(), 1)).rejects.toMatchObject(dbError);

    // Through the Graph client: the page fails with the retryable db_error, not a network error,
    // and nothing reached Graph unpaced.
    const sim = await startTestSimulator();
    try {
      const graph = testClient(sim, { tenantLimiter: limiter });
      const failure = await graph.fetchPage(TENANT_A, 'mobileApp').catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(InventoryError);
      expect(failure).toMatchObject(dbError);
      expect(retryDecisionOf(failure).retryable).toBe(true);
      expect((await sim.admin.stats()).tenants[TENANT_A]?.graphRequests ?? 0).toBe(0);
    } finally {
      await sim.close();
    }
  });

  it('rejects with the signal’s reason when aborted while waiting, keeping the reservation', async () => {
    const limiter = createPostgresTenantLimiter(pools[0]!, { requestsPerSecond: 1 });
    const tenantId = randomUUID();
    await limiter.acquire(tenantId, 2); // 1 s of burst used, and 1 s more: the next waits 1 s
    const controller = new AbortController();
    const waiting = limiter.acquire(tenantId, 1, controller.signal);
    const reason = new Error('cancelled');
    setTimeout(() => controller.abort(reason), 100);
    await expect(waiting).rejects.toBe(reason);
    // The cancelled request's turn stays taken: the next waits about 2 s, not 1 s.
    const next = await reserveGraphRequests(db.runtime, tenantId, {
      count: 1,
      intervalMs: 1_000,
      burstMs: TENANT_BURST_MS,
    });
    expect(next).toBeGreaterThan(1_500);
  });
});
