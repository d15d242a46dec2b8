/**
 * The worker's one HTTP listener for operations (METRICS_ADDRESS): `GET /metrics` (Prometheus text
 * exposition, rendered by prom-client), `GET /healthz` (200 while the process serves at all:
 * liveness) and `GET /readyz` (200 `ready`, or 503 with one line saying what is not ready:
 * readiness for orchestrators and load balancers). Anything else is 404. Plain HTTP: it carries no
 * secret, and Prometheus and orchestrator probes scrape it from inside the deployment's network.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type Registry } from 'prom-client';
import { InventoryError } from '../inventory/error-codes';
import { type Logger } from '../logging/logger';
import { type Readiness } from './readiness';

export interface MetricsServerOptions {
  /** `host:port` to listen on; port 0 takes a free one (tests). */
  host: string;
  port: number;
  registry: Registry;
  ready: () => Promise<Readiness>;
  logger: Logger;
}

export interface MetricsServer {
  /** `http://host:port` actually listened on. */
  url: string;
  close(): Promise<void>;
}

function answer(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
}

/**
 * Listens on `host:port`; resolves once listening. Fails with `config_invalid` when the address
 * cannot be taken (in use, not this machine's, a privileged port).
 */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const { registry, logger } = options;
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return answer(res, 405, 'text/plain', 'GET only\n');
    if (path === '/healthz') return answer(res, 200, 'text/plain', 'ok\n');
    if (path === '/readyz') {
      const readiness = await options.ready();
      return readiness.ready
        ? answer(res, 200, 'text/plain', 'ready\n')
        : answer(res, 503, 'text/plain', `not ready: ${readiness.reason}\n`);
    }
    if (path === '/metrics') return answer(res, 200, registry.contentType, await registry.metrics());
    return answer(res, 404, 'text/plain', 'not found: /metrics, /healthz, /readyz\n');
  }
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.warn({ err: error, path: req.url }, 'metrics listener could not answer');
      if (!res.headersSent) answer(res, 500, 'text/plain', 'internal error\n');
      else res.destroy();
    });
  });
  // A scraper's idle keep-alive connection must not hold the process open at shutdown.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new InventoryError(
          'config_invalid',
          `METRICS_ADDRESS ${options.host}:${options.port} cannot be listened on (${error.code ?? error.message}); choose another address, or off`,
        ),
      ),
    );
    server.listen(options.port, options.host, () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
