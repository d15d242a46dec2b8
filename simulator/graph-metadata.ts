/**
 * A typed reader of Microsoft's published Graph beta metadata, vendored unchanged in
 * simulator/graph-metadata/ (see its README.md for what the files hold and where they come from).
 * The simulator asks it what a collection serves and what a `$select` may name, so that neither
 * depends on our policy type registry: a registry mistake then fails against the simulator the
 * way it fails against Graph.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** Where the vendored files live (copied unchanged from ../shared/graph-metadata). */
export const GRAPH_METADATA_DIR = join(__dirname, 'graph-metadata');

const entityTypeSchema = z.object({
  /** The type this one derives from; null only for `entity`, the root (README: "entity = the root"). */
  base: z.string().nullable(),
  properties: z.array(z.string()),
  navigationProperties: z.array(z.string()),
});

const betaSchema = z.object({
  /** Collection path below the API version → element entity type (README: `collections`). */
  collections: z.record(z.string(), z.string()),
  entityTypes: z.record(z.string(), entityTypeSchema),
});

type BetaMetadata = z.infer<typeof betaSchema>;
type EntityType = z.infer<typeof entityTypeSchema>;

let cached: BetaMetadata | null = null;

function metadata(): BetaMetadata {
  cached ??= betaSchema.parse(JSON.parse(readFileSync(join(GRAPH_METADATA_DIR, 'beta.json'), 'utf8')));
  return cached;
}

function entityType(name: string): EntityType {
  const type = metadata().entityTypes[name];
  if (type === undefined) throw new Error(`Graph beta metadata has no entity type '${name}'`);
  return type;
}

/** `name` and its bases up to `entity`, nearest first. Throws for a name the metadata lacks. */
function baseChain(name: string): EntityType[] {
  const chain: EntityType[] = [];
  for (let current: string | null = name; current !== null; current = entityType(current).base) {
    chain.push(entityType(current));
  }
  return chain;
}

/** A collection as the metadata names it: its canonical path and its element entity type. */
export interface GraphCollection {
  /** e.g. `/deviceManagement/assignmentFilters`. */
  readonly path: string;
  /** e.g. `deviceAndAppManagementAssignmentFilter` (without the `microsoft.graph.` namespace). */
  readonly elementType: string;
}

/**
 * The collection at `path` below the API version (`/deviceManagement/assignmentFilters`), matched
 * case-insensitively as Graph matches URL segments, or null when the beta metadata has no such
 * collection (README: `collections`).
 */
export function findCollection(path: string): GraphCollection | null {
  const wanted = path.toLowerCase();
  for (const [candidate, elementType] of Object.entries(metadata().collections)) {
    if (candidate.toLowerCase() === wanted) return { path: candidate, elementType };
  }
  return null;
}

/** The element entity type of the collection at `path`; throws when the metadata has no such collection. */
export function elementTypeOf(path: string): string {
  const collection = findCollection(path);
  if (collection === null) throw new Error(`Graph beta metadata has no collection '${path}'`);
  return collection.elementType;
}

/** Whether the beta metadata declares an entity type of this exact name. */
export function hasEntityType(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(metadata().entityTypes, name);
}

/**
 * The structural properties a `$select` may name on `typeName`: its own plus those of every base
 * up the chain, `entity` contributing `id` (README: "A type's selectable properties are its own
 * plus those of every base"). Throws for a type the metadata lacks.
 */
export function selectableProperties(typeName: string): string[] {
  return baseChain(typeName).flatMap((type) => type.properties);
}

/** The navigation properties of `typeName` and its bases (e.g. `assignments`). */
export function navigationProperties(typeName: string): string[] {
  return baseChain(typeName).flatMap((type) => type.navigationProperties);
}

/**
 * Whether `typeName` is `ancestor` or derives from it, i.e. may be served as an `@odata.type` by a
 * collection whose element type is `ancestor` (README: "Derived types … are the types whose base
 * chain reaches the collection's element type"). False for a name the metadata lacks.
 */
export function derivesFrom(typeName: string, ancestor: string): boolean {
  if (!hasEntityType(typeName)) return false;
  for (let current: string | null = typeName; current !== null; current = entityType(current).base) {
    if (current === ancestor) return true;
  }
  return false;
}

const v1Schema = z.record(
  z.string(),
  z.record(
    z.string(),
    z.object({ properties: z.array(z.string()), navigationProperties: z.array(z.string()) }),
  ),
);

let v1Cached: z.infer<typeof v1Schema> | null = null;

/**
 * The own properties `typeName` declares under v1.0 (`v1.0-entity-types.json`, namespace
 * `microsoft.graph`; the file lists no base types), or null when v1.0 has no such type.
 */
export function v1Properties(typeName: string): string[] | null {
  v1Cached ??= v1Schema.parse(
    JSON.parse(readFileSync(join(GRAPH_METADATA_DIR, 'v1.0-entity-types.json'), 'utf8')),
  );
  return v1Cached['microsoft.graph']?.[typeName]?.properties ?? null;
}
