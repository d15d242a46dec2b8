/**
 * Column layout of the CLI's human tables, as pure functions of the cells and a width: columns as
 * wide as their widest cell, and on a terminal narrower than that, the widest columns cut first,
 * each cut cell ending in "…". A row is always one line: nothing is wrapped, so a table stays
 * a table at any width and `grep` still finds one row per line.
 *
 * Widths are display columns (string-width 4, the last CommonJS release: CJK and emoji take two),
 * not UTF-16 units. Cells arrive already escaped by terminalText, so a cut never frees a control
 * character: it can only shorten a visible escape such as `\x1b`.
 *
 * Not cli-table3 or columnify: both take fixed per-column widths from the caller, so the fitting
 * below would be needed anyway, and cli-table3 adds borders and word wrapping we would switch off.
 */
import stringWidth from 'string-width';
import { type Tone } from './colors';

/** One cell: text already through terminalText, and what it means (its colour, if any). */
export interface LayoutCell {
  text: string;
  tone?: Tone;
}

export interface TableLayoutOptions {
  /** Display columns available (the terminal's width); omitted: no limit, nothing is cut. */
  width?: number;
  /** Columns cut only when nothing else makes the table fit (see fitColumnWidths). */
  whole?: readonly boolean[];
  /** Colours a cut cell; omitted: plain text. */
  paint?: (text: string, tone: Tone | undefined) => string;
}

const GAP = '  ';
const ELLIPSIS = '…';
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Display columns `text` takes on a terminal. */
export function displayWidth(text: string): number {
  return stringWidth(text);
}

/**
 * `text` cut to at most `width` display columns, ending in "…" when cut; never splits a grapheme
 * (an emoji sequence, a letter with its accents) and drops spaces just before the "…". A width
 * of 0 gives "".
 */
export function truncateToWidth(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return '';
  let kept = '';
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const w = displayWidth(segment);
    if (used + w > width - 1) break;
    kept += segment;
    used += w;
  }
  // A space just before the cut would read as a gap between columns.
  return kept.trimEnd() + ELLIPSIS;
}

/** Narrows the widest column above its floor by one until `total` fits; false if none can move. */
function shrinkTo(widths: number[], floors: readonly number[], available: number): boolean {
  let total = widths.reduce((a, b) => a + b, 0);
  while (total > available) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) {
      // `>=`: of equally wide columns the rightmost gives first, keeping ids on the left whole.
      if (widths[i]! > floors[i]! && (widest < 0 || widths[i]! >= widths[widest]!)) widest = i;
    }
    if (widest < 0) return false;
    widths[widest]! -= 1;
    total -= 1;
  }
  return true;
}

/**
 * Column widths for `natural` widths (each column's widest cell, header included) within
 * `available` display columns, gaps included. Unchanged when they fit. Otherwise the widest
 * columns narrow first, in three steps, each only when the one before cannot make the table fit:
 * other columns down to their header's width (`headerWidths`), so headers stay whole and the
 * `whole` columns (identifiers: a cut id cannot be copied) are not cut at all; then the `whole`
 * columns too, down to their header; then every column down to one display column. A terminal
 * narrower than that (three columns per table column) is the one case a row can still wrap.
 */
export function fitColumnWidths(
  natural: readonly number[],
  headerWidths: readonly number[],
  available: number,
  whole: readonly boolean[] = [],
): number[] {
  const widths = [...natural];
  const room = available - GAP.length * Math.max(0, widths.length - 1);
  const steps = [
    natural.map((width, i) => (whole[i] ? width : headerWidths[i]!)),
    headerWidths,
    natural.map(() => 1),
  ];
  for (const floors of steps) if (shrinkTo(widths, floors, room)) break;
  return widths;
}

/**
 * The lines of a table: the header line, then one line per row, columns left-aligned and
 * separated by two spaces, trailing spaces trimmed. `headers` and `rows[i]` have the same length;
 * the header cells take the `header` tone.
 */
export function layoutTable(
  headers: readonly string[],
  rows: ReadonlyArray<readonly LayoutCell[]>,
  options: TableLayoutOptions = {},
): string[] {
  const all: ReadonlyArray<readonly LayoutCell[]> = [
    headers.map((text) => ({ text, tone: 'header' })),
    ...rows,
  ];
  const natural = headers.map((_, i) => Math.max(...all.map((row) => displayWidth(row[i]!.text))));
  const widths =
    options.width === undefined
      ? natural
      : fitColumnWidths(
          natural,
          headers.map((h) => displayWidth(h)),
          options.width,
          options.whole,
        );
  const paint = options.paint ?? ((text: string) => text);
  return all.map((row) =>
    row
      .map((cell, i) => {
        const text = truncateToWidth(cell.text, widths[i]!);
        return paint(text, cell.tone) + ' '.repeat(widths[i]! - displayWidth(text));
      })
      .join(GAP)
      .trimEnd(),
  );
}
