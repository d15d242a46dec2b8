/**
 * `inventory policy-types` as a user runs it (a child process, no database or Temporal): `--json`
 * names, per type, what the sync asks Graph for and the permission it needs; the table adds the
 * permission column.
 */
import { describe, expect, it } from 'vitest';
import {
  CATEGORIES,
  POLICY_TYPE_KEYS,
  policyType,
  selectFields,
  typesInCategory,
} from '../../inventory/policy-types';
import { runInventory } from '../support/cli';

describe('inventory policy-types', () => {
  it('--json prints every type with its collection, API version, entity type, selected fields and permission', async () => {
    const result = await runInventory(['policy-types', '--json'], {});
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const rows = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    expect(rows.map((row) => row.policy_type)).toEqual([...POLICY_TYPE_KEYS]);
    for (const key of POLICY_TYPE_KEYS) {
      const def = policyType(key);
      expect(rows.find((row) => row.policy_type === key)).toEqual({
        policy_type: key,
        label: def.label,
        category: def.category,
        api: def.apiVersion,
        collection: def.collectionPath,
        entity_type: def.entityType,
        select_fields: selectFields(key),
        permission: def.permission,
      });
    }
    const filter = rows.find((row) => row.policy_type === 'assignmentFilter')!;
    expect(filter).toMatchObject({
      entity_type: 'deviceAndAppManagementAssignmentFilter',
      permission: 'DeviceManagementConfiguration.Read.All',
    });
    expect(filter.select_fields).toContain('roleScopeTags');
    expect(filter.select_fields).not.toContain('roleScopeTagIds');
    expect(rows.find((row) => row.policy_type === 'deviceManagementScript')?.permission).toBe(
      'DeviceManagementScripts.Read.All',
    );
  });

  it('prints a table with a permission column, one row per type, grouped by category', async () => {
    const result = await runInventory(['policy-types'], {});
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const [header, ...lines] = result.stdout.trimEnd().split('\n');
    expect(header!.split(/\s+/)).toEqual([
      'policy_type',
      'category',
      'api',
      'collection',
      'label',
      'permission',
    ]);
    expect(lines).toHaveLength(POLICY_TYPE_KEYS.length);
    const grouped = CATEGORIES.flatMap((category) => typesInCategory(category));
    for (const [i, key] of grouped.entries()) {
      expect(lines[i]!.startsWith(`${key} `)).toBe(true);
      expect(lines[i]!).toContain(`  ${policyType(key).category}  `);
      expect(lines[i]!.endsWith(`  ${policyType(key).permission}`)).toBe(true);
    }
  });
});
