/**
 * The worker's per-tenant Graph request limiter (graph/request-pacing.ts TenantRequestLimiter),
 * shared by every worker process on the database: each acquire reserves its requests in the
 * tenant's pacing row (db/repositories/graph-tenant-pacing.ts) in one statement under the
 * tenant's row-level security, then waits until they may go.
 */
import { type DataSource } from 'typeorm';
import { type TenantRequestLimiter, TENANT_BURST_MS, waitUnlessAborted } from '../graph/request-pacing';
import { orDbError } from './errors';
import { reserveGraphRequests } from './repositories/graph-tenant-pacing';

/**
 * A limiter at `requestsPerSecond` per tenant (GRAPH_TENANT_RPS) with TENANT_BURST_MS of burst,
 * across every process that uses the same database. Each acquire is one statement (one round
 * trip) on a connection of `ds`'s pool. Rejects with `db_error` (retryable) when the database fails, `invalid_input` for a
 * malformed tenant id, and the signal's reason when aborted while waiting.
 */
export function createPostgresTenantLimiter(
  ds: DataSource,
  options: { requestsPerSecond: number },
): TenantRequestLimiter {
  const intervalMs = 1_000 / options.requestsPerSecond;
  return {
    async acquire(tenantId, count, signal) {
      signal?.throwIfAborted();
      const waitMs = await orDbError(
        'cannot pace the tenant’s Graph requests',
        reserveGraphRequests(ds, tenantId, { count, intervalMs, burstMs: TENANT_BURST_MS }),
      );
      await waitUnlessAborted(waitMs, signal);
    },
  };
}
