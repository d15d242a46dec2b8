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
 */
export function summarizeRun(types: TypeProgressMap, options: { cancelled?: boolean } = {}): RunOutcome {
  const entries = Object.entries(types) as Array<[PolicyType, TypeProgress]>;
  const failed = entries.filter(([, t]) => t.state === 'failed');
  const completed = entries.filter(([, t]) => t.state === 'done');
  const itemsInvalidCount = entries.reduce((sum, [, t]) => sum + t.itemsInvalidCount, 0);
  const codes = new Set<ErrorCode>(failed.map(([, t]) => t.error?.code ?? 'internal_error'));
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
    errorContext: {
      ...(failed.length > 0 && { types: failedContext }),
      ...(itemsInvalidCount > 0 && { itemsInvalidCount }),
    },
  };
}
