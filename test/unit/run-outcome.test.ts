import { describe, expect, it } from 'vitest';
import { summarizeRun } from '../../workflows/run-outcome';
import { initialProgress, type TypeProgress } from '../../workflows/type-progress';

function progress(overrides: Partial<TypeProgress>): TypeProgress {
  return { ...initialProgress(), ...overrides };
}

describe('summarizeRun', () => {
  it('is success with exact counts when every type completed', () => {
    const outcome = summarizeRun({
      mobileApp: progress({ state: 'done', pagesCount: 2, itemsObservedCount: 150, itemsUpsertedCount: 150 }),
      deviceConfiguration: progress({
        state: 'done',
        pagesCount: 1,
        itemsObservedCount: 20,
        itemsUpsertedCount: 20,
      }),
    });
    expect(outcome).toEqual({
      status: 'success',
      hadErrors: false,
      itemsObservedCount: 170,
      itemsUpsertedCount: 170,
      errorsCount: 0,
      errorCodes: [],
      warningCodes: [],
      errorContext: {},
    });
  });

  it('records a type read without $select as a warning, keeping success and had_errors false', () => {
    const selectRejected = {
      property: 'roleScopeTagIds',
      code: 'graph_bad_request' as const,
      message: "Graph answered 400: Could not find a property named 'roleScopeTagIds'",
    };
    const outcome = summarizeRun({
      assignmentFilter: progress({ state: 'done', pagesCount: 1, itemsObservedCount: 3, selectRejected }),
      mobileApp: progress({ state: 'done', pagesCount: 1, itemsObservedCount: 2 }),
    });
    expect(outcome).toMatchObject({
      status: 'success',
      hadErrors: false,
      errorsCount: 0,
      errorCodes: [],
      warningCodes: ['graph_select_rejected'],
      errorContext: {
        warnings: {
          assignmentFilter: {
            code: 'graph_select_rejected',
            property: 'roleScopeTagIds',
            message: selectRejected.message,
          },
        },
      },
    });
    // Rejected, but the type never read a page without $select either: no warning, its failure counts.
    const failed = summarizeRun({
      assignmentFilter: progress({
        state: 'failed',
        selectRejected,
        error: { code: 'graph_bad_request', message: 'Request not applicable to target tenant.' },
      }),
      mobileApp: progress({ state: 'done', pagesCount: 1 }),
    });
    expect(failed).toMatchObject({ status: 'partial', errorCodes: ['graph_bad_request'], warningCodes: [] });
  });

  it('is partial when some types failed, with their codes and context', () => {
    const outcome = summarizeRun({
      mobileApp: progress({ state: 'done', itemsObservedCount: 5, itemsUpsertedCount: 5 }),
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
      types: {
        deviceConfiguration: {
          code: 'graph_forbidden',
          message: 'denied',
          pagesCount: 0,
          itemsObservedCount: 0,
        },
      },
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
      mobileApp: progress({
        state: 'done',
        itemsObservedCount: 10,
        itemsUpsertedCount: 10,
        itemsInvalidCount: 2,
      }),
    });
    expect(outcome.status).toBe('success');
    expect(outcome.hadErrors).toBe(true);
    expect(outcome.errorCodes).toEqual(['graph_item_invalid']);
    expect(outcome.errorsCount).toBe(2);
    expect(outcome.errorContext).toEqual({ itemsInvalidCount: 2 });
  });

  it('is failed with run_cancelled when cancelled, keeping counts so far', () => {
    const outcome = summarizeRun(
      {
        mobileApp: progress({ state: 'done', itemsObservedCount: 3, itemsUpsertedCount: 3 }),
        deviceConfiguration: progress({ state: 'running' }),
      },
      { cancelled: true },
    );
    expect(outcome.status).toBe('failed');
    expect(outcome.errorCodes).toEqual(['run_cancelled']);
    expect(outcome.itemsObservedCount).toBe(3);
  });
});
