import { type Command } from 'commander';
import { POLICY_TYPE_KEYS, policyType } from '../../inventory/policy-types';
import { printJson, printTable } from '../output';

/** Registers `inventory policy-types`: the registry as a table or `--json`, with no database or Temporal. */
export function registerPolicyTypes(program: Command): void {
  program
    .command('policy-types')
    .description('list the policy types and categories a selection can name')
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
        };
      });
      if (flags.json) printJson(rows);
      else printTable(rows);
    });
}
