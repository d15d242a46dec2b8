/**
 * How a sync workflow fails when it must: with a non-retryable ApplicationFailure whose type is
 * the stable error code and whose message is one bounded line, so the Temporal CLI and UI, the
 * client and a parent workflow all see `invalid_input` or `tenant_unknown` rather than a generic
 * activity or child-workflow failure. Runs in Temporal's sandbox.
 */
import { ActivityFailure, ApplicationFailure, ChildWorkflowFailure } from '@temporalio/workflow';
import { isErrorCode, type ErrorCode } from '../inventory/error-codes';

/** Longest message echoed back: enough to name the problem, never a megabyte of input. */
const MAX_MESSAGE = 300;

/** A non-retryable failure of the workflow itself, typed by its stable code. */
export function workflowFailure(code: ErrorCode, message: string): ApplicationFailure {
  const bounded = message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message;
  const failure = ApplicationFailure.create({ type: code, message: bounded, nonRetryable: true });
  // An expected failure is its code and message; a stack into the workflow's parser is noise in
  // the Temporal UI and CLI (Temporal records `stack` as the failure's stack trace).
  failure.stack = '';
  return failure;
}

/**
 * Awaits an activity or child workflow; when it fails with a stable code, the workflow fails
 * with that code as its own failure type. Any other failure passes through unchanged.
 */
export async function orFailWithCode<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    const cause =
      error instanceof ActivityFailure || error instanceof ChildWorkflowFailure ? error.cause : null;
    if (cause instanceof ApplicationFailure && cause.type && isErrorCode(cause.type)) {
      throw workflowFailure(cause.type, cause.message);
    }
    throw error;
  }
}
