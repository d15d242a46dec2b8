/**
 * The token audience comes from GRAPH_CLOUD (or GRAPH_TOKEN_SCOPE), never from where requests go:
 * the worker's configuration, resolved by loadWorkerConfig, drives the real @azure/identity flow
 * and page fetcher against simulators that play each national cloud
 * (https://learn.microsoft.com/graph/deployments), and the simulator records the scope it was
 * asked for. Tests cannot reach Microsoft's authorities, so those are checked in the resolved
 * configuration (test/unit/graph-clouds.test.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { GRAPH_CLOUD_NAMES, graphScope, type GraphCloud } from '../../graph/clouds';
import { createGraphClient, type GraphClient } from '../../graph/client';
import { createTokenProvider } from '../../graph/credentials';
import { GraphError } from '../../graph/errors';
import { DEFAULT_GRAPH_MAX_PAGE_BYTES } from '../../config/fragments';
import { loadWorkerConfig } from '../../config/worker';
import { type GraphSimulator } from '../../simulator/types';
import { caught, startTestSimulator, TENANT_A, TEST_APP } from './support';

const started: GraphSimulator[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((sim) => sim.close()));
});

async function simulatorOf(cloud: GraphCloud): Promise<GraphSimulator> {
  const sim = await startTestSimulator({ cloud });
  started.push(sim);
  return sim;
}

/** The page fetcher the worker builds from this environment (worker/main.ts). */
function workerClient(env: Record<string, string>): GraphClient {
  const { graph, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET } = loadWorkerConfig({
    DATABASE_URL: 'postgres://inventory_app:pw@127.0.0.1:1/inventory',
    AZURE_CLIENT_ID: TEST_APP.clientId,
    AZURE_CLIENT_SECRET: TEST_APP.clientSecret,
    ...env,
  });
  return createGraphClient({
    baseUrl: graph.graphBaseUrl,
    timeoutMs: 10_000,
    maxPageBytes: DEFAULT_GRAPH_MAX_PAGE_BYTES,
    tokens: createTokenProvider({
      clientId: AZURE_CLIENT_ID,
      clientSecret: AZURE_CLIENT_SECRET!,
      authorityHost: graph.authorityHost,
      tokenScope: graph.tokenScope,
      cloud: graph.cloud,
    }),
  });
}

async function scopesAskedFor(sim: GraphSimulator): Promise<Record<string, number> | undefined> {
  return (await sim.admin.stats()).tenants[TENANT_A]?.tokenScopes;
}

describe('GRAPH_CLOUD', () => {
  it.each(GRAPH_CLOUD_NAMES)('%s: asks for its own Graph audience and syncs a page', async (cloud) => {
    const sim = await simulatorOf(cloud);
    const client = workerClient({
      GRAPH_CLOUD: cloud,
      GRAPH_BASE_URL: sim.baseUrl,
      AZURE_AUTHORITY_HOST: sim.authorityHost,
    });
    const page = await client.fetchPage(TENANT_A, 'deviceConfiguration');
    expect(page.items.length).toBe((await sim.admin.listItems(TENANT_A, 'deviceConfiguration')).length);
    expect(await scopesAskedFor(sim)).toEqual({ [graphScope(cloud)]: 1 });
  });

  it('a token for another cloud’s Graph is refused by this cloud’s Graph (401)', async () => {
    const sim = await simulatorOf('global');
    const client = workerClient({
      GRAPH_CLOUD: 'usgov',
      GRAPH_BASE_URL: sim.baseUrl,
      AZURE_AUTHORITY_HOST: sim.authorityHost,
    });
    const error = await caught(() => client.fetchPage(TENANT_A, 'deviceConfiguration'));
    expect(error).toBeInstanceOf(GraphError);
    expect((error as GraphError).code).toBe('graph_unauthorized');
    expect((error as GraphError).message).toContain('Invalid audience');
    // Consent and credentials are fine (a token was issued): the hint names the settings instead.
    expect((error as GraphError).message).toContain('GRAPH_CLOUD');
  });
});

describe('GRAPH_BASE_URL at another origin', () => {
  it('still asks for https://graph.microsoft.com/.default, and the page succeeds', async () => {
    const sim = await simulatorOf('global');
    const client = workerClient({
      // Graph requests to 127.0.0.1, token requests to localhost: neither is the audience.
      GRAPH_BASE_URL: `https://127.0.0.1:${sim.port}`,
      AZURE_AUTHORITY_HOST: sim.authorityHost,
    });
    const page = await client.fetchPage(TENANT_A, 'mobileApp');
    expect(page.items.length).toBeGreaterThan(0);
    expect(await scopesAskedFor(sim)).toEqual({ 'https://graph.microsoft.com/.default': 1 });
    expect((await sim.admin.stats()).requestsByHost).toMatchObject({ [`127.0.0.1:${sim.port}`]: 1 });
  });
});

describe('GRAPH_TOKEN_SCOPE', () => {
  it('overrides the cloud’s audience', async () => {
    const sim = await simulatorOf('usgov');
    const client = workerClient({
      GRAPH_CLOUD: 'global',
      GRAPH_TOKEN_SCOPE: 'https://graph.microsoft.us/.default',
      GRAPH_BASE_URL: sim.baseUrl,
      AZURE_AUTHORITY_HOST: sim.authorityHost,
    });
    await client.fetchPage(TENANT_A, 'mobileApp');
    expect(await scopesAskedFor(sim)).toEqual({ 'https://graph.microsoft.us/.default': 1 });
  });

  it('for a resource that is not a Graph: Entra’s AADSTS500011, mapped to the audience hint', async () => {
    const sim = await simulatorOf('global');
    const scope = `${sim.baseUrl}/.default`;
    const client = workerClient({
      GRAPH_TOKEN_SCOPE: scope,
      GRAPH_BASE_URL: sim.baseUrl,
      AZURE_AUTHORITY_HOST: sim.authorityHost,
    });
    const error = await caught(() => client.fetchPage(TENANT_A, 'mobileApp'));
    expect(error).toBeInstanceOf(GraphError);
    expect((error as GraphError).code).toBe('auth_failed');
    expect((error as GraphError).message).toContain(
      `AADSTS500011 (invalid_resource): Entra issues no token for the audience ${scope}: check GRAPH_TOKEN_SCOPE and GRAPH_CLOUD`,
    );
    expect(await scopesAskedFor(sim)).toEqual({ [scope]: 1 });
  });
});
