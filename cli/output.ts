/**
 * How the CLI talks to people and scripts: human text on stdout by default, one JSON document
 * with --json, and expected failures as one line on stderr with the stable code, followed by a
 * hint line (except for configuration errors, which are one line only).
 *
 * Every human line goes through terminalText here, not at the call sites: a command passes names,
 * ids and messages as they are and cannot forget to escape them. JSON output is escaped by JSON.
 */
import { InventoryError, isErrorCode, ERROR_CODES, type ErrorCode } from '../inventory/error-codes';
import { redactText } from '../inventory/redact';
import { colorsEnabled, painter, type Tone } from './colors';
import { layoutTable, type LayoutCell } from './table-layout';
import { terminalText } from './terminal-text';

export interface OutputOptions {
  json?: boolean;
}

/** Writes `value` to stdout as one JSON document, indented by 2, and a newline. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Writes one line to stdout (an empty line by default), through terminalText: control characters,
 * escape sequences and bidi controls anywhere in it are shown as escapes, line breaks included.
 */
export function printLine(line = ''): void {
  process.stdout.write(`${terminalText(line)}\n`);
}

/** A plain cell value; null prints as empty. */
export type TableValue = string | number | boolean | null;

/** A cell: a value, or a value with what it means (coloured on a terminal, see cli/colors.ts). */
export type TableCell = TableValue | { value: TableValue; tone: Tone };

/** `value` with `tone`, for a cell that should stand out on a terminal. */
export function toned(value: TableValue, tone: Tone): TableCell {
  return { value, tone };
}

function layoutCell(cell: TableCell | undefined): LayoutCell {
  const { value, tone } = typeof cell === 'object' && cell !== null ? cell : { value: cell, tone: undefined };
  return { text: terminalText(String(value ?? '')), ...(tone && { tone }) };
}

/**
 * Left-aligned columns; the header is the object keys of the first row. Cells go through
 * terminalText before the widths are measured, so each row is one line and columns stay aligned.
 * On a terminal (`stream.isTTY`) the table is fitted to its width, cutting the widest cells with
 * "…" (cli/table-layout.ts), identifiers (columns named `…_id`) last, and toned cells are coloured unless colours are off
 * (cli/colors.ts); piped, it is written whole and plain.
 */
export function printTable(
  rows: ReadonlyArray<Record<string, TableCell>>,
  stream: NodeJS.WriteStream = process.stdout,
): void {
  if (rows.length === 0) return;
  const headers = Object.keys(rows[0]!);
  const lines = layoutTable(
    headers.map(terminalText),
    rows.map((row) => headers.map((h) => layoutCell(row[h]))),
    {
      ...(stream.isTTY && stream.columns > 0 && { width: stream.columns }),
      whole: headers.map((h) => h.endsWith('_id')),
      paint: painter(colorsEnabled(stream)),
    },
  );
  for (const line of lines) stream.write(`${line}\n`);
}

/**
 * Failures whose message already says what to do, so the generic hint would only add a second
 * line to what should be one: a bad setting (the message names the variable and the problem) and
 * a development command run from a production build.
 */
const WITHOUT_HINT: ReadonlySet<ErrorCode> = new Set(['config_invalid', 'dev_command_unavailable']);

/**
 * Codes that mean the command was asked for something it will not do as given (exit code 2): a
 * malformed argument, an invalid selection, or a schedule id that is not a sync schedule's.
 */
const BAD_INPUT: ReadonlySet<ErrorCode> = new Set([
  'invalid_input',
  'invalid_selection',
  'schedule_protected',
]);

/**
 * Prints a failure and returns the process exit code. Stack traces only with INVENTORY_DEBUG=1.
 * The human form shows the message through terminalText (messages echo input); --json prints it
 * exactly, JSON-escaped.
 */
export function reportFailure(error: unknown, options: OutputOptions = {}): number {
  const known = error instanceof InventoryError || (isCodedError(error) && isErrorCode(error.code));
  const code = known ? (error as { code: keyof typeof ERROR_CODES }).code : 'internal_error';
  const message = redactText(error instanceof Error ? error.message : String(error));
  const hint = ERROR_CODES[code].hint;
  if (options.json) {
    process.stderr.write(`${JSON.stringify({ error: { code, message, hint } })}\n`);
  } else {
    const hintLine = WITHOUT_HINT.has(code) ? '' : `  hint: ${hint}\n`;
    process.stderr.write(`error [${code}]: ${terminalText(message)}\n${hintLine}`);
  }
  if (process.env.INVENTORY_DEBUG === '1' && error instanceof Error && error.stack) {
    const stack = redactText(error.stack).split('\n').map(terminalText);
    process.stderr.write(`${stack.join('\n')}\n`);
  }
  return BAD_INPUT.has(code) ? 2 : 1;
}

function isCodedError(error: unknown): error is { code: string } {
  return (
    typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
  );
}
