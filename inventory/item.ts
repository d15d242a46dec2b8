/**
 * What one inventory item is once it leaves the Graph layer, and the rules that make raw Graph
 * data safe to store: only whitelisted metadata, bounded sizes, and text that PostgreSQL accepts
 * (no U+0000, no lone surrogates, which `text` and `jsonb` reject and which would abort a batch;
 * see postgres-text.ts).
 */
import { z } from 'zod';
import {
  derivePlatform,
  metaKeyPath,
  policyType,
  type Category,
  type Platform,
  type PolicyType,
} from './policy-types';
import { type NormalizedAssignment } from './assignment';
import { sanitizeText } from './postgres-text';

export interface NormalizedItem {
  readonly policy_type: PolicyType;
  readonly external_id: string;
  readonly display_name: string;
  readonly platform: Platform | null;
  readonly category: Category;
  readonly meta: Readonly<Record<string, unknown>>;
  /**
   * The item's assignments as observed with it, when its type has them and Graph answered for it;
   * absent otherwise, and then the item keeps the edges of its last observation that had them.
   */
  readonly assignments?: readonly NormalizedAssignment[];
}

export type NormalizeResult =
  { readonly ok: true; readonly item: NormalizedItem } | { readonly ok: false; readonly reason: string };

export const MAX_EXTERNAL_ID = 256;
export const MAX_DISPLAY_NAME = 1024;
export const MAX_META_STRING = 1024;
export const MAX_META_ARRAY = 100;
export const MAX_META_BYTES = 16_384;

function sanitizeValue(value: unknown): unknown {
  if (typeof value === 'string') return sanitizeText(value, MAX_META_STRING);
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean' || value === null) return value;
  if (Array.isArray(value)) {
    return value
      .slice(0, MAX_META_ARRAY)
      .map(sanitizeValue)
      .filter((v) => v !== undefined);
  }
  // Objects are kept only through an explicit `parent.child` whitelist entry.
  return undefined;
}

/**
 * Keeps only the registry's whitelisted keys of a raw Graph object. Unknown keys are dropped
 * silently; values are bounded; a nested object survives only with its whitelisted children.
 * If the result still exceeds MAX_META_BYTES, keys are dropped from the end of the whitelist.
 */
export function whitelistMeta(
  type: PolicyType,
  raw: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const meta: Record<string, unknown> = {};
  for (const path of policyType(type).metaKeys) {
    const [parent, child] = metaKeyPath(path);
    if (!Object.prototype.hasOwnProperty.call(raw, parent)) continue;
    if (child === undefined) {
      const value = sanitizeValue(raw[parent]);
      if (value !== undefined) meta[parent] = value;
      continue;
    }
    const nested = raw[parent];
    if (nested === null || typeof nested !== 'object' || Array.isArray(nested)) continue;
    if (!Object.prototype.hasOwnProperty.call(nested, child)) continue;
    const value = sanitizeValue((nested as Record<string, unknown>)[child]);
    if (value === undefined) continue;
    const target = (meta[parent] ??= {}) as Record<string, unknown>;
    target[child] = value;
  }
  const keys = Object.keys(meta);
  while (keys.length > 0 && Buffer.byteLength(JSON.stringify(meta)) > MAX_META_BYTES) {
    delete meta[keys.pop()!];
  }
  return meta;
}

/**
 * What every Graph item must have to be tracked: an object with an id that is a string, not blank
 * once trimmed, and between 1 and MAX_EXTERNAL_ID UTF-16 units once sanitized for PostgreSQL.
 * Every other key is passed through untouched; the policy type's registry entry decides what of
 * it is kept. Each check's message is the reason the caller reports.
 */
const itemSchema = z.looseObject(
  {
    id: z
      .string({ error: 'item has no id' })
      .trim()
      .min(1, 'item has no id')
      // Cutting at one past the limit keeps the work bounded and still tells "too long" apart.
      .transform((id) => sanitizeText(id, MAX_EXTERNAL_ID + 1))
      // UTF-16 units, not zod's max(), which counts code points.
      .refine((id) => id.length >= 1 && id.length <= MAX_EXTERNAL_ID, 'item id is empty or too long'),
  },
  { error: 'item is not an object' },
);

/**
 * Turns one raw Graph object into an item. An object without a usable id cannot be tracked and is
 * reported (never thrown) so the caller counts it as `graph_item_invalid` and keeps the page.
 */
export function normalizeItem(type: PolicyType, raw: unknown): NormalizeResult {
  const parsed = itemSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: parsed.error.issues[0]!.message };
  // Metadata is read from the object Graph sent, not from zod's copy of it.
  const record = raw as Record<string, unknown>;
  const def = policyType(type);
  const rawName = record[def.nameField];
  const displayName = typeof rawName === 'string' ? sanitizeText(rawName, MAX_DISPLAY_NAME) : '';
  return {
    ok: true,
    item: {
      policy_type: type,
      external_id: parsed.data.id,
      display_name: displayName,
      platform: derivePlatform(type, record),
      category: def.category,
      meta: whitelistMeta(type, record),
    },
  };
}
