/**
 * Spacing of a worker process's Graph requests by key, with the generic cell rate algorithm
 * (virtual scheduling): each key keeps the theoretical arrival time of its next request; a request
 * costing `count` requests is sent once that time is at most `burstMs` away, and pushes it `count`
 * intervals further.
 *
 * Two uses (graph/client.ts):
 * - a type with its own documented rate (Conditional Access, about 1 request/s per tenant): no
 *   burst and 20 % headroom. Temporal's per-key rate on the type's own queue
 *   (inventory/workflow-ids.ts) bounds the sustained rate across worker processes, but lets a
 *   burst through after an idle spell; this spacing removes those bursts;
 * - the tenant's whole budget (GRAPH_TENANT_RPS), where each request inside a JSON batch counts as
 *   one request, as Graph counts it (REFERENCE.md "JSON batching"): a page activity is one task
 *   for Temporal's rate limiter but may carry a page request and batches of per-item requests.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Network, TLS and server jitter can bring two requests sent exactly one interval apart closer
 * than that at Graph; 20 % headroom keeps them apart (measured: 10 % let two Conditional Access
 * requests reach the simulator within one second on a loaded machine).
 */
export const STRICT_HEADROOM = 1.2;

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
      const delayMs = sendAt - now();
      if (delayMs <= 0) return Promise.resolve();
      // Aborted: rejects with the signal's own reason (a cancellation), like the request would.
      return sleep(delayMs, undefined, { signal }).catch((error: unknown) => {
        throw signal?.aborted ? signal.reason : error;
      });
    },
  };
}
