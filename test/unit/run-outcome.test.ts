import { describe, expect, it } from 'vitest';
import { summarizeRun, typeOutcomeOf } from '../../workflows/run-outcome';
import { initialProgress, NOT_ATTEMPTED_PREFIX, type TypeProgress } from '../../workflows/type-progress';

function progress(overrides: Partial<TypeProgress>): TypeProgress {
  return { ...initialProgress(), ...overrides };
}

/** The workflow's clock at finalize. */
const AT = '2030-01-01T00:00:10.000Z';
const ENDED = '2030-01-01T00:00:05.000Z';

describe('summarizeRun', () => {
  it('is success with exact counts when every type completed', () => {
    const outcome = summarizeRun(
      {
        mobileApp: progress({
          state: 'done',
          pagesCount: 2,
          itemsObservedCount: 150,
          itemsUpsertedCount: 150,
        }),
        deviceConfiguration: progress({
          state: 'done',
          pagesCount: 1,
          itemsObservedCount: 20,
          itemsUpsertedCount: 20,
        }),
      },
      { at: AT },
    );
    expect(outcome).toEqual({
      status: 'success',
      hadErrors: false,
      itemsObservedCount: 170,
      itemsUpsertedCount: 170,
      itemsNewCount: 0,
      itemsChangedCount: 0,
      itemsUnchangedCount: 0,
      types: [
        {
          policyType: 'mobileApp',
          outcome: 'complete',
          errorCode: null,
          pagesCount: 2,
          itemsObservedCount: 150,
          itemsNewCount: 0,
          itemsChangedCount: 0,
          itemsUnchangedCount: 0,
          finishedAt: AT,
        },
        {
          policyType: 'deviceConfiguration',
          outcome: 'complete',
          errorCode: null,
          pagesCount: 1,
          itemsObservedCount: 20,
          itemsNewCount: 0,
          itemsChangedCount: 0,
          itemsUnchangedCount: 0,
          finishedAt: AT,
        },
      ],
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
    const outcome = summarizeRun(
      {
        assignmentFilter: progress({ state: 'done', pagesCount: 1, itemsObservedCount: 3, selectRejected }),
        mobileApp: progress({ state: 'done', pagesCount: 1, itemsObservedCount: 2 }),
      },
      { at: AT },
    );
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
    const failed = summarizeRun(
      {
        assignmentFilter: progress({
          state: 'failed',
          selectRejected,
          error: { code: 'graph_bad_request', message: 'Request not applicable to target tenant.' },
        }),
        mobileApp: progress({ state: 'done', pagesCount: 1 }),
      },
      { at: AT },
    );
    expect(failed).toMatchObject({ status: 'partial', errorCodes: ['graph_bad_request'], warningCodes: [] });
  });

  it('is partial when some types failed, with their codes and context', () => {
    const outcome = summarizeRun(
      {
        mobileApp: progress({ state: 'done', itemsObservedCount: 5, itemsUpsertedCount: 5 }),
        deviceConfiguration: progress({
          state: 'failed',
          error: { code: 'graph_forbidden', message: 'denied' },
        }),
      },
      { at: AT },
    );
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
      summarizeRun(
        {
          mobileApp: progress({ state: 'failed', error: { code: 'graph_unavailable', message: '' } }),
        },
        { at: AT },
      ).status,
    ).toBe('failed');
    expect(
      summarizeRun(
        {
          mobileApp: progress({ state: 'done' }),
          deviceConfiguration: progress({ state: 'failed', error: { code: 'auth_failed', message: '' } }),
        },
        { at: AT },
      ).status,
    ).toBe('failed');
  });

  it('keeps success but sets had_errors for item-level rejects', () => {
    const outcome = summarizeRun(
      {
        mobileApp: progress({
          state: 'done',
          itemsObservedCount: 10,
          itemsUpsertedCount: 10,
          itemsInvalidCount: 2,
        }),
      },
      { at: AT },
    );
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
      { cancelled: true, at: AT },
    );
    expect(outcome.status).toBe('failed');
    expect(outcome.errorCodes).toEqual(['run_cancelled']);
    expect(outcome.itemsObservedCount).toBe(3);
  });

  it('sums new, changed and unchanged items and gives each type its own, with its end', () => {
    const outcome = summarizeRun(
      {
        mobileApp: progress({
          state: 'done',
          pagesCount: 2,
          itemsObservedCount: 6,
          itemsUpsertedCount: 6,
          itemsNewCount: 1,
          itemsChangedCount: 2,
          itemsUnchangedCount: 3,
          finishedAt: ENDED,
        }),
        deviceConfiguration: progress({
          state: 'done',
          pagesCount: 1,
          itemsObservedCount: 4,
          itemsUpsertedCount: 4,
          itemsNewCount: 4,
          finishedAt: ENDED,
        }),
      },
      { at: AT },
    );
    expect(outcome).toMatchObject({ itemsNewCount: 5, itemsChangedCount: 2, itemsUnchangedCount: 3 });
    expect(outcome.types[0]).toEqual({
      policyType: 'mobileApp',
      outcome: 'complete',
      errorCode: null,
      pagesCount: 2,
      itemsObservedCount: 6,
      itemsNewCount: 1,
      itemsChangedCount: 2,
      itemsUnchangedCount: 3,
      finishedAt: ENDED,
    });
  });
});

describe('typeOutcomeOf', () => {
  const failed = (code: TypeProgress['error'] & object, pagesCount = 0) =>
    progress({ state: 'failed', pagesCount, error: code });

  it.each([
    ['done', progress({ state: 'done' }), false, 'complete', null],
    [
      '403 naming scopes',
      failed({ code: 'graph_forbidden', message: 'x' }),
      false,
      'forbidden',
      'graph_forbidden',
    ],
    [
      '403 without licence',
      failed({ code: 'graph_not_licensed', message: 'x' }),
      false,
      'not_licensed',
      'graph_not_licensed',
    ],
    [
      'another failure',
      failed({ code: 'graph_throttled', message: 'x' }, 3),
      false,
      'failed',
      'graph_throttled',
    ],
    [
      'no request after the tenant failed',
      failed({ code: 'auth_failed', message: `${NOT_ATTEMPTED_PREFIX}authentication for the tenant failed` }),
      false,
      'not_attempted',
      'auth_failed',
    ],
    [
      'pages read before the tenant failed',
      failed(
        { code: 'intune_not_provisioned', message: `${NOT_ATTEMPTED_PREFIX}the tenant has no Intune` },
        2,
      ),
      false,
      'failed',
      'intune_not_provisioned',
    ],
    [
      'the type that met the tenant failure',
      failed({ code: 'auth_failed', message: 'AADSTS700016 …' }),
      false,
      'failed',
      'auth_failed',
    ],
    [
      'running at a cancellation',
      progress({ state: 'running', pagesCount: 1 }),
      true,
      'cancelled',
      'run_cancelled',
    ],
    ['pending at a cancellation', progress({ state: 'pending' }), true, 'cancelled', 'run_cancelled'],
    [
      'failed during a cancellation',
      failed({ code: 'graph_unavailable', message: 'x' }),
      true,
      'failed',
      'graph_unavailable',
    ],
  ] as const)('%s', (_name, t, cancelled, outcome, errorCode) => {
    expect(typeOutcomeOf(t, cancelled)).toEqual({ outcome, errorCode });
  });

  it('dates a type by its own end, a cancelled one that had begun by the finalize, and nothing never attempted', () => {
    const { types } = summarizeRun(
      {
        mobileApp: progress({ state: 'done', finishedAt: ENDED }),
        // Ended in an execution that did not stamp ends yet: it had ended by the finalize.
        vppToken: progress({ state: 'done' }),
        deviceConfiguration: progress({ state: 'running', pagesCount: 1 }),
        deviceCompliancePolicy: progress({ state: 'pending' }),
        roleScopeTag: failed({
          code: 'auth_failed',
          message: `${NOT_ATTEMPTED_PREFIX}authentication for the tenant failed`,
        }),
      },
      { cancelled: true, at: AT },
    );
    expect(Object.fromEntries(types.map((t) => [t.policyType, [t.outcome, t.finishedAt]]))).toEqual({
      mobileApp: ['complete', ENDED],
      vppToken: ['complete', AT],
      deviceConfiguration: ['cancelled', AT],
      deviceCompliancePolicy: ['cancelled', null],
      roleScopeTag: ['not_attempted', null],
    });
  });
});
