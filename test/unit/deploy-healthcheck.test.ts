/**
 * The container healthcheck (the Dockerfile's HEALTHCHECK, repeated in docker-compose.yml) run as
 * Docker runs it: `node -e <script>` with the container's environment, against a listener that
 * answers /readyz the way the worker's metrics listener does. Healthy is exit 0, anything else
 * unhealthy.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');

const dockerfile = readFileSync(resolve(ROOT, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
const [executable, flag, script] = JSON.parse(
  /^HEALTHCHECK .*CMD (\[.*\])$/m.exec(dockerfile)![1]!,
) as string[];

/** The healthcheck's exit code with `env` as the container's environment. */
function healthcheck(env: Record<string, string>): Promise<number> {
  return new Promise((done) => {
    execFile(
      executable!,
      [flag!, script!],
      { env: { PATH: process.env.PATH, ...env }, timeout: 10_000 },
      (error) => done(error ? ((error as { code?: number }).code ?? -1) : 0),
    );
  });
}

let ready = true;
let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer((request, response) => {
    response.statusCode = request.url === '/readyz' ? (ready ? 200 : 503) : 404;
    response.end();
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((closed) => server.close(() => closed())));

describe('container healthcheck', () => {
  it('is `node -e`, since the slim Node image has no curl or wget', () => {
    expect([executable, flag]).toEqual(['node', '-e']);
  });

  it('is healthy while /readyz answers 200 on the METRICS_ADDRESS port', async () => {
    ready = true;
    expect(await healthcheck({ METRICS_ADDRESS: `0.0.0.0:${port}` })).toBe(0);
  });

  it('is unhealthy while /readyz answers 503', async () => {
    ready = false;
    expect(await healthcheck({ METRICS_ADDRESS: `0.0.0.0:${port}` })).toBe(1);
  });

  it('is unhealthy when nothing listens there', async () => {
    const closed = createServer();
    await new Promise<void>((listening) => closed.listen(0, '127.0.0.1', listening));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise<void>((done) => closed.close(() => done()));
    expect(await healthcheck({ METRICS_ADDRESS: `0.0.0.0:${freePort}` })).toBe(1);
  });

  it("asks the worker's default port, 9464, when METRICS_ADDRESS is unset", () => {
    expect(script).toContain("process.env.METRICS_ADDRESS || ':9464'");
  });
});
