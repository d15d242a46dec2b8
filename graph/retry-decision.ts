/**
 * What to do after a failed Graph request, as plain data. The sync engine runs one Graph page per
 * Temporal activity and lets Temporal retry between attempts, so the decision (code, retryable,
 * delay) must travel as a value: the activity turns it into an ApplicationFailure with
 * `nonRetryable` and `nextRetryDelay`, and the benchmarks' raw loop (bench/raw-enumerate.ts) sleeps on it.
 *
 * Pure functions of their inputs (time and randomness are parameters): safe anywhere, unit-tested.
 */
import { type ErrorCode } from '../inventory/error-codes';

export interface RetryDecision {
  code: ErrorCode;
  retryable: boolean;
  /**
   * How long to wait before the next attempt judged from this failure alone (Retry-After plus
   * jitter, else backoff of the attempt); null when not retryable. A caller that keeps a page's
   * retry budget (graph/retry-budget.ts) replaces it with a delay from the page's history.
   */
  delayMs: number | null;
  /** The wait Graph announced in Retry-After, in ms, when the status honours it and it parsed. */
  retryAfterMs?: number;
  httpStatus?: number;
  requestId?: string;
}

export interface BackoffOptions {
  baseMs?: number;
  capMs?: number;
}

const DEFAULT_BACKOFF_BASE_MS = 1_000;
const DEFAULT_BACKOFF_CAP_MS = 60_000;

const RETRY_AFTER_JITTER_SHARE = 0.1;
const RETRY_AFTER_JITTER_MAX_MS = 1_000;

/**
 * Seconds to wait according to a Retry-After header: delta-seconds (`"5"`), fractional seconds
 * as Graph sends them (`"2.128"`), or an HTTP-date (relative to `now`; a date in the past means 0).
 * Negative numbers and anything unparseable give null, so the caller falls back to backoff.
 */
export function parseRetryAfter(header: string | null, now: Date): number | null {
  if (header === null) return null;
  const text = header.trim();
  if (text.length === 0) return null;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  if (/^[+-]?\d/.test(text)) return null;
  // Only the date forms HTTP allows (IMF-fixdate and the two obsolete ones) contain letters.
  if (!/[A-Za-z]/.test(text)) return null;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, (at - now.getTime()) / 1_000);
}

/**
 * Exponential backoff with full jitter (a uniformly random delay up to the exponential ceiling),
 * which spreads the retries of a tenant's parallel requests instead of bunching them.
 */
export function backoffDelayMs(
  attempt: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  const base = options.baseMs ?? DEFAULT_BACKOFF_BASE_MS;
  const cap = options.capMs ?? DEFAULT_BACKOFF_CAP_MS;
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  // 2^exponent overflows to Infinity for absurd attempts; min() keeps the ceiling at the cap.
  const ceiling = Math.min(cap, base * 2 ** exponent);
  return Math.round(random() * ceiling);
}

export interface DecideInput {
  status?: number;
  retryAfter?: string | null;
  networkError?: boolean;
  invalidResponse?: boolean;
  /** 1-based attempt number of the request that just failed. */
  attempt: number;
  requestId?: string;
  now: Date;
  random?: () => number;
}

/**
 * A server-given wait (ms) plus jitter of at most 10 % of it and at most 1 s, so that a tenant's
 * parallel requests throttled together do not all come back at the same instant.
 */
export function withRetryAfterJitter(ms: number, random: () => number = Math.random): number {
  const jitter = random() * Math.min(ms * RETRY_AFTER_JITTER_SHARE, RETRY_AFTER_JITTER_MAX_MS);
  return Math.round(ms + jitter);
}

function statusCode(status: number): { code: ErrorCode; retryable: boolean; honoursRetryAfter: boolean } {
  switch (status) {
    case 429:
      return { code: 'graph_throttled', retryable: true, honoursRetryAfter: true };
    case 503:
    case 504:
      return { code: 'graph_unavailable', retryable: true, honoursRetryAfter: true };
    case 401:
      // The page fetcher has already refreshed the token once when this decision is made.
      return { code: 'graph_unauthorized', retryable: false, honoursRetryAfter: false };
    case 403:
      return { code: 'graph_forbidden', retryable: false, honoursRetryAfter: false };
    case 404:
      return { code: 'graph_not_found', retryable: false, honoursRetryAfter: false };
    case 408:
      return { code: 'graph_network_error', retryable: true, honoursRetryAfter: false };
  }
  if (status >= 500) return { code: 'graph_unavailable', retryable: true, honoursRetryAfter: true };
  if (status >= 400) return { code: 'graph_bad_request', retryable: false, honoursRetryAfter: false };
  // 1xx/3xx (redirects are not followed) or a success status with an unusable body.
  return { code: 'graph_invalid_response', retryable: true, honoursRetryAfter: false };
}

/** Maps one failed request to its error code and, when retryable, the delay before the next try. */
export function decide(input: DecideInput): RetryDecision {
  const random = input.random ?? Math.random;
  const extras = {
    ...(input.status !== undefined && { httpStatus: input.status }),
    ...(input.requestId !== undefined && { requestId: input.requestId }),
  };
  let code: ErrorCode;
  let retryable: boolean;
  let honoursRetryAfter = false;
  if (input.networkError) {
    code = 'graph_network_error';
    retryable = true;
  } else if (input.invalidResponse) {
    code = 'graph_invalid_response';
    retryable = true;
  } else if (input.status !== undefined) {
    ({ code, retryable, honoursRetryAfter } = statusCode(input.status));
  } else {
    code = 'graph_invalid_response';
    retryable = true;
  }
  if (!retryable) return { code, retryable, delayMs: null, ...extras };
  const seconds = honoursRetryAfter ? parseRetryAfter(input.retryAfter ?? null, input.now) : null;
  if (seconds === null) {
    return { code, retryable, delayMs: backoffDelayMs(input.attempt, {}, random), ...extras };
  }
  const retryAfterMs = Math.round(seconds * 1_000);
  return { code, retryable, delayMs: withRetryAfterJitter(retryAfterMs, random), retryAfterMs, ...extras };
}
