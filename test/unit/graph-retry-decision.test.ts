import { describe, expect, it } from 'vitest';
import { backoffDelayMs, decide, parseRetryAfter } from '../../graph/retry-decision';

const NOW = new Date('2026-03-01T12:00:00.000Z');

describe('parseRetryAfter', () => {
  it('reads whole and fractional seconds', () => {
    expect(parseRetryAfter('5', NOW)).toBe(5);
    expect(parseRetryAfter(' 0 ', NOW)).toBe(0);
    expect(parseRetryAfter('2.128', NOW)).toBe(2.128);
  });

  it('reads an HTTP-date relative to now, and a past date as zero', () => {
    expect(parseRetryAfter('Sun, 01 Mar 2026 12:00:30 GMT', NOW)).toBe(30);
    expect(parseRetryAfter('Sun, 01 Mar 2026 11:59:00 GMT', NOW)).toBe(0);
  });

  it('rejects negative, empty and garbage values', () => {
    for (const value of [null, '', '-1', '-0.5', '1e3', 'soon', '5s', '0x10', '12:00']) {
      expect(parseRetryAfter(value, NOW), String(value)).toBeNull();
    }
  });
});

describe('backoffDelayMs', () => {
  it('uses full jitter under an exponential ceiling', () => {
    expect(backoffDelayMs(1, {}, () => 0.999999)).toBe(1_000);
    expect(backoffDelayMs(3, {}, () => 0.5)).toBe(2_000);
    expect(backoffDelayMs(4, {}, () => 0)).toBe(0);
  });

  it('caps the ceiling, also for absurd attempt numbers', () => {
    expect(backoffDelayMs(7, {}, () => 0.999999)).toBe(60_000);
    expect(backoffDelayMs(5_000, {}, () => 0.5)).toBe(30_000);
    expect(backoffDelayMs(3, { baseMs: 100, capMs: 250 }, () => 0.999999)).toBe(250);
  });
});

describe('decide', () => {
  const base = { attempt: 1, now: NOW, random: () => 0.5 };

  it('honours Retry-After on 429 with at most 10% (and at most 1 s) of jitter', () => {
    expect(decide({ ...base, status: 429, retryAfter: '2', random: () => 0 })).toEqual({
      code: 'graph_throttled',
      retryable: true,
      delayMs: 2_000,
      retryAfterMs: 2_000,
      httpStatus: 429,
    });
    expect(decide({ ...base, status: 429, retryAfter: '2', random: () => 0.999999 }).delayMs).toBe(2_200);
    expect(decide({ ...base, status: 429, retryAfter: '30', random: () => 0.999999 }).delayMs).toBe(31_000);
    expect(decide({ ...base, status: 429, retryAfter: '0.25', random: () => 0 }).delayMs).toBe(250);
  });

  it('backs off on 429 without Retry-After', () => {
    const decision = decide({ ...base, status: 429, retryAfter: null, attempt: 3 });
    expect(decision).toMatchObject({ code: 'graph_throttled', retryable: true, delayMs: 2_000 });
  });

  it('treats 503 and 504 as unavailable, with Retry-After when present', () => {
    expect(decide({ ...base, status: 503, retryAfter: '4', random: () => 0 })).toMatchObject({
      code: 'graph_unavailable',
      retryable: true,
      delayMs: 4_000,
    });
    expect(decide({ ...base, status: 504, attempt: 2 })).toMatchObject({
      code: 'graph_unavailable',
      retryable: true,
      delayMs: 1_000,
    });
    expect(decide({ ...base, status: 500 })).toMatchObject({ code: 'graph_unavailable', retryable: true });
    expect(decide({ ...base, status: 502 })).toMatchObject({ code: 'graph_unavailable', retryable: true });
  });

  it('does not retry authorisation and request errors', () => {
    const cases = [
      [401, 'graph_unauthorized'],
      [403, 'graph_forbidden'],
      [404, 'graph_not_found'],
      [400, 'graph_bad_request'],
      [409, 'graph_bad_request'],
    ] as const;
    for (const [status, code] of cases) {
      expect(decide({ ...base, status, retryAfter: '5', requestId: 'r-1' })).toEqual({
        code,
        retryable: false,
        delayMs: null,
        httpStatus: status,
        requestId: 'r-1',
      });
    }
  });

  it('retries network errors and invalid pages with backoff', () => {
    expect(decide({ ...base, networkError: true, attempt: 2 })).toEqual({
      code: 'graph_network_error',
      retryable: true,
      delayMs: 1_000,
    });
    expect(decide({ ...base, invalidResponse: true, attempt: 1, status: 200 })).toEqual({
      code: 'graph_invalid_response',
      retryable: true,
      delayMs: 500,
      httpStatus: 200,
    });
  });
});
