/**
 * Characters no one-line name or identifier typed by a person holds, and that can garble or
 * disguise what a terminal, a list or a log shows: C0 and C1 controls (NUL, ESC, BEL, CR, LF, DEL,
 * …) and the bidirectional controls (embeddings and overrides U+202A–U+202E, isolates
 * U+2066–U+2069, the marks U+200E, U+200F, U+061C), and the line and paragraph separators U+2028,
 * U+2029. Inputs holding them are refused, never cleaned
 * (tenant names, free-text flags, ids passed to the client); text from outside that must be shown
 * anyway is escaped by cli/terminal-text.ts instead.
 *
 * Pure: safe to import anywhere.
 */
const CONTROL_CHARACTERS = /[\p{Cc}\p{Zl}\p{Zp}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

/** Whether `text` holds a control character or a bidirectional control. */
export function hasControlCharacters(text: string): boolean {
  return CONTROL_CHARACTERS.test(text);
}
