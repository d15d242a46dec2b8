/**
 * The progress of a long export (`inventory items --format csv|ndjson`, `inventory assignments
 * --format csv`) on stderr: one line,
 * `exported 12345 items` (`exported 1 item`), redrawn in place at most every PROGRESS_INTERVAL_MS and left standing
 * when the export ends. Only for a person watching: shown when stderr is a terminal and stdout is
 * not (it goes to a file or a pipe), so neither a script reading stderr nor the export shown on the
 * terminal itself ever carries it.
 */
/** How often the line is redrawn: often enough to look alive, rarely enough to cost nothing. */
const PROGRESS_INTERVAL_MS = 200;

export interface ExportProgress {
  /** `count` more items were written. */
  add(count: number): void;
  /** Draws the final count (when anything was drawn) and ends the line. */
  finish(): void;
}

/** Whether a person watches an export: stderr is a terminal and stdout goes elsewhere. */
export function watchedByPerson(): boolean {
  return process.stderr.isTTY === true && process.stdout.isTTY !== true;
}

/**
 * A progress line on `stream` when `enabled`, counting `noun` (`item`, `assignment`; an `s` is
 * added for any count but 1); a display that writes nothing otherwise.
 */
export function createExportProgress(
  enabled: boolean,
  stream: NodeJS.WritableStream = process.stderr,
  noun = 'item',
): ExportProgress {
  let written = 0;
  let drawnAt = 0;
  const draw = () => {
    // Carriage return and erase-line: the line is redrawn where it stands.
    stream.write(`\r\x1b[2Kexported ${written} ${noun}${written === 1 ? '' : 's'}`);
    drawnAt = Date.now();
  };
  return {
    add(count) {
      written += count;
      if (enabled && Date.now() - drawnAt >= PROGRESS_INTERVAL_MS) draw();
    },
    finish() {
      if (!enabled) return;
      draw();
      stream.write('\n');
    },
  };
}
