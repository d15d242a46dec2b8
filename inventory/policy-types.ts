/**
 * The policy type registry: the one table that says, for every Intune (and Entra) object type this
 * service inventories, where Graph serves it, how to name it, which platform it targets, which
 * metadata keys may be stored and which permission reads it. Everything else (selection
 * validation, the Graph page fetcher, normalisation, tenant check) reads this table instead of
 * repeating its facts. The entries live in one module per category under policy-types/; this
 * module joins them and is the only one the rest of the code imports.
 *
 * Pure data and pure functions: safe to import from workflow code.
 */
import { APP_TYPES } from './policy-types/apps';
import { ASSIGNMENT_FILTER_TYPES } from './policy-types/assignment-filters';
import { COMPLIANCE_TYPES } from './policy-types/compliance';
import { CONFIGURATION_TYPES } from './policy-types/configuration';
import {
  CATEGORIES,
  type Category,
  type Platform,
  type PlatformRule,
  type PolicyTypeDefinition,
} from './policy-types/definition';
import { ENDPOINT_SECURITY_TYPES } from './policy-types/endpoint-security';
import { ENROLLMENT_TYPES } from './policy-types/enrollment';
import { IDENTITY_TYPES } from './policy-types/identity';
import { SCRIPT_TYPES } from './policy-types/scripts';
import { TENANT_ADMINISTRATION_TYPES } from './policy-types/tenant-administration';
import { UPDATE_TYPES } from './policy-types/updates';
import { WINDOWS365_TYPES } from './policy-types/windows365';

export {
  CATEGORIES,
  GRAPH_PERMISSIONS,
  PLATFORMS,
  type Category,
  type GraphPermission,
  type Platform,
  type PlatformRule,
  type PolicyTypeDefinition,
} from './policy-types/definition';

export const POLICY_TYPES = {
  ...APP_TYPES,
  ...ASSIGNMENT_FILTER_TYPES,
  ...COMPLIANCE_TYPES,
  ...CONFIGURATION_TYPES,
  ...ENDPOINT_SECURITY_TYPES,
  ...ENROLLMENT_TYPES,
  ...IDENTITY_TYPES,
  ...SCRIPT_TYPES,
  ...TENANT_ADMINISTRATION_TYPES,
  ...UPDATE_TYPES,
  ...WINDOWS365_TYPES,
} as const satisfies Record<string, PolicyTypeDefinition>;

export type PolicyType = keyof typeof POLICY_TYPES;

/** Policy type keys sorted by code point, the order used everywhere a list is shown or hashed. */
export const POLICY_TYPE_KEYS: readonly PolicyType[] = (Object.keys(POLICY_TYPES) as PolicyType[]).sort();

/** Whether `value` is a registry key (own keys only, so `constructor` is not). */
export function isPolicyType(value: string): value is PolicyType {
  return Object.prototype.hasOwnProperty.call(POLICY_TYPES, value);
}

/**
 * Whether Intune serves the type: collections below `/deviceManagement` and `/deviceAppManagement`,
 * except Windows 365's `/deviceManagement/virtualEndpoint` (the Cloud PC service). A tenant without
 * Intune refuses all of those alike ("Request not applicable to target tenant"), and nothing else.
 */
export function isIntuneType(key: PolicyType): boolean {
  const path = policyType(key).collectionPath;
  return /^\/device(App)?Management\//.test(path) && !path.startsWith('/deviceManagement/virtualEndpoint/');
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
  if (rule.from === 'none') return null;
  const source = rule.from === 'odataType' ? raw['@odata.type'] : raw[rule.field];
  if (typeof source !== 'string' || source.length === 0) return null;
  const platforms = new Set(source.split(',').map(platformFromToken));
  if (platforms.size !== 1) return null;
  return [...platforms][0] ?? null;
}
