/**
 * Input quoted back in an error message, cut to a size a person can read: a message says what was
 * wrong with an input, and a 100,000-character policy type must not come back as a 100 KB line
 * (nor fill a workflow failure in Temporal's history).
 *
 * Pure: safe to import anywhere, including workflow code (it is on the sandbox allow-list).
 */
import { sanitizeText } from './postgres-text';

const LINE_BREAKS = /[\r\n\u2028\u2029]+/g;
// eslint-disable-next-line no-control-regex -- neutralising control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/g;

/** How much of an input a message quotes, in Unicode code points. */
export const MAX_ECHO_LENGTH = 200;

/**
 * `value` for an error message, which is one line: line breaks become one space and any other
 * control character (ESC, BEL, NUL, C1) U+FFFD, so an echo can neither split the message nor act
 * on a terminal or log viewer. Then unchanged when it has at most `max` (MAX_ECHO_LENGTH) code
 * points; otherwise its first `max` code points, an ellipsis and the original length, e.g.
 * `aaaa… (100000 characters)`. With `quote`, the kept part is in double quotes and the length
 * follows them: `"aaaa…" (100000 characters)`. Lengths count code points, so a cut never splits a
 * surrogate pair. A terminal still escapes what else a message contains (cli/terminal-text.ts).
 */
export function boundedEcho(value: string, options: { quote?: boolean; max?: number } = {}): string {
  const quote = options.quote ? '"' : '';
  const max = options.max ?? MAX_ECHO_LENGTH;
  const oneLine = value.replace(LINE_BREAKS, ' ').replace(CONTROL_CHARACTERS, '\uFFFD');
  // Cheap test first: a string of at most `max` UTF-16 units has no more code points.
  const length = oneLine.length <= max ? oneLine.length : [...oneLine].length;
  if (length <= max) return `${quote}${oneLine}${quote}`;
  return `${quote}${sanitizeText(oneLine, max, '…')}${quote} (${length} characters)`;
}

/** A list of inputs for an error message: joined with ", ", then bounded as one value by boundedEcho. */
export function boundedEchoList(values: readonly string[]): string {
  return boundedEcho(values.join(', '));
}
