import { Option, type Command } from 'commander';
import { SCHEDULE_EVERY_RANGE, SCHEDULE_JITTER_RANGE } from '../../inventory/duration';
import { InventoryError } from '../../inventory/error-codes';
import { type Selection } from '../../inventory/selection';
import { parseTenantId } from '../../inventory/tenant-id';
import { durationFlag, textFlag } from '../flags';
import { printJson, printLine, printTable } from '../output';
import { addSelectionOptions, selectionFromFlags, type SelectionFlags } from '../selection-options';
import { withClient } from '../with-client';

/**
 * What `schedule delete` names: `--id`, or `--tenant` with a selection (commander refuses both at
 * once); `invalid_input` for neither.
 */
function deleteTarget(
  flags: SelectionFlags & { tenant?: string; id?: string },
): { scheduleId: string } | { tenantId: string; selection: Selection } {
  if (flags.id !== undefined) return { scheduleId: flags.id };
  if (flags.tenant !== undefined) return { tenantId: flags.tenant, selection: selectionFromFlags(flags) };
  throw new InventoryError('invalid_input', 'give --id, or --tenant with --types or --categories');
}

/** Registers `inventory schedule create|list|delete`: sync schedules of a tenant and selection. */
export function registerSchedule(program: Command): void {
  const schedule = program.command('schedule').description('recurring syncs as Temporal Schedules');

  addSelectionOptions(
    schedule
      .command('create')
      .description('create (or update) the schedule of a tenant and selection')
      .requiredOption('--tenant <id>', 'Entra tenant id', parseTenantId)
      .requiredOption(
        '--every <duration>',
        `interval, e.g. 6h (${SCHEDULE_EVERY_RANGE.text})`,
        durationFlag('--every', SCHEDULE_EVERY_RANGE),
      ),
  )
    .option(
      '--jitter <duration>',
      'random delay added to each start, e.g. 10m (shorter than the interval)',
      durationFlag('--jitter', SCHEDULE_JITTER_RANGE),
    )
    .option('--json', 'machine-readable output')
    .action(
      async (flags: SelectionFlags & { tenant: string; every: string; jitter?: string; json?: boolean }) => {
        const selection = selectionFromFlags(flags);
        const result = await withClient((c) =>
          c.createSchedule({
            tenantId: flags.tenant,
            selection,
            every: flags.every,
            ...(flags.jitter !== undefined && { jitter: flags.jitter }),
          }),
        );
        if (flags.json) printJson(result);
        else
          printLine(
            `${result.created ? 'created' : 'updated'} schedule ${result.scheduleId} (every ${flags.every})`,
          );
      },
    );

  schedule
    .command('list')
    .description('list sync schedules')
    .option('--tenant <id>', 'only this tenant', parseTenantId)
    .option('--json', 'machine-readable output')
    .action(async (flags: { tenant?: string; json?: boolean }) => {
      const schedules = await withClient((c) => c.listSchedules(flags.tenant));
      if (flags.json) {
        printJson(schedules);
        return;
      }
      if (schedules.length === 0) printLine('no schedules');
      else
        printTable(
          schedules.map((s) => ({
            schedule_id: s.scheduleId,
            every: s.every ?? '',
            jitter: s.jitter ?? '',
            paused: s.paused,
            next_run: s.nextActionAt?.toISOString() ?? '',
          })),
        );
    });

  addSelectionOptions(
    schedule
      .command('delete')
      .description('delete the schedule of a tenant and selection (or --id)')
      .option('--tenant <id>', 'Entra tenant id', parseTenantId)
      .addOption(
        new Option('--id <scheduleId>', 'schedule id as listed (instead of --tenant and a selection)')
          .argParser(textFlag('--id'))
          .conflicts(['tenant', 'types', 'categories']),
      ),
  )
    .option('--json', 'machine-readable output')
    .action(async (flags: SelectionFlags & { tenant?: string; id?: string; json?: boolean }) => {
      const target = deleteTarget(flags);
      await withClient((c) => c.deleteSchedule(target));
      if (flags.json) printJson({ deleted: true });
      else printLine('schedule deleted');
    });
}
