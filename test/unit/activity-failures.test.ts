/**
 * How an activity's error becomes the ApplicationFailure Temporal acts on: the Graph layer's retry
 * decision must arrive as `nonRetryable` and `nextRetryDelay`, or Temporal retries on its own
 * schedule and ignores Retry-After.
 */
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { budgetedFailure, retryDecisionOf, toApplicationFailure } from '../../activities/failures';
import { GraphError } from '../../graph/errors';
import { initialRetryState } from '../../graph/retry-budget';
import { decide } from '../../graph/retry-decision';
import { InventoryError } from '../../inventory/error-codes';

const NOW = new Date('2026-03-01T12:00:00.000Z');

describe('toApplicationFailure', () => {
  it('carries a throttled answer’s Retry-After as nextRetryDelay', () => {
    const decision = decide({
      status: 429,
      retryAfter: '2',
      attempt: 1,
      requestId: 'req-1',
      now: NOW,
      random: () => 0,
    });
    const failure = toApplicationFailure(new GraphError(decision, 'Graph answered 429'));
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({
      type: 'graph_throttled',
      nonRetryable: false,
      nextRetryDelay: 2_000,
      details: [{ httpStatus: 429, requestId: 'req-1' }],
    });
  });

  it('carries the backoff of a failure without Retry-After, and never a zero delay', () => {
    const backoff = decide({ status: 503, attempt: 3, now: NOW, random: () => 0.5 });
    expect(toApplicationFailure(new GraphError(backoff, 'unavailable')).nextRetryDelay).toBe(2_000);
    const immediate = decide({ status: 503, retryAfter: '0', attempt: 1, now: NOW, random: () => 0 });
    // nextRetryDelay 0 would mean "Temporal's own interval"; the shortest real delay is 1 ms.
    expect(toApplicationFailure(new GraphError(immediate, 'unavailable')).nextRetryDelay).toBe(1);
  });

  it('makes a permanent Graph failure non-retryable, without a delay', () => {
    const decision = decide({ status: 403, attempt: 1, now: NOW });
    const failure = toApplicationFailure(new GraphError(decision, 'Graph answered 403'));
    expect(failure).toMatchObject({ type: 'graph_forbidden', nonRetryable: true });
    expect(failure.nextRetryDelay).toBeUndefined();
  });

  it('redacts the message and keeps stable codes for other errors', () => {
    const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    const failure = toApplicationFailure(new InventoryError('tenant_unknown', `Bearer ${token}`));
    expect(failure).toMatchObject({ type: 'tenant_unknown', nonRetryable: true });
    expect(failure.message).not.toContain(token);
    expect(toApplicationFailure(new Error('boom'))).toMatchObject({
      type: 'internal_error',
      nonRetryable: false,
    });
  });
});

describe('budgetedFailure', () => {
  const state = initialRetryState();
  const throttled = new GraphError(
    decide({ status: 429, retryAfter: '1', attempt: 1, now: NOW }),
    'Graph answered 429',
  );

  it("retries after the budget's delay, not the single failure's", () => {
    const failure = budgetedFailure(throttled, { retry: true, delayMs: 7_500, state });
    expect(failure).toMatchObject({
      type: 'graph_throttled',
      nonRetryable: false,
      nextRetryDelay: 7_500,
      message: 'Graph answered 429',
      details: [{ httpStatus: 429, requestId: null }],
    });
  });

  it('gives up non-retryably, saying which budget ran out', () => {
    const failure = budgetedFailure(throttled, { retry: false, reason: 'throttled for 900 s', state });
    expect(failure).toMatchObject({ type: 'graph_throttled', nonRetryable: true });
    expect(failure.message).toBe('Graph answered 429; gave up after throttled for 900 s');
    expect(failure.nextRetryDelay).toBeUndefined();
  });

  it('keeps a failure that was never retryable as it is', () => {
    const forbidden = new GraphError(decide({ status: 403, attempt: 1, now: NOW }), 'Graph answered 403');
    expect(budgetedFailure(forbidden, { retry: false, reason: null, state })).toMatchObject({
      type: 'graph_forbidden',
      nonRetryable: true,
      message: 'Graph answered 403',
    });
  });
});

describe('retryDecisionOf', () => {
  it('puts failures outside Graph (storing the page) under the same budget, as retryable errors', () => {
    expect(retryDecisionOf(new InventoryError('db_error', 'cannot store the page'))).toEqual({
      code: 'db_error',
      retryable: true,
      delayMs: null,
    });
    expect(retryDecisionOf(new InventoryError('invalid_input', 'x'))).toMatchObject({ retryable: false });
    expect(retryDecisionOf(throttledError())).toMatchObject({ code: 'graph_throttled', httpStatus: 429 });
  });
});

function throttledError(): GraphError {
  return new GraphError(decide({ status: 429, attempt: 1, now: NOW }), 'Graph answered 429');
}
