/**
 * bin/inventory.js re-executes itself when ./.env brings NODE_EXTRA_CA_CERTS (Node reads it only at
 * start-up). The visible process may be killed with SIGKILL, which it cannot pass on: its child
 * must not outlive it (issue 10, item 8). `graph-sim` is the long-running command used here because
 * it needs neither PostgreSQL nor Temporal.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TLS_DIR } from './support';

const BIN = resolve(__dirname, '../../bin/inventory.js');

let cwd: string;

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'inventory-reexec-'));
  await writeFile(join(cwd, '.env'), `NODE_EXTRA_CA_CERTS=${process.env.NODE_EXTRA_CA_CERTS!}\n`);
});

afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pids of `pid`'s children (procps `pgrep -P`). */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.trim().length > 0)
      .map(Number);
  } catch {
    return [];
  }
}

it('a SIGKILLed visible process leaves no re-executed child running', async () => {
  const { NODE_EXTRA_CA_CERTS: _fromEnvFile, ...env } = process.env;
  const parent = spawn(process.execPath, [BIN, 'graph-sim', '--port', '0', '--tls-dir', TLS_DIR, '--json'], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The child prints the simulator's settings once it listens: by then it is the re-executed one.
  await new Promise<void>((resolveListening, reject) => {
    parent.stdout.once('data', () => resolveListening());
    parent.once('exit', (code) => reject(new Error(`inventory graph-sim exited early (${code})`)));
  });
  const children = childrenOf(parent.pid!);
  expect(children).toHaveLength(1);
  const child = children[0]!;

  try {
    parent.kill('SIGKILL');
    const deadline = Date.now() + 15_000;
    while (alive(child) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(alive(child), `the re-executed child ${child} still runs after its parent was killed`).toBe(false);
  } finally {
    if (alive(child)) process.kill(child, 'SIGKILL');
  }
});
