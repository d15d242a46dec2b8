/**
 * HTTPS_PROXY and NO_PROXY for every request the Graph layer sends: token requests (through
 * @azure/identity's own pipeline), Graph pages and the authority probe (through undici's
 * EnvHttpProxyAgent). A CONNECT proxy on loopback (the `proxy` package) records the target of
 * every tunnel it opens. The simulator is reached as https://127.0.0.1:PORT (not in NO_PROXY, so
 * proxied) or https://localhost:PORT (in NO_PROXY, so direct).
 *
 * NO_PROXY is set before anything in this process creates a credential: @azure/identity's pipeline
 * reads it once per process (credentials.ts), the proxy variables whenever a credential or client
 * is created.
 */
import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { createProxy } from 'proxy';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GraphError } from '../../graph/errors';
import { InventoryError } from '../../inventory/error-codes';
import { type GraphSimulator } from '../../simulator/types';
import { caught, startTestSimulator, testClient, testTokens, TENANT_A } from './support';

process.env.NO_PROXY = 'localhost';

let sim: GraphSimulator;
let proxyUrl: string;
let closeProxy: () => Promise<void>;
/** `host:port` of every CONNECT the proxy received. */
const tunnels: string[] = [];

beforeAll(async () => {
  sim = await startTestSimulator();
  const server = createProxy(createServer());
  server.on('connect', (req: { url?: string }) => tunnels.push(req.url ?? ''));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  closeProxy = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
});

afterAll(async () => {
  await closeProxy();
  await sim.close();
});

afterEach(() => {
  tunnels.length = 0;
  for (const name of ['HTTPS_PROXY', 'https_proxy']) delete process.env[name];
});

/** The simulator under a name NO_PROXY does not list. */
function proxiedSim(): GraphSimulator {
  const origin = `https://127.0.0.1:${sim.port}`;
  return { ...sim, baseUrl: origin, authorityHost: origin };
}

describe('with HTTPS_PROXY set', () => {
  it('sends token requests through the proxy', async () => {
    process.env.HTTPS_PROXY = proxyUrl;
    const token = await testTokens(proxiedSim()).getToken(TENANT_A);
    expect(token).toMatch(/^eyJ/);
    expect(tunnels.length).toBeGreaterThanOrEqual(1);
    expect(new Set(tunnels)).toEqual(new Set([`127.0.0.1:${sim.port}`]));
  });

  it('sends Graph page requests through the proxy', async () => {
    process.env.HTTPS_PROXY = proxyUrl;
    const target = proxiedSim();
    const tokens = testTokens(target);
    await tokens.getToken(TENANT_A);
    tunnels.length = 0;
    const page = await testClient(target, { tokens }).fetchPage(TENANT_A, 'mobileApp');
    expect(page.items.length).toBeGreaterThan(0);
    // The token came from the cache: this tunnel carried the Graph request.
    expect(tunnels).toEqual([`127.0.0.1:${sim.port}`]);
  });

  it('sends the authority probe through the proxy (unknown tenant: Entra metadata, then the probe)', async () => {
    process.env.HTTPS_PROXY = proxyUrl;
    const error = await caught(() =>
      testTokens(proxiedSim()).getToken('44444444-dddd-4ddd-8ddd-444444444444'),
    );
    expect(error).toBeInstanceOf(GraphError);
    expect((error as GraphError).message).toContain('AADSTS90002');
    // One tunnel for @azure/identity's metadata request, one for the probe that explains it.
    expect(tunnels).toEqual([`127.0.0.1:${sim.port}`, `127.0.0.1:${sim.port}`]);
  });

  it('honours the lower-case https_proxy too', async () => {
    process.env.https_proxy = proxyUrl;
    const target = proxiedSim();
    await testClient(target).fetchPage(TENANT_A, 'mobileApp');
    // At least one tunnel each for the token pipeline and the Graph dispatcher.
    expect(tunnels.length).toBeGreaterThanOrEqual(2);
  });
});

describe('for a host in NO_PROXY', () => {
  it('sends token, Graph and probe requests directly', async () => {
    process.env.HTTPS_PROXY = proxyUrl;
    const page = await testClient(sim).fetchPage(TENANT_A, 'mobileApp');
    expect(page.items.length).toBeGreaterThan(0);
    await caught(() => testTokens(sim).getToken('44444444-dddd-4ddd-8ddd-444444444444'));
    expect(tunnels).toEqual([]);
  });
});

describe('a proxy variable that is not a URL', () => {
  it('is config_invalid when the client is created, naming the variables', () => {
    process.env.HTTPS_PROXY = 'proxy.example:3128';
    const error = (() => {
      try {
        testClient(sim);
      } catch (thrown) {
        return thrown;
      }
      throw new Error('expected config_invalid');
    })();
    expect(error).toBeInstanceOf(InventoryError);
    expect((error as InventoryError).code).toBe('config_invalid');
    expect((error as InventoryError).message).toMatch(
      /^HTTPS_PROXY \(or https_proxy, HTTP_PROXY, http_proxy\) must be a proxy URL/,
    );
  });
});

describe('without a proxy variable', () => {
  it('connects directly', async () => {
    await testClient(proxiedSim()).fetchPage(TENANT_A, 'mobileApp');
    expect(tunnels).toEqual([]);
  });
});
