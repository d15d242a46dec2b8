/**
 * Spacing for the requests of a type with its own documented rate (e.g. Conditional Access, about
 * 1 request/s per tenant): each request of a tenant and type reserves the next free instant at
 * least one interval after the previous one, and waits for it. Temporal's per-key rate on the
 * type's own queue (inventory/workflow-ids.ts) bounds the sustained rate across worker processes,
 * but lets a burst through after an idle spell (its limiter has a burst allowance); this spacing
 * removes those bursts for every request a worker process sends.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Network, TLS and server jitter can bring two requests sent exactly one interval apart closer
 * than that at Graph; 20 % headroom keeps them apart (measured: 10 % let two Conditional Access
 * requests reach the simulator within one second on a loaded machine).
 */
const HEADROOM = 1.2;

export interface RequestPacer {
  /**
   * Resolves when a request of `key` at `requestsPerSecond` may be sent; rejects with the signal's
   * reason if it is aborted first (the reserved instant stays taken: spacing errs on the slow side).
   */
  wait(key: string, requestsPerSecond: number, signal?: AbortSignal): Promise<void>;
}

/** A pacer holding one next-free instant per key (ms since the epoch), for one process. */
export function createRequestPacer(now: () => number = Date.now): RequestPacer {
  const nextFree = new Map<string, number>();
  return {
    wait(key, requestsPerSecond, signal) {
      const intervalMs = (1_000 / requestsPerSecond) * HEADROOM;
      const at = Math.max(now(), nextFree.get(key) ?? 0);
      nextFree.set(key, at + intervalMs);
      const delayMs = at - now();
      if (delayMs <= 0) return Promise.resolve();
      // Aborted: rejects with the signal's own reason (a cancellation), like the request would.
      return sleep(delayMs, undefined, { signal }).catch((error: unknown) => {
        throw signal?.aborted ? signal.reason : error;
      });
    },
  };
}
