/**
 * The real `inventory worker` command in a child process, joined to a test engine, for tests
 * about the process itself (crash and restart, start-up checks). It is started the way the dev
 * stack starts it (dev/worker-process.ts), logging to a temp file. The engine has no in-process
 * workers, so the processes do all the work; whatever a file started is killed after it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startWorkerProcess, type WorkerProcess } from '../../dev/worker-process';
import { startEngine, type Engine } from './engine';

export interface WorkerProcesses {
  readonly engine: Engine;
  /** Starts `inventory worker` and resolves once it logs that it is running; `env` overrides. */
  start(env?: Record<string, string>): Promise<WorkerProcess>;
}

/** `bin`: the `inventory` launcher to run, by default this checkout's (the sources). */
export function useWorkerProcesses(options: { bin?: string } = {}): WorkerProcesses {
  let engine: Engine | undefined;
  const started = new Set<WorkerProcess>();
  const logDir = mkdtempSync(join(tmpdir(), 'inventory-worker-'));
  beforeAll(async () => {
    engine = await startEngine();
  });
  afterAll(async () => {
    for (const worker of started) {
      try {
        process.kill(worker.pid, 'SIGKILL');
      } catch {
        // Exited on its own meanwhile.
      }
      await worker.exited;
    }
    await engine?.close();
  });
  return {
    get engine(): Engine {
      if (!engine) throw new Error('the engine starts in beforeAll; use it inside tests and hooks');
      return engine;
    },
    async start(env = {}) {
      const worker = await startWorkerProcess(
        { ...process.env, ...this.engine.workerProcessEnv(), LOG_LEVEL: 'info', ...env },
        join(logDir, `worker-${started.size + 1}.log`),
        options.bin,
      );
      started.add(worker);
      void worker.exited.then(() => started.delete(worker));
      return worker;
    },
  };
}
