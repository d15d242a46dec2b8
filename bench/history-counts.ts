/**
 * How much history a workflow ID left in Temporal: every execution under it (a continue-as-new
 * chain is several), its events, workflow tasks and activities by type. History is what the
 * server stores and replays, so events per run are part of a sync's cost.
 */
import { type Client } from '@temporalio/client';

export interface HistoryCounts {
  executions: number;
  events: number;
  workflowTasks: number;
  /** Activities scheduled, by activity type (`beginRun` once per slot poll, `syncPage` per page, …). */
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
      const name = event.activityTaskScheduledEventAttributes?.activityType?.name;
      if (name) counts.activities[name] = (counts.activities[name] ?? 0) + 1;
    }
  }
  return counts;
}
