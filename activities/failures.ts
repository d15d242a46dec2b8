/**
 * Turns what an activity throws into the ApplicationFailure Temporal records in history: the
 * failure type is the stable error code, the message is one redacted line, and the retry decision
 * of the Graph layer (retryable or not, next delay) becomes `nonRetryable` / `nextRetryDelay`.
 * The original error is never attached as `cause`: its stack and message could carry secrets.
 * A cancellation (the activity's CancelledFailure) passes through unchanged, so Temporal records
 * the attempt as cancelled rather than failed.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { InventoryError, NON_RETRYABLE_CODES, type ErrorCode } from '../inventory/error-codes';
import { redactText } from '../inventory/redact';
import { GraphError } from '../graph/errors';
import { isThrottling, type RetryVerdict } from '../graph/retry-budget';
import { type RetryDecision } from '../graph/retry-decision';

const NON_RETRYABLE = new Set<ErrorCode>(NON_RETRYABLE_CODES);

/**
 * The failure for any thrown value: an ApplicationFailure as is; a GraphError typed by its decision's
 * code, non-retryable or with `nextRetryDelay` (ms, at least 1), `{ httpStatus, requestId }` as
 * details; an InventoryError typed by its code, non-retryable for NON_RETRYABLE_CODES; anything else
 * `internal_error`, retryable. Messages are redacted.
 */
export function toApplicationFailure(error: unknown): ApplicationFailure {
  if (error instanceof ApplicationFailure) return error;
  return withoutStack(failureOf(error));
}

function failureOf(error: unknown): ApplicationFailure {
  if (error instanceof GraphError) {
    const { decision } = error;
    return ApplicationFailure.create({
      type: decision.code,
      message: redactText(error.message),
      nonRetryable: !decision.retryable,
      ...(decision.retryable &&
        decision.delayMs !== null && { nextRetryDelay: Math.max(1, decision.delayMs) }),
      details: [{ httpStatus: decision.httpStatus ?? null, requestId: decision.requestId ?? null }],
    });
  }
  if (error instanceof InventoryError) {
    return ApplicationFailure.create({
      type: error.code,
      message: redactText(error.message),
      nonRetryable: NON_RETRYABLE.has(error.code),
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return ApplicationFailure.create({ type: 'internal_error', message: redactText(message) });
}

/**
 * What a retry budget (graph/retry-budget.ts) needs to know of any thrown value: a GraphError's own
 * decision; otherwise its code, retryable unless in NON_RETRYABLE_CODES (a database failure while
 * storing the page, an unexpected error).
 */
export function retryDecisionOf(error: unknown): RetryDecision {
  if (error instanceof GraphError) return error.decision;
  const code = error instanceof InventoryError ? error.code : 'internal_error';
  return { code, retryable: !NON_RETRYABLE.has(code), delayMs: null };
}

/**
 * The failure for `error` as its retry budget decided: retried after exactly `verdict.delayMs`,
 * or non-retryable with the budget that ran out appended to the message. Unexpected errors are
 * logged like withSafeFailures does.
 */
export function budgetedFailure(error: unknown, verdict: RetryVerdict): ApplicationFailure {
  logUnexpected(error);
  const failure = toApplicationFailure(error);
  const reason = verdict.retry ? null : verdict.reason;
  return withoutStack(
    ApplicationFailure.create({
      ...(failure.type != null && { type: failure.type }),
      message: reason === null ? failure.message : `${failure.message}; gave up after ${reason}`,
      nonRetryable: !verdict.retry,
      ...(verdict.retry && { nextRetryDelay: Math.max(1, verdict.delayMs) }),
      ...(failure.details != null && { details: failure.details }),
    }),
  );
}

/**
 * A failure built here has a stack of this file, which says nothing: what matters is the code and
 * the message, and an unexpected error's own stack goes to the worker log (logUnexpected).
 */
function withoutStack(failure: ApplicationFailure): ApplicationFailure {
  failure.stack = '';
  return failure;
}

/** Failures nobody planned for: their stack (redacted) goes to the worker log, not to history. */
function logUnexpected(error: unknown): void {
  if (error instanceof ApplicationFailure || error instanceof InventoryError) return;
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  Context.current().log.error('unexpected activity failure', { error: redactText(detail) });
}

/** Wraps an activity implementation so every failure leaves it as a safe ApplicationFailure. */
export function withSafeFailures<A extends unknown[], R>(
  fn: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (error) {
      if (error instanceof CancelledFailure) throw error;
      logUnexpected(error);
      throw toApplicationFailure(error);
    }
  };
}

/**
 * Whether a first page's final failure may be its `$select`'s doing: a plain 400 (not one Graph
 * explains otherwise, such as a tenant without Intune), or server errors other than throttling.
 */
export function selectMayBeAtFault(decision: RetryDecision): boolean {
  if (decision.code === 'graph_bad_request') return decision.httpStatus === 400;
  return (
    decision.code === 'graph_unavailable' && (decision.httpStatus ?? 0) >= 500 && !isThrottling(decision)
  );
}
