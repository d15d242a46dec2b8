/**
 * Full enumeration of every registry policy type through the real credential and page fetcher,
 * against the simulator over HTTPS: exact ids and names across several pages, and `$select` /
 * whitelisting keeping payload keys (scripts, OMA settings, secrets) out of the items.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstPageUrl } from '../../graph/client';
import { enumeratePolicyType } from '../../bench/raw-enumerate';
import { type NormalizedItem } from '../../inventory/item';
import {
  POLICY_TYPE_KEYS,
  metaKeyPath,
  policyType,
  selectFields,
  type PolicyType,
} from '../../inventory/policy-types';
import { type GraphSimulator } from '../../simulator/types';
import { startTestSimulator, testClient, testTokens, TENANT_A } from './support';

const PAGE_SIZE = 10;
const COUNT = 23;
// Settings catalog keeps Graph's page size of 25 here, to exercise the simulator's default.
const SETTINGS_CATALOG_COUNT = 60;

let sim: GraphSimulator;

beforeAll(async () => {
  const pageSizes: Partial<Record<PolicyType, number>> = {};
  const counts: Partial<Record<PolicyType, number>> = {};
  for (const type of POLICY_TYPE_KEYS) {
    counts[type] = type === 'settingsCatalogPolicy' ? SETTINGS_CATALOG_COUNT : COUNT;
    if (type !== 'settingsCatalogPolicy') pageSizes[type] = PAGE_SIZE;
  }
  sim = await startTestSimulator({ pageSizes, tenants: [{ tenantId: TENANT_A, counts }] });
});

afterAll(async () => {
  await sim.close();
});

const PAYLOAD_KEYS = ['scriptContent', 'settings', 'omaSettings', 'preSharedKey', 'largeIcon', 'payload'];

describe.each(POLICY_TYPE_KEYS)('enumerating %s', (type) => {
  it('returns every item exactly once, in order, across several pages', async () => {
    const client = testClient(sim);
    const seen: NormalizedItem[] = [];
    const pageNumbers: number[] = [];
    const result = await enumeratePolicyType(client, TENANT_A, type, {
      maxAttempts: 1,
      onPage: (page, pageNumber) => {
        seen.push(...page.items);
        pageNumbers.push(pageNumber);
        expect(page.requestId).toMatch(/^[0-9a-f-]{36}$/);
        return Promise.resolve();
      },
    });
    const expected = await sim.admin.listItems(TENANT_A, type);
    const count = type === 'settingsCatalogPolicy' ? SETTINGS_CATALOG_COUNT : COUNT;
    const pageSize = type === 'settingsCatalogPolicy' ? 25 : PAGE_SIZE;
    expect(expected).toHaveLength(count);
    expect(result).toEqual({
      pagesCount: Math.ceil(count / pageSize),
      itemsObservedCount: count,
      itemsInvalidCount: 0,
    });
    expect(pageNumbers).toEqual(Array.from({ length: result.pagesCount }, (_, i) => i + 1));
    expect(seen.map((i) => i.external_id)).toEqual(expected.map((i) => i.id));
    expect(seen.map((i) => i.display_name)).toEqual(expected.map((i) => i.name));
    expect(new Set(seen.map((i) => i.policy_type))).toEqual(new Set([type]));
  });

  it('asks only for the registry fields and keeps only whitelisted metadata', async () => {
    const token = await testTokens(sim).getToken(TENANT_A);
    const fetchRaw = async (url: string) => {
      const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      return ((await response.json()) as { value: Array<Record<string, unknown>> }).value;
    };
    const allowed = new Set(['id', '@odata.type', ...selectFields(type)]);
    for (const raw of await fetchRaw(firstPageUrl(sim.baseUrl, type))) {
      for (const key of Object.keys(raw)) expect(allowed.has(key), `${type} returned ${key}`).toBe(true);
    }
    // Without $select the simulator sends payload keys for these types; the fetcher never asks for them.
    const def = policyType(type);
    const unselected = await fetchRaw(`${sim.baseUrl}/${def.apiVersion}${def.collectionPath}`);
    const unselectedKeys = new Set(unselected.flatMap((raw) => Object.keys(raw)));
    const page = await testClient(sim).fetchPage(TENANT_A, type);
    const allowedMeta = new Set(def.metaKeys.map((k) => metaKeyPath(k)[0]));
    for (const item of page.items) {
      for (const key of Object.keys(item.meta))
        expect(allowedMeta.has(key), `${type} stored ${key}`).toBe(true);
      for (const key of PAYLOAD_KEYS) expect(item.meta).not.toHaveProperty(key);
    }
    if (type === 'deviceManagementScript') expect(unselectedKeys.has('scriptContent')).toBe(true);
    if (type === 'settingsCatalogPolicy') expect(unselectedKeys.has('settings')).toBe(true);
  });
});

describe('item contents', () => {
  it('derives platforms and keeps nested whitelisted metadata', async () => {
    const page = await testClient(sim).fetchPage(TENANT_A, 'settingsCatalogPolicy');
    const withTemplate = page.items.filter(
      (i) => (i.meta.templateReference as { templateFamily?: string })?.templateFamily,
    );
    expect(withTemplate.length).toBe(page.items.length);
    expect(page.items.some((i) => i.platform === 'windows')).toBe(true);
    const configurations = await testClient(sim).fetchPage(TENANT_A, 'deviceConfiguration');
    for (const item of configurations.items) expect(item.platform).not.toBeNull();
  });
});
