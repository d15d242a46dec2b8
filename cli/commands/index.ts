import { type Command } from 'commander';
import { registerGraphSim } from './graph-sim';
import { registerMigrate } from './migrate';
import { registerPolicyTypes } from './policy-types';
import { registerSelectionHash } from './selection-hash';

export function registerCommands(program: Command): void {
  registerSelectionHash(program);
  registerPolicyTypes(program);
  registerMigrate(program);
  registerGraphSim(program);
}
