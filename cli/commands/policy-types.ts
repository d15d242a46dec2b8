import { type Command } from 'commander';
import { CATEGORIES, POLICY_TYPE_KEYS, policyType, selectFields } from '../../inventory/policy-types';
import { printJson, printTable } from '../output';

/**
 * Registers `inventory policy-types`: the registry as a table (key, category, API version,
 * collection, label, permission), grouped by category so a person sees what each category reads,
 * or, with `--json`, an array of `{policy_type, label, category, api, collection, entity_type,
 * select_fields, permission}` in key order, with no database or Temporal.
 */
export function registerPolicyTypes(program: Command): void {
  program
    .command('policy-types')
    .description('list the policy types and categories a selection can name, with what each reads from Graph')
    .option('--json', 'machine-readable output')
    .action((flags: { json?: boolean }) => {
      const rows = POLICY_TYPE_KEYS.map((key) => {
        const def = policyType(key);
        return {
          policy_type: key,
          category: def.category,
          api: def.apiVersion,
          collection: def.collectionPath,
          label: def.label,
          permission: def.permission,
        };
      });
      if (!flags.json) {
        return printTable(
          [...rows].sort((a, b) => CATEGORIES.indexOf(a.category) - CATEGORIES.indexOf(b.category)),
        );
      }
      printJson(
        rows.map((row) => ({
          ...row,
          entity_type: policyType(row.policy_type).entityType,
          select_fields: selectFields(row.policy_type),
        })),
      );
    });
}
