/**
 * The README's first command: `inventory dev` brings the whole stack up on its own (embedded
 * PostgreSQL, the Temporal dev server, the Graph simulator, the worker as a child process), runs
 * the demo sync and, with --exit-after-demo, shuts everything down again.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
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

it('runs the demo sync to success and cleans up after itself', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'inventory-dev-'));
  const [pg, temporal, ui, graph] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const args = ['dev', '--exit-after-demo', '--data-dir', dataDir];
  args.push(
    '--postgres-port',
    String(pg),
    '--temporal-port',
    String(temporal),
    '--ui-port',
    String(ui),
    '--graph-port',
    String(graph),
  );
  const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolveRun) => {
    // A clean environment: the stack must bring up everything itself.
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
    execFile(process.execPath, [BIN, ...args], { env, cwd: dataDir, timeout: 240_000 }, (error, out) =>
      resolveRun({ code: error ? Number(error.code ?? 1) : 0, stdout: out }),
    );
  });
  expect(stdout).toMatch(/run [0-9a-f-]{36}: success, \d+ items observed/);
  expect(stdout).toContain(`Temporal UI  http://127.0.0.1:${ui}`);
  expect(stdout).toMatch(/Graph {8}https:\/\/localhost:\d+ \(simulator, 3 demo tenants\)/);
  expect(code).toBe(0);
  expect(existsSync(join(dataDir, 'dev.env'))).toBe(false);
  expect(existsSync(join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);
}, 300_000);
