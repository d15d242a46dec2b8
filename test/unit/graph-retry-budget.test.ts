import { describe, expect, it } from 'vitest';
import {
  afterFailure,
  initialRetryState,
  resumeRetryState,
  spentBeforeStart,
  type PageRetryState,
  type RetryBudgets,
} from '../../graph/retry-budget';
import { decide } from '../../graph/retry-decision';

const NOW = new Date('2026-03-01T12:00:00Z');
const BUDGETS: RetryBudgets = { maxAttempts: 4, throttleBudgetMs: 60_000 };
const top = () => 0.999999;

/** Feeds the same failure `n` times, one second apart plus the delay asked for; returns the last verdict. */
function fail(n: number, input: Parameters<typeof decide>[0], budgets = BUDGETS, startMs = NOW.getTime()) {
  let state: PageRetryState = initialRetryState();
  let now = startMs;
  let verdict = afterFailure(state, decide(input), now, budgets, top);
  for (let i = 1; i < n && verdict.retry; i++) {
    state = verdict.state;
    now += verdict.delayMs;
    verdict = afterFailure(state, decide({ ...input, now: new Date(now) }), now, budgets, top);
  }
  return { verdict, now };
}

describe('afterFailure: throttling is bounded by time, not attempts', () => {
  it('keeps retrying a 429 with Retry-After: 1 far beyond GRAPH_MAX_ATTEMPTS while the budget lasts (issue 10)', () => {
    const { verdict } = fail(
      8,
      { status: 429, retryAfter: '1', attempt: 1, now: NOW },
      { maxAttempts: 4, throttleBudgetMs: 15 * 60_000 },
    );
    expect(verdict).toMatchObject({ retry: true, state: { throttledAttempts: 8, errorAttempts: 0 } });
  });

  it('waits at least Retry-After, and the backoff of the throttled attempt when that is longer', () => {
    const first = afterFailure(
      initialRetryState(),
      decide({ status: 429, retryAfter: '5', attempt: 1, now: NOW }),
      NOW.getTime(),
      BUDGETS,
      () => 0,
    );
    expect(first).toMatchObject({ retry: true, delayMs: 5_000 });
    const state = { ...initialRetryState(), firstThrottledAtMs: NOW.getTime(), throttledAttempts: 5 };
    // The sixth throttled attempt backs off up to 32 s, longer than Retry-After: 1.
    const sixth = afterFailure(
      state,
      decide({ status: 429, retryAfter: '1', attempt: 1, now: NOW }),
      NOW.getTime(),
      BUDGETS,
      top,
    );
    expect(sixth).toMatchObject({ retry: true, delayMs: 32_000 });
  });

  it('treats Retry-After: 0 and an HTTP-date in the past as "now", backing off by attempt', () => {
    for (const retryAfter of ['0', 'Sun, 01 Mar 2026 11:00:00 GMT']) {
      const verdict = afterFailure(
        { ...initialRetryState(), firstThrottledAtMs: NOW.getTime(), throttledAttempts: 2 },
        decide({ status: 429, retryAfter, attempt: 1, now: NOW }),
        NOW.getTime(),
        BUDGETS,
        () => 0.5,
      );
      expect(verdict, retryAfter).toMatchObject({ retry: true, delayMs: 2_000 });
    }
  });

  it('counts 503 as throttling too', () => {
    const verdict = afterFailure(
      initialRetryState(),
      decide({ status: 503, attempt: 1, now: NOW }),
      NOW.getTime(),
      BUDGETS,
    );
    expect(verdict.state).toMatchObject({ throttledAttempts: 1, errorAttempts: 0 });
  });

  it('gives up once the next wait would end beyond the budget, measured from the first throttled answer', () => {
    const state: PageRetryState = {
      ...initialRetryState(),
      recordedAttempts: 3,
      firstThrottledAtMs: NOW.getTime() - 58_000,
      throttledAttempts: 3,
    };
    const verdict = afterFailure(
      state,
      decide({ status: 429, retryAfter: '5', attempt: 4, now: NOW }),
      NOW.getTime(),
      BUDGETS,
      () => 0,
    );
    expect(verdict).toMatchObject({ retry: false, state: { throttledAttempts: 4, recordedAttempts: 4 } });
    expect(verdict.retry === false && verdict.reason).toMatch(
      /throttled for 58 s over 4 attempts; .*GRAPH_THROTTLE_BUDGET \(60 s\)/,
    );
  });

  it('gives up at once on a Retry-After longer than the whole budget', () => {
    const verdict = afterFailure(
      initialRetryState(),
      decide({ status: 429, retryAfter: '3600', attempt: 1, now: NOW }),
      NOW.getTime(),
      BUDGETS,
    );
    expect(verdict.retry).toBe(false);
  });
});

describe('afterFailure: other failures spend the attempt budget', () => {
  it('gives up after GRAPH_MAX_ATTEMPTS failed attempts, throttled ones not counted', () => {
    const throttled = fail(3, { status: 429, retryAfter: '1', attempt: 1, now: NOW }).verdict;
    let state = throttled.state;
    const verdicts = [];
    for (let i = 0; i < BUDGETS.maxAttempts; i++) {
      const verdict = afterFailure(
        state,
        decide({ status: 500, attempt: 1, now: NOW }),
        NOW.getTime(),
        BUDGETS,
        top,
      );
      verdicts.push(verdict.retry);
      state = verdict.state;
    }
    expect(verdicts).toEqual([true, true, true, false]);
    expect(state).toMatchObject({ errorAttempts: 4, throttledAttempts: 3, recordedAttempts: 7 });
  });

  it('backs off by the failed attempts, honouring a longer Retry-After on a 5xx', () => {
    const state = { ...initialRetryState(), errorAttempts: 2 };
    expect(
      afterFailure(state, decide({ status: 502, attempt: 9, now: NOW }), NOW.getTime(), BUDGETS, top),
    ).toMatchObject({
      retry: true,
      delayMs: 4_000,
    });
    expect(
      afterFailure(
        state,
        decide({ status: 500, retryAfter: '10', attempt: 9, now: NOW }),
        NOW.getTime(),
        BUDGETS,
        () => 0,
      ),
    ).toMatchObject({ retry: true, delayMs: 10_000 });
  });

  it('gives up on an invalid answer three times running, sooner than the attempt budget', () => {
    const budgets = { ...BUDGETS, maxAttempts: 10 };
    const invalid = { invalidResponse: true, status: 200, attempt: 1, now: NOW };
    const { verdict } = fail(3, invalid, budgets);
    expect(verdict).toMatchObject({ retry: false, state: { invalidStreak: 3, errorAttempts: 3 } });
    expect(verdict.retry === false && verdict.reason).toBe('an invalid answer 3 times running');
  });

  it('restarts the invalid-answer count after any other failure', () => {
    const budgets = { ...BUDGETS, maxAttempts: 10 };
    let state = initialRetryState();
    const sequence = [
      { invalidResponse: true, status: 200 },
      { invalidResponse: true, status: 200 },
      { networkError: true },
      { invalidResponse: true, status: 200 },
      { invalidResponse: true, status: 200 },
    ];
    for (const input of sequence) {
      const verdict = afterFailure(state, decide({ ...input, attempt: 1, now: NOW }), NOW.getTime(), budgets);
      expect(verdict.retry).toBe(true);
      state = verdict.state;
    }
    expect(state.invalidStreak).toBe(2);
  });

  it('never retries what cannot change (400, 403, 404)', () => {
    for (const status of [400, 403, 404]) {
      expect(
        afterFailure(initialRetryState(), decide({ status, attempt: 1, now: NOW }), NOW.getTime(), BUDGETS),
      ).toEqual({
        retry: false,
        reason: null,
        state: { ...initialRetryState(), recordedAttempts: 1 },
      });
    }
  });
});

describe('resumeRetryState', () => {
  it('starts from nothing on the first attempt, whatever was saved', () => {
    expect(resumeRetryState(undefined, 1)).toEqual(initialRetryState());
    expect(resumeRetryState('garbage', 1)).toEqual(initialRetryState());
  });

  it('continues from what the previous attempt recorded', () => {
    const saved = {
      recordedAttempts: 4,
      errorAttempts: 1,
      invalidStreak: 1,
      firstThrottledAtMs: 1_000,
      throttledAttempts: 3,
    };
    expect(resumeRetryState(saved, 5)).toEqual(saved);
  });

  it('counts attempts that ended without a record (worker died, timed out) as failed attempts', () => {
    const saved = {
      recordedAttempts: 2,
      errorAttempts: 1,
      invalidStreak: 2,
      firstThrottledAtMs: null,
      throttledAttempts: 0,
    };
    expect(resumeRetryState(saved, 5)).toEqual({
      ...saved,
      recordedAttempts: 4,
      errorAttempts: 3,
      invalidStreak: 0,
    });
    // Nothing saved at all: every earlier attempt died before it could heartbeat.
    expect(resumeRetryState(undefined, 3)).toMatchObject({ recordedAttempts: 2, errorAttempts: 2 });
  });

  it('ignores fields that are not counts', () => {
    expect(resumeRetryState({ errorAttempts: -1, throttledAttempts: 2, firstThrottledAtMs: 'x' }, 1)).toEqual(
      initialRetryState(),
    );
  });
});

describe('spentBeforeStart', () => {
  it('stops a page whose attempts kept ending without an answer once they spent GRAPH_MAX_ATTEMPTS', () => {
    expect(spentBeforeStart(resumeRetryState(undefined, BUDGETS.maxAttempts), BUDGETS)).toBeNull();
    expect(spentBeforeStart(resumeRetryState(undefined, BUDGETS.maxAttempts + 1), BUDGETS)).toMatch(
      /^4 attempts failed or ended without an answer \(GRAPH_MAX_ATTEMPTS 4\)/,
    );
  });
});
