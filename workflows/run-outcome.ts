/**
 * How a sync run's progress turns into its final row: status, counts, error codes and context.
 * A pure function of workflow state, run by the workflow (which finalizes) and by unit tests.
 */
import type { ErrorCode } from '../inventory/error-codes';
import type { PolicyType } from '../inventory/policy-types';
import type { FinalizeRunResult } from '../db/repositories/sync-runs';
import type { TypeProgress, TypeProgressMap } from './type-progress';

/** The run row's final state: the same fields `finalizeRun` writes. */
export type RunOutcome = FinalizeRunResult;

/**
 * success: every type enumerated completely. partial: some types failed, others completed.
 * failed: every type failed, authentication failed, or the run was cancelled. Item-level
 * rejects keep the status but set `hadErrors`, which makes missing-item answers low confidence.
 * A type read without `$select` after Graph rejected it (and read at least one page so) is a
 * warning, `graph_select_rejected`, with the property Graph named in `errorContext.warnings`: it
 * changes neither the status nor `hadErrors`, since every item was still seen.
 */
export function summarizeRun(types: TypeProgressMap, options: { cancelled?: boolean } = {}): RunOutcome {
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
