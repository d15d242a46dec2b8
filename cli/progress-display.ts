/**
 * Live progress of a sync for `inventory sync start --wait`: on a terminal, a block of lines (one
 * per policy type) redrawn in place; otherwise one line whenever the totals change, so logs of
 * scripted runs stay readable. The text comes from the workflow's progress query, so like all
 * other output it goes through terminalText; the only escape sequences written are the display's
 * own cursor moves.
 */
import { type SyncProgress } from '../client';
import { terminalText } from './terminal-text';

export interface ProgressDisplay {
  update(progress: SyncProgress): void;
  finish(): void;
}

function typeLines(progress: SyncProgress): string[] {
  const entries = Object.entries(progress.types).sort(([a], [b]) => a.localeCompare(b));
  const width = Math.max(0, ...entries.map(([type]) => type.length));
  return entries.map(([type, t]) => {
    const detail = t.code ? `  ${t.code}` : '';
    const invalid = t.itemsInvalidCount > 0 ? `, ${t.itemsInvalidCount} invalid` : '';
    return `  ${type.padEnd(width)}  ${t.state.padEnd(7)}  ${String(t.pagesCount).padStart(4)} pages  ${String(t.itemsObservedCount).padStart(7)} items${invalid}${detail}`;
  });
}

function headline(progress: SyncProgress): string {
  const { pagesCount, itemsObservedCount } = progress.totals;
  return `${progress.phase.replace(/_/g, ' ')}: ${pagesCount} pages, ${itemsObservedCount} items`;
}

/**
 * A display on `stream`, stderr by default so stdout keeps only the command's result. `finish()`
 * leaves the drawn block in place: the next `update` draws below it instead of over it.
 */
export function createProgressDisplay(stream: NodeJS.WriteStream = process.stderr): ProgressDisplay {
  let drawn = 0;
  let last = '';
  return {
    update(progress) {
      if (stream.isTTY) {
        const lines = [headline(progress), ...typeLines(progress)].map(terminalText);
        if (drawn > 0) stream.write(`\x1b[${drawn}A`);
        for (const line of lines) stream.write(`\x1b[2K${line}\n`);
        drawn = lines.length;
        return;
      }
      const line = terminalText(headline(progress));
      if (line !== last) stream.write(`${line}\n`);
      last = line;
    },
    finish() {
      drawn = 0;
    },
  };
}
