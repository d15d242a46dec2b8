/**
 * The vocabulary of the policy type registry: categories, platforms, permissions and the shape of
 * one entry. The entries live in one module per category next to this file; policy-types.ts is
 * the public face that joins them.
 *
 * Pure data: safe to import from workflow code.
 */

export const CATEGORIES = [
  'apps',
  'assignmentFilters',
  'compliance',
  'configuration',
  'endpointSecurity',
  'enrollment',
  'identity',
  'scripts',
  'tenantAdministration',
  'updates',
  'windows365',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const PLATFORMS = ['android', 'ios', 'linux', 'macos', 'windows'] as const;
export type Platform = (typeof PLATFORMS)[number];

/**
 * Where an item's platform comes from: its `@odata.type`, one of its fields, a fixed platform,
 * or nowhere (`none`: objects that span platforms, such as scope tags or Conditional Access).
 */
export type PlatformRule =
  | { readonly from: 'odataType' }
  | { readonly from: 'field'; readonly field: string }
  | { readonly from: 'none' }
  | { readonly fixed: Platform };

/**
 * The least-privileged application permissions that read the registry's collections. Microsoft
 * has required `DeviceManagementScripts.Read.All` for the script collections since mid-2025
 * (Intune what's new, week of 2025-07-28; REFERENCE.md "Permissions").
 */
export const GRAPH_PERMISSIONS = [
  'CloudPC.Read.All',
  'DeviceManagementApps.Read.All',
  'DeviceManagementConfiguration.Read.All',
  'DeviceManagementRBAC.Read.All',
  'DeviceManagementScripts.Read.All',
  'DeviceManagementServiceConfig.Read.All',
  'Policy.Read.All',
] as const;
export type GraphPermission = (typeof GRAPH_PERMISSIONS)[number];

export interface PolicyTypeDefinition {
  readonly label: string;
  readonly category: Category;
  /** Path of the collection below the API version, e.g. `/deviceManagement/deviceConfigurations`. */
  readonly collectionPath: string;
  /**
   * Graph's element entity type of the collection, without the `microsoft.graph.` namespace (e.g.
   * `deviceAndAppManagementAssignmentFilter`); every `$select` field must be declared by it or its
   * bases, as Graph's metadata says (test/unit/policy-types-metadata.test.ts).
   */
  readonly entityType: string;
  /**
   * The least-privileged application permission that lists the collection, from the collection's
   * "List …" page in the Graph beta API reference (learn.microsoft.com/graph/api/…).
   */
  readonly permission: GraphPermission;
  /**
   * beta everywhere: v1.0 of deviceConfigurations returns fewer items than beta
   * (msgraph-sdk-powershell#2992) and lacks `roleScopeTagIds`; several types exist only in beta.
   */
  readonly apiVersion: 'v1.0' | 'beta';
  /**
   * The property holding the human name, as the element type declares it: `displayName` for most,
   * `name` for settings catalog and compliance policies, `tokenName` for Apple enrollment tokens.
   */
  readonly nameField: 'displayName' | 'name' | 'tokenName';
  readonly platform: PlatformRule;
  /**
   * Metadata kept in `meta_jsonb`. `a.b` keeps only key `b` of object `a`. Anything not listed is
   * dropped; settings payloads, script content, token values and certificates are never listed
   * (test/unit/policy-types-forbidden-keys.test.ts).
   */
  readonly metaKeys: readonly string[];
  /**
   * Requests per second per tenant that Graph allows for this collection, where Graph documents a
   * lower limit than Intune's (learn.microsoft.com/graph/throttling-limits); unset: the tenant's
   * overall Graph rate applies.
   */
  readonly requestsPerSecond?: number;
  /**
   * How an item's assignments (its `assignments` navigation property in Graph's metadata) are
   * read: `expand`, with `$expand=assignments` on the list request itself, where Intune is known to
   * return them there; `perItem`, from `/{collection}/{id}/assignments` inside JSON batches
   * (`POST /$batch`, at most 20 requests each). Unset: the element type has no `assignments`
   * (test/unit/policy-types-metadata.test.ts checks both ways). Intents accept the expand but
   * answer empty lists (microsoft-graph-explorer-v4#2051), so they are read per item; the expand
   * list follows REFERENCE.md "$expand=assignments".
   */
  readonly assignments?: 'expand' | 'perItem';
}

/** Metadata most Intune objects carry under these names. */
export const COMMON_META = [
  '@odata.type',
  'description',
  'createdDateTime',
  'lastModifiedDateTime',
  'version',
  'roleScopeTagIds',
] as const;
