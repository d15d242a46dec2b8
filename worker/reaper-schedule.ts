/**
 * The reaper runs as a Temporal Schedule, so it is durable, visible in the UI, and runs once per
 * interval no matter how many workers are up. Every worker start creates it or brings it up to
 * date (idempotent), and every running worker re-creates it should it be deleted (reaper-watch.ts).
 */
import { ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { REAPER_WORKFLOW_TYPE, reaperScheduleId } from '../inventory/workflow-ids';
import { upsertSchedule } from '../temporal/schedules';

export const REAPER_INTERVAL = '2 minutes';

/**
 * Creates or updates the reaper schedule of `taskQueue`: every 2 minutes, skipping a start while one
 * runs, catching up a missed one for 1 minute. Failures of the schedule calls are thrown unchanged.
 */
export async function ensureReaperSchedule(client: Client, taskQueue: string): Promise<void> {
  const scheduleId = reaperScheduleId(taskQueue);
  const action = {
    type: 'startWorkflow' as const,
    workflowType: REAPER_WORKFLOW_TYPE,
    workflowId: scheduleId,
    taskQueue,
    args: [],
  };
  const spec = { intervals: [{ every: REAPER_INTERVAL }] };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' };
  await upsertSchedule(client, { scheduleId, spec, action, policies });
}
