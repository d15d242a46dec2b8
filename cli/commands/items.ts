import { Option, type Command } from 'commander';
import { type InventoryItem, type ItemPage, type ItemQuery } from '../../client';
import { parseScopeTagInput, SCOPE_TAG_KEYS } from '../../inventory/assignment-query';
import {
  parseChangedSince,
  parseExternalId,
  parsePolicyType,
  parseSearchText,
} from '../../inventory/item-query';
import { parseTenantId } from '../../inventory/tenant-id';
import { createExportProgress, watchedByPerson } from '../export-progress';
import { exportItems } from '../item-export';
import { itemRecord, unassignedItemRecord } from '../item-records';
import { cursorFlag, limitFlag } from '../flags';
import { printJson, printLine, printTable, type TableCell } from '../output';
import { relativeAge } from '../relative-age';
import { addSelectionOptions, selectionFromFlags, type SelectionFlags } from '../selection-options';
import { withClient } from '../with-client';

const FORMATS = ['table', 'json', 'ndjson', 'csv'] as const;
type Format = (typeof FORMATS)[number];

/** Page size of `table` and `json` (one page printed), and of each read of a streamed export. */
const DEFAULT_PAGE = { table: 100, json: 100, ndjson: 1000, csv: 1000 } as const satisfies Record<
  Format,
  number
>;

interface ItemsFlags extends SelectionFlags {
  tenant: string;
  search?: string;
  changedSince?: string;
  unassigned?: boolean;
  scopeTag?: string;
  format: Format;
  json?: boolean;
  limit?: number;
  cursor?: string;
}

/** A table row; with `--unassigned`, when its (zero) assignments were observed; with `--scope-tag`, its tags by name. */
function tableRow(item: InventoryItem, page: ItemPage, now: Date): Record<string, TableCell> {
  const tagNames = page.scopeTag?.namesById;
  const tagIds = SCOPE_TAG_KEYS.map((key) => item.meta[key]).find((ids) => ids !== undefined);
  return {
    policy_type: item.policyType,
    external_id: item.externalId,
    display_name: item.displayName,
    platform: item.platform,
    last_seen_at: item.lastSeenAt.toISOString(),
    updated_at: item.updatedAt.toISOString(),
    ...(page.unassignedLeftOut && { assignments_observed: relativeAge(item.assignmentsObservedAt, now) }),
    ...(tagNames && {
      scope_tags: Array.isArray(tagIds)
        ? tagIds.map((id) => tagNames[String(id)] ?? String(id)).join(', ')
        : null,
    }),
  };
}

/** The line ending an `--unassigned` answer: what it left out, and why. */
function leftOutLine(left: ItemPage['unassignedLeftOut']): string | null {
  if (!left) return null;
  const items = (n: number) => `${n} item${n === 1 ? '' : 's'}`;
  return (
    `left out: ${items(left.neverObservedCount)} whose assignments were never observed (unknown, not unassigned)` +
    `, ${items(left.withoutAssignmentsCount)} of types without assignments`
  );
}

function queryOf(flags: ItemsFlags): ItemQuery {
  const selected = flags.types !== undefined || flags.categories !== undefined;
  return {
    ...(selected && { selection: selectionFromFlags(flags) }),
    ...(flags.search !== undefined && { search: flags.search }),
    ...(flags.changedSince !== undefined && { changedSince: flags.changedSince }),
    ...(flags.unassigned === true && { unassigned: true }),
    ...(flags.scopeTag !== undefined && { scopeTag: flags.scopeTag }),
    ...(flags.cursor !== undefined && { cursor: flags.cursor }),
  };
}

/**
 * Registers `inventory items`: one page of a tenant's items (`table`, `json`), or all of them
 * streamed (`ndjson`, `csv`) with a progress line on stderr when a person watches.
 */
function registerItemList(program: Command): void {
  addSelectionOptions(
    program
      .command('items')
      .description('list, search or export the items last observed in a tenant')
      .requiredOption('--tenant <id>', 'Entra tenant id', parseTenantId),
  )
    .option(
      '--search <text>',
      'only items whose name or id contains this text (case-insensitive, up to 256 characters)',
      (value: string) => parseSearchText('--search', value),
    )
    .option(
      '--changed-since <time>',
      'only items changed at or after an ISO 8601 time (2026-05-01T08:00:00Z) or a duration ago (24h, 7d)',
      (value: string) => {
        parseChangedSince('--changed-since', value, new Date());
        return value;
      },
    )
    .option(
      '--unassigned',
      'only policies observed with their assignments and assigned to nothing (never-observed ones are left out and counted)',
    )
    .option(
      '--scope-tag <id or name>',
      'only items with this scope tag, by id or by name (case-insensitive, among the inventoried scope tags)',
      (value: string) => parseScopeTagInput('--scope-tag', value),
    )
    .addOption(
      new Option('--format <format>', 'table or json: one page; ndjson or csv: every item, streamed')
        .choices(FORMATS)
        .default('table'),
    )
    .addOption(new Option('--json', 'the same as --format json').conflicts('format'))
    .option(
      '--limit <n>',
      'items per page (1 to 1000; default 100, or 1000 per read when ndjson or csv stream every page)',
      limitFlag,
    )
    .option('--cursor <cursor>', 'continue after a previous page', cursorFlag)
    .action(async (flags: ItemsFlags) => {
      const format: Format = flags.json ? 'json' : flags.format;
      const query = queryOf(flags);
      const pageSize = flags.limit ?? DEFAULT_PAGE[format];
      if (format === 'ndjson' || format === 'csv') {
        const leftOut = await withClient(async (c) => {
          await exportItems(
            c.iterateItems(flags.tenant, { ...query, pageSize }),
            format,
            process.stdout,
            createExportProgress(watchedByPerson()),
            query.unassigned === true,
          );
          // The iterator yields items only; the left-out counts come with a page, and a one-item
          // page read after the export is the cheapest that carries them.
          return query.unassigned
            ? (await c.listItems(flags.tenant, { ...query, limit: 1 })).unassignedLeftOut
            : undefined;
        });
        // stdout stays pure data: what the listing left out goes to stderr.
        const line = leftOutLine(leftOut);
        if (line !== null) process.stderr.write(`${line}\n`);
        return;
      }
      const page = await withClient((c) => c.listItems(flags.tenant, { ...query, limit: pageSize }));
      if (format === 'json') {
        printJson({
          items: page.items.map(page.unassignedLeftOut ? unassignedItemRecord : itemRecord),
          next_cursor: page.nextCursor,
          ...(page.unassignedLeftOut && {
            unassigned_left_out: {
              never_observed_count: page.unassignedLeftOut.neverObservedCount,
              without_assignments_count: page.unassignedLeftOut.withoutAssignmentsCount,
            },
          }),
          ...(page.scopeTag && {
            scope_tag: { id: page.scopeTag.id, display_name: page.scopeTag.displayName },
          }),
        });
        return;
      }
      if (page.scopeTag) {
        printLine(`scope tag ${page.scopeTag.id} (${page.scopeTag.displayName ?? 'name not known'})`);
      }
      const now = new Date();
      if (page.items.length === 0) printLine('no items');
      else printTable(page.items.map((item) => tableRow(item, page, now)));
      if (page.nextCursor) printLine(`more: --cursor ${page.nextCursor}`);
      const leftOut = leftOutLine(page.unassignedLeftOut);
      if (leftOut !== null) printLine(leftOut);
    });
}

/** Registers `inventory item`: one item with its metadata, and when and by which run it was last seen. */
function registerItem(program: Command): void {
  program
    .command('item')
    .description('show one item: its metadata, and when and by which run it was last observed')
    .requiredOption('--tenant <id>', 'Entra tenant id', parseTenantId)
    .requiredOption('--type <type>', 'its policy type (see: inventory policy-types)', (value: string) =>
      parsePolicyType('--type', value),
    )
    .requiredOption('--id <external id>', 'its Graph id', (value: string) => parseExternalId('--id', value))
    .option('--json', 'machine-readable output')
    .action(async (flags: { tenant: string; type: string; id: string; json?: boolean }) => {
      const item = itemRecord(await withClient((c) => c.getItem(flags.tenant, flags.type, flags.id)));
      if (flags.json) {
        printJson(item);
        return;
      }
      const { meta, ...fields } = item;
      printTable([
        ...Object.entries(fields).map(([field, value]) => ({ field, value })),
        ...Object.entries(meta).map(([key, value]) => ({
          field: `meta.${key}`,
          value: JSON.stringify(value),
        })),
      ]);
    });
}

/** Registers `inventory items` and `inventory item`. */
export function registerItems(program: Command): void {
  registerItemList(program);
  registerItem(program);
}
