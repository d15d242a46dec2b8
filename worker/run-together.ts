/**
 * Workers that only make sense together (the main and the Graph worker of one process) run and
 * stop together: when one stops, failed or not, the others are shut down as well, so a process
 * never lingers half-working, e.g. running workflows whose page activities nobody executes, while
 * its supervisor believes it healthy. Shutdown stays graceful: each worker drains its in-flight
 * tasks within its own shutdown grace time.
 */
export interface RunnableWorker {
  run(): Promise<void>;
  shutdown(): void;
  getState(): string;
}

/** Asks every worker still running to shut down gracefully. */
export function shutdownAll(workers: readonly RunnableWorker[]): void {
  for (const worker of workers) {
    if (worker.getState() === 'RUNNING') worker.shutdown();
  }
}

/** Resolves once every worker has stopped; rejects with the first failure, also only then. */
export async function runTogether(workers: readonly RunnableWorker[]): Promise<void> {
  const results = await Promise.allSettled(
    workers.map((worker) => worker.run().finally(() => shutdownAll(workers))),
  );
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
}
