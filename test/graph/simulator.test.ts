/**
 * The simulator as a stand-in for Graph and Entra: protocol behaviour (versions, $select, paging,
 * token validation, authority metadata), deterministic data, the admin API over HTTPS, and its
 * TLS material.
 */
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphScope } from '../../graph/clouds';
import { firstPageUrl } from '../../graph/client';
import { enumeratePolicyType } from '../../bench/raw-enumerate';
import { createSimulatorAdminClient } from '../../simulator/admin-client';
import { ensureSimulatorCertificates } from '../../simulator/tls';
import { SimulatorAdminError, type GraphSimulator } from '../../simulator/types';
import { caught, startTestSimulator, testClient, testTokens, TENANT_A, TEST_APP } from './support';

let sim: GraphSimulator;

beforeAll(async () => {
  sim = await startTestSimulator({
    tenants: [
      { tenantId: TENANT_A, counts: { mobileApp: 130, settingsCatalogPolicy: 30, assignmentFilter: 4 } },
    ],
  });
});

afterAll(async () => {
  await sim.close();
});

async function get(url: string, token?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(
    url,
    token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } },
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function requestToken(target: GraphSimulator, tenantId: string, scope = graphScope(target.cloud)) {
  const response = await fetch(`${target.authorityHost}/${tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: TEST_APP.clientId,
      client_secret: TEST_APP.clientSecret,
      scope,
    }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('Graph protocol', () => {
  it('pages by 100 by default and by 25 for settings catalog, carrying $select in nextLinks', async () => {
    const token = await testTokens(sim).getToken(TENANT_A);
    const apps = await get(firstPageUrl(sim.baseUrl, 'mobileApp'), token);
    expect((apps.body.value as unknown[]).length).toBe(100);
    const nextLink = new URL(String(apps.body['@odata.nextLink']));
    expect(nextLink.searchParams.get('$skiptoken')).toBeTruthy();
    expect(nextLink.searchParams.get('$select')).toContain('displayName');
    const catalog = await get(firstPageUrl(sim.baseUrl, 'settingsCatalogPolicy'), token);
    expect((catalog.body.value as unknown[]).length).toBe(25);
  });

  it('serves v1.0 only for the collections Graph has there', async () => {
    const token = await testTokens(sim).getToken(TENANT_A);
    const v1Apps = await get(`${sim.baseUrl}/v1.0/deviceAppManagement/mobileApps`, token);
    expect(v1Apps.status).toBe(200);
    const v1Catalog = await get(`${sim.baseUrl}/v1.0/deviceManagement/configurationPolicies`, token);
    expect(v1Catalog.status).toBe(400);
    expect(v1Catalog.body.error).toMatchObject({
      code: 'BadRequest',
      message: "Resource not found for the segment 'configurationPolicies'.",
    });
  });

  it('rejects unknown $select properties, a selected @odata.type and a tampered skiptoken', async () => {
    const token = await testTokens(sim).getToken(TENANT_A);
    const base = `${sim.baseUrl}/beta/deviceManagement/assignmentFilters`;
    expect((await get(`${base}?$select=id,displayNme`, token)).status).toBe(400);
    expect((await get(`${base}?$select=id,@odata.type`, token)).status).toBe(400);
    expect((await get(`${base}?$skiptoken=not-a-token`, token)).status).toBe(400);
    expect((await get(`${base}?$select=id,DISPLAYNAME`, token)).status).toBe(200);
  });

  it('answers 401 in Graph’s shape for missing, forged and foreign tokens', async () => {
    await sim.admin.resetStats();
    const url = firstPageUrl(sim.baseUrl, 'assignmentFilter');
    const missing = await get(url);
    expect(missing.status).toBe(401);
    expect(missing.body.error).toMatchObject({
      code: 'InvalidAuthenticationToken',
      message: 'Access token is empty.',
    });
    const token = await testTokens(sim).getToken(TENANT_A);
    const [header, payload] = token.split('.');
    const forged = `${header}.${payload}.${Buffer.from('forged').toString('base64url')}`;
    expect((await get(url, forged)).status).toBe(401);
    const other = await startTestSimulator();
    try {
      const otherToken = await testTokens(other).getToken(TENANT_A);
      expect((await get(url, otherToken)).status).toBe(401);
    } finally {
      await other.close();
    }
    expect((await sim.admin.stats()).unattributedGraphRequests).toBe(3);
  });

  it('adds its global latency to every Graph request', async () => {
    const slow = await startTestSimulator({ latencyMs: 1_000 });
    try {
      const error = await caught(() =>
        testClient(slow, { timeoutMs: 200 }).fetchPage(TENANT_A, 'assignmentFilter'),
      );
      expect((error as { code?: string }).code).toBe('graph_network_error');
      const page = await testClient(slow).fetchPage(TENANT_A, 'assignmentFilter');
      expect(page.items.length).toBeGreaterThan(0);
    } finally {
      await slow.close();
    }
  });

  it('rejects expired tokens', async () => {
    const shortLived = await startTestSimulator({ tokenLifetimeSeconds: 0 });
    try {
      const { body } = await requestToken(shortLived, TENANT_A);
      const answer = await get(
        firstPageUrl(shortLived.baseUrl, 'assignmentFilter'),
        String(body.access_token),
      );
      expect(answer.status).toBe(401);
      expect(answer.body.error).toMatchObject({
        message: 'Lifetime validation failed, the token is expired.',
      });
    } finally {
      await shortLived.close();
    }
  });
});

describe('authority', () => {
  it('publishes tenant metadata and refuses unknown tenants like Entra', async () => {
    const known = await get(`${sim.authorityHost}/${TENANT_A}/v2.0/.well-known/openid-configuration`);
    expect(known.status).toBe(200);
    expect(known.body.token_endpoint).toBe(`${sim.authorityHost}/${TENANT_A}/oauth2/v2.0/token`);
    const unknown = await get(`${sim.authorityHost}/not-a-tenant/v2.0/.well-known/openid-configuration`);
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ error: 'invalid_request', error_codes: [90002] });
  });

  it('issues JWT-shaped tokens only for a Graph audience, whatever origin it is reached at', async () => {
    const ok = await requestToken(sim, TENANT_A);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ token_type: 'Bearer', expires_in: 3599 });
    const claims = JSON.parse(
      Buffer.from(String(ok.body.access_token).split('.')[1]!, 'base64url').toString(),
    ) as Record<string, unknown>;
    expect(claims).toMatchObject({
      tid: TENANT_A,
      appid: TEST_APP.clientId,
      aud: 'https://graph.microsoft.com',
      appidacr: '1',
    });
    // Entra: an unknown resource is invalid_resource (AADSTS500011), a scope without /.default in
    // the client-credentials grant invalid_scope (AADSTS1002012); see simulator/authority.ts.
    const wrong = await requestToken(sim, TENANT_A, `${sim.baseUrl}/.default`);
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: 'invalid_resource', error_codes: [500011] });
    const plain = await requestToken(sim, TENANT_A, 'https://graph.microsoft.com/User.Read.All');
    expect(plain.status).toBe(400);
    expect(plain.body).toMatchObject({ error: 'invalid_scope', error_codes: [1002012] });
  });
});

describe('data', () => {
  it('is deterministic for a seed and differs between seeds', async () => {
    const [same, different] = await Promise.all([startTestSimulator(), startTestSimulator({ seed: 8 })]);
    try {
      const ids = async (s: GraphSimulator) =>
        (await s.admin.listItems(TENANT_A, 'deviceConfiguration')).map((i) => i.id);
      expect(await ids(same)).toEqual(await ids(sim));
      expect(await ids(different)).not.toEqual(await ids(sim));
    } finally {
      await Promise.all([same.close(), different.close()]);
    }
  });
});

describe('admin API over HTTPS', () => {
  const admin = () => createSimulatorAdminClient(sim.baseUrl);
  const tenant = '55555555-eeee-4eee-8eee-555555555555';

  it('creates a tenant and mutates its items between enumerations', async () => {
    const created = await admin().upsertTenant({ tenantId: tenant, counts: { assignmentFilter: 6 } });
    expect(created.counts.assignmentFilter).toBe(6);
    expect((await admin().listTenants()).map((t) => t.tenantId)).toContain(tenant);
    const before = await admin().listItems(tenant, 'assignmentFilter');

    const added = await admin().addItems(tenant, 'assignmentFilter', [{ displayName: 'Added by test ✓' }]);
    const generated = await admin().addItems(tenant, 'assignmentFilter', 2);
    expect(added.map((i) => i.name)).toEqual(['Added by test ✓']);
    expect(generated).toHaveLength(2);
    await admin().renameItem(tenant, 'assignmentFilter', before[0]!.id, 'Renamed – Ünïcode');
    expect(await admin().deleteItems(tenant, 'assignmentFilter', [before[1]!.id, 'no-such-id'])).toBe(1);

    const names = new Map<string, string>();
    await enumeratePolicyType(testClient(sim), tenant, 'assignmentFilter', {
      maxAttempts: 1,
      onPage: (page) => {
        for (const item of page.items) names.set(item.external_id, item.display_name);
        return Promise.resolve();
      },
    });
    expect(names.size).toBe(8);
    expect(names.get(before[0]!.id)).toBe('Renamed – Ünïcode');
    expect(names.has(before[1]!.id)).toBe(false);
    expect(names.get(added[0]!.id)).toBe('Added by test ✓');
  });

  it('sets, applies and clears faults, and reports statistics', async () => {
    await admin().setFaults(tenant, [{ kind: 'status', status: 404, type: 'assignmentFilter' }]);
    await admin().resetStats();
    const error = await caught(() => testClient(sim).fetchPage(tenant, 'assignmentFilter'));
    expect((error as { code?: string }).code).toBe('graph_not_found');
    await testClient(sim).fetchPage(tenant, 'mobileApp');
    await admin().clearFaults(tenant);
    await testClient(sim).fetchPage(tenant, 'assignmentFilter');
    const stats = (await admin().stats()).tenants[tenant];
    expect(stats).toMatchObject({
      graphRequests: 3,
      tokenRequests: 3,
      byStatus: { '404': 1, '200': 2 },
      byType: { assignmentFilter: 2, mobileApp: 1 },
    });
  });

  it('refuses unknown tenants and invalid fault rules with their status', async () => {
    const unknown = await caught(() =>
      admin().listItems('66666666-ffff-4fff-8fff-666666666666', 'mobileApp'),
    );
    expect(unknown).toBeInstanceOf(SimulatorAdminError);
    expect((unknown as SimulatorAdminError).status).toBe(404);
    const invalid = await caught(() => admin().setFaults(tenant, [{ kind: 'status', status: 418 } as never]));
    expect((invalid as SimulatorAdminError).status).toBe(400);
  });
});

describe('TLS material', () => {
  it('is created once, reused, and renewed without replacing the CA', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sim-tls-'));
    try {
      const first = await ensureSimulatorCertificates(dir);
      const [ca, cert] = await Promise.all([
        readFile(first.caCertPath, 'utf8'),
        readFile(first.certPath, 'utf8'),
      ]);
      const server = new X509Certificate(cert);
      expect(server.checkIssued(new X509Certificate(ca))).toBe(true);
      expect(server.checkHost('localhost')).toBe('localhost');
      expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
      expect(server.checkIP('::1')).toBe('::1');

      await ensureSimulatorCertificates(dir);
      expect(await readFile(first.certPath, 'utf8')).toBe(cert);

      await rm(first.certPath);
      await ensureSimulatorCertificates(dir);
      const renewed = await readFile(first.certPath, 'utf8');
      expect(renewed).not.toBe(cert);
      expect(await readFile(first.caCertPath, 'utf8')).toBe(ca);
      expect(new X509Certificate(renewed).checkIssued(new X509Certificate(ca))).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
