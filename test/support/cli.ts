/**
 * The `inventory` CLI as a child process against a test engine: the environment a user would set
 * for it, and a working directory without a .env, so nothing else leaks in.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Engine } from './engine';

const BIN = resolve(__dirname, '../../bin/inventory.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `inventory …args`; `env` adds to or overrides the engine's settings. */
export function runCli(engine: Engine, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const base = {
    DATABASE_URL: engine.db.runtimeUrl,
    TEMPORAL_ADDRESS: process.env.INVENTORY_TEST_TEMPORAL_ADDRESS!,
    INVENTORY_TASK_QUEUE: engine.taskQueue,
  };
  return runInventory(args, { ...base, ...env });
}

/** Runs `inventory …args` with `env` and nothing else of this process's environment but PATH and the CA. */
export function runInventory(args: string[], env: Record<string, string>): Promise<CliResult> {
  const base = { PATH: process.env.PATH ?? '', NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS ?? '' };
  const cwd = mkdtempSync(join(tmpdir(), 'inventory-cli-'));
  return new Promise((resolvePromise) => {
    execFile(process.execPath, [BIN, ...args], { cwd, env: { ...base, ...env } }, (error, stdout, stderr) => {
      resolvePromise({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}
