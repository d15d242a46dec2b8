/** The progress line of a long export (cli/export-progress.ts): the count, with its noun agreeing. */
import { PassThrough } from 'node:stream';
import { expect, it } from 'vitest';
import { createExportProgress } from '../../cli/export-progress';

function shown(count: number, noun?: string): string {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const progress = createExportProgress(true, stream, noun);
  progress.add(count);
  progress.finish();
  // The last redraw, without the carriage return and erase-line before it.
  return text.split('\x1b[2K').at(-1)!.trimEnd();
}

it.each([
  [0, undefined, 'exported 0 items'],
  [1, undefined, 'exported 1 item'],
  [2, undefined, 'exported 2 items'],
  [1, 'assignment', 'exported 1 assignment'],
  [3, 'assignment', 'exported 3 assignments'],
])('%i %s: %s', (count, noun, line) => {
  expect(shown(count, noun)).toBe(line);
});
