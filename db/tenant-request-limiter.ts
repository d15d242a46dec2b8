/**
 * The worker's per-tenant Graph request limiter (graph/request-pacing.ts TenantRequestLimiter),
 * shared by every worker process on the database: each acquire reserves its requests in the
 * tenant's pacing row (db/repositories/graph-tenant-pacing.ts) in a transaction of its own under
 * the tenant's row-level security, then waits, outside the transaction, until they may go.
 */
import { type DataSource } from 'typeorm';
import { type TenantRequestLimiter, TENANT_BURST_MS, waitUnlessAborted } from '../graph/request-pacing';
import { orDbError } from './errors';
import { reserveGraphRequests } from './repositories/graph-tenant-pacing';
import { withTenant } from './tenant-scope';

/**
 * A limiter at `requestsPerSecond` per tenant (GRAPH_TENANT_RPS) with TENANT_BURST_MS of burst,
 * across every process that uses the same database. Each acquire is one transaction: BEGIN, the
 * tenant setting, one upsert, COMMIT, on a connection of `ds`'s pool held for no longer than
 * those. Rejects with `db_error` (retryable) when the database fails, `invalid_input` for a
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
        withTenant(ds, tenantId, (manager) =>
          reserveGraphRequests(manager, tenantId, { count, intervalMs, burstMs: TENANT_BURST_MS }),
        ),
      );
      await waitUnlessAborted(waitMs, signal);
    },
  };
}
