/**
 * Where a sync's time goes inside Temporal, read from its workflow history: how long page
 * activities waited between being scheduled and picked up (matching and dispatch), how long they
 * ran (Graph + upsert), and how long workflow tasks took from scheduled to completed. These are
 * the per-page costs the engine adds over a plain loop.
 */
import { type Client } from '@temporalio/client';
import { type temporal } from '@temporalio/proto';

export interface HistoryTiming {
  activities: number;
  workflowTasks: number;
  /** Averages in ms. */
  activityDispatchMs: number;
  activityRunMs: number;
  workflowTaskMs: number;
}

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

function eventMs(event: HistoryEvent | undefined): number {
  const time = event?.eventTime;
  return time ? Number(time.seconds ?? 0) * 1000 + (time.nanos ?? 0) / 1e6 : NaN;
}

const average = (values: readonly number[]) =>
  values.length === 0 ? NaN : values.reduce((sum, value) => sum + value, 0) / values.length;

/**
 * The timing of the workflow's last execution; `activityType` (e.g. `syncPage`) counts and
 * averages only that type's activities, else every activity.
 */
export async function historyTiming(
  temporalClient: Client,
  workflowId: string,
  activityType?: string,
): Promise<HistoryTiming> {
  const history = await temporalClient.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  const byId = new Map(events.map((event) => [Number(event.eventId), event]));
  const since = (event: HistoryEvent, earlierId: unknown) =>
    eventMs(event) - eventMs(byId.get(Number(earlierId)));
  const counted = (scheduledEventId: unknown) =>
    activityType === undefined ||
    byId.get(Number(scheduledEventId))?.activityTaskScheduledEventAttributes?.activityType?.name ===
      activityType;
  const dispatch: number[] = [];
  const run: number[] = [];
  const workflowTask: number[] = [];
  for (const event of events) {
    const started = event.activityTaskStartedEventAttributes;
    if (started && counted(started.scheduledEventId)) dispatch.push(since(event, started.scheduledEventId));
    const completed = event.activityTaskCompletedEventAttributes;
    if (completed && counted(completed.scheduledEventId)) run.push(since(event, completed.startedEventId));
    const task = event.workflowTaskCompletedEventAttributes;
    if (task) workflowTask.push(since(event, task.scheduledEventId));
  }
  return {
    activities: run.length,
    workflowTasks: workflowTask.length,
    activityDispatchMs: average(dispatch),
    activityRunMs: average(run),
    workflowTaskMs: average(workflowTask),
  };
}
