/**
 * The per-tenant Graph request pacing every worker process shares (migration 1795478400010): the
 * generic cell rate algorithm in its virtual-scheduling form, one row per tenant holding the
 * theoretical arrival time (TAT) of its next request. One statement, in a transaction of its own:
 * the function sets the tenant scope for its upsert itself (the migration says why).
 */
import { type DataSource } from 'typeorm';
import { parseTenantId } from '../../inventory/tenant-id';
import { queryRows } from '../sql';

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
 * tenant queue on the row lock until the reserving statement ends.
 */
export async function reserveGraphRequests(
  db: DataSource,
  tenantId: string,
  reservation: Reservation,
): Promise<number> {
  const { count, intervalMs, burstMs } = reservation;
  if (!Number.isSafeInteger(count) || count < 1) throw new RangeError(`count must be a positive integer`);
  if (!(intervalMs > 0 && Number.isFinite(intervalMs))) throw new RangeError('intervalMs must be positive');
  if (!(burstMs >= 0 && Number.isFinite(burstMs))) throw new RangeError('burstMs must not be negative');
  const [row] = await queryRows<{ wait_ms: number }>(
    db,
    `SELECT public.inventory_reserve_graph_requests($1, $2, $3) AS wait_ms`,
    [parseTenantId(tenantId), count * intervalMs, burstMs],
  );
  return row!.wait_ms;
}
