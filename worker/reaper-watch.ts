/**
 * Keeps the reaper schedule in place while the worker runs. Creating it at start-up is not
 * enough: an operator can delete it through the Temporal CLI or UI, and until some worker
 * restarted, runs of terminated workflows would stay `running`. Every worker checks it once a
 * check interval and re-creates it when it is gone; a check that fails (Temporal unreachable) is
 * logged and tried again at the next one, never stopping the worker.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import { reaperScheduleId } from '../inventory/workflow-ids';
import { type Logger } from '../logging/logger';
import { ensureReaperSchedule } from './reaper-schedule';

/** Half the reaper's own interval (2 minutes), so a deleted reaper misses at most one tick. */
export const REAPER_CHECK_INTERVAL_MS = 60_000;

export interface ReaperWatch {
  /** Stops the checks, cancelling one in flight, and resolves once none runs any more. */
  stop(): Promise<void>;
}

/**
 * Starts checking the reaper schedule of `taskQueue` every `intervalMs` milliseconds (default
 * REAPER_CHECK_INTERVAL_MS), the first check one interval from now (start-up has just ensured
 * it), and re-creating it with ensureReaperSchedule when Temporal says it does not exist.
 */
export function watchReaperSchedule(
  client: Client,
  taskQueue: string,
  options: { logger: Logger; intervalMs?: number },
): ReaperWatch {
  const { logger, intervalMs = REAPER_CHECK_INTERVAL_MS } = options;
  const scheduleId = reaperScheduleId(taskQueue);
  const stopped = new AbortController();

  const check = async (): Promise<void> => {
    try {
      await client.schedule.getHandle(scheduleId).describe();
    } catch (error) {
      if (!(error instanceof ScheduleNotFoundError)) throw error;
      await ensureReaperSchedule(client, taskQueue);
      logger.warn({ scheduleId }, 'the reaper schedule was gone; re-created it');
    }
  };

  const loop = (async () => {
    for (;;) {
      try {
        await sleep(intervalMs, undefined, { signal: stopped.signal });
      } catch {
        return; // stopped while waiting
      }
      try {
        await client.withAbortSignal(stopped.signal, check);
      } catch (error) {
        if (stopped.signal.aborted) return;
        logger.warn({ err: error, scheduleId }, 'could not check the reaper schedule; will try again');
      }
    }
  })();

  return {
    async stop() {
      stopped.abort();
      await loop;
    },
  };
}
