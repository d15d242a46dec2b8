/**
 * The one rule for a tenant's display name, applied by the client before anything is written and
 * by the tenants repository, the last guard before the table: a name is text a person typed, so
 * it is refused, never silently cut or cleaned, when it breaks the rule. Lengths count Unicode
 * code points, so 200 emoji are 200 characters, not the 400 UTF-16 units JavaScript's `length`
 * would say. (Item names from Graph are not user input and keep their own handling in item.ts.)
 *
 * Pure: safe to import anywhere.
 */
import { hasControlCharacters } from './control-characters';
import { InventoryError } from './error-codes';

/** Entra ID's own limit for an organization's display name, so every real tenant name fits. */
export const MAX_TENANT_NAME_LENGTH = 256;

/** Something that shows: a character neither whitespace nor an invisible format character. */
const VISIBLE = /[^\p{White_Space}\p{Cf}]/u;

/** The length of `text` in Unicode code points. */
export function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/**
 * The display name trimmed; `invalid_input` when it is not a string, is empty or only whitespace,
 * is longer than MAX_TENANT_NAME_LENGTH code points once trimmed, holds a control character, or
 * is not well-formed Unicode (a lone surrogate, which PostgreSQL would refuse). The message never
 * quotes the name, which may be huge or hold exactly the characters a terminal should not see.
 */
export function parseTenantName(value: unknown): string {
  if (typeof value !== 'string') throw nameError('must be a string');
  const name = value.trim();
  if (name.length === 0) throw nameError('must not be empty or only whitespace');
  const length = codePointLength(name);
  if (length > MAX_TENANT_NAME_LENGTH) {
    throw nameError(`is ${length} characters; at most ${MAX_TENANT_NAME_LENGTH} are allowed`);
  }
  if (hasControlCharacters(name)) {
    throw nameError('must not contain control characters (such as newlines, tabs or escape sequences)');
  }
  if (!name.isWellFormed()) throw nameError('is not valid Unicode text (it holds a lone surrogate)');
  // Zero-width spaces, BOMs and other format characters alone would show as a blank name.
  if (!VISIBLE.test(name)) throw nameError('must contain a visible character');
  return name;
}

function nameError(problem: string): InventoryError {
  return new InventoryError('invalid_input', `the tenant display name ${problem}`);
}
