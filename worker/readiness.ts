/**
 * What `/readyz` answers (worker/metrics-server.ts) and `inventory_worker_ready` reports: the
 * process is ready when every one of its Temporal workers is polling (state RUNNING) and the
 * database answers `SELECT 1` within `timeoutMs`. Anything else is one line saying what is not.
 */
import { type DataSource } from 'typeorm';
import { toDbError } from '../db/errors';

export type Readiness = { ready: true } | { ready: false; reason: string };

/** A worker's task queue and its Temporal state (`Worker.getState()`: RUNNING while it polls). */
export interface WorkerState {
  taskQueue: string;
  state: string;
}

export interface ReadinessSources {
  /** The process's workers; null while they are still being created. */
  workers: () => readonly WorkerState[] | null;
  db: DataSource;
  /** How long `SELECT 1` may take (default 2 s). */
  timeoutMs?: number;
}

/** A check to call per probe; it never rejects. */
export function createReadinessCheck(sources: ReadinessSources): () => Promise<Readiness> {
  const timeoutMs = sources.timeoutMs ?? 2_000;
  return async () => {
    const workers = sources.workers();
    if (workers === null) return { ready: false, reason: 'the workers are starting' };
    const idle = workers.find((w) => w.state !== 'RUNNING');
    if (idle) return { ready: false, reason: `the worker of task queue ${idle.taskQueue} is ${idle.state}` };
    return databaseAnswers(sources.db, timeoutMs);
  };
}

async function databaseAnswers(db: DataSource, timeoutMs: number): Promise<Readiness> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Readiness>((resolve) => {
    timer = setTimeout(
      () => resolve({ ready: false, reason: `the database did not answer SELECT 1 within ${timeoutMs} ms` }),
      timeoutMs,
    );
  });
  const query = db.query('SELECT 1').then(
    (): Readiness => ({ ready: true }),
    (error: unknown): Readiness => ({
      ready: false,
      reason: toDbError(error, 'the database did not answer SELECT 1').message,
    }),
  );
  try {
    return await Promise.race([query, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
