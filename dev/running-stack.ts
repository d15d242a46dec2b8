/**
 * A second `inventory dev` on a data folder whose stack is still running would get as far as
 * PostgreSQL and stop there with "lock file postmaster.pid already exists" and a database hint
 * that points the wrong way. The running cluster's postmaster.pid names its process: if that
 * process is alive, say up front what is going on. A pid file left by a crash names a dead
 * process and is ignored (PostgreSQL itself then recovers).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InventoryError } from '../inventory/error-codes';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Throws dev_stack_running when the embedded PostgreSQL of `dataDir` is already running. */
export function assertNoRunningStack(dataDir: string): void {
  let pidFile: string;
  try {
    pidFile = readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8');
  } catch {
    return;
  }
  const pid = Number(pidFile.split('\n', 1)[0]);
  if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
    throw new InventoryError(
      'dev_stack_running',
      `a dev stack is already running from ${dataDir} (its PostgreSQL is process ${pid})`,
    );
  }
}
