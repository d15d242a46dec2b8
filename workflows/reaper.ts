/**
 * `inventoryReaper`, run by a Temporal Schedule every few minutes: a workflow terminated from
 * outside cannot finalize its run row, so the reaper marks rows whose workflow chain has closed as
 * failed with `run_abandoned`.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { RunActivities } from '../activities';

const { reapAbandonedRuns } = proxyActivities<RunActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 3 },
});

export async function inventoryReaper(): Promise<{ live: number; abandoned: number }> {
  return reapAbandonedRuns();
}
