/**
 * The README's "Graph permissions" section says what a tenant must grant: its per-type table and
 * its per-category summary must be the registry's, so the documentation cannot drift from what
 * `inventory policy-types` and `tenant check` report.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATEGORIES, POLICY_TYPE_KEYS, policyType, typesInCategory } from '../../inventory/policy-types';

const README = readFileSync(join(__dirname, '../../README.md'), 'utf8');
const SECTION = README.slice(
  README.indexOf('### Graph permissions'),
  README.indexOf('**Onboarding check.**'),
);

/** The cells of every table row of the section, backticks removed. */
function tableRows(): string[][] {
  return SECTION.split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim().replaceAll('`', '')),
    );
}

describe('README Graph permissions', () => {
  it('lists every policy type with its category, collection, entity type and permission', () => {
    const rows = tableRows().filter((cells) => cells.length === 5);
    expect(rows.map((cells) => cells[1]).sort()).toEqual([...POLICY_TYPE_KEYS]);
    for (const [category, key, collection, entityType, permission] of rows) {
      const def = policyType(key as (typeof POLICY_TYPE_KEYS)[number]);
      expect([category, collection, entityType, permission], key).toEqual([
        def.category,
        def.collectionPath,
        def.entityType,
        def.permission,
      ]);
    }
  });

  it('states, per category, exactly the permissions its types need', () => {
    const summary: Record<string, string[]> = Object.fromEntries(
      tableRows()
        .filter((cells) => cells.length === 2)
        .map(([category, permissions]) => [category!, permissions!.split(', ').sort()]),
    );
    expect(Object.keys(summary).sort()).toEqual([...CATEGORIES].sort());
    for (const category of CATEGORIES) {
      const needed = [...new Set(typesInCategory(category).map((key) => policyType(key).permission))].sort();
      expect(summary[category], category).toEqual(needed);
    }
  });
});
