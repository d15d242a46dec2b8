import { Option, type Command } from 'commander';
import { type AssignmentEdge, type InventoryClient, type ItemAssignments } from '../../client';
import { parseObjectId } from '../../inventory/assignment-query';
import { InventoryError } from '../../inventory/error-codes';
import { parseExternalId, parsePolicyType } from '../../inventory/item-query';
import { parseTenantId } from '../../inventory/tenant-id';
import { assignmentBasisLine } from '../assignment-basis';
import { ASSIGNMENT_SHAPE, assignmentRecord } from '../assignment-records';
import { createExportProgress, watchedByPerson } from '../export-progress';
import { cursorFlag, limitFlag } from '../flags';
import { exportRecords } from '../item-export';
import { printJson, printLine, printTable, toned, type TableCell } from '../output';
import { relativeAge } from '../relative-age';
import { itemTypeNotCoveredLine, typesNotCoveredLine, typesNotCoveredRecords } from '../types-not-covered';
import { withClient } from '../with-client';

const FORMATS = ['table', 'json', 'csv'] as const;
type Format = (typeof FORMATS)[number];

interface AssignmentsFlags {
  tenant: string;
  group?: string;
  filter?: string;
  item?: boolean;
  type?: string;
  id?: string;
  format: Format;
  json?: boolean;
  limit?: number;
  cursor?: string;
}

/** A lookup by group or by filter: how to read a page, and every edge. */
interface Lookup {
  page(
    c: InventoryClient,
    options: { limit: number; cursor?: string },
  ): ReturnType<InventoryClient['listAssignmentsByGroup']>;
  every(c: InventoryClient, options: { pageSize: number; cursor?: string }): AsyncIterable<AssignmentEdge>;
  /** What an empty answer says. */
  none: string;
  /** What policies of a type not covered may do unlisted. */
  unlisted: string;
}

function lookupOf(flags: AssignmentsFlags): Lookup {
  if (flags.group !== undefined) {
    const group = flags.group;
    return {
      page: (c, o) => c.listAssignmentsByGroup(flags.tenant, group, o),
      every: (c, o) => c.iterateAssignmentsByGroup(flags.tenant, group, o),
      none: `no current assignment names group ${group}`,
      unlisted: 'target this group',
    };
  }
  const filter = flags.filter!;
  return {
    page: (c, o) => c.listAssignmentsByFilter(flags.tenant, filter, o),
    every: (c, o) => c.iterateAssignmentsByFilter(flags.tenant, filter, o),
    none: `no current assignment uses filter ${filter}`,
    unlisted: 'use this filter',
  };
}

const completeCell = (value: boolean | null): TableCell =>
  value === null ? toned('unknown', 'dim') : value ? toned('yes', 'good') : toned('no', 'warn');

/**
 * A group's or a filter's cell: its name, or its id marked as nameless (as the group heading marks
 * it), so a bare GUID is never taken for a name; empty when there is none.
 */
const namedCell = (name: string | null, id: string | null): TableCell =>
  name ?? (id === null ? null : toned(`${id} (name not known)`, 'dim'));

/** The cells every edge table shows: what is targeted, through which filter, and how it is known. */
function edgeCells(edge: AssignmentEdge, now: Date): Record<string, TableCell> {
  return {
    target_kind: edge.targetKind,
    group: namedCell(edge.groupDisplayName, edge.groupId),
    filter: namedCell(edge.filterDisplayName, edge.filterId),
    filter_type: edge.filterId === null ? null : edge.filterType,
    intent: edge.intent,
    observed: edge.assignmentsOutdated
      ? toned(`${relativeAge(edge.assignmentsObservedAt, now)} (older)`, 'warn')
      : relativeAge(edge.assignmentsObservedAt, now),
    type_complete: completeCell(edge.typeCompleteWhenObserved),
  };
}

/** The first line of a group answer: the group, by name where the directory has one. */
function groupHeading(edges: readonly AssignmentEdge[], groupId: string): string {
  const name = edges.find((e) => e.groupId === groupId && e.groupDisplayName !== null)?.groupDisplayName;
  return `group ${groupId}${name ? ` (${name})` : ' (name not known)'}`;
}

async function listEdges(flags: AssignmentsFlags, format: Format): Promise<void> {
  const lookup = lookupOf(flags);
  const cursor = flags.cursor !== undefined ? { cursor: flags.cursor } : {};
  if (format === 'csv') {
    const { typesNotCovered } = await withClient(async (c) => {
      await exportRecords(
        lookup.every(c, { pageSize: flags.limit ?? 1000, ...cursor }),
        ASSIGNMENT_SHAPE,
        'csv',
        process.stdout,
        createExportProgress(watchedByPerson(), process.stderr, 'assignment'),
      );
      // The iterator yields edges only; the types not covered come with a page, and a one-edge
      // page read after the export is the cheapest that carries them (as of the export's end).
      return lookup.page(c, { limit: 1 });
    });
    // stdout stays pure CSV: the caveat goes to stderr.
    const line = typesNotCoveredLine(typesNotCovered, lookup.unlisted);
    if (line !== null) process.stderr.write(`${line}\n`);
    return;
  }
  const page = await withClient((c) => lookup.page(c, { limit: flags.limit ?? 100, ...cursor }));
  if (format === 'json') {
    printJson({
      assignments: page.assignments.map(assignmentRecord),
      next_cursor: page.nextCursor,
      types_not_covered: typesNotCoveredRecords(page.typesNotCovered),
    });
    return;
  }
  if (flags.group !== undefined) printLine(groupHeading(page.assignments, flags.group));
  const now = new Date();
  if (page.assignments.length === 0) printLine(lookup.none);
  else
    printTable(
      page.assignments.map((edge) => ({
        policy_type: edge.policyType,
        display_name: edge.displayName,
        ...edgeCells(edge, now),
        external_id: edge.externalId,
      })),
    );
  if (page.nextCursor) printLine(`more: --cursor ${page.nextCursor}`);
  const basis = assignmentBasisLine(page.assignments, now);
  if (basis !== null) printLine(basis);
  const notCovered = typesNotCoveredLine(page.typesNotCovered, lookup.unlisted);
  if (notCovered !== null) printLine(notCovered);
}

/** The last line of one item's answer: when its edges were observed and how far to trust them. */
function itemBasisLine(answer: ItemAssignments, now: Date): string {
  if (!answer.typeHasAssignments) return `${answer.policyType} items have no assignments`;
  if (answer.assignmentsObservedAt === null) {
    return 'its assignments were never observed: none are known (not "none"); a sync that reads them will tell';
  }
  const complete = answer.typeCompleteWhenObserved;
  return [
    `assignments observed ${relativeAge(answer.assignmentsObservedAt, now)} by run ${answer.assignmentsRunId}`,
    `type completely enumerated then: ${complete === null ? 'unknown (no recorded outcome)' : complete ? 'yes' : 'no'}`,
    ...(answer.assignmentsOutdated ? ['seen again since without reading its assignments (edges older)'] : []),
  ].join('; ');
}

async function showItem(flags: AssignmentsFlags, format: Format): Promise<void> {
  if (flags.type === undefined || flags.id === undefined) {
    throw new InventoryError('invalid_input', '--item needs --type <type> and --id <external id>');
  }
  const { type, id } = flags;
  const answer = await withClient((c) => c.getItemAssignments(flags.tenant, type, id));
  if (format === 'csv') {
    await exportRecords(
      answer.assignments,
      ASSIGNMENT_SHAPE,
      'csv',
      process.stdout,
      createExportProgress(false),
    );
    const line = itemTypeNotCoveredLine(answer.typesNotCovered, new Date());
    if (line !== null) process.stderr.write(`${line}\n`);
    return;
  }
  if (format === 'json') {
    printJson({
      policy_type: answer.policyType,
      external_id: answer.externalId,
      display_name: answer.displayName,
      last_seen_at: answer.lastSeenAt.toISOString(),
      type_has_assignments: answer.typeHasAssignments,
      assignments_observed_at: answer.assignmentsObservedAt?.toISOString() ?? null,
      assignments_run_id: answer.assignmentsRunId,
      type_complete_when_observed: answer.typeCompleteWhenObserved,
      assignments_outdated: answer.assignmentsOutdated,
      assignments: answer.assignments.map(assignmentRecord),
      types_not_covered: typesNotCoveredRecords(answer.typesNotCovered),
    });
    return;
  }
  const now = new Date();
  printLine(`${answer.policyType} ${answer.externalId} (${answer.displayName})`);
  if (answer.assignments.length > 0) {
    printTable(
      answer.assignments.map((edge) => ({ ...edgeCells(edge, now), assignment_id: edge.assignmentId })),
    );
  } else if (answer.assignmentsObservedAt !== null) {
    printLine('assigned to nothing');
  }
  printLine(itemBasisLine(answer, now));
  const notCovered = itemTypeNotCoveredLine(answer.typesNotCovered, now);
  if (notCovered !== null) printLine(notCovered);
}

/**
 * Registers `inventory assignments`: the current assignment edges that name a group (`--group`) or
 * use an assignment filter (`--filter`), across every policy type, one page as a table or JSON or
 * all of them as CSV; or one policy's edges (`--item --type --id`). Exactly one mode.
 */
export function registerAssignments(program: Command): void {
  program
    .command('assignments')
    .description('which policies target a group or use a filter, or what one policy is assigned to')
    .requiredOption('--tenant <id>', 'Entra tenant id', parseTenantId)
    .addOption(
      new Option('--group <group id>', 'every policy that includes or excludes this Entra group')
        .argParser((value: string) => parseObjectId('--group', value))
        .conflicts(['filter', 'item']),
    )
    .addOption(
      new Option('--filter <filter id>', 'every assignment that uses this assignment filter')
        .argParser((value: string) => parseObjectId('--filter', value))
        .conflicts(['item']),
    )
    .addOption(
      new Option('--item', "one policy's assignments (with --type and --id)").conflicts(['limit', 'cursor']),
    )
    .addOption(
      new Option('--type <type>', 'with --item: its policy type')
        .argParser((value: string) => parsePolicyType('--type', value))
        .conflicts(['group', 'filter']),
    )
    .addOption(
      new Option('--id <external id>', 'with --item: its Graph id')
        .argParser((value: string) => parseExternalId('--id', value))
        .conflicts(['group', 'filter']),
    )
    .addOption(
      new Option('--format <format>', 'table or json: one page; csv: every assignment, streamed')
        .choices(FORMATS)
        .default('table'),
    )
    .addOption(new Option('--json', 'the same as --format json').conflicts('format'))
    .option(
      '--limit <n>',
      'assignments per page (1 to 1000; default 100, or 1000 per read for csv)',
      limitFlag,
    )
    .option('--cursor <cursor>', 'continue after a previous page', cursorFlag)
    .action(async (flags: AssignmentsFlags) => {
      const format: Format = flags.json ? 'json' : flags.format;
      if (flags.item) {
        await showItem(flags, format);
        return;
      }
      if (flags.type !== undefined || flags.id !== undefined) {
        throw new InventoryError('invalid_input', '--type and --id go with --item');
      }
      if (flags.group === undefined && flags.filter === undefined) {
        throw new InventoryError(
          'invalid_input',
          'give one of --group <group id>, --filter <filter id> or --item',
        );
      }
      await listEdges(flags, format);
    });
}
