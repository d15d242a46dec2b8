/**
 * GRAPH_CLOUD resolved by the worker's configuration: each cloud's Graph origin, Entra authority
 * and token audience (https://learn.microsoft.com/graph/deployments), and what each override
 * changes. Microsoft's authorities cannot be reached from tests, so they are checked here;
 * test/graph/audiences.test.ts runs the resolved settings against the simulator.
 */
import { describe, expect, it } from 'vitest';
import { loadWorkerConfig } from '../../config/worker';

const BASE_ENV = {
  DATABASE_URL: 'postgres://inventory_app:pw@127.0.0.1:1/inventory',
  AZURE_CLIENT_ID: '0d4f6c2a-1b3e-4a5c-9d7e-8f9a0b1c2d3e',
  AZURE_CLIENT_SECRET: 'secret',
};

const graphOf = (env: Record<string, string>) => loadWorkerConfig({ ...BASE_ENV, ...env }).graph;

describe('GRAPH_CLOUD', () => {
  it.each([
    ['global', 'https://graph.microsoft.com', 'https://login.microsoftonline.com'],
    ['usgov', 'https://graph.microsoft.us', 'https://login.microsoftonline.us'],
    ['usgov-dod', 'https://dod-graph.microsoft.us', 'https://login.microsoftonline.us'],
    ['china', 'https://microsoftgraph.chinacloudapi.cn', 'https://login.chinacloudapi.cn'],
  ])('%s: Graph %s, authority %s, audience <Graph>/.default', (cloud, graph, authority) => {
    expect(graphOf({ GRAPH_CLOUD: cloud })).toEqual({
      cloud,
      graphBaseUrl: graph,
      authorityHost: authority,
      tokenScope: `${graph}/.default`,
    });
  });

  it('defaults to the global cloud', () => {
    expect(graphOf({})).toEqual({
      cloud: 'global',
      graphBaseUrl: 'https://graph.microsoft.com',
      authorityHost: 'https://login.microsoftonline.com',
      tokenScope: 'https://graph.microsoft.com/.default',
    });
  });

  it('GRAPH_BASE_URL and AZURE_AUTHORITY_HOST change where requests go, not the audience', () => {
    expect(
      graphOf({
        GRAPH_CLOUD: 'china',
        GRAPH_BASE_URL: 'https://graph-gateway.example:8443',
        AZURE_AUTHORITY_HOST: 'https://login-gateway.example',
      }),
    ).toEqual({
      cloud: 'china',
      graphBaseUrl: 'https://graph-gateway.example:8443',
      authorityHost: 'https://login-gateway.example',
      tokenScope: 'https://microsoftgraph.chinacloudapi.cn/.default',
    });
  });

  it('GRAPH_TOKEN_SCOPE changes the audience alone', () => {
    expect(
      graphOf({ GRAPH_CLOUD: 'usgov', GRAPH_TOKEN_SCOPE: 'https://graph.microsoft.com/.default' }),
    ).toEqual({
      cloud: 'usgov',
      graphBaseUrl: 'https://graph.microsoft.us',
      authorityHost: 'https://login.microsoftonline.us',
      tokenScope: 'https://graph.microsoft.com/.default',
    });
  });
});
