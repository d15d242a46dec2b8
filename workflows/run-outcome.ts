/**
 * How a sync run's progress turns into its final row: status, counts, error codes and context.
 * A pure function of workflow state, run by the workflow (which finalizes) and by unit tests.
 */
import type { ErrorCode } from '../inventory/error-codes';
import type { PolicyType } from '../inventory/policy-types';
import type { FinalizeRunResult, RunTypeOutcome } from '../db/repositories/sync-runs';
import { NOT_ATTEMPTED_PREFIX, type TypeProgress, type TypeProgressMap } from './type-progress';

/** The run row's final state and its per-type rows: the fields `finalizeRun` writes, all given. */
export type RunOutcome = FinalizeRunResult &
  Required<Pick<FinalizeRunResult, 'itemsNewCount' | 'itemsChangedCount' | 'itemsUnchangedCount' | 'types'>>;

/**
 * How one type ended, and its code (null when complete): done is complete; Graph's refusals
 * (graph_forbidden, graph_not_licensed) are forbidden and not licensed; a type failed before its
 * first page by a failure of the whole tenant (NOT_ATTEMPTED_PREFIX) was not attempted; a type
 * still pending or running when the run was cancelled is cancelled; any other failure is failed.
 */
export function typeOutcomeOf(
  t: TypeProgress,
  cancelled: boolean,
): Pick<RunTypeOutcome, 'outcome' | 'errorCode'> {
  if (t.state === 'done') return { outcome: 'complete', errorCode: null };
  if (t.state === 'failed') {
    const code = t.error?.code ?? 'internal_error';
    if (code === 'graph_forbidden') return { outcome: 'forbidden', errorCode: code };
    if (code === 'graph_not_licensed') return { outcome: 'not_licensed', errorCode: code };
    if (t.pagesCount === 0 && t.error?.message.startsWith(NOT_ATTEMPTED_PREFIX)) {
      return { outcome: 'not_attempted', errorCode: code };
    }
    return { outcome: 'failed', errorCode: code };
  }
  if (cancelled) return { outcome: 'cancelled', errorCode: 'run_cancelled' };
  // A run finalizes unfinished types only when cancelled (it continues as new otherwise): one
  // left over is a broken invariant, recorded as never attempted rather than dropped.
  return { outcome: 'not_attempted', errorCode: 'internal_error' };
}

/**
 * The per-type row of `t`. `at` (ISO 8601, the workflow's clock at finalize) dates a cancelled
 * type that had begun, and a type that ended in an execution before ends were recorded (it had
 * ended by then); a type without a request has no end.
 */
function typeRow(type: PolicyType, t: TypeProgress, cancelled: boolean, at: string): RunTypeOutcome {
  const { outcome, errorCode } = typeOutcomeOf(t, cancelled);
  const began = t.state !== 'pending';
  return {
    policyType: type,
    outcome,
    errorCode,
    pagesCount: t.pagesCount,
    itemsObservedCount: t.itemsObservedCount,
    itemsNewCount: t.itemsNewCount,
    itemsChangedCount: t.itemsChangedCount,
    itemsUnchangedCount: t.itemsUnchangedCount,
    finishedAt: outcome === 'not_attempted' || !began ? null : (t.finishedAt ?? at),
  };
}

/**
 * success: every type enumerated completely. partial: some types failed, others completed.
 * failed: every type failed, authentication failed, or the run was cancelled. Item-level
 * rejects keep the status but set `hadErrors`, which makes missing-item answers low confidence.
 * A type read without `$select` after Graph rejected it (and read at least one page so) is a
 * warning, `graph_select_rejected`, with the property Graph named in `errorContext.warnings`: it
 * changes neither the status nor `hadErrors`, since every item was still seen. Every type in
 * `types` gets its per-type row (typeOutcomeOf); `options.at` is the workflow's clock (ISO 8601).
 */
export function summarizeRun(
  types: TypeProgressMap,
  options: { cancelled?: boolean; at: string },
): RunOutcome {
  const entries = Object.entries(types) as Array<[PolicyType, TypeProgress]>;
  const failed = entries.filter(([, t]) => t.state === 'failed');
  const completed = entries.filter(([, t]) => t.state === 'done');
  const itemsInvalidCount = entries.reduce((sum, [, t]) => sum + t.itemsInvalidCount, 0);
  const codes = new Set<ErrorCode>(failed.map(([, t]) => t.error?.code ?? 'internal_error'));
  const withoutSelect = entries.filter(([, t]) => t.selectRejected !== undefined && t.pagesCount > 0);
  if (itemsInvalidCount > 0) codes.add('graph_item_invalid');
  if (options.cancelled) codes.add('run_cancelled');

  let status: RunOutcome['status'];
  if (options.cancelled || codes.has('auth_failed') || completed.length === 0) status = 'failed';
  else if (completed.length < entries.length) status = 'partial';
  else status = 'success';

  const failedContext: Record<string, unknown> = {};
  for (const [type, t] of failed) {
    failedContext[type] = {
      code: t.error?.code,
      message: t.error?.message,
      pagesCount: t.pagesCount,
      itemsObservedCount: t.itemsObservedCount,
    };
  }
  return {
    status,
    hadErrors: failed.length > 0 || itemsInvalidCount > 0 || options.cancelled === true,
    itemsObservedCount: entries.reduce((sum, [, t]) => sum + t.itemsObservedCount, 0),
    itemsUpsertedCount: entries.reduce((sum, [, t]) => sum + t.itemsUpsertedCount, 0),
    itemsNewCount: entries.reduce((sum, [, t]) => sum + t.itemsNewCount, 0),
    itemsChangedCount: entries.reduce((sum, [, t]) => sum + t.itemsChangedCount, 0),
    itemsUnchangedCount: entries.reduce((sum, [, t]) => sum + t.itemsUnchangedCount, 0),
    types: entries.map(([type, t]) => typeRow(type, t, options.cancelled === true, options.at)),
    errorsCount: failed.length + itemsInvalidCount + (options.cancelled ? 1 : 0),
    errorCodes: [...codes].sort(),
    warningCodes: withoutSelect.length > 0 ? ['graph_select_rejected'] : [],
    errorContext: {
      ...(failed.length > 0 && { types: failedContext }),
      ...(itemsInvalidCount > 0 && { itemsInvalidCount }),
      ...(withoutSelect.length > 0 && {
        warnings: Object.fromEntries(
          withoutSelect.map(([type, t]) => [
            type,
            {
              code: 'graph_select_rejected',
              property: t.selectRejected?.property ?? null,
              message: t.selectRejected?.message,
            },
          ]),
        ),
      }),
    },
  };
}
