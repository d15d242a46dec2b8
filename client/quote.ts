/**
 * Outside text inside a client error's message: an id a caller passed, a reason Temporal reports.
 * Messages are one short line a terminal shows as it is, so the text is folded onto one line, its
 * control characters made harmless, and cut.
 */
import { sanitizeText } from '../inventory/postgres-text';

/**
 * `text` with whitespace runs (newlines included) as one space, any other control character (ESC,
 * BEL, …) as U+FFFD, at most `max` code points and '…'.
 */
export function quoteInMessage(text: string, max = 80): string {
  const oneLine = text.replace(/\s+/g, ' ').replace(/\p{Cc}/gu, '\uFFFD');
  return sanitizeText(oneLine.trim(), max, '…');
}
