/**
 * Text from outside (tenant names, Graph item names, ids, messages that echo input) shown on a
 * terminal as what it is instead of what it would do: control characters, escape sequences and
 * bidirectional controls are written as visible escapes, so a name cannot recolour the screen,
 * retitle the window, move the cursor, overwrite a line or reorder what follows it.
 *
 * Our own code rather than a package: jsesc (the well-kept candidate) either leaves ESC, C1 and
 * bidi controls raw (`minimal`) or escapes every non-ASCII character, which would make names in
 * other scripts unreadable; strip-ansi and Node's stripVTControlCharacters delete instead of
 * showing, and neither covers C1 controls or bidi overrides.
 */

/**
 * What is escaped:
 * - C0 controls U+0000–U+001F (ESC, so every CSI/OSC sequence; BEL, CR, backspace, tab, newline),
 *   DEL U+007F and C1 controls U+0080–U+009F (NEL U+0085, single-byte CSI U+009B, …);
 * - bidirectional controls: embeddings and overrides U+202A–U+202E, isolates U+2066–U+2069, the
 *   marks U+200E, U+200F and U+061C;
 * - the line and paragraph separators U+2028, U+2029, so one value stays on one line;
 * - the backslash itself, so an escape shown is never confused with the same characters typed.
 * Left alone: zero-width joiners and non-joiners (U+200C, U+200D) and other invisible format
 * characters. Emoji sequences and several scripts (Indic, Persian) need them, and they cannot move,
 * recolour or hide other text.
 */
const NOT_SHOWN_AS_IS =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\\]/g;

const NAMED: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r', '\\': '\\\\' };

function escapeOne(char: string): string {
  const named = NAMED[char];
  if (named !== undefined) return named;
  const code = char.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * `text` safe to write to a terminal: every character listed above becomes a JavaScript-style
 * escape (`\t`, `\n`, `\r`, `\\`, `\x1b`, `\x9b`, `\u202e`); everything else, non-ASCII letters
 * and emoji included, is kept. The result never contains a line break.
 */
export function terminalText(text: string): string {
  return text.replace(NOT_SHOWN_AS_IS, escapeOne);
}
