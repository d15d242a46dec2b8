/**
 * Every row of a listing (items, assignment edges) written to stdout as NDJSON or CSV while it is
 * read, one page in memory at a time whatever the tenant holds: the rows flow through `stream.pipeline`, which waits for
 * stdout's 'drain' whenever a write is refused, so a slow reader (a pipe, a full disk) slows the
 * reads down instead of letting output pile up in memory.
 *
 * CSV is RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180): a header row, CRLF between records,
 * fields with a comma, quote or line break in double quotes and quotes doubled, written by
 * csv-stringify. Cells a spreadsheet would take for a formula (starting with `=`, `+`, `-`, `@`,
 * tab or carriage return) get a leading `'` (csv-stringify's `escape_formulas`), as OWASP advises
 * against CSV injection (https://owasp.org/www-community/attacks/CSV_Injection): item names come
 * from customers' tenants, and `=HYPERLINK(…)` in a policy name must stay text when the export is
 * opened in Excel.
 */
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { type InventoryItem } from '../client';
import { type ExportProgress } from './export-progress';
import {
  ITEM_FIELDS,
  itemRecord,
  UNASSIGNED_ITEM_FIELDS,
  unassignedItemRecord,
  type ItemRecord,
  type UnassignedItemRecord,
} from './item-records';

export type ExportFormat = 'ndjson' | 'csv';

/** How rows of one kind are written: CSV columns and cells, and the JSON record of a row. */
export interface RecordShape<T> {
  /** The CSV header, in order; the keys of `csv`'s cells. */
  columns: readonly string[];
  /** One CSV row; csv-stringify writes null as an empty cell. */
  csv: (row: T) => Record<string, string | null>;
  /** One NDJSON line's value. */
  json: (row: T) => unknown;
}

/** Items as `record` writes them, with `columns`: `meta` in CSV as its JSON text. */
function itemShape(
  columns: readonly string[],
  record: (item: InventoryItem) => ItemRecord | UnassignedItemRecord,
): RecordShape<InventoryItem> {
  return {
    columns,
    csv: (item) => {
      const { meta, ...fields } = record(item);
      return { ...fields, meta: JSON.stringify(meta) };
    },
    json: record,
  };
}

const ITEM_SHAPE = itemShape(ITEM_FIELDS, itemRecord);

/** Items of an `--unassigned` listing: with when their (zero) assignments were observed. */
const UNASSIGNED_ITEM_SHAPE = itemShape(UNASSIGNED_ITEM_FIELDS, unassignedItemRecord);

function csvStringifier(columns: readonly string[]) {
  return stringify({
    header: true,
    columns: [...columns],
    record_delimiter: 'windows',
    escape_formulas: true,
    // csv-stringify quotes a field holding the record delimiter, CRLF here, but not a lone LF or
    // CR (https://github.com/adaltas/node-csv/issues/467), which RFC 4180 and every spreadsheet
    // read as a line break: quote those too.
    quoted_match: /[\r\n]/,
  });
}

/** Whether `error` is the reader of stdout going away (`inventory items … | head`). */
function isBrokenPipe(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'EPIPE';
}

/**
 * Writes every row of `rows` to `out` in `format` as `shape` says, counting them on `progress`;
 * resolves with the count once all were handed to `out`. A reader that closes early ends the
 * export quietly (as other command-line tools do), and no further page is read.
 */
export async function exportRecords<T>(
  rows: AsyncIterable<T> | Iterable<T>,
  shape: RecordShape<T>,
  format: ExportFormat,
  out: Writable,
  progress: ExportProgress,
): Promise<number> {
  let count = 0;
  const counted = async function* <R>(toOutput: (row: T) => R): AsyncGenerator<R> {
    for await (const row of rows) {
      yield toOutput(row);
      count += 1;
      progress.add(1);
    }
  };
  const stages =
    format === 'csv'
      ? [Readable.from(counted(shape.csv)), csvStringifier(shape.columns)]
      : [Readable.from(counted((row) => `${JSON.stringify(shape.json(row))}\n`))];
  try {
    // `end: false`: stdout is the process's, not this export's, to close.
    await pipeline([...stages, out], { end: false });
  } catch (error) {
    if (!isBrokenPipe(error)) throw error;
  }
  progress.finish();
  return count;
}

/**
 * Every item of `items`, as exportRecords writes rows; `unassigned`: of an `--unassigned` listing,
 * with `assignments_observed_at`.
 */
export function exportItems(
  items: AsyncIterable<InventoryItem>,
  format: ExportFormat,
  out: Writable,
  progress: ExportProgress,
  unassigned = false,
): Promise<number> {
  return exportRecords(items, unassigned ? UNASSIGNED_ITEM_SHAPE : ITEM_SHAPE, format, out, progress);
}
