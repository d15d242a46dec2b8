/**
 * The dev stack runs the worker as a child process: it must trust the Graph simulator's CA, and
 * Node reads NODE_EXTRA_CA_CERTS only at start-up. Its logs go to a file; start-up failures are
 * reported with the log's last lines.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { InventoryError } from '../inventory/error-codes';

const BIN = resolve(__dirname, '../bin/inventory.js');
const READY = 'worker running';
const START_TIMEOUT_MS = 120_000;

export interface WorkerProcess {
  logPath: string;
  /** The worker's process id (benchmarks read its peak memory from /proc, tests kill it). */
  pid: number;
  /** Resolves when the process has exited, however it ended. */
  exited: Promise<void>;
  /** SIGTERM (a graceful shutdown), then waits for the exit. */
  stop(): Promise<void>;
}

/**
 * Starts `inventory worker` and resolves once it is running. `bin` is this checkout's launcher
 * unless another is named (the tests run a production build's).
 */
export async function startWorkerProcess(
  env: NodeJS.ProcessEnv,
  logPath: string,
  bin: string = BIN,
): Promise<WorkerProcess> {
  const log = createWriteStream(logPath, { flags: 'a' });
  const child: ChildProcess = spawn(process.execPath, [bin, 'worker'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  let tail = '';

  await new Promise<void>((resolveReady, reject) => {
    // A worker that never became ready is stopped, not left running behind the error.
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(
        new InventoryError(
          'internal_error',
          `the worker did not start within ${START_TIMEOUT_MS / 1000}s; see ${logPath}`,
        ),
      );
    }, START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      log.write(chunk);
      tail = (tail + chunk.toString()).slice(-4000);
      if (tail.includes(READY)) {
        clearTimeout(timer);
        resolveReady();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const lastLines = tail.trim().split('\n').slice(-5).join('\n');
      reject(
        new InventoryError(
          'internal_error',
          `the worker exited during start-up (code ${code}); see ${logPath}:\n${lastLines}`,
        ),
      );
    });
  });

  return {
    logPath,
    pid: child.pid!,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      log.end();
    },
  };
}
