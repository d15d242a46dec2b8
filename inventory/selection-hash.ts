/**
 * `selection_hash`: the identity of a selection, the lowercase hex sha256 of its canonical JSON
 * (UTF-8). Its form never changes: it names workflow IDs, schedules and a selection's history of
 * runs. Apart from selection.ts because hashing needs node:crypto, which workflow code cannot load.
 */
import { createHash } from 'node:crypto';
import { canonicalSelectionJson, type Selection } from './selection';

/** Lowercase hex sha256 (64 characters) of `canonicalSelectionJson(selection)`. */
export function selectionHash(selection: Selection): string {
  return createHash('sha256').update(canonicalSelectionJson(selection), 'utf8').digest('hex');
}
