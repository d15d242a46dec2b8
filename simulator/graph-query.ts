/**
 * OData query options as Graph reads them against its metadata: `$select` and `$expand` resolved
 * case-insensitively against what an entity type and its bases declare, and Graph's wording when
 * they name something the type lacks; opaque `$skiptoken`s.
 */
import { navigationProperties, selectableProperties } from './graph-metadata';

export interface PageToken {
  offset: number;
  page: number;
}

export function encodeToken(token: PageToken): string {
  return Buffer.from(JSON.stringify({ o: token.offset, p: token.page }), 'utf8').toString('base64url');
}

/** The token of a `$skiptoken`, null without one, 'invalid' for one this simulator did not write. */
export function decodeToken(text: string | null): PageToken | null | 'invalid' {
  if (text === null) return null;
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as {
      o?: unknown;
      p?: unknown;
    };
    if (
      Number.isSafeInteger(parsed.o) &&
      Number.isSafeInteger(parsed.p) &&
      (parsed.o as number) >= 0 &&
      (parsed.p as number) >= 1
    ) {
      return { offset: parsed.o as number, page: parsed.p as number };
    }
  } catch {
    // fall through: an unreadable token is refused like a tampered one
  }
  return 'invalid';
}

function names(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Graph's 400 message for a query option naming what `typeName` does not declare. */
function notFound(name: string, typeName: string): string {
  // Graph's exact wording: msgraph-beta-sdk-dotnet#563, microsoft-graph-docs#9988.
  return `Parsing OData Select and Expand failed: Could not find a property named '${name}' on type 'microsoft.graph.${typeName}'.`;
}

/**
 * Resolves `$select` names against what `typeName` and its bases declare in Graph's metadata
 * (navigation properties included, as OData allows); properties only derived types have are
 * unknown, as in Graph (msgraph-beta-sdk-dotnet#563). Returns the canonical names (null: no
 * `$select`) or Graph's 400 message.
 */
export function resolveSelect(
  typeName: string,
  select: string | null,
): { fields: string[] | null } | { error: string } {
  if (select === null) return { fields: null };
  const known = [...selectableProperties(typeName), ...navigationProperties(typeName)];
  const fields: string[] = [];
  for (const raw of names(select)) {
    const canonical = known.find((k) => k.toLowerCase() === raw.toLowerCase());
    if (canonical === undefined) return { error: notFound(raw, typeName) };
    fields.push(canonical);
  }
  return { fields };
}

/**
 * Resolves `$expand` names (nested options in parentheses are not read) against the navigation
 * properties `typeName` declares. A name the type does not declare at all is Graph's
 * "Could not find a property" 400; a structural property is ODL's "not a navigation property" 400.
 * Returns the canonical names (empty without `$expand`) or the 400 message.
 */
export function resolveExpand(
  typeName: string,
  expand: string | null,
): { names: string[] } | { error: string } {
  if (expand === null) return { names: [] };
  const navigation = navigationProperties(typeName);
  const structural = selectableProperties(typeName);
  const resolved: string[] = [];
  for (const raw of names(expand)) {
    const name = raw.replace(/\(.*$/, '').trim();
    const canonical = navigation.find((n) => n.toLowerCase() === name.toLowerCase());
    if (canonical !== undefined) {
      resolved.push(canonical);
      continue;
    }
    const property = structural.find((p) => p.toLowerCase() === name.toLowerCase());
    if (property === undefined) return { error: notFound(name, typeName) };
    return {
      // Microsoft.OData.Core's ExpandItemBinder wording, behind Graph's parsing prefix.
      error: `Parsing OData Select and Expand failed: Property '${property}' on type 'microsoft.graph.${typeName}' is not a navigation property or complex property. Only navigation properties can be expanded.`,
    };
  }
  return { names: resolved };
}

/** `item` reduced to `fields` (null: all), keeping `@odata.type` and `id` as Graph does. */
export function project(item: Record<string, unknown>, fields: string[] | null): Record<string, unknown> {
  if (fields === null) return { ...item };
  const out: Record<string, unknown> = {};
  if (item['@odata.type'] !== undefined) out['@odata.type'] = item['@odata.type'];
  out.id = item.id;
  for (const field of fields) if (field in item) out[field] = item[field];
  return out;
}
