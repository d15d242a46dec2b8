/**
 * The run figures the worker's metrics read at scrape time (worker/metrics-gauges.ts): live runs of
 * every tenant through `inventory_live_runs()` (the one cross-tenant read, bookkeeping columns
 * only), and a tenant's latest successful run under its own row-level security. Each is one short
 * statement whose cost does not grow with the run history.
 */
import { type EntityManager } from 'typeorm';
import { parseTenantId } from '../../inventory/tenant-id';
import { queryRows } from '../sql';
import { type TenantManager } from '../tenant-scope';

export interface LiveRunsSummary {
  /** Runs pending or running, every tenant. */
  count: number;
  /** Seconds since the oldest of them started (queued, for a pending one); 0 when there is none. */
  oldestAgeSeconds: number;
}

/** Live runs of every tenant, counted (the function's rows are live runs only); any manager. */
export async function summarizeLiveRuns(manager: EntityManager): Promise<LiveRunsSummary> {
  const [row] = await queryRows<{ count: number; oldest_age_seconds: number }>(
    manager,
    `SELECT count(*)::int AS count,
            COALESCE(EXTRACT(EPOCH FROM now() - min(started_at)), 0)::float8 AS oldest_age_seconds
     FROM inventory_live_runs()`,
  );
  return { count: row!.count, oldestAgeSeconds: Math.max(0, row!.oldest_age_seconds) };
}

/**
 * When the tenant's latest-started `success` run finished, or null when it never had one: walks
 * `inventory_sync_runs_tenant_newest_idx` from the newest run to the first success.
 */
export async function lastSuccessfulRunFinishedAt(
  manager: TenantManager,
  tenantId: string,
): Promise<Date | null> {
  const [row] = await queryRows<{ finished_at: Date }>(
    manager,
    `SELECT finished_at FROM inventory_sync_runs
     WHERE tenant_id = $1 AND status = 'success'
     ORDER BY created_at DESC, id DESC
     LIMIT 1`,
    [parseTenantId(tenantId)],
  );
  return row?.finished_at ?? null;
}
