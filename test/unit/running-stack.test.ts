/**
 * A second `inventory dev` on a data folder in use is refused up front, from the running
 * cluster's postmaster.pid; a pid file left behind by a crash does not block a new start.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertNoRunningStack } from '../../dev/running-stack';
import { InventoryError } from '../../inventory/error-codes';

function dataDirWithPid(pid: number | null): string {
  const dir = mkdtempSync(join(tmpdir(), 'inventory-dev-pid-'));
  if (pid !== null) {
    mkdirSync(join(dir, 'postgres'));
    writeFileSync(join(dir, 'postgres', 'postmaster.pid'), `${pid}\n/data\n1700000000\n54329\n`);
  }
  return dir;
}

/** A pid that is certainly not running: a child that has already exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid;
}

describe('assertNoRunningStack', () => {
  it('lets a fresh data folder start', () => {
    expect(() => assertNoRunningStack(dataDirWithPid(null))).not.toThrow();
  });

  it('lets a folder start whose pid file names a dead process', () => {
    expect(() => assertNoRunningStack(dataDirWithPid(deadPid()))).not.toThrow();
  });

  it('refuses a folder whose PostgreSQL is running, with dev_stack_running', () => {
    const dir = dataDirWithPid(process.pid);
    let thrown: unknown;
    try {
      assertNoRunningStack(dir);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InventoryError);
    expect((thrown as InventoryError).code).toBe('dev_stack_running');
    expect((thrown as InventoryError).message).toContain(dir);
  });

  it('makes `inventory dev` exit with one error and its hint, starting nothing', () => {
    const dir = dataDirWithPid(process.pid);
    const run = spawnSync(
      process.execPath,
      [resolve(__dirname, '../../bin/inventory.js'), 'dev', '--data-dir', dir],
      {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '' },
        cwd: dir,
        timeout: 60_000,
      },
    );
    expect(run.status).toBe(1);
    expect(run.stdout).not.toContain('starting');
    expect(run.stderr).toMatch(/^error \[dev_stack_running\]: a dev stack is already running from /);
    expect(run.stderr).toMatch(/\n {2}hint: use npx inventory … from another terminal/);
  });
});
