/**
 * Issue 11's end-to-end check: one sync of every policy type of the registry on one simulated
 * tenant, through Temporal, PostgreSQL and the Graph simulator over HTTPS. Counts per type are set
 * so several types span more than one page; what is stored must be exactly what the simulator
 * holds, per type, and no stored metadata may hold a key that can carry a script, token,
 * certificate or payload, although the simulator serves them all.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/sql';
import { CATEGORIES, POLICY_TYPE_KEYS, type PolicyType } from '../../inventory/policy-types';
import { useEngine } from '../support/engine';
import { forbiddenKeyMatches } from '../support/forbidden-keys';

const ctx = useEngine();

/** Every type gets a few items; these get several pages (at Graph's or a smaller page size). */
const COUNTS: Partial<Record<PolicyType, number>> = {
  mobileApp: 130, // 2 pages of 100
  settingsCatalogPolicy: 30, // 2 pages of 25
  compliancePolicy: 60, // 3 pages of 25
  deviceHealthScript: 11,
  roleDefinition: 12,
  conditionalAccessPolicy: 7,
  depOnboardingSetting: 2,
  vppToken: 3,
};
const PAGE_SIZES: Partial<Record<PolicyType, number>> = {
  deviceHealthScript: 4,
  roleDefinition: 5,
  conditionalAccessPolicy: 3,
};
const DEFAULT_COUNT = 4;

/** Values the simulator plants in payloads (scripts, app configuration, settings): never stored. */
const PLANTED_SECRETS = /P@ss-|tok-[0-9a-f]|secret-[0-9a-f]|key-[0-9a-f]|expected-[0-9a-f]|psk-/;

interface Row {
  policy_type: PolicyType;
  external_id: string;
  display_name: string;
  platform: string | null;
  meta_jsonb: Record<string, unknown>;
}

/** Every key of a JSON value, nested ones included. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => [key, ...keysOf(child)]);
}

describe('a sync of every policy type', () => {
  let tenantId: string;
  let rows: Row[];
  let status: string;
  let observed: number;

  beforeAll(async () => {
    const counts = Object.fromEntries(POLICY_TYPE_KEYS.map((type) => [type, COUNTS[type] ?? DEFAULT_COUNT]));
    tenantId = await ctx.engine.addTenant({ counts, pageSizes: PAGE_SIZES });
    const started = await ctx.engine.client.startSync({
      tenantId,
      selection: { categories: [...CATEGORIES] },
    });
    const result = await ctx.engine.client.waitForSync(started.workflowId);
    status = result.status;
    observed = result.itemsObservedCount;
    rows = await queryRows<Row>(
      ctx.engine.db.admin,
      'SELECT policy_type, external_id, display_name, platform, meta_jsonb FROM inventory_items WHERE tenant_id = $1',
      [tenantId],
    );
  }, 240_000);

  it('succeeds and stores exactly what the simulator holds, per type, ids and names included', async () => {
    expect(status).toBe('success');
    let total = 0;
    for (const type of POLICY_TYPE_KEYS) {
      const served = await ctx.engine.sim.admin.listItems(tenantId, type);
      const stored = rows.filter((row) => row.policy_type === type);
      expect(stored.length, type).toBe(COUNTS[type] ?? DEFAULT_COUNT);
      expect(new Map(stored.map((row) => [row.external_id, row.display_name])), type).toEqual(
        new Map(served.map((item) => [item.id, item.name])),
      );
      total += served.length;
    }
    expect(rows).toHaveLength(total);
    expect(observed).toBe(total);
  });

  it('asked Graph for more than one page where a type spans several', async () => {
    const stats = (await ctx.engine.sim.admin.stats()).tenants[tenantId]!;
    // Page requests: the type's requests less those inside batches (per-item assignments).
    const pages = (type: PolicyType) => (stats.byType[type] ?? 0) - (stats.batchedByType[type] ?? 0);
    expect(pages('mobileApp')).toBe(2);
    expect(pages('compliancePolicy')).toBe(3);
    expect(pages('conditionalAccessPolicy')).toBe(3);
    expect(pages('roleDefinition')).toBe(3);
    // compliancePolicy is read per item: one request inside a batch per item.
    expect(stats.batchedByType.compliancePolicy).toBe(60);
  });

  it('stores no key that can carry a script, token, certificate or payload, and no planted secret', () => {
    for (const row of rows) {
      const offending = keysOf(row.meta_jsonb).filter((key) => forbiddenKeyMatches(key).length > 0);
      expect(offending, `${row.policy_type} ${row.external_id}`).toEqual([]);
      expect(JSON.stringify(row.meta_jsonb)).not.toMatch(PLANTED_SECRETS);
    }
  });

  it('keeps the inventory facts of the new types: token expiry, Conditional Access state, platforms', () => {
    const first = (type: PolicyType) => rows.find((row) => row.policy_type === type)!;
    expect(first('vppToken').meta_jsonb.expirationDateTime).toEqual(expect.any(String));
    expect(first('depOnboardingSetting').meta_jsonb.tokenExpirationDateTime).toEqual(expect.any(String));
    expect(first('depOnboardingSetting').display_name).toMatch(/enrollment program token/);
    expect(first('conditionalAccessPolicy').meta_jsonb.state).toEqual(expect.any(String));
    expect(first('conditionalAccessPolicy').platform).toBeNull();
    expect(first('deviceShellScript').platform).toBe('macos');
    expect(first('cloudPcProvisioningPolicy').meta_jsonb.scopeIds).toEqual(expect.any(Array));
    expect(first('policySet').meta_jsonb.roleScopeTags).toEqual(expect.any(Array));
  });
});
