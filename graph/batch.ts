/**
 * JSON batching (https://learn.microsoft.com/graph/json-batching): GET requests sent in `POST
 * /$batch` envelopes of at most 20, with each sub-request retried on its own. Graph throttles every
 * request inside a batch separately and answers a throttled one with its own 429 (or 503/504) and
 * its own `Retry-After` in the sub-response's headers, while the batch itself answers 200; the
 * Graph SDKs do not retry those (REFERENCE.md "JSON batching"), so peers drop them silently. Here
 * exactly the throttled sub-requests are sent again, each no earlier than its own delay, in new
 * envelopes; the others' answers are kept. A sub-request whose delay would end after `deadlineMs`
 * makes the whole call fail with its throttling decision, so the caller's retry budget (the page
 * activity's, graph/retry-budget.ts) decides, and no answer is ever dropped.
 */
import { GraphError } from './errors';
import { decide } from './retry-decision';

/** At most this many requests per envelope (Graph's documented limit). */
export const MAX_BATCH_REQUESTS = 20;

export interface BatchRequest {
  /** Unique within one call; echoed back in its answer. */
  id: string;
  /** Relative to the API version, e.g. `/deviceManagement/intents/{id}/assignments`. */
  url: string;
}

export interface BatchAnswer {
  status: number;
  /** Sub-response headers with lower-case names. */
  headers: Record<string, string>;
  body: unknown;
  /** Graph's `request-id` of the sub-response, when it gave one. */
  requestId?: string;
}

export interface BatchTransport {
  /**
   * Sends one envelope of at most MAX_BATCH_REQUESTS requests and answers by request id; throws a
   * GraphError when the envelope itself fails. A request id missing from the answer is sent again.
   */
  post(requests: readonly BatchRequest[]): Promise<Map<string, BatchAnswer>>;
  /** Resolves when `requests` more requests of the tenant may be sent (each sub-request counts). */
  pace(requests: number): Promise<void>;
}

export interface BatchOptions {
  /** Epoch ms after which no sub-request is waited for; one still throttled then fails the call. */
  deadlineMs: number;
  now?: () => number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Statuses a sub-request is sent again for (Graph's transient ones; 500 and others are answers). */
function isTransient(status: number): boolean {
  return status === 429 || status === 503 || status === 504;
}

interface Pending {
  request: BatchRequest;
  /** Epoch ms before which it is not sent. */
  dueAt: number;
  /** Sends so far. */
  attempts: number;
}

/**
 * Sends `requests` through `transport` and returns every one's final answer (any status but a
 * transient one), by id. Throws the envelope's GraphError, or `graph_throttled`/`graph_unavailable`
 * (retryable) when a sub-request is still throttled at `deadlineMs`.
 */
export async function sendBatched(
  requests: readonly BatchRequest[],
  transport: BatchTransport,
  options: BatchOptions,
): Promise<Map<string, BatchAnswer>> {
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const answers = new Map<string, BatchAnswer>();
  let pending: Pending[] = requests.map((request) => ({ request, dueAt: 0, attempts: 0 }));
  while (pending.length > 0) {
    const firstDue = Math.min(...pending.map((p) => p.dueAt));
    const wait = firstDue - now();
    if (wait > 0) await sleep(wait);
    const due = pending.filter((p) => p.dueAt <= now()).slice(0, MAX_BATCH_REQUESTS);
    const sent = new Set(due);
    pending = pending.filter((p) => !sent.has(p));
    await transport.pace(due.length);
    const received = await transport.post(due.map((p) => p.request));
    for (const entry of due) {
      entry.attempts += 1;
      const answer = received.get(entry.request.id);
      if (answer !== undefined && !isTransient(answer.status)) {
        answers.set(entry.request.id, answer);
        continue;
      }
      const decision = decide({
        ...(answer === undefined ? { invalidResponse: true } : { status: answer.status }),
        retryAfter: answer?.headers['retry-after'] ?? null,
        attempt: entry.attempts,
        now: new Date(now()),
        random,
        ...(answer?.requestId !== undefined && { requestId: answer.requestId }),
      });
      const dueAt = now() + (decision.delayMs ?? 0);
      if (dueAt > options.deadlineMs) {
        throw new GraphError(
          decision,
          answer === undefined
            ? `the batch answer left out request ${entry.request.url} ${entry.attempts} times`
            : `Graph answered ${answer.status} for ${entry.request.url} inside a batch ${entry.attempts} times; ` +
                'the rest of the page is asked again later',
        );
      }
      pending.push({ ...entry, dueAt });
    }
  }
  return answers;
}
