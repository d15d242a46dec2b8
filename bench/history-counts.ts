/**
 * How much history a workflow ID left in Temporal: every execution under it (a continue-as-new
 * chain is several), its events, workflow tasks and activities by type. History is what the
 * server stores and replays, so events per run are part of a sync's cost.
 */
import { type Client } from '@temporalio/client';
import { type temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** The marker the SDK records for a local activity (its details name the activity type). */
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

export interface HistoryCounts {
  executions: number;
  events: number;
  workflowTasks: number;
  /**
   * Activities scheduled, local ones included, by activity type (`beginRun` once per slot poll,
   * `syncPage` per page, …).
   */
  activities: Record<string, number>;
}

/** Counts over every execution whose workflow ID is `workflowId` (closed ones; visibility query). */
export async function historyCounts(temporalClient: Client, workflowId: string): Promise<HistoryCounts> {
  const counts: HistoryCounts = { executions: 0, events: 0, workflowTasks: 0, activities: {} };
  // Workflow IDs here are ours (tenant GUID, hex hash, ":" and letters): nothing to escape.
  for await (const execution of temporalClient.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
    const history = await temporalClient.workflow.getHandle(workflowId, execution.runId).fetchHistory();
    counts.executions += 1;
    for (const event of history.events ?? []) {
      counts.events += 1;
      if (event.workflowTaskCompletedEventAttributes) counts.workflowTasks += 1;
      const name = activityTypeOf(event);
      if (name) counts.activities[name] = (counts.activities[name] ?? 0) + 1;
    }
  }
  return counts;
}

/**
 * The activity type an event records: of an ActivityTaskScheduled event, or of a local activity's
 * marker (whose `data` detail is the SDK's JSON with `activity_type`); null for any other event.
 */
export function activityTypeOf(event: HistoryEvent): string | null {
  const scheduled = event.activityTaskScheduledEventAttributes?.activityType?.name;
  if (scheduled) return scheduled;
  const marker = event.markerRecordedEventAttributes;
  if (marker?.markerName !== LOCAL_ACTIVITY_MARKER) return null;
  const data = marker.details?.data?.payloads?.[0]?.data;
  if (!data) return null;
  const parsed = JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type?: unknown };
  return typeof parsed.activity_type === 'string' ? parsed.activity_type : null;
}
