/**
 * The real `inventory worker` command in a child process, joined to a test engine, for tests
 * about the process itself (crash and restart, start-up checks). The engine has no in-process
 * workers, so the processes do all the work; whatever a file started is killed after it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startEngine, type Engine } from './engine';

const BIN = resolve(__dirname, '../../bin/inventory.js');

export interface WorkerProcesses {
  readonly engine: Engine;
  /** Starts `inventory worker` and resolves once it logs that it is running; `env` overrides. */
  start(env?: Record<string, string>): Promise<ChildProcess>;
}

export function useWorkerProcesses(): WorkerProcesses {
  let engine: Engine | undefined;
  const children = new Set<ChildProcess>();
  beforeAll(async () => {
    engine = await startEngine();
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await engine?.close();
  });
  return {
    get engine(): Engine {
      if (!engine) throw new Error('the engine starts in beforeAll; use it inside tests and hooks');
      return engine;
    },
    start(env = {}) {
      const child = spawn(process.execPath, [BIN, 'worker'], {
        env: { ...process.env, ...this.engine.workerProcessEnv(), LOG_LEVEL: 'info', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.add(child);
      child.on('exit', () => children.delete(child));
      return new Promise((resolvePromise, reject) => {
        let output = '';
        const timer = setTimeout(() => reject(new Error(`worker did not start:\n${output}`)), 90_000);
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('worker running')) {
            clearTimeout(timer);
            resolvePromise(child);
          }
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.on('exit', (code) => reject(new Error(`worker exited with ${code}:\n${output}`)));
      });
    },
  };
}
