/**
 * The real @azure/identity credentials against the simulator's Entra-like authority: token
 * caching per tenant, refresh after a 401, certificate assertions, and how each authority
 * failure maps to a GraphError (without ever quoting the secret) whose message carries Entra's
 * AADSTS code and what to do about it (graph/entra-failure.ts). The simulator answers each failure
 * the way Entra does (sources in simulator/authority.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GraphError } from '../../graph/errors';
import { enumeratePolicyType } from '../../bench/raw-enumerate';
import { type GraphSimulator } from '../../simulator/types';
import {
  caught,
  createClientCertificate,
  startTestSimulator,
  testClient,
  testTokens,
  TENANT_A,
  TENANT_B,
  TEST_APP,
} from './support';

const CERT_APP = '3c5e7a9b-2d4f-4e6a-8b0c-1d2e3f4a5b6c';
const EXPIRED_APP = {
  clientId: '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  clientSecret: 'expired-secret-value',
  clientSecretExpired: true,
};
const UNCONSENTED_TENANT = '33333333-cccc-4ccc-8ccc-333333333333';
const DISABLED_TENANT = '66666666-ffff-4fff-8fff-666666666666';
const USGOV_TENANT = '77777777-aaaa-4aaa-9aaa-777777777777';
const UNKNOWN_TENANT = '44444444-dddd-4ddd-8ddd-444444444444';

let sim: GraphSimulator;
let certDir: string;
let certPath: string;
let unregisteredCertPath: string;

beforeAll(async () => {
  certDir = await mkdtemp(join(tmpdir(), 'graph-cert-'));
  const registered = await createClientCertificate(certDir, 'registered');
  const unregistered = await createClientCertificate(certDir, 'unregistered');
  certPath = registered.path;
  unregisteredCertPath = unregistered.path;
  sim = await startTestSimulator({
    clients: [TEST_APP, EXPIRED_APP, { clientId: CERT_APP, certificatePem: registered.certificatePem }],
    tenants: [
      { tenantId: TENANT_A, counts: { mobileApp: 45 }, pageSizes: { mobileApp: 10 } },
      { tenantId: TENANT_B, counts: { mobileApp: 12 }, pageSizes: { mobileApp: 5 } },
      { tenantId: UNCONSENTED_TENANT, consentedClients: [CERT_APP] },
      { tenantId: DISABLED_TENANT, disabledClients: [TEST_APP.clientId] },
      { tenantId: USGOV_TENANT, cloud: 'usgov' },
    ],
  });
});

afterAll(async () => {
  await sim.close();
  await rm(certDir, { recursive: true, force: true });
});

beforeEach(async () => {
  await sim.admin.clearFaults();
  await sim.admin.resetStats();
});

async function tenantStats(tenantId: string) {
  return (await sim.admin.stats()).tenants[tenantId];
}

function expectGraphError(error: unknown, code: string, retryable: boolean): GraphError {
  expect(error).toBeInstanceOf(GraphError);
  const graphError = error as GraphError;
  expect(graphError.code).toBe(code);
  expect(graphError.decision.retryable).toBe(retryable);
  return graphError;
}

describe('token caching', () => {
  it('asks the authority once per tenant, not once per page', async () => {
    const client = testClient(sim);
    const a = await enumeratePolicyType(client, TENANT_A, 'mobileApp', {
      maxAttempts: 1,
      onPage: async () => {},
    });
    const b = await enumeratePolicyType(client, TENANT_B, 'mobileApp', {
      maxAttempts: 1,
      onPage: async () => {},
    });
    expect(a.pagesCount).toBe(5);
    expect(b.pagesCount).toBe(3);
    const [statsA, statsB] = [await tenantStats(TENANT_A), await tenantStats(TENANT_B)];
    expect(statsA).toMatchObject({ tokenRequests: 1, graphRequests: 5, byType: { mobileApp: 5 } });
    expect(statsB).toMatchObject({ tokenRequests: 1, graphRequests: 3 });
  });

  it('shares one token request between pages that start at the same time', async () => {
    const client = testClient(sim);
    await Promise.all(Array.from({ length: 8 }, () => client.fetchPage(TENANT_A, 'mobileApp')));
    expect(await tenantStats(TENANT_A)).toMatchObject({ tokenRequests: 1, graphRequests: 8 });
  });

  it('fetches a new token on forceRefresh', async () => {
    const tokens = testTokens(sim);
    const first = await tokens.getToken(TENANT_A);
    expect(await tokens.getToken(TENANT_A)).toBe(first);
    const refreshed = await tokens.getToken(TENANT_A, { forceRefresh: true });
    expect(refreshed).not.toBe(first);
    expect(refreshed).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    expect((await tenantStats(TENANT_A))?.tokenRequests).toBe(2);
  });
});

describe('token lifetime', () => {
  /**
   * MSAL serves a cached token until it is within tokenRenewalOffsetSeconds (300) of expiring,
   * counted in whole seconds from just before the request. A 302-second token is therefore reused
   * for at least one second and renewed after at most three and a half; waiting out that window
   * keeps the test deterministic and short. (A token that lives under 300 s is never reused.)
   */
  const LIFETIME_SECONDS = 302;
  const RENEWED_AFTER_MS = 3_600;
  let shortSim: GraphSimulator;

  beforeAll(async () => {
    shortSim = await startTestSimulator({
      tokenLifetimeSeconds: LIFETIME_SECONDS,
      tenants: [{ tenantId: TENANT_A }],
    });
  });

  afterAll(async () => {
    await shortSim.close();
  });

  it('reuses a token until five minutes before it expires, then asks once for a new one', async () => {
    const tokens = testTokens(shortSim);
    const tokenRequests = async () => (await shortSim.admin.stats()).tenants[TENANT_A]?.tokenRequests;
    const first = await tokens.getToken(TENANT_A);
    const issuedBy = Date.now();
    expect(await tokens.getToken(TENANT_A)).toBe(first);
    expect(await tokenRequests()).toBe(1);

    await new Promise((resolve) => setTimeout(resolve, issuedBy + RENEWED_AFTER_MS - Date.now()));
    const renewed = await tokens.getToken(TENANT_A);
    expect(renewed).not.toBe(first);
    expect(await Promise.all([tokens.getToken(TENANT_A), tokens.getToken(TENANT_A)])).toEqual([
      renewed,
      renewed,
    ]);
    expect(await tokenRequests()).toBe(2);
  });
});

describe('401 handling', () => {
  it('refreshes a revoked token once and the page succeeds', async () => {
    const client = testClient(sim);
    await client.fetchPage(TENANT_A, 'mobileApp');
    await sim.admin.revokeTokens(TENANT_A);
    const page = await client.fetchPage(TENANT_A, 'mobileApp');
    expect(page.items).toHaveLength(10);
    expect(await tenantStats(TENANT_A)).toMatchObject({
      tokenRequests: 2,
      graphRequests: 3,
      byStatus: { '200': 2, '401': 1 },
    });
  });

  it('gives up with graph_unauthorized (not retryable) when the fresh token is refused too', async () => {
    await sim.admin.setFaults(TENANT_A, [{ kind: 'status', status: 401 }]);
    const error = expectGraphError(
      await caught(() => testClient(sim).fetchPage(TENANT_A, 'mobileApp')),
      'graph_unauthorized',
      false,
    );
    expect(error.decision).toMatchObject({ httpStatus: 401, delayMs: null });
    expect(await tenantStats(TENANT_A)).toMatchObject({
      tokenRequests: 2,
      graphRequests: 2,
      byStatus: { '401': 2 },
    });
  });
});

describe('authority failures', () => {
  /** The auth_failed error of `getToken`, checked for what every such message must be. */
  async function authFailure(tokens: ReturnType<typeof testTokens>, tenantId: string): Promise<string> {
    const error = expectGraphError(await caught(() => tokens.getToken(tenantId)), 'auth_failed', false);
    expect(error.message.length).toBeLessThanOrEqual(500);
    expect(error.message).not.toMatch(/[\r\n]/);
    expect(error.message).not.toMatch(/Trace ID/);
    return error.message;
  }

  it('maps a wrong client secret to auth_failed without quoting the secret', async () => {
    const secret = 'wrong-secret-7f3a9c';
    const error = expectGraphError(
      await caught(() => testTokens(sim, { clientSecret: secret }).getToken(TENANT_A)),
      'auth_failed',
      false,
    );
    expect(error.message).toContain('AADSTS7000215 (invalid_client): the client secret is wrong');
    expect(error.message).toContain('set AZURE_CLIENT_SECRET');
    expect(JSON.stringify(error)).not.toContain(secret);
    expect(error.message).not.toContain(secret);
    expect((await tenantStats(TENANT_A))?.tokenByStatus).toEqual({ '401': 1 });
  });

  it('maps an expired client secret (AADSTS7000222) to "create a new secret"', async () => {
    const message = await authFailure(
      testTokens(sim, { clientId: EXPIRED_APP.clientId, clientSecret: EXPIRED_APP.clientSecret }),
      TENANT_A,
    );
    expect(message).toContain('AADSTS7000222 (invalid_client)');
    expect(message).toContain(`the client secret of app ${EXPIRED_APP.clientId} has expired`);
    expect(message).toContain('create a new secret');
    expect(message).not.toContain(EXPIRED_APP.clientSecret);
  });

  it('maps an unknown tenant (AADSTS90002) to "check the tenant id and the cloud"', async () => {
    const message = await authFailure(testTokens(sim), UNKNOWN_TENANT);
    expect(message).toContain('AADSTS90002 (invalid_request)');
    expect(message).toContain(
      `tenant ${UNKNOWN_TENANT} was not found in the global cloud: check the tenant id and GRAPH_CLOUD`,
    );
  });

  it('maps an app not consented in the tenant (AADSTS700016) to the admin-consent URL', async () => {
    const message = await authFailure(testTokens(sim), UNCONSENTED_TENANT);
    expect(message).toContain('AADSTS700016 (unauthorized_client)');
    // The cloud's own authority, not the simulator's origin the token requests went to.
    expect(message).toContain(
      `an administrator of tenant ${UNCONSENTED_TENANT} grants consent at https://login.microsoftonline.com/${UNCONSENTED_TENANT}/adminconsent?client_id=${TEST_APP.clientId}`,
    );
  });

  it('names the US Government authority in the consent URL when GRAPH_CLOUD is usgov', async () => {
    const usgov = await startTestSimulator({
      cloud: 'usgov',
      tenants: [{ tenantId: UNCONSENTED_TENANT, consentedClients: [] }],
    });
    try {
      const message = await authFailure(testTokens(usgov), UNCONSENTED_TENANT);
      expect(message).toContain(
        `https://login.microsoftonline.us/${UNCONSENTED_TENANT}/adminconsent?client_id=${TEST_APP.clientId}`,
      );
    } finally {
      await usgov.close();
    }
  });

  it('maps an application disabled in the tenant (AADSTS7000112) to "enable it"', async () => {
    const message = await authFailure(testTokens(sim), DISABLED_TENANT);
    expect(message).toContain('AADSTS7000112 (unauthorized_client)');
    expect(message).toContain(`app ${TEST_APP.clientId} is disabled in tenant ${DISABLED_TENANT}`);
  });

  it('maps a tenant of another cloud (AADSTS900382) to "check GRAPH_CLOUD"', async () => {
    const message = await authFailure(testTokens(sim), USGOV_TENANT);
    expect(message).toContain('AADSTS900382 (invalid_request)');
    expect(message).toContain('belongs to another cloud than global: check GRAPH_CLOUD');
  });

  it('maps an audience Entra has no resource for (AADSTS500011) to "check GRAPH_TOKEN_SCOPE"', async () => {
    const scope = 'https://graph-gateway.example/.default';
    const message = await authFailure(testTokens(sim, { tokenScope: scope }), TENANT_A);
    expect(message).toContain('AADSTS500011 (invalid_resource)');
    expect(message).toContain(`Entra issues no token for the audience ${scope}: check GRAPH_TOKEN_SCOPE`);
    expect((await tenantStats(TENANT_A))?.tokenScopes).toEqual({ [scope]: 1 });
  });

  it('refuses a malformed tenant id before any request', async () => {
    expectGraphError(await caught(() => testTokens(sim).getToken('../common')), 'auth_failed', false);
    expect((await sim.admin.stats()).requestsByHost).toEqual({});
  });

  it('maps an unreachable authority to a retryable graph_network_error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = expectGraphError(
      await caught(() => testTokens(sim, { authorityHost: `https://localhost:${port}` }).getToken(TENANT_A)),
      'graph_network_error',
      true,
    );
    expect(error.decision.delayMs).toBeGreaterThanOrEqual(0);
  });

  it('times out a silent authority as a retryable graph_network_error', async () => {
    await sim.admin.setFaults(TENANT_A, [{ kind: 'hang', endpoint: 'token' }]);
    const error = expectGraphError(
      await caught(() => testTokens(sim, { timeoutMs: 500 }).getToken(TENANT_A)),
      'graph_network_error',
      true,
    );
    expect(error.message).toContain('500 ms');
  });

  it('maps a transient authority error to a retryable graph_unavailable', async () => {
    await sim.admin.setFaults(TENANT_A, [{ kind: 'status', status: 429, endpoint: 'token' }]);
    expectGraphError(await caught(() => testTokens(sim).getToken(TENANT_A)), 'graph_unavailable', true);
  });
});

describe('certificate credential', () => {
  it('signs a client assertion the authority accepts, and the page succeeds', async () => {
    const tokens = testTokens(sim, {
      clientId: CERT_APP,
      clientSecret: undefined,
      certificatePath: certPath,
    });
    const page = await testClient(sim, { tokens }).fetchPage(TENANT_A, 'mobileApp');
    expect(page.items).toHaveLength(10);
    expect((await tenantStats(TENANT_A))?.tokenByStatus).toEqual({ '200': 1 });
  });

  it('is refused with a certificate the app does not have', async () => {
    const tokens = testTokens(sim, {
      clientId: CERT_APP,
      clientSecret: undefined,
      certificatePath: unregisteredCertPath,
    });
    const error = expectGraphError(await caught(() => tokens.getToken(TENANT_A)), 'auth_failed', false);
    expect(error.message).toContain('AADSTS700027');
    expect(error.message).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
  });
});
