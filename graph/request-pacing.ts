/**
 * Spacing of Graph requests by key, with the generic cell rate algorithm (virtual scheduling):
 * each key keeps the theoretical arrival time of its next request; a request costing `count`
 * requests is sent once that time is at most `burstMs` away, and pushes it `count` intervals
 * further.
 *
 * Two uses (graph/client.ts):
 * - a type with its own documented rate (Conditional Access, about 1 request/s per tenant): no
 *   burst and 20 % headroom, in each worker process (`createRequestPacer`). Temporal's per-key
 *   rate on the type's own queue (inventory/workflow-ids.ts) bounds the sustained rate across
 *   worker processes, but lets a burst through after an idle spell; this spacing removes those
 *   bursts;
 * - the tenant's whole budget (GRAPH_TENANT_RPS), where each request inside a JSON batch counts as
 *   one request, as Graph counts it (REFERENCE.md "JSON batching"): a page activity is one task
 *   for Temporal's rate limiter but may carry a page request and batches of per-item requests.
 *   That budget is the tenant's across every worker process, so the worker paces it through a
 *   `TenantRequestLimiter` they share (db/tenant-request-limiter.ts, in PostgreSQL);
 *   `createProcessTenantLimiter` paces one process alone, for tools without a database.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Network, TLS and server jitter can bring two requests sent exactly one interval apart closer
 * than that at Graph; 20 % headroom keeps them apart (measured: 10 % let two Conditional Access
 * requests reach the simulator within one second on a loaded machine).
 */
export const STRICT_HEADROOM = 1.2;

/**
 * How far ahead of schedule the tenant's requests may go: a second of its budget at once, since
 * Intune counts requests over 20 s windows (1,000 per app and tenant; REFERENCE.md, throttling,
 * from learn.microsoft.com/graph/throttling-limits).
 */
export const TENANT_BURST_MS = 1_000;

/**
 * Admission of a tenant's Graph requests at its rate, each request inside a JSON batch counted as
 * one.
 */
export interface TenantRequestLimiter {
  /**
   * Resolves when `count` (≥ 1) requests of `tenantId` may be sent. Rejects with the signal's
   * reason if it is aborted while waiting (the reservation stays taken: pacing errs on the slow
   * side), or with the implementation's own error when it cannot decide (e.g. `db_error`); it
   * never resolves unpaced.
   */
  acquire(tenantId: string, count: number, signal?: AbortSignal): Promise<void>;
}

/** Waits `ms`; aborted first, rejects with the signal's own reason (a cancellation), as a request would. */
export async function waitUnlessAborted(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return;
  await sleep(ms, undefined, { signal }).catch((error: unknown) => {
    throw signal?.aborted ? signal.reason : error;
  });
}

export interface RequestPacer {
  /**
   * Resolves when `count` (default 1) requests of `key` at `requestsPerSecond` may be sent; rejects
   * with the signal's reason if it is aborted first (the reserved time stays taken: spacing errs
   * on the slow side).
   */
  wait(key: string, requestsPerSecond: number, signal?: AbortSignal, count?: number): Promise<void>;
}

export interface PacerOptions {
  /** Intervals are stretched by this factor (default 1). */
  headroom?: number;
  /** How far ahead of schedule a request may go, in ms (default 0: strict spacing). */
  burstMs?: number;
  now?: () => number;
}

/** A pacer holding one theoretical arrival time per key (ms since the epoch), for one process. */
export function createRequestPacer({
  headroom = 1,
  burstMs = 0,
  now = Date.now,
}: PacerOptions = {}): RequestPacer {
  const nextAt = new Map<string, number>();
  return {
    wait(key, requestsPerSecond, signal, count = 1) {
      const intervalMs = (1_000 / requestsPerSecond) * headroom;
      const scheduled = nextAt.get(key) ?? 0;
      const sendAt = Math.max(now(), scheduled - burstMs);
      nextAt.set(key, Math.max(scheduled, sendAt) + count * intervalMs);
      return waitUnlessAborted(sendAt - now(), signal);
    },
  };
}

/**
 * A TenantRequestLimiter of this process alone at `requestsPerSecond` per tenant, with
 * TENANT_BURST_MS of burst: two processes with one each may send a tenant twice the rate.
 */
export function createProcessTenantLimiter(requestsPerSecond: number): TenantRequestLimiter {
  const pacer = createRequestPacer({ burstMs: TENANT_BURST_MS });
  return { acquire: (tenantId, count, signal) => pacer.wait(tenantId, requestsPerSecond, signal, count) };
}
