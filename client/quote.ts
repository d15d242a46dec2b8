/**
 * Outside text inside a client error's message: an id a caller passed, a reason Temporal reports.
 * Messages are one short line, so the text is folded onto one line and cut.
 */
import { sanitizeText } from '../inventory/postgres-text';

/** `text` with whitespace runs (newlines included) as one space, at most `max` code points and '…'. */
export function quoteInMessage(text: string, max = 80): string {
  return sanitizeText(text.replace(/\s+/g, ' ').trim(), max, '…');
}
