/**
 * `inventoryReaper`, run by a Temporal Schedule every few minutes: a workflow terminated from
 * outside cannot finalize its run row, so the reaper marks rows whose workflow chain has closed as
 * failed with `run_abandoned`.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { RunActivities } from '../activities';
import { NON_RETRYABLE_CODES } from '../inventory/error-codes';
import { workflowFailure } from './failures';

// A few attempts: the next scheduled pass comes in two minutes anyway.
const { reapAbandonedRuns } = proxyActivities<RunActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 3, nonRetryableErrorTypes: [...NON_RETRYABLE_CODES] },
});

/**
 * One pass over every tenant's live runs. Takes no input (a start with arguments is refused with
 * `invalid_input`); returns how many runs were live and how many of them it marked abandoned.
 */
export async function inventoryReaper(...args: unknown[]): Promise<{ live: number; abandoned: number }> {
  if (args.length > 0) throw workflowFailure('invalid_input', 'inventoryReaper takes no input');
  return reapAbandonedRuns();
}
