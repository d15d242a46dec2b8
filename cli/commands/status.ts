import { type Command } from 'commander';
import { type TenantStatus } from '../../client';
import { printJson, printLine, printTable, toned, type TableCell } from '../output';
import { relativeAge } from '../relative-age';
import { withClient } from '../with-client';

/** A tenant as --json shows it: snake_case, instants as ISO 8601 (null: never). */
function statusJson(s: TenantStatus) {
  return {
    tenant_id: s.tenantId,
    display_name: s.displayName,
    enabled: s.enabled,
    last_successful_sync_at: s.lastSuccessfulSyncAt,
    oldest_complete_enumeration_at: s.oldestCompleteEnumerationAt,
    types_count: s.typesCount,
    never_complete_types_count: s.neverCompleteTypesCount,
    types_failing_count: s.typesFailingCount,
    dominant_error_code: s.dominantErrorCode,
  };
}

/** The oldest complete enumeration as an age, or how many types never had one. */
function oldestComplete(s: TenantStatus, now: Date): TableCell {
  if (s.typesCount === 0) return toned('never synced', 'bad');
  if (s.neverCompleteTypesCount > 0)
    return toned(
      `NEVER (${s.neverCompleteTypesCount} type${s.neverCompleteTypesCount === 1 ? '' : 's'})`,
      'bad',
    );
  return relativeAge(s.oldestCompleteEnumerationAt, now);
}

/** A tenant as a row of the human table. */
function statusRow(s: TenantStatus, now: Date) {
  return {
    tenant_id: s.tenantId,
    display_name: s.displayName,
    oldest_complete: oldestComplete(s, now),
    failing: s.typesFailingCount > 0 ? toned(`${s.typesFailingCount} of ${s.typesCount}`, 'bad') : 0,
    dominant_code: s.dominantErrorCode ?? '',
    last_success: relativeAge(s.lastSuccessfulSyncAt, now),
    enabled: s.enabled ? s.enabled : toned(s.enabled, 'warn'),
  };
}

/**
 * Registers `inventory status`: one line per tenant, worst first: the oldest of its types'
 * latest complete enumerations, how many types fail and with which code, its last successful sync.
 */
export function registerStatus(program: Command): void {
  program
    .command('status')
    .description(
      'one line per tenant, worst first: oldest complete enumeration among its types, failing types, dominant code, last successful sync',
    )
    .option('--json', 'machine-readable output')
    .action(async (flags: { json?: boolean }) => {
      const lines = await withClient((c) => c.getFleetStatus());
      if (flags.json) printJson(lines.map(statusJson));
      else if (lines.length === 0)
        printLine('no tenants registered (inventory tenant add --tenant <id> --name <name>)');
      else {
        const now = new Date();
        printTable(lines.map((s) => statusRow(s, now)));
      }
    });
}
