/**
 * The simulator answers from Graph's metadata, not from our registry, over real HTTPS with the
 * real token flow: a registry entry with a field or path Graph does not have fails exactly as
 * Graph fails it, every real registry type's first page succeeds, and the tenant shapes other
 * parts rely on (no Intune, a missing permission, a missing licence) answer in Graph's shapes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstPageUrl } from '../../graph/client';
import { GraphError } from '../../graph/errors';
import { POLICY_TYPE_KEYS, policyType, type PolicyTypeDefinition } from '../../inventory/policy-types';
import { type GraphSimulator } from '../../simulator/types';
import { caught, startTestSimulator, testClient, testTokens, TENANT_A, TENANT_B } from './support';

const NO_INTUNE = '33333333-cccc-4ccc-8ccc-333333333333';

let sim: GraphSimulator;

beforeAll(async () => {
  sim = await startTestSimulator({
    tenants: [
      { tenantId: TENANT_A },
      {
        tenantId: TENANT_B,
        forbiddenTypes: [
          'deviceManagementScript',
          'windowsAutopilotDeploymentProfile',
          'conditionalAccessPolicy',
          'cloudPcProvisioningPolicy',
        ],
        unlicensedTypes: ['windowsFeatureUpdateProfile'],
      },
      { tenantId: NO_INTUNE, intuneProvisioned: false },
    ],
  });
});

afterAll(async () => {
  await sim.close();
});

interface GraphAnswer {
  status: number;
  body: { value?: unknown[]; error?: { code: string; message: string; innerError: Record<string, string> } };
  requestId: string | null;
}

async function get(tenantId: string, url: string): Promise<GraphAnswer> {
  const token = await testTokens(sim).getToken(tenantId);
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  return {
    status: response.status,
    body: (await response.json()) as GraphAnswer['body'],
    requestId: response.headers.get('request-id'),
  };
}

describe('$select from Graph metadata', () => {
  const filter = policyType('assignmentFilter');

  // The defect of issue 10: Graph's deviceAndAppManagementAssignmentFilter has roleScopeTags.
  // Message as Graph words it: msgraph-beta-sdk-dotnet#563, microsoft-graph-docs#9988.
  it('refuses a test registry entry selecting roleScopeTagIds on assignment filters with Graph’s 400', async () => {
    const wrong: PolicyTypeDefinition = { ...filter, metaKeys: [...filter.metaKeys, 'roleScopeTagIds'] };
    const answer = await get(TENANT_A, firstPageUrl(sim.baseUrl, wrong));
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({
      code: 'BadRequest',
      message:
        "Parsing OData Select and Expand failed: Could not find a property named 'roleScopeTagIds' on type 'microsoft.graph.deviceAndAppManagementAssignmentFilter'.",
    });
    expect(answer.body.error?.innerError['request-id']).toBe(answer.requestId);
  });

  it('refuses a property only derived types declare, naming the element type', async () => {
    const apps = policyType('mobileApp');
    const answer = await get(TENANT_A, firstPageUrl(sim.baseUrl, { ...apps, metaKeys: ['fileName'] }));
    expect(answer.status).toBe(400);
    expect(answer.body.error?.message).toBe(
      "Parsing OData Select and Expand failed: Could not find a property named 'fileName' on type 'microsoft.graph.mobileApp'.",
    );
  });

  it('refuses a test registry entry whose collection Graph does not have', async () => {
    const answer = await get(
      TENANT_A,
      firstPageUrl(sim.baseUrl, { ...filter, collectionPath: '/deviceManagement/assignmentFilter' }),
    );
    expect(answer.status).toBe(400);
    expect(answer.body.error?.message).toBe("Resource not found for the segment 'assignmentFilter'.");
  });

  it('matches property names case-insensitively and answers with Graph’s spelling', async () => {
    const answer = await get(
      TENANT_A,
      `${sim.baseUrl}/beta/deviceManagement/assignmentFilters?$select=ID,ROLESCOPETAGS`,
    );
    expect(answer.status).toBe(200);
    for (const item of answer.body.value as Array<Record<string, unknown>>)
      expect(Object.keys(item).sort()).toEqual(['id', 'roleScopeTags']);
  });

  it.each(POLICY_TYPE_KEYS)('serves the first page of %s as the registry asks for it', async (type) => {
    const page = await testClient(sim).fetchPage(TENANT_A, type);
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.itemsInvalidCount).toBe(0);
    const answer = await get(TENANT_A, firstPageUrl(sim.baseUrl, type));
    expect(answer.status).toBe(200);
  });
});

describe('tenant shapes', () => {
  it('a tenant without Intune answers 400 "Request not applicable to target tenant." on every Intune collection', async () => {
    // Windows 365 and Entra are other services: Conditional Access does not need Intune.
    const otherServices = ['cloudPcProvisioningPolicy', 'cloudPcUserSetting', 'conditionalAccessPolicy'];
    for (const type of POLICY_TYPE_KEYS) {
      const answer = await get(NO_INTUNE, firstPageUrl(sim.baseUrl, type));
      if (otherServices.includes(type)) {
        expect(answer.status, type).toBe(200);
        continue;
      }
      expect(answer.status, type).toBe(400);
      expect(answer.body.error).toMatchObject({
        code: 'BadRequest',
        message: 'Request not applicable to target tenant.',
      });
    }
  });

  it('a forbidden type answers 403 whose message is Intune’s JSON document naming Graph’s scopes', async () => {
    const scripts = await get(TENANT_B, firstPageUrl(sim.baseUrl, 'deviceManagementScript'));
    expect(scripts.status).toBe(403);
    expect(scripts.body.error?.code).toBe('Forbidden');
    expect(scripts.body.error?.message).toContain('\r\n  "_version": 3,\r\n');
    const document = JSON.parse(scripts.body.error!.message) as Record<string, unknown>;
    expect(document).toMatchObject({ _version: 3, CustomApiErrorPhrase: '', RetryAfter: null });
    expect(document.Message).toMatch(
      /^Application is not authorized to perform this operation\. Application must have one of the following scopes: DeviceManagementScripts\.Read\.All, DeviceManagementScripts\.ReadWrite\.All - Operation ID \(for customer support\): 0{8}-0{4}-0{4}-0{4}-0{12} - Activity ID: [0-9a-f-]{36} - Url: https:\/\/\S+$/,
    );
    const autopilot = await get(TENANT_B, firstPageUrl(sim.baseUrl, 'windowsAutopilotDeploymentProfile'));
    const message = String((JSON.parse(autopilot.body.error!.message) as Record<string, unknown>).Message);
    expect(message).toContain(
      'scopes: DeviceManagementServiceConfiguration.Read.All, DeviceManagementServiceConfig.Read.All,',
    );
    // The other types of the same tenant are served.
    expect((await get(TENANT_B, firstPageUrl(sim.baseUrl, 'mobileApp'))).status).toBe(200);
  });

  // Entra names no scope: Microsoft365DSC/Microsoft365DSC#3556, hugobatista/zerotrust-ca-powertoys#8.
  it('Conditional Access without its permission answers Entra’s AccessDenied, which the fetcher reads as a missing permission', async () => {
    const answer = await get(TENANT_B, firstPageUrl(sim.baseUrl, 'conditionalAccessPolicy'));
    expect(answer.status).toBe(403);
    expect(answer.body.error).toMatchObject({
      code: 'AccessDenied',
      message: 'You cannot perform the requested operation, required scopes are missing in the token.',
    });
    const error = await caught(() => testClient(sim).fetchPage(TENANT_B, 'conditionalAccessPolicy'));
    expect(error).toBeInstanceOf(GraphError);
    expect((error as GraphError).code).toBe('graph_forbidden');
    expect((error as GraphError).message).toContain('Policy.Read.All');
  });

  // microsoft/EntraExporter#102, microsoftgraph/microsoft-graph-explorer-v4#2031.
  it('Windows 365 without its permission answers the Cloud PC service’s "Access is denied"', async () => {
    const answer = await get(TENANT_B, firstPageUrl(sim.baseUrl, 'cloudPcProvisioningPolicy'));
    expect(answer.status).toBe(403);
    expect(answer.body.error).toMatchObject({
      code: 'Forbidden',
      message: 'Access is denied to the requested resource.',
    });
    expect((await get(TENANT_B, firstPageUrl(sim.baseUrl, 'cloudPcUserSetting'))).status).toBe(200);
  });

  it('an unlicensed type answers 403 with Intune’s "An error has occurred" document', async () => {
    const answer = await get(TENANT_B, firstPageUrl(sim.baseUrl, 'windowsFeatureUpdateProfile'));
    expect(answer.status).toBe(403);
    expect(answer.body.error?.code).toBe('Forbidden');
    const document = JSON.parse(answer.body.error!.message) as Record<string, unknown>;
    expect(String(document.Message)).toMatch(/^An error has occurred - Operation ID/);
    expect((await get(TENANT_B, firstPageUrl(sim.baseUrl, 'windowsQualityUpdateProfile'))).status).toBe(200);
  });

  it('reaches the page fetcher as a permanent failure carrying Graph’s message', async () => {
    const error = await caught(() => testClient(sim).fetchPage(TENANT_B, 'deviceManagementScript'));
    expect(error).toBeInstanceOf(GraphError);
    expect((error as GraphError).decision).toMatchObject({ retryable: false, httpStatus: 403 });
    expect((error as GraphError).message).toContain('DeviceManagementScripts.Read.All');
  });
});
