/**
 * Input quoted back in an error message, cut to a size a person can read: a message says what was
 * wrong with an input, and a 100,000-character policy type must not come back as a 100 KB line
 * (nor fill a workflow failure in Temporal's history).
 *
 * Pure: safe to import anywhere, including workflow code (it is on the sandbox allow-list).
 */

/** How much of an input a message quotes, in Unicode code points. */
export const MAX_ECHO_LENGTH = 200;

/**
 * `value` for an error message: unchanged when it has at most MAX_ECHO_LENGTH code points;
 * otherwise its first MAX_ECHO_LENGTH code points, an ellipsis and the original length, e.g.
 * `aaaa… (100000 characters)`. With `quote`, the kept part is in double quotes and the length
 * follows them: `"aaaa…" (100000 characters)`. Lengths count code points, so a cut never splits a
 * surrogate pair. Only cuts: a terminal or JSON escapes what the message contains.
 */
export function boundedEcho(value: string, options: { quote?: boolean } = {}): string {
  const quote = options.quote ? '"' : '';
  // Cheap test first: a string of at most MAX_ECHO_LENGTH UTF-16 units has no more code points.
  const codePoints = value.length <= MAX_ECHO_LENGTH ? null : [...value];
  if (codePoints === null || codePoints.length <= MAX_ECHO_LENGTH) return `${quote}${value}${quote}`;
  const kept = codePoints.slice(0, MAX_ECHO_LENGTH).join('');
  return `${quote}${kept}…${quote} (${codePoints.length} characters)`;
}

/** A list of inputs for an error message: joined with ", ", then bounded as one value by boundedEcho. */
export function boundedEchoList(values: readonly string[]): string {
  return boundedEcho(values.join(', '));
}
