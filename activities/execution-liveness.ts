/**
 * Answers "is the workflow execution chain that owns this run row still open?" for the reaper
 * and for begin-run's stale-lock check. A chain is closed when Temporal says its latest execution
 * is not running, when the workflow ID is unknown, or when the ID now belongs to a newer chain.
 */
import { WorkflowNotFoundError, type WorkflowClient } from '@temporalio/client';
import { parseCorrelationId } from '../inventory/workflow-ids';

export interface ExecutionLiveness {
  /** `true` when the chain is open, `false` when it is closed; `null` when the id cannot be read. */
  isOpen(correlationId: string): Promise<boolean | null>;
}

/**
 * Liveness through Temporal's describe call. `isOpen` rethrows every failure but an unknown workflow
 * (an unreachable server, say): callers act only on `false`, so "cannot tell" never reads as closed.
 */
export function createExecutionLiveness(workflows: WorkflowClient): ExecutionLiveness {
  return {
    async isOpen(correlationId) {
      const parsed = parseCorrelationId(correlationId);
      if (!parsed) return null;
      try {
        const description = await workflows.getHandle(parsed.workflowId).describe();
        if (description.status.name !== 'RUNNING') return false;
        const firstRunId = description.raw.workflowExecutionInfo?.firstRunId;
        return !firstRunId || firstRunId === parsed.firstExecutionRunId;
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return false;
        throw error;
      }
    },
  };
}
