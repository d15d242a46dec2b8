/**
 * The simulator serves assignments, JSON batches and Entra groups the way Graph does, over real
 * HTTPS with real tokens: `$expand=assignments` where Intune serves it, `/{collection}/{id}/assignments`,
 * `POST /$batch` (learn.microsoft.com/graph/json-batching) with per-request faults and statistics,
 * `/groups`, and the admin API that changes the ground truth between syncs.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSimulatorAdminClient } from '../../simulator/admin-client';
import { dataset, datasets, type DatasetName } from '../../simulator/data';
import { SimulatorAdminError, type GraphSimulator, type RawAssignment } from '../../simulator/types';
import { caught, startTestSimulator, testTokens, TENANT_A, TENANT_B } from './support';

const NO_INTUNE = '33333333-cccc-4ccc-8ccc-333333333333';
const NO_GROUPS = '44444444-dddd-4ddd-8ddd-444444444444';

let sim: GraphSimulator;
let token: string;

beforeAll(async () => {
  sim = await startTestSimulator({
    tenants: [
      { tenantId: TENANT_A, counts: { mobileApp: 130, deviceConfiguration: 30, assignmentFilter: 6 } },
      {
        tenantId: TENANT_B,
        forbiddenTypes: ['deviceHealthScript'],
        counts: { deviceConfiguration: 25, deviceHealthScript: 3 },
      },
      { tenantId: NO_INTUNE, intuneProvisioned: false, counts: { deviceConfiguration: 3 } },
      { tenantId: NO_GROUPS, groupsReadable: false },
    ],
  });
  token = await testTokens(sim).getToken(TENANT_A);
});

afterAll(async () => {
  await sim.close();
});

beforeEach(async () => {
  await sim.admin.clearFaults();
  await sim.admin.resetStats();
});

type Json = Record<string, unknown>;

async function get(url: string, bearer = token): Promise<{ status: number; body: Json; headers: Headers }> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${bearer}` } });
  return { status: response.status, body: (await response.json()) as Json, headers: response.headers };
}

interface SubResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body: Json;
}

async function batch(
  requests: unknown[],
  options: { version?: string; bearer?: string } = {},
): Promise<{ status: number; body: Json & { responses?: SubResponse[] } }> {
  const response = await fetch(`${sim.baseUrl}/${options.version ?? 'beta'}/$batch`, {
    method: 'POST',
    headers: { authorization: `Bearer ${options.bearer ?? token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ requests }),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

function collectionUrl(name: DatasetName, query = '', version = 'beta'): string {
  return `${sim.baseUrl}/${version}${dataset(name).collectionPath}${query}`;
}

/** Every item of a collection, following nextLinks. */
async function allItems(url: string, bearer = token): Promise<Json[]> {
  const items: Json[] = [];
  for (let next: string | undefined = url; next !== undefined;) {
    const page = await get(next, bearer);
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    items.push(...(page.body.value as Json[]));
    next = page.body['@odata.nextLink'] as string | undefined;
  }
  return items;
}

const assignmentRequests = (name: DatasetName, ids: string[]) =>
  ids.map((id, i) => ({
    id: String(i + 1),
    method: 'GET',
    url: `${dataset(name).collectionPath}/${id}/assignments`,
  }));

describe('$expand=assignments', () => {
  const served = datasets().filter(([, d]) => d.assignments?.expand === 'served');

  it.each(served)('%s: every item carries its ground-truth assignments', async (name) => {
    const items = await allItems(collectionUrl(name, '?$expand=assignments'));
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(item.assignments).toEqual(await sim.admin.assignments(TENANT_A, name, String(item.id)));
    }
    // The ground truth is not trivial: some items have assignments, some none.
    expect(items.some((item) => (item.assignments as unknown[]).length > 0)).toBe(true);
  });

  it('answers empty lists on intents (microsoft-graph-explorer-v4#2051) though they have assignments', async () => {
    const items = await allItems(collectionUrl('endpointSecurityIntent', '?$expand=assignments'));
    expect(items.every((item) => Array.isArray(item.assignments) && item.assignments.length === 0)).toBe(
      true,
    );
    const truth = await Promise.all(
      items.map((item) => sim.admin.assignments(TENANT_A, 'endpointSecurityIntent', String(item.id))),
    );
    expect(truth.some((list) => list.length > 0)).toBe(true);
  });

  it('is ignored on other collections whose type has assignments', async () => {
    const items = await allItems(collectionUrl('windowsFeatureUpdateProfile', '?$expand=assignments'));
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((item) => !('assignments' in item))).toBe(true);
  });

  it('refuses what the element type does not declare as a navigation property, in Graph’s words', async () => {
    const unknown = await get(collectionUrl('assignmentFilter', '?$expand=assignments'));
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({
      code: 'BadRequest',
      message:
        "Parsing OData Select and Expand failed: Could not find a property named 'assignments' on type 'microsoft.graph.deviceAndAppManagementAssignmentFilter'.",
    });
    const structural = await get(collectionUrl('mobileApp', '?$expand=displayName'));
    expect(structural.status).toBe(400);
    expect(String((structural.body.error as Json).message)).toContain('is not a navigation property');
  });

  it('combines with $select, and nextLinks repeat both', async () => {
    const first = await get(collectionUrl('mobileApp', '?$select=id,displayName&$expand=assignments'));
    expect(first.status).toBe(200);
    const value = first.body.value as Json[];
    expect(value).toHaveLength(100);
    for (const item of value)
      expect(Object.keys(item).sort()).toEqual(['@odata.type', 'assignments', 'displayName', 'id']);
    const next = new URL(String(first.body['@odata.nextLink']));
    expect(next.searchParams.get('$select')).toBe('id,displayName');
    expect(next.searchParams.get('$expand')).toBe('assignments');
    const second = await get(next.href);
    expect((second.body.value as Json[]).every((item) => Array.isArray(item.assignments))).toBe(true);
  });

  it('serves under v1.0 only what the v1.0 assignment type declares', async () => {
    const items = await allItems(collectionUrl('deviceConfiguration', '?$expand=assignments', 'v1.0'));
    const assignments = items.flatMap((item) => item.assignments as Json[]);
    expect(assignments.length).toBeGreaterThan(0);
    for (const assignment of assignments) expect(Object.keys(assignment).sort()).toEqual(['id', 'target']);
  });
});

describe('GET /{collection}/{id}/assignments', () => {
  const withAssignments = datasets().filter(([, d]) => d.assignments !== undefined);

  it.each(withAssignments)('%s: answers the ground truth', async (name) => {
    const [item] = await sim.admin.listItems(TENANT_A, name);
    const answer = await get(collectionUrl(name, `/${item!.id}/assignments`));
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toEqual({
      '@odata.context': `${sim.baseUrl}/beta/$metadata#${dataset(name).collectionPath.slice(1)}('${item!.id}')/assignments`,
      value: await sim.admin.assignments(TENANT_A, name, item!.id),
    });
  });

  it('accepts OData key syntax and /v1.0 where the collection is in v1.0', async () => {
    const [app] = await sim.admin.listItems(TENANT_A, 'mobileApp');
    const truth = await sim.admin.assignments(TENANT_A, 'mobileApp', app!.id);
    const keyed = await get(collectionUrl('mobileApp', `('${app!.id}')/assignments`));
    expect(keyed.body.value).toEqual(truth);
    const v1 = await get(collectionUrl('mobileApp', `/${app!.id}/assignments`, 'v1.0'));
    expect(v1.status).toBe(200);
    // v1.0's mobileAppAssignment has no source/sourceId.
    expect(v1.body.value).toEqual(truth.map(({ source: _source, sourceId: _sourceId, ...rest }) => rest));
    const [policy] = await sim.admin.listItems(TENANT_A, 'settingsCatalogPolicy');
    const betaOnly = await get(collectionUrl('settingsCatalogPolicy', `/${policy!.id}/assignments`, 'v1.0'));
    expect(betaOnly.status).toBe(400);
  });

  it('answers Intune’s 404 for an unknown item and 400 where the type has no assignments', async () => {
    const missing = await get(
      collectionUrl('deviceConfiguration', '/00000000-0000-4000-8000-000000000000/assignments'),
    );
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'ResourceNotFound' });
    expect(String((missing.body.error as Json).message)).toContain('An error has occurred');
    const [filter] = await sim.admin.listItems(TENANT_A, 'assignmentFilter');
    const none = await get(collectionUrl('assignmentFilter', `/${filter!.id}/assignments`));
    expect(none.status).toBe(400);
    expect(none.body.error).toMatchObject({ message: "Resource not found for the segment 'assignments'." });
  });
});

describe('POST /$batch', () => {
  async function twentyRequests(): Promise<{
    ids: string[];
    requests: ReturnType<typeof assignmentRequests>;
  }> {
    const ids = (await sim.admin.listItems(TENANT_A, 'deviceConfiguration')).slice(0, 20).map((i) => i.id);
    return { ids, requests: assignmentRequests('deviceConfiguration', ids) };
  }

  it('answers 20 requests, each with the ground truth, in a shuffled order, counting each as a request', async () => {
    const { ids, requests } = await twentyRequests();
    const answer = await batch(requests);
    expect(answer.status).toBe(200);
    const responses = answer.body.responses!;
    expect(responses.map((r) => r.id).sort()).toEqual(requests.map((r) => r.id).sort());
    expect(responses.map((r) => r.id)).not.toEqual(requests.map((r) => r.id));
    for (const response of responses) {
      expect(response.status).toBe(200);
      expect(response.headers['Content-Type']).toContain('application/json');
      const itemId = ids[Number(response.id) - 1]!;
      expect(response.body.value).toEqual(
        await sim.admin.assignments(TENANT_A, 'deviceConfiguration', itemId),
      );
    }
    const stats = (await sim.admin.stats()).tenants[TENANT_A]!;
    expect(stats).toMatchObject({
      graphRequests: 20,
      batchRequests: 1,
      batchedRequests: 20,
      byType: { deviceConfiguration: 20 },
      batchedByType: { deviceConfiguration: 20 },
    });
    expect(stats.peakRequestsPerSecond.deviceConfiguration).toBe(20);
  });

  it('takes urls with or without a leading slash, under /v1.0 too', async () => {
    const { requests } = await twentyRequests();
    const answer = await batch(
      requests.slice(0, 2).map((r, i) => ({ ...r, url: i === 0 ? r.url.slice(1) : r.url })),
      { version: 'v1.0' },
    );
    expect(answer.body.responses!.map((r) => r.status)).toEqual([200, 200]);
  });

  it('refuses 21 requests, duplicate ids (case-insensitively) and malformed payloads as a whole', async () => {
    const { requests } = await twentyRequests();
    const tooMany = await batch([...requests, { ...requests[0]!, id: '21' }]);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error).toMatchObject({ code: 'BadRequest' });
    const duplicate = await batch([
      { ...requests[0]!, id: 'A1' },
      { ...requests[1]!, id: 'a1' },
    ]);
    expect(duplicate.status).toBe(400);
    // msgraph-sdk-java#559.
    expect(duplicate.body.error).toMatchObject({
      code: 'BadRequest',
      message: 'Request Id a1 has to be unique in a batch.',
    });
    for (const malformed of [
      [{ id: '1', method: 'GET' }],
      [],
      [{ ...requests[0]!, url: `${sim.baseUrl}/beta/x` }],
    ]) {
      const refused = await batch(malformed);
      expect(refused.status).toBe(400);
      // msgraph-sdk-javascript#1451.
      expect(refused.body.error).toMatchObject({ message: 'Invalid batch payload format.' });
    }
    expect((await sim.admin.stats()).tenants[TENANT_A]).toMatchObject({ graphRequests: 0, batchRequests: 5 });
  });

  it('throttles exactly the chosen sub-requests, each with its own Retry-After, and no direct ones', async () => {
    const { ids, requests } = await twentyRequests();
    await sim.admin.setFaults(TENANT_A, [
      {
        kind: 'status',
        status: 429,
        retryAfter: 'seconds',
        retryAfterSeconds: 7,
        batched: true,
        itemId: ids[4]!,
      },
      {
        kind: 'status',
        status: 429,
        retryAfter: 'seconds',
        retryAfterSeconds: 3,
        batched: true,
        itemId: ids[9]!,
      },
    ]);
    const direct = await get(collectionUrl('deviceConfiguration', `/${ids[4]!}/assignments`));
    expect(direct.status).toBe(200);
    const responses = (await batch(requests)).body.responses!;
    const throttled = responses.filter((r) => r.status === 429).map((r) => [r.id, r.headers['Retry-After']]);
    expect(throttled.sort()).toEqual([
      ['10', '3'],
      ['5', '7'],
    ]);
    expect(responses.find((r) => r.id === '5')!.body.error).toMatchObject({ code: 'TooManyRequests' });
    expect(responses.filter((r) => r.status === 200)).toHaveLength(18);
    expect((await sim.admin.stats()).tenants[TENANT_A]!.byStatus).toEqual({ '200': 19, '429': 2 });
  });

  it('spends a counted rule on sub-requests in request order, and batched: false spares them', async () => {
    const { requests } = await twentyRequests();
    await sim.admin.setFaults(TENANT_A, [
      { kind: 'status', status: 503, batched: false },
      { kind: 'status', status: 429, retryAfter: 'seconds', count: 3 },
    ]);
    const responses = (await batch(requests)).body.responses!;
    expect(
      responses
        .filter((r) => r.status === 429)
        .map((r) => r.id)
        .sort(),
    ).toEqual(['1', '2', '3']);
    expect(responses.filter((r) => r.status === 200)).toHaveLength(17);
  });

  it('counts sub-requests against the rateLimit token bucket', async () => {
    const { requests } = await twentyRequests();
    await sim.admin.setFaults(TENANT_A, [{ kind: 'rateLimit', requestsPerSecond: 5, burst: 5 }]);
    const responses = (await batch(requests)).body.responses!;
    expect(responses.filter((r) => r.status === 200)).toHaveLength(5);
    const throttled = responses.filter((r) => r.status === 429);
    expect(throttled).toHaveLength(15);
    expect(throttled.every((r) => Number(r.headers['Retry-After']) >= 1)).toBe(true);
  });

  it('applies the tenant’s refusals to each sub-request', async () => {
    const noIntune = await testTokens(sim).getToken(NO_INTUNE);
    const [item] = await sim.admin.listItems(NO_INTUNE, 'deviceConfiguration');
    const refused = (await batch(assignmentRequests('deviceConfiguration', [item!.id]), { bearer: noIntune }))
      .body.responses!;
    expect(refused[0]).toMatchObject({
      status: 400,
      body: { error: { message: 'Request not applicable to target tenant.' } },
    });
    const tokenB = await testTokens(sim).getToken(TENANT_B);
    const [script] = await sim.admin.listItems(TENANT_B, 'deviceHealthScript');
    const [profile] = await sim.admin.listItems(TENANT_B, 'deviceConfiguration');
    const mixed = (
      await batch(
        [
          ...assignmentRequests('deviceHealthScript', [script!.id]),
          { ...assignmentRequests('deviceConfiguration', [profile!.id])[0]!, id: '2' },
        ],
        { bearer: tokenB },
      )
    ).body.responses!;
    expect(Object.fromEntries(mixed.map((r) => [r.id, r.status]))).toEqual({ '1': 403, '2': 200 });
  });

  it('is refused as a whole without a valid token, and broken by a reset of any sub-request', async () => {
    const { requests } = await twentyRequests();
    expect((await batch(requests, { bearer: 'not-a-token' })).status).toBe(401);
    await sim.admin.setFaults(TENANT_A, [{ kind: 'reset', batched: true, count: 1 }]);
    expect(await caught(() => batch(requests))).toBeInstanceOf(Error);
    expect((await batch(requests)).status).toBe(200);
  });
});

describe('Entra groups', () => {
  it('answers a group by id with $select, directly and inside a batch, under v1.0 and beta', async () => {
    const groups = await sim.admin.groups(TENANT_A);
    expect(groups.length).toBeGreaterThanOrEqual(12);
    const group = groups[3]!;
    for (const version of ['v1.0', 'beta']) {
      const answer = await get(`${sim.baseUrl}/${version}/groups/${group.id}?$select=id,displayName`);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        '@odata.context': `${sim.baseUrl}/${version}/$metadata#groups(id,displayName)/$entity`,
        ...group,
      });
    }
    const batched = (
      await batch(
        groups
          .slice(0, 3)
          .map((g, i) => ({ id: String(i), method: 'GET', url: `/groups/${g.id}?$select=id,displayName` })),
        { version: 'v1.0' },
      )
    ).body.responses!;
    expect(batched.map((r) => r.body.displayName).sort()).toEqual(
      groups
        .slice(0, 3)
        .map((g) => g.displayName)
        .sort(),
    );
  });

  it('answers Entra’s 404 for an unknown id and 403 without a permission to read groups', async () => {
    const unknown = await get(`${sim.baseUrl}/v1.0/groups/00000000-0000-4000-8000-000000000001?$select=id`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({
      code: 'Request_ResourceNotFound',
      message:
        "Resource '00000000-0000-4000-8000-000000000001' does not exist or one of its queried reference-property objects are not present.",
    });
    const noGroups = await testTokens(sim).getToken(NO_GROUPS);
    const forbidden = await get(`${sim.baseUrl}/v1.0/groups?$top=1&$select=id`, noGroups);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error).toMatchObject({
      code: 'Authorization_RequestDenied',
      message: 'Insufficient privileges to complete the operation.',
    });
  });

  it('lists groups for an onboarding probe', async () => {
    const probe = await get(`${sim.baseUrl}/v1.0/groups?$top=1&$select=id`);
    expect(probe.status).toBe(200);
    expect(probe.body.value).toEqual([{ id: (await sim.admin.groups(TENANT_A))[0]!.id }]);
    expect(probe.body['@odata.nextLink']).toContain('$top=1');
    expect((await get(`${sim.baseUrl}/v1.0/groups?$top=1000`)).status).toBe(400);
  });
});

describe('setAssignments', () => {
  const replacement: RawAssignment[] = [
    {
      id: 'replaced-1',
      intent: 'apply',
      source: 'direct',
      sourceId: null,
      target: {
        '@odata.type': '#microsoft.graph.allDevicesAssignmentTarget',
        deviceAndAppManagementAssignmentFilterId: null,
        deviceAndAppManagementAssignmentFilterType: 'none',
      },
    },
  ];

  it('changes what the next read serves, in-process and over the HTTPS admin API', async () => {
    const [item, other] = await sim.admin.listItems(TENANT_A, 'deviceConfiguration');
    await sim.admin.setAssignments(TENANT_A, 'deviceConfiguration', item!.id, replacement);
    expect((await get(collectionUrl('deviceConfiguration', `/${item!.id}/assignments`))).body.value).toEqual(
      replacement,
    );
    const expanded = await allItems(collectionUrl('deviceConfiguration', '?$expand=assignments'));
    expect(expanded.find((i) => i.id === item!.id)!.assignments).toEqual(replacement);
    const remote = createSimulatorAdminClient(sim.baseUrl);
    await remote.setAssignments(TENANT_A, 'deviceConfiguration', other!.id, []);
    expect(await remote.assignments(TENANT_A, 'deviceConfiguration', other!.id)).toEqual([]);
    expect((await get(collectionUrl('deviceConfiguration', `/${other!.id}/assignments`))).body.value).toEqual(
      [],
    );
  });

  it('refuses properties the assignment type does not declare, unknown items and types without assignments', async () => {
    const [item] = await sim.admin.listItems(TENANT_A, 'deviceCompliancePolicy');
    const remote = createSimulatorAdminClient(sim.baseUrl);
    const undeclared = await caught(() =>
      remote.setAssignments(TENANT_A, 'deviceCompliancePolicy', item!.id, replacement),
    );
    expect(undeclared).toBeInstanceOf(SimulatorAdminError);
    expect((undeclared as SimulatorAdminError).status).toBe(400);
    expect((undeclared as Error).message).toContain(
      'deviceCompliancePolicyAssignment does not declare intent',
    );
    const missing = await caught(() => sim.admin.setAssignments(TENANT_A, 'deviceConfiguration', 'nope', []));
    expect((missing as SimulatorAdminError).status).toBe(404);
    const [filter] = await sim.admin.listItems(TENANT_A, 'assignmentFilter');
    const none = await caught(() => remote.assignments(TENANT_A, 'assignmentFilter', filter!.id));
    expect((none as SimulatorAdminError).status).toBe(400);
  });
});
