/**
 * Text from people inside a LIKE pattern. `%` and `_` are LIKE's wildcards and `\` its escape
 * character (PostgreSQL's default ESCAPE), so a search for `50%_off` must escape all three or it
 * would match `50 percent off` too, and a trailing `\` would make the pattern invalid.
 */

/**
 * A pattern for `column ILIKE $n` (the default escape `\`) that matches values containing `text`
 * anywhere, every character of it literal.
 */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}
