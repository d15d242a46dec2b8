/**
 * The README's first command: `inventory dev` brings the whole stack up on its own (embedded
 * PostgreSQL, the Temporal dev server, the Graph simulator, the worker as a child process), runs
 * the demo sync and shuts everything down again: after the demo with --exit-after-demo, and on
 * SIGTERM as a process manager sends it.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';

const BIN = resolve(__dirname, '../../bin/inventory.js');

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolveProbe) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolveProbe(true);
    });
    socket.once('error', () => resolveProbe(false));
  });
}

// A clean environment: the stack must bring up everything itself.
const CLEAN_ENV = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };

/**
 * A data dir and free ports for one stack, as `inventory dev` arguments, and the environment that
 * gives its worker free ports for its metrics listeners too (last two of `ports`).
 */
async function devStackArgs(): Promise<{
  dataDir: string;
  ports: number[];
  args: string[];
  env: Record<string, string>;
}> {
  const dataDir = mkdtempSync(join(tmpdir(), 'inventory-dev-'));
  const ports = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const [pg, temporal, ui, graph] = ports.map(String) as [string, string, string, string];
  const args = ['dev', '--data-dir', dataDir, '--postgres-port', pg, '--temporal-port', temporal];
  args.push('--ui-port', ui, '--graph-port', graph);
  const [metrics, sdkMetrics] = await Promise.all([freePort(), freePort()]);
  const env = {
    ...CLEAN_ENV,
    METRICS_ADDRESS: `127.0.0.1:${metrics}`,
    TEMPORAL_METRICS_ADDRESS: `127.0.0.1:${sdkMetrics}`,
  };
  return { dataDir, ports: [...ports, metrics, sdkMetrics], args, env };
}

it('runs the demo sync to success and cleans up after itself', async () => {
  const { dataDir, ports, args, env } = await devStackArgs();
  const ui = ports[2]!;
  const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolveRun) => {
    execFile(
      process.execPath,
      [BIN, ...args, '--exit-after-demo'],
      { env, cwd: dataDir, timeout: 240_000 },
      (error, out) => resolveRun({ code: error ? Number(error.code ?? 1) : 0, stdout: out }),
    );
  });
  expect(stdout).toMatch(/run [0-9a-f-]{36}: success, \d+ items observed/);
  expect(stdout).toContain(`Temporal UI  http://127.0.0.1:${ui}`);
  expect(stdout).toMatch(/Graph {8}https:\/\/localhost:\d+ \(simulator, 3 demo tenants\)/);
  expect(code).toBe(0);
  expect(existsSync(join(dataDir, 'dev.env'))).toBe(false);
  expect(existsSync(join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);
}, 300_000);

it('stops every service it started on SIGTERM and exits 0', async () => {
  const { dataDir, ports, args, env } = await devStackArgs();
  const child = spawn(process.execPath, [BIN, ...args, '--no-demo'], {
    env,
    cwd: dataDir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  let output = '';
  await new Promise<void>((ready, fail) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ctrl-C stops everything')) ready();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => fail(new Error(`inventory dev exited early (${code}):\n${output}`)));
  });
  for (const port of ports) expect(await listening(port), `port ${port} while running`).toBe(true);

  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  // PostgreSQL, the Temporal server and its UI, the simulator, the worker's metrics: nothing is left listening.
  for (const port of ports) expect(await listening(port), `port ${port} after SIGTERM`).toBe(false);
  expect(existsSync(join(dataDir, 'dev.env'))).toBe(false);
}, 300_000);
