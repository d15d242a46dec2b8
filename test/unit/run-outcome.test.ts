import { describe, expect, it } from 'vitest';
import { initialProgress, summarizeRun, type TypeProgress } from '../../workflows/run-outcome';

function progress(overrides: Partial<TypeProgress>): TypeProgress {
  return { ...initialProgress(), ...overrides };
}

describe('summarizeRun', () => {
  it('is success with exact counts when every type completed', () => {
    const outcome = summarizeRun({
      mobileApp: progress({ state: 'done', pages: 2, items: 150, upserted: 150 }),
      deviceConfiguration: progress({ state: 'done', pages: 1, items: 20, upserted: 20 }),
    });
    expect(outcome).toEqual({
      status: 'success',
      hadErrors: false,
      itemsObserved: 170,
      itemsUpserted: 170,
      errorsCount: 0,
      errorCodes: [],
      errorContext: {},
    });
  });

  it('is partial when some types failed, with their codes and context', () => {
    const outcome = summarizeRun({
      mobileApp: progress({ state: 'done', items: 5, upserted: 5 }),
      deviceConfiguration: progress({
        state: 'failed',
        error: { code: 'graph_forbidden', message: 'denied' },
      }),
    });
    expect(outcome.status).toBe('partial');
    expect(outcome.hadErrors).toBe(true);
    expect(outcome.errorCodes).toEqual(['graph_forbidden']);
    expect(outcome.errorsCount).toBe(1);
    expect(outcome.errorContext).toEqual({
      types: { deviceConfiguration: { code: 'graph_forbidden', message: 'denied', pages: 0, items: 0 } },
    });
  });

  it('is failed when every type failed or authentication failed', () => {
    expect(
      summarizeRun({
        mobileApp: progress({ state: 'failed', error: { code: 'graph_unavailable', message: '' } }),
      }).status,
    ).toBe('failed');
    expect(
      summarizeRun({
        mobileApp: progress({ state: 'done' }),
        deviceConfiguration: progress({ state: 'failed', error: { code: 'auth_failed', message: '' } }),
      }).status,
    ).toBe('failed');
  });

  it('keeps success but sets had_errors for item-level rejects', () => {
    const outcome = summarizeRun({
      mobileApp: progress({ state: 'done', items: 10, upserted: 10, invalid: 2 }),
    });
    expect(outcome.status).toBe('success');
    expect(outcome.hadErrors).toBe(true);
    expect(outcome.errorCodes).toEqual(['graph_item_invalid']);
    expect(outcome.errorsCount).toBe(2);
    expect(outcome.errorContext).toEqual({ itemsInvalid: 2 });
  });

  it('is failed with run_cancelled when cancelled, keeping counts so far', () => {
    const outcome = summarizeRun(
      {
        mobileApp: progress({ state: 'done', items: 3, upserted: 3 }),
        deviceConfiguration: progress({ state: 'running' }),
      },
      { cancelled: true },
    );
    expect(outcome.status).toBe('failed');
    expect(outcome.errorCodes).toEqual(['run_cancelled']);
    expect(outcome.itemsObserved).toBe(3);
  });
});
