/**
 * What `listSchedules` reports about one sync schedule, read from the schedule's own description:
 * its spec, not the memo written at creation, because an update (createSchedule again, or the
 * Temporal UI/CLI) changes the spec but can never change the memo. The list result is not used
 * either: it comes from visibility and trails updates.
 */
import { type ScheduleDescription } from '@temporalio/client';
import { formatDuration } from '../inventory/duration';
import { type Selection } from '../inventory/selection';

export interface ScheduleSummary {
  scheduleId: string;
  tenantId: string | null;
  selection: Selection | null;
  /** The interval as in the spec now, e.g. `6h`; null when the spec has no interval. */
  every: string | null;
  /** The random delay added to each start; null when there is none. */
  jitter: string | null;
  paused: boolean;
  nextActionAt: Date | null;
}

/**
 * `every` and `jitter` from the spec (ms) as durations such as `6h` (formatDuration), tenant and
 * selection from the memo (null when absent), and the next action time, or null when none is due.
 */
export function summarizeSchedule(schedule: ScheduleDescription): ScheduleSummary {
  const memo = (schedule.memo ?? {}) as { tenantId?: string; selection?: Selection };
  const every = schedule.spec.intervals?.[0]?.every;
  const jitter = schedule.spec.jitter;
  return {
    scheduleId: schedule.scheduleId,
    tenantId: memo.tenantId ?? null,
    selection: memo.selection ?? null,
    every: every === undefined ? null : formatDuration(every),
    jitter: jitter ? formatDuration(jitter) : null,
    paused: schedule.state.paused,
    nextActionAt: schedule.info.nextActionTimes[0] ?? null,
  };
}
