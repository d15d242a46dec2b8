import { type Command } from 'commander';
import { registerAssignments } from './assignments';
import { registerCoverage } from './coverage';
import { registerDev } from './dev';
import { registerGraphSim } from './graph-sim';
import { registerItems } from './items';
import { registerMigrate } from './migrate';
import { registerMissing } from './missing';
import { registerPolicyTypes } from './policy-types';
import { registerRuns } from './runs';
import { registerSchedule } from './schedule';
import { registerSelectionHash } from './selection-hash';
import { registerStatus } from './status';
import { registerSync } from './sync';
import { registerTenant } from './tenant';
import { registerWorker } from './worker';

/** Registers every `inventory` subcommand on `program`, in the order `--help` lists them. */
export function registerCommands(program: Command): void {
  registerTenant(program);
  registerSync(program);
  registerRuns(program);
  registerMissing(program);
  registerItems(program);
  registerAssignments(program);
  registerCoverage(program);
  registerStatus(program);
  registerSchedule(program);
  registerSelectionHash(program);
  registerPolicyTypes(program);
  registerWorker(program);
  registerMigrate(program);
  registerGraphSim(program);
  registerDev(program);
}
