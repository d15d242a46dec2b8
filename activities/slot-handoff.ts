/**
 * Hands freed concurrency slots to waiting runs at once: after a run became final (finalized, or
 * marked abandoned), the oldest waiters that now fit (db/repositories/slot-waiters.ts) are sent
 * the `slotFreed` signal, which ends their wait and makes them call beginRun again. A waiter still
 * begins through startRun's counting under the start lock, so a signal never lets a cap be
 * exceeded; a lost signal only costs the waiter its fallback poll (beginRun's `retryInMs`).
 */
import { WorkflowNotFoundError, type WorkflowClient } from '@temporalio/client';
import { type DataSource } from 'typeorm';
import { parseCorrelationId } from '../inventory/workflow-ids';
import { nextSlotWaiters, removeSlotWaiter, type SlotWaiter } from '../db/repositories/slot-waiters';
import { withTenant } from '../db/tenant-scope';
import { type Logger } from '../logging/logger';
import { slotFreedSignal } from '../workflows/contract';

export interface SlotHandoff {
  /**
   * Signals the waiters that fit in the slots free now, oldest first, one per free slot. A waiter
   * whose workflow execution is gone is forgotten and the next one signalled in its place. Never
   * throws: a failure (database, Temporal) is logged at warn and the waiters keep their fallback
   * poll. Resolves to the number of waiters signalled.
   */
  wake(): Promise<number>;
}

export interface SlotHandoffDeps {
  db: DataSource;
  workflows: WorkflowClient;
  limits: { global: number; perTenant: number };
  logger: Logger;
}

/** Rounds of "pick, signal, forget the gone": each round replaces the waiters found gone in the last. */
const MAX_ROUNDS = 5;
/** One signal's deadline: an unreachable Temporal must not hold up the finalize that frees the slot. */
const SIGNAL_DEADLINE_MS = 5_000;

export function createSlotHandoff(deps: SlotHandoffDeps): SlotHandoff {
  const { db, workflows, limits, logger } = deps;

  /** Forgets a waiter that can no longer be signalled; false, for `signal`. */
  async function forget(waiter: SlotWaiter): Promise<false> {
    await withTenant(db, waiter.tenantId, (tx) => removeSlotWaiter(tx, waiter.correlationId));
    logger.info(
      { tenantId: waiter.tenantId, correlationId: waiter.correlationId },
      'slot waiter whose workflow is gone forgotten',
    );
    return false;
  }

  /** true: signalled; false: its execution is gone (and the waiter forgotten). */
  async function signal(waiter: SlotWaiter): Promise<boolean> {
    const execution = parseCorrelationId(waiter.correlationId);
    if (!execution) return forget(waiter);
    try {
      // The begin loop runs only in a chain's first execution, so its run id is the one to signal:
      // a later chain under the same workflow ID registers a waiter of its own.
      const handle = workflows.getHandle(execution.workflowId, execution.firstExecutionRunId);
      await workflows.withDeadline(Date.now() + SIGNAL_DEADLINE_MS, () => handle.signal(slotFreedSignal));
      return true;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return forget(waiter);
      throw error;
    }
  }

  return {
    async wake() {
      const signalled = new Set<string>();
      try {
        for (let round = 0; round < MAX_ROUNDS; round++) {
          const waiters = await db.transaction((tx) => nextSlotWaiters(tx, limits));
          // Waiters signalled in an earlier round still hold their place until they start.
          const fresh = waiters.filter((waiter) => !signalled.has(waiter.correlationId));
          if (fresh.length === 0) break;
          let gone = 0;
          for (const waiter of fresh) {
            if (await signal(waiter)) signalled.add(waiter.correlationId);
            else gone++;
          }
          if (gone === 0) break;
        }
      } catch (error) {
        logger.warn({ err: error }, 'could not hand a freed slot to a waiting run; it polls again later');
      }
      return signalled.size;
    },
  };
}
