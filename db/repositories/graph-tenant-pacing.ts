/**
 * The per-tenant Graph request pacing every worker process shares (migration 1795478400010): the
 * generic cell rate algorithm in its virtual-scheduling form, one row per tenant holding the
 * theoretical arrival time (TAT) of its next request. Runs in the caller's tenant transaction
 * (`withTenant`).
 */
import { parseTenantId } from '../../inventory/tenant-id';
import { queryRows } from '../sql';
import { type TenantManager } from '../tenant-scope';

export interface Reservation {
  /** Requests to send together (a page request: 1; a JSON batch: each request inside it). */
  count: number;
  /** The tenant's spacing, ms per request (1,000 / requests per second). */
  intervalMs: number;
  /** How far ahead of its theoretical arrival time a reservation may be sent, in ms. */
  burstMs: number;
}

/**
 * Reserves `count` requests of the tenant and returns how many ms the caller waits before sending
 * them (0: at once). One statement: the TAT becomes max(TAT, now) + count × interval, and the
 * requests may go at max(now, new TAT − count × interval − burst). `now` is the database's clock
 * (`clock_timestamp()`, read once the row is locked), the one clock all workers share; the caller
 * only waits the returned duration, so its own clock never enters. Concurrent reservations of one
 * tenant queue on the row lock until the reserving transaction ends, so keep it short.
 */
export async function reserveGraphRequests(
  manager: TenantManager,
  tenantId: string,
  reservation: Reservation,
): Promise<number> {
  const { count, intervalMs, burstMs } = reservation;
  if (!Number.isSafeInteger(count) || count < 1) throw new RangeError(`count must be a positive integer`);
  if (!(intervalMs > 0 && Number.isFinite(intervalMs))) throw new RangeError('intervalMs must be positive');
  if (!(burstMs >= 0 && Number.isFinite(burstMs))) throw new RangeError('burstMs must not be negative');
  const [row] = await queryRows<{ wait_ms: number }>(
    manager,
    `INSERT INTO graph_tenant_pacing AS p (tenant_id, theoretical_arrival_at)
     VALUES ($1, clock_timestamp() + $2::float8 * interval '1 millisecond')
     ON CONFLICT (tenant_id) DO UPDATE SET theoretical_arrival_at =
       greatest(p.theoretical_arrival_at, clock_timestamp()) + $2::float8 * interval '1 millisecond'
     RETURNING greatest(0,
       extract(epoch FROM p.theoretical_arrival_at - clock_timestamp())::float8 * 1000 - $2::float8 - $3::float8
     ) AS wait_ms`,
    [parseTenantId(tenantId), count * intervalMs, burstMs],
  );
  return row!.wait_ms;
}
