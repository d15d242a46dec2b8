/**
 * The policy type registry: the one table that says, for every Intune policy type this service
 * inventories, where Graph serves it, how to name it, which platform it targets and which
 * metadata keys may be stored. Everything else (selection validation, the Graph page fetcher,
 * normalisation, the simulator) reads this table instead of repeating its facts.
 *
 * Pure data and pure functions: safe to import from workflow code.
 */

export const CATEGORIES = [
  'apps',
  'assignmentFilters',
  'compliance',
  'configuration',
  'endpointSecurity',
  'enrollment',
  'scripts',
  'updates',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const PLATFORMS = ['android', 'ios', 'linux', 'macos', 'windows'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Where an item's platform comes from. */
export type PlatformRule =
  | { readonly from: 'odataType' }
  | { readonly from: 'field'; readonly field: string }
  | { readonly fixed: Platform };

/**
 * The least-privileged application permissions that read the registry's collections. Microsoft
 * has required `DeviceManagementScripts.Read.All` for the script collections since mid-2025
 * (Intune what's new, week of 2025-07-28; REFERENCE.md "Permissions").
 */
export const GRAPH_PERMISSIONS = [
  'DeviceManagementApps.Read.All',
  'DeviceManagementConfiguration.Read.All',
  'DeviceManagementRBAC.Read.All',
  'DeviceManagementScripts.Read.All',
  'DeviceManagementServiceConfig.Read.All',
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
  /** The property holding the human name: settings catalog uses `name`, everything else `displayName`. */
  readonly nameField: 'displayName' | 'name';
  readonly platform: PlatformRule;
  /**
   * Metadata kept in `meta_jsonb`. `a.b` keeps only key `b` of object `a`. Anything not listed is
   * dropped; settings payloads, script content and secrets are never listed.
   */
  readonly metaKeys: readonly string[];
  /**
   * Graph requests per second per tenant for this type, where Graph documents a lower limit for
   * its service than Intune's (e.g. Conditional Access). Absent: the tenant's GRAPH_TENANT_RPS.
   * The engine sends such a type's requests through a Graph queue of its own whose per-tenant rate
   * is this (inventory/workflow-ids.ts `graphQueueOfType`).
   */
  readonly requestsPerSecond?: number;
}

const COMMON_META = [
  '@odata.type',
  'description',
  'createdDateTime',
  'lastModifiedDateTime',
  'version',
  'roleScopeTagIds',
] as const;

export const POLICY_TYPES = {
  deviceConfiguration: {
    label: 'Device configuration profiles',
    category: 'configuration',
    collectionPath: '/deviceManagement/deviceConfigurations',
    entityType: 'deviceConfiguration',
    permission: 'DeviceManagementConfiguration.Read.All', // graph/api/intune-deviceconfig-deviceconfiguration-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { from: 'odataType' },
    metaKeys: [...COMMON_META, 'supportsScopeTags'],
  },
  deviceCompliancePolicy: {
    label: 'Device compliance policies',
    category: 'compliance',
    collectionPath: '/deviceManagement/deviceCompliancePolicies',
    entityType: 'deviceCompliancePolicy',
    permission: 'DeviceManagementConfiguration.Read.All', // graph/api/intune-deviceconfig-devicecompliancepolicy-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { from: 'odataType' },
    metaKeys: COMMON_META,
  },
  settingsCatalogPolicy: {
    label: 'Settings catalog policies',
    category: 'configuration',
    collectionPath: '/deviceManagement/configurationPolicies',
    entityType: 'deviceManagementConfigurationPolicy',
    permission: 'DeviceManagementConfiguration.Read.All', // graph/api/intune-deviceconfigv2-devicemanagementconfigurationpolicy-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'name',
    platform: { from: 'field', field: 'platforms' },
    metaKeys: [
      'description',
      'createdDateTime',
      'lastModifiedDateTime',
      'roleScopeTagIds',
      'platforms',
      'technologies',
      'settingCount',
      'isAssigned',
      'templateReference.templateId',
      'templateReference.templateFamily',
      'templateReference.templateDisplayName',
      'templateReference.templateDisplayVersion',
    ],
  },
  groupPolicyConfiguration: {
    label: 'Administrative templates',
    category: 'configuration',
    collectionPath: '/deviceManagement/groupPolicyConfigurations',
    entityType: 'groupPolicyConfiguration',
    permission: 'DeviceManagementConfiguration.Read.All', // graph/api/intune-grouppolicy-grouppolicyconfiguration-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { fixed: 'windows' },
    metaKeys: [
      'description',
      'createdDateTime',
      'lastModifiedDateTime',
      'roleScopeTagIds',
      'policyConfigurationIngestionType',
    ],
  },
  deviceManagementScript: {
    label: 'PowerShell scripts',
    category: 'scripts',
    collectionPath: '/deviceManagement/deviceManagementScripts',
    entityType: 'deviceManagementScript',
    permission: 'DeviceManagementScripts.Read.All', // graph/api/intune-shared-devicemanagementscript-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { fixed: 'windows' },
    // Never `scriptContent`: it is the script itself and may embed credentials.
    metaKeys: [
      'description',
      'createdDateTime',
      'lastModifiedDateTime',
      'roleScopeTagIds',
      'runAsAccount',
      'fileName',
      'enforceSignatureCheck',
      'runAs32Bit',
    ],
  },
  windowsAutopilotDeploymentProfile: {
    label: 'Windows Autopilot deployment profiles',
    category: 'enrollment',
    collectionPath: '/deviceManagement/windowsAutopilotDeploymentProfiles',
    entityType: 'windowsAutopilotDeploymentProfile',
    permission: 'DeviceManagementServiceConfig.Read.All', // graph/api/intune-enrollment-windowsautopilotdeploymentprofile-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { fixed: 'windows' },
    metaKeys: [
      '@odata.type',
      'description',
      'createdDateTime',
      'lastModifiedDateTime',
      'roleScopeTagIds',
      'language',
      'deviceType',
      'deviceNameTemplate',
      'enableWhiteGlove',
      'extractHardwareHash',
    ],
  },
  mobileApp: {
    label: 'Apps',
    category: 'apps',
    collectionPath: '/deviceAppManagement/mobileApps',
    entityType: 'mobileApp',
    permission: 'DeviceManagementApps.Read.All', // graph/api/intune-apps-mobileapp-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { from: 'odataType' },
    metaKeys: [
      '@odata.type',
      'description',
      'createdDateTime',
      'lastModifiedDateTime',
      'roleScopeTagIds',
      'publisher',
      'publishingState',
      'isAssigned',
      'isFeatured',
    ],
  },
  appProtectionPolicy: {
    label: 'App protection policies',
    category: 'apps',
    collectionPath: '/deviceAppManagement/managedAppPolicies',
    entityType: 'managedAppPolicy',
    permission: 'DeviceManagementApps.Read.All', // graph/api/intune-mam-managedapppolicy-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { from: 'odataType' },
    // Not `isAssigned`: it belongs to the targetedManagedAppProtection subtype, and selecting a
    // subtype property on the managedAppPolicy collection is refused by Graph.
    metaKeys: COMMON_META,
  },
  endpointSecurityIntent: {
    label: 'Endpoint security policies (intents)',
    category: 'endpointSecurity',
    collectionPath: '/deviceManagement/intents',
    entityType: 'deviceManagementIntent',
    permission: 'DeviceManagementConfiguration.Read.All', // graph/api/intune-deviceintent-devicemanagementintent-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { fixed: 'windows' },
    metaKeys: [
      'description',
      'lastModifiedDateTime',
      'roleScopeTagIds',
      'templateId',
      'isAssigned',
      'isMigratingToConfigurationPolicy',
    ],
  },
  windowsFeatureUpdateProfile: {
    label: 'Windows feature update profiles',
    category: 'updates',
    collectionPath: '/deviceManagement/windowsFeatureUpdateProfiles',
    entityType: 'windowsFeatureUpdateProfile',
    permission: 'DeviceManagementConfiguration.Read.All', // graph/api/intune-softwareupdate-windowsfeatureupdateprofile-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { fixed: 'windows' },
    metaKeys: [
      'description',
      'createdDateTime',
      'lastModifiedDateTime',
      'roleScopeTagIds',
      'featureUpdateVersion',
      'deployableContentDisplayName',
      'endOfSupportDate',
    ],
  },
  windowsQualityUpdateProfile: {
    label: 'Windows quality update profiles',
    category: 'updates',
    collectionPath: '/deviceManagement/windowsQualityUpdateProfiles',
    entityType: 'windowsQualityUpdateProfile',
    permission: 'DeviceManagementConfiguration.Read.All', // graph/api/intune-softwareupdate-windowsqualityupdateprofile-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { fixed: 'windows' },
    metaKeys: [
      'description',
      'createdDateTime',
      'lastModifiedDateTime',
      'roleScopeTagIds',
      'releaseDateDisplayName',
      'deployableContentDisplayName',
    ],
  },
  enrollmentConfiguration: {
    label: 'Enrollment configurations',
    category: 'enrollment',
    collectionPath: '/deviceManagement/deviceEnrollmentConfigurations',
    entityType: 'deviceEnrollmentConfiguration',
    permission: 'DeviceManagementServiceConfig.Read.All', // graph/api/intune-onboarding-deviceenrollmentconfiguration-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { from: 'odataType' },
    metaKeys: [...COMMON_META, 'priority', 'deviceEnrollmentConfigurationType'],
  },
  assignmentFilter: {
    label: 'Assignment filters',
    category: 'assignmentFilters',
    collectionPath: '/deviceManagement/assignmentFilters',
    entityType: 'deviceAndAppManagementAssignmentFilter',
    permission: 'DeviceManagementConfiguration.Read.All', // graph/api/intune-policyset-deviceandappmanagementassignmentfilter-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { from: 'field', field: 'platform' },
    // Graph's deviceAndAppManagementAssignmentFilter declares `roleScopeTags`, not `roleScopeTagIds`:
    // selecting the latter is refused with a 400 on every request.
    metaKeys: [
      'description',
      'createdDateTime',
      'lastModifiedDateTime',
      'roleScopeTags',
      'platform',
      'assignmentFilterManagementType',
      'rule',
    ],
  },
} as const satisfies Record<string, PolicyTypeDefinition>;

export type PolicyType = keyof typeof POLICY_TYPES;

/** Policy type keys sorted by code point, the order used everywhere a list is shown or hashed. */
export const POLICY_TYPE_KEYS: readonly PolicyType[] = (Object.keys(POLICY_TYPES) as PolicyType[]).sort();

/** Whether `value` is a registry key (own keys only, so `constructor` is not). */
export function isPolicyType(value: string): value is PolicyType {
  return Object.prototype.hasOwnProperty.call(POLICY_TYPES, value);
}

/**
 * Whether Intune serves the type (collections below `/deviceManagement` and `/deviceAppManagement`):
 * a tenant without Intune refuses all of those alike, and nothing else.
 */
export function isIntuneType(key: PolicyType): boolean {
  return /^\/device(App)?Management\//.test(policyType(key).collectionPath);
}

/** Whether `value` is one of CATEGORIES. */
export function isCategory(value: string): value is Category {
  return (CATEGORIES as readonly string[]).includes(value);
}

/** The registry entry of `key`. */
export function policyType(key: PolicyType): PolicyTypeDefinition {
  return POLICY_TYPES[key];
}

/** The policy types of `category`, in POLICY_TYPE_KEYS order. */
export function typesInCategory(category: Category): PolicyType[] {
  return POLICY_TYPE_KEYS.filter((key) => POLICY_TYPES[key].category === category);
}

/**
 * A metadata whitelist entry as [key, child]: `templateReference.templateId` keeps one child of an
 * object; annotations such as `@odata.type` are a single key despite their dot.
 */
export function metaKeyPath(entry: string): readonly [string, string | undefined] {
  if (entry.startsWith('@')) return [entry, undefined];
  const [parent, child] = entry.split('.') as [string, string | undefined];
  return [parent, child];
}

/**
 * Properties to `$select`: the id, the name property and every top-level metadata source. Takes a
 * registry key or a definition (a test can build the request of an entry that is not registered).
 */
export function selectFields(type: PolicyType | PolicyTypeDefinition): string[] {
  const def = typeof type === 'string' ? policyType(type) : type;
  const fields = new Set<string>(['id', def.nameField]);
  for (const entry of def.metaKeys) {
    const [top] = metaKeyPath(entry);
    // `@odata.type` is returned for derived types without being selected; selecting it is an error.
    if (!top.startsWith('@')) fields.add(top);
  }
  if ('field' in def.platform) fields.add(def.platform.field);
  return [...fields];
}

// Ordered: the first prefix that matches wins. Prefixes are compared case-insensitively against the
// type name without `#microsoft.graph.` and without a leading `managed`/`mdm`/`azureAD` qualifier.
const PLATFORM_PREFIXES: ReadonlyArray<readonly [string, Platform]> = [
  ['android', 'android'],
  ['aosp', 'android'],
  ['ios', 'ios'],
  ['ipad', 'ios'],
  ['iphone', 'ios'],
  ['macos', 'macos'],
  ['windows', 'windows'],
  ['win32', 'windows'],
  ['winget', 'windows'],
  ['microsoftstore', 'windows'],
  ['officesuite', 'windows'],
  ['editionupgrade', 'windows'],
  ['sharedpc', 'windows'],
  ['linux', 'linux'],
];

const QUALIFIERS = /^(managed|mdm|azuread)/i;

/** Maps one platform token (`windows10AndLater`, `#microsoft.graph.iosStoreApp`, `macOS`) to a platform. */
export function platformFromToken(token: string): Platform | null {
  const name = token
    .trim()
    .replace(/^#?microsoft\.graph\./i, '')
    .replace(QUALIFIERS, '')
    .toLowerCase();
  for (const [prefix, platform] of PLATFORM_PREFIXES) {
    if (name.startsWith(prefix)) return platform;
  }
  return null;
}

/**
 * Derives an item's platform from its raw Graph object. A comma-separated flags value
 * (`"windows10,macOS"`) yields a platform only when every flag agrees; otherwise null.
 */
export function derivePlatform(key: PolicyType, raw: Readonly<Record<string, unknown>>): Platform | null {
  const rule: PlatformRule = policyType(key).platform;
  if ('fixed' in rule) return rule.fixed;
  const source = rule.from === 'odataType' ? raw['@odata.type'] : raw[rule.field];
  if (typeof source !== 'string' || source.length === 0) return null;
  const platforms = new Set(source.split(',').map(platformFromToken));
  if (platforms.size !== 1) return null;
  return [...platforms][0] ?? null;
}
