/**
 * Starts the Graph simulator: one HTTPS server that plays the Entra authority
 * (/{tenant}/v2.0/.well-known/openid-configuration, /{tenant}/oauth2/v2.0/token), Microsoft
 * Graph (/v1.0/…, /beta/…) and its own admin API (/_sim/…). Tests start it in-process on a free
 * port; the dev stack and `inventory graph-sim` start it on a fixed one.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import { type AddressInfo, type Socket } from 'node:net';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { GRAPH_CLOUDS } from '../graph/clouds';
import { createInProcessAdmin, handleAdmin } from './admin';
import { issueToken, openIdConfiguration, type AuthorityContext } from './authority';
import { handleGraph, type GraphContext } from './graph-api';
import { sendJson } from './http';
import { SimulatorState } from './state';
import { ensureSimulatorCertificates } from './tls';
import { TokenAuthority } from './tokens';
import { type GraphSimulator, type SimulatorOptions } from './types';

const DEFAULT_TOKEN_LIFETIME_SECONDS = 3599;
const DEFAULT_SEED = 1;

const OPENID_PATH = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/;
const TOKEN_PATH = /^\/([^/]+)\/oauth2\/v2\.0\/token$/;
const GRAPH_PATH = /^\/(v1\.0|beta)\//;

export async function startGraphSimulator(options: SimulatorOptions): Promise<GraphSimulator> {
  const certificates = await ensureSimulatorCertificates(options.tlsDir);
  const state = new SimulatorState({
    seed: options.seed ?? DEFAULT_SEED,
    pageSizes: options.pageSizes ?? {},
  });
  for (const client of options.clients ?? []) state.registerClient(client);
  for (const tenant of options.tenants ?? []) state.upsertTenant(tenant);
  const tokens = new TokenAuthority();
  const cloud = options.cloud ?? 'global';
  const authority: AuthorityContext = {
    cloud,
    state,
    tokens,
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS,
  };
  const graph: GraphContext = {
    state,
    tokens,
    latencyMs: options.latencyMs ?? 0,
    port: 0,
    audience: GRAPH_CLOUDS[cloud].graphOrigin,
  };

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    state.recordHost(req.headers.host ?? '');
    const url = new URL(req.url ?? '/', 'https://simulator.invalid');
    const path = url.pathname;
    if (path.startsWith('/_sim/')) return handleAdmin(req, res, url, state);
    if (GRAPH_PATH.test(path)) return handleGraph(req, res, url, graph);
    const openId = OPENID_PATH.exec(path);
    if (openId !== null && req.method === 'GET')
      return openIdConfiguration(req, res, decodeURIComponent(openId[1]!), authority);
    const token = TOKEN_PATH.exec(path);
    if (token !== null && req.method === 'POST')
      return issueToken(req, res, decodeURIComponent(token[1]!), authority);
    sendJson(res, 404, {
      error: { code: 'NotFound', message: `no simulator endpoint ${req.method ?? ''} ${path}` },
    });
  }

  const [cert, key] = await Promise.all([readFile(certificates.certPath), readFile(certificates.keyPath)]);
  const server: Server = createServer({ cert, key }, (req, res) => {
    route(req, res).catch((error: unknown) => {
      sendJson(res, 500, { error: { code: 'InternalServerError', message: String(error) } });
    });
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  graph.port = port;
  const baseUrl = `https://localhost:${port}`;

  return {
    baseUrl,
    authorityHost: baseUrl,
    cloud,
    port,
    caCertPath: certificates.caCertPath,
    admin: createInProcessAdmin(state),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Hanging requests (the `hang` fault) and idle keep-alive connections would hold close() open.
        for (const socket of sockets) socket.destroy();
      }),
  };
}
