/**
 * How a sync run's progress turns into its final row: status, counts, error codes and context.
 * Pure functions of workflow state, shared by the workflow (which finalizes) and unit tests.
 */
import type { ErrorCode } from '../inventory/error-codes';
import type { PolicyType } from '../inventory/policy-types';

export type TypeState = 'pending' | 'running' | 'done' | 'failed';

export interface TypeProgress {
  state: TypeState;
  pages: number;
  /** Valid items Graph served for this type (items without a usable id are in `invalid`). */
  items: number;
  upserted: number;
  invalid: number;
  /** The nextLink to fetch next; null before the first page and once the type is done. */
  cursor: string | null;
  /** Fingerprints of the most recent nextLinks, to detect Graph paging loops. */
  fingerprints: string[];
  error?: { code: ErrorCode; message: string };
}

export type TypeProgressMap = Partial<Record<PolicyType, TypeProgress>>;

export interface RunOutcome {
  status: 'success' | 'partial' | 'failed';
  hadErrors: boolean;
  itemsObserved: number;
  itemsUpserted: number;
  errorsCount: number;
  errorCodes: ErrorCode[];
  errorContext: Record<string, unknown>;
}

export function initialProgress(): TypeProgress {
  return { state: 'pending', pages: 0, items: 0, upserted: 0, invalid: 0, cursor: null, fingerprints: [] };
}

/**
 * success: every type enumerated completely. partial: some types failed, others completed.
 * failed: every type failed, authentication failed, or the run was cancelled. Item-level
 * rejects keep the status but set `hadErrors`, which makes missing-item answers low confidence.
 */
export function summarizeRun(types: TypeProgressMap, options: { cancelled?: boolean } = {}): RunOutcome {
  const entries = Object.entries(types) as Array<[PolicyType, TypeProgress]>;
  const failed = entries.filter(([, t]) => t.state === 'failed');
  const completed = entries.filter(([, t]) => t.state === 'done');
  const invalid = entries.reduce((sum, [, t]) => sum + t.invalid, 0);
  const codes = new Set<ErrorCode>(failed.map(([, t]) => t.error?.code ?? 'internal_error'));
  if (invalid > 0) codes.add('graph_item_invalid');
  if (options.cancelled) codes.add('run_cancelled');

  let status: RunOutcome['status'];
  if (options.cancelled || codes.has('auth_failed') || completed.length === 0) status = 'failed';
  else if (completed.length < entries.length) status = 'partial';
  else status = 'success';

  const failedContext: Record<string, unknown> = {};
  for (const [type, t] of failed) {
    failedContext[type] = { code: t.error?.code, message: t.error?.message, pages: t.pages, items: t.items };
  }
  return {
    status,
    hadErrors: failed.length > 0 || invalid > 0 || options.cancelled === true,
    itemsObserved: entries.reduce((sum, [, t]) => sum + t.items, 0),
    itemsUpserted: entries.reduce((sum, [, t]) => sum + t.upserted, 0),
    errorsCount: failed.length + invalid + (options.cancelled ? 1 : 0),
    errorCodes: [...codes].sort(),
    errorContext: {
      ...(failed.length > 0 && { types: failedContext }),
      ...(invalid > 0 && { itemsInvalid: invalid }),
    },
  };
}
