import { type Command } from 'commander';
import { type TypeCoverage } from '../../client';
import { parseTenantId } from '../../inventory/tenant-id';
import { type Tone } from '../colors';
import { printJson, printLine, printTable, toned } from '../output';
import { relativeAge } from '../relative-age';
import { withClient } from '../with-client';

const OUTCOME_TONE: Record<NonNullable<TypeCoverage['lastAttempt']>['outcome'], Tone> = {
  complete: 'good',
  failed: 'bad',
  forbidden: 'bad',
  not_licensed: 'warn',
  not_attempted: 'warn',
  cancelled: 'dim',
};

/** A type as --json shows it: flat, snake_case, instants as ISO 8601. */
function coverageJson(t: TypeCoverage) {
  return {
    policy_type: t.policyType,
    category: t.category,
    ever_complete: t.everComplete,
    last_complete_run_id: t.lastComplete?.runId ?? null,
    last_complete_finished_at: t.lastComplete?.finishedAt ?? null,
    items_present_count: t.itemsPresentCount,
    last_attempt_run_id: t.lastAttempt?.runId ?? null,
    last_attempt_outcome: t.lastAttempt?.outcome ?? null,
    last_attempt_error_code: t.lastAttempt?.errorCode ?? null,
    last_attempt_finished_at: t.lastAttempt?.finishedAt ?? null,
  };
}

/** A type as a row of the human table: ages, and "NEVER" where no run served it in full. */
function coverageRow(t: TypeCoverage, now: Date) {
  const attempt = t.lastAttempt;
  return {
    policy_type: t.policyType,
    last_complete: t.lastComplete ? relativeAge(t.lastComplete.finishedAt, now) : toned('NEVER', 'bad'),
    items: t.itemsPresentCount,
    last_attempt: attempt ? toned(attempt.outcome, OUTCOME_TONE[attempt.outcome]) : 'none',
    error_code: attempt?.errorCode ?? '',
    attempted: attempt?.finishedAt ? relativeAge(attempt.finishedAt, now) : '',
    complete_run_id: t.lastComplete?.runId ?? '',
  };
}

/**
 * Registers `inventory coverage --tenant <id>`: per policy type, since when it can be trusted
 * (its latest complete enumeration), what the inventory holds of it, and how its latest attempt
 * ended.
 */
export function registerCoverage(program: Command): void {
  program
    .command('coverage')
    .description(
      'per policy type of a tenant: the latest complete enumeration, items present, the latest attempt and its code',
    )
    .requiredOption('--tenant <id>', 'Entra tenant id', parseTenantId)
    .option('--json', 'machine-readable output')
    .action(async (flags: { tenant: string; json?: boolean }) => {
      const types = await withClient((c) => c.getCoverage(flags.tenant));
      if (flags.json) {
        printJson(types.map(coverageJson));
        return;
      }
      const now = new Date();
      printTable(types.map((t) => coverageRow(t, now)));
      const never = types.filter((t) => !t.everComplete).length;
      printLine(
        `${types.length - never} of ${types.length} policy types completely enumerated at least once` +
          (never > 0 ? `; ${never} NEVER: their absence proves nothing` : ''),
      );
    });
}
