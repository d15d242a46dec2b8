/**
 * Create-or-update for the Temporal Schedules this service owns (sync schedules, the reaper).
 * Temporal has no upsert: a create of an existing schedule id fails with ScheduleAlreadyRunning,
 * and only then is the existing schedule updated, so a first create stays one call.
 */
import { ScheduleAlreadyRunning, type Client, type ScheduleOptions } from '@temporalio/client';

export interface ScheduleDefinition {
  scheduleId: string;
  spec: ScheduleOptions['spec'];
  action: ScheduleOptions['action'];
  /** Required: an update replaces the schedule's policies with these. */
  policies: NonNullable<ScheduleOptions['policies']>;
  /** Written on creation only; Temporal cannot change a schedule's memo afterwards. */
  memo?: Record<string, unknown>;
}

/**
 * Creates the schedule, or gives the existing schedule of that id this spec, action and policies
 * (its state, such as paused, is kept). `created` says which. Any other failure of either call
 * (unreachable server, permission) is thrown unchanged.
 */
export async function upsertSchedule(
  client: Client,
  definition: ScheduleDefinition,
): Promise<{ created: boolean }> {
  const { scheduleId, spec, action, policies } = definition;
  try {
    await client.schedule.create(definition);
    return { created: true };
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule
      .getHandle(scheduleId)
      .update((previous) => ({ ...previous, spec, action, policies }));
    return { created: false };
  }
}
