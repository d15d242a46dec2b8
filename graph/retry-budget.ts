/**
 * A Graph page's retry budget: whether a failed page is tried again, and after how long, judged
 * from everything that page went through so far, not from the one failure alone.
 *
 * Throttling (429, 503) is Graph asking to come back later, and it can last minutes while Graph
 * keeps announcing `Retry-After: 1` (issue 10; reported on several Graph SDKs), so it is bounded by
 * time: the page waits `max(Retry-After, backoff(throttled attempts))` plus jitter for as long as
 * the throttling budget allows, measured from the page's first throttled answer. Every other
 * retryable failure counts against the attempt budget, and an invalid answer (malformed JSON, not a
 * collection) three times running gives up early: it does not change by waiting. Non-retryable
 * failures (400, 403, 404, …) are never retried.
 *
 * The state is plain JSON: the page activity keeps it in its heartbeat details, which Temporal
 * hands to the next attempt. Pure functions of their inputs (time and randomness are parameters).
 */
import { backoffDelayMs, withRetryAfterJitter, type RetryDecision } from './retry-decision';

/** What one page's attempts so far add up to. */
export interface PageRetryState {
  /** Attempts whose outcome is counted here; a later attempt that left no record timed out. */
  recordedAttempts: number;
  /** Failed attempts that count against GRAPH_MAX_ATTEMPTS (everything but throttling). */
  errorAttempts: number;
  /** Invalid answers (graph_invalid_response) in a row. */
  invalidStreak: number;
  /** Epoch ms of the page's first throttled answer; null while it has not been throttled. */
  firstThrottledAtMs: number | null;
  throttledAttempts: number;
}

export interface RetryBudgets {
  /** GRAPH_MAX_ATTEMPTS: attempts that may fail, throttling not counted, before the page gives up. */
  maxAttempts: number;
  /** GRAPH_THROTTLE_BUDGET: how long (ms) a page may stay throttled, from its first throttled answer. */
  throttleBudgetMs: number;
}

/**
 * GRAPH_THROTTLE_BUDGET unless set: 15 minutes, the upper end of the 10–15 minutes issue 10 asks
 * for. Graph throttling episodes reported in the field last seconds to a few minutes.
 */
export const DEFAULT_THROTTLE_BUDGET_MS = 15 * 60_000;

/** Invalid answers in a row after which a page gives up. */
export const INVALID_RESPONSE_LIMIT = 3;

export type RetryVerdict =
  | { retry: true; delayMs: number; state: PageRetryState }
  /** `reason` says which budget ran out; null when the failure itself is not retryable. */
  | { retry: false; reason: string | null; state: PageRetryState };

/** The state of a page nothing has happened to yet. */
export function initialRetryState(): PageRetryState {
  return {
    recordedAttempts: 0,
    errorAttempts: 0,
    invalidStreak: 0,
    firstThrottledAtMs: null,
    throttledAttempts: 0,
  };
}

const count = (value: unknown): number | null =>
  Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : null;

/**
 * The state at the start of 1-based `attempt`, from what the previous attempt saved (`saved`:
 * anything; what is not a state counts as none). Attempts after the last recorded one ended
 * without recording their outcome (the worker died, or the attempt timed out): each counts as an
 * error attempt, so a page that keeps killing workers also ends.
 */
export function resumeRetryState(saved: unknown, attempt: number): PageRetryState {
  const s = (typeof saved === 'object' && saved !== null ? saved : {}) as Record<string, unknown>;
  const firstThrottledAtMs = count(s.firstThrottledAtMs);
  const state: PageRetryState = {
    recordedAttempts: count(s.recordedAttempts) ?? 0,
    errorAttempts: count(s.errorAttempts) ?? 0,
    invalidStreak: count(s.invalidStreak) ?? 0,
    firstThrottledAtMs,
    throttledAttempts: firstThrottledAtMs === null ? 0 : (count(s.throttledAttempts) ?? 0),
  };
  const unrecorded = Math.max(0, attempt - 1 - state.recordedAttempts);
  if (unrecorded > 0) {
    state.errorAttempts += unrecorded;
    state.invalidStreak = 0;
  }
  state.recordedAttempts = Math.max(state.recordedAttempts, attempt - 1);
  return state;
}

/**
 * Why a page is not to be sent at all, or null: attempts that ended without an answer (counted by
 * resumeRetryState) have spent the attempt budget. Without this a page that kills its worker every
 * time would be retried forever, since no attempt lives to record a failure.
 */
export function spentBeforeStart(state: PageRetryState, budgets: RetryBudgets): string | null {
  if (state.errorAttempts < budgets.maxAttempts) return null;
  return `${state.errorAttempts} attempts failed or ended without an answer (GRAPH_MAX_ATTEMPTS ${budgets.maxAttempts}); the last ones timed out or lost their worker`;
}

/** Whether a failure is Graph throttling: 429, or 503 (Graph's throttling guidance treats both alike). */
export function isThrottling(decision: RetryDecision): boolean {
  return decision.httpStatus === 429 || decision.httpStatus === 503;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1_000)} s`;
}

/**
 * The verdict on one more failed attempt of the page whose state is `state`: retry after
 * `delayMs`, or give up with the budget that ran out. `nowMs` is epoch ms; `state` is not changed,
 * the verdict carries the next one.
 */
export function afterFailure(
  state: PageRetryState,
  decision: RetryDecision,
  nowMs: number,
  budgets: RetryBudgets,
  random: () => number = Math.random,
): RetryVerdict {
  const next: PageRetryState = { ...state, recordedAttempts: state.recordedAttempts + 1 };
  if (!decision.retryable) return { retry: false, reason: null, state: next };
  const waitFor = (attempts: number): number =>
    Math.max(
      decision.retryAfterMs === undefined ? 0 : withRetryAfterJitter(decision.retryAfterMs, random),
      backoffDelayMs(attempts, {}, random),
    );

  if (isThrottling(decision)) {
    next.invalidStreak = 0;
    next.firstThrottledAtMs ??= nowMs;
    next.throttledAttempts += 1;
    const delayMs = waitFor(next.throttledAttempts);
    const throttledFor = nowMs - next.firstThrottledAtMs;
    if (throttledFor + delayMs > budgets.throttleBudgetMs) {
      return {
        retry: false,
        reason: `throttled for ${seconds(throttledFor)} over ${next.throttledAttempts} attempts; waiting ${seconds(delayMs)} more would exceed GRAPH_THROTTLE_BUDGET (${seconds(budgets.throttleBudgetMs)})`,
        state: next,
      };
    }
    return { retry: true, delayMs, state: next };
  }

  next.errorAttempts += 1;
  next.invalidStreak = decision.code === 'graph_invalid_response' ? next.invalidStreak + 1 : 0;
  if (next.invalidStreak >= INVALID_RESPONSE_LIMIT) {
    return {
      retry: false,
      reason: `an invalid answer ${next.invalidStreak} times running`,
      state: next,
    };
  }
  if (next.errorAttempts >= budgets.maxAttempts) {
    return {
      retry: false,
      reason: `${next.errorAttempts} failed attempts (GRAPH_MAX_ATTEMPTS ${budgets.maxAttempts})`,
      state: next,
    };
  }
  return { retry: true, delayMs: waitFor(next.errorAttempts), state: next };
}
