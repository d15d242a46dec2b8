/**
 * What every simulator dataset module shares: the dataset shape, the scopes Graph names in its
 * 403 per family of collections, and small generators for dates and payloads.
 */
import { intBetween, seededGuid, type Rng } from '../random';

/** Scopes Graph lists in its 403 for each family of collections (the docs' permission tables where no 403 is public). */
export const SCOPES = {
  // srozemuller/IntuneAssistant#6, jseerden/IntuneBackupAndRestore#55.
  configuration: ['DeviceManagementConfiguration.Read.All', 'DeviceManagementConfiguration.ReadWrite.All'],
  // Microsoft365DSC/Microsoft365DSC#6567 (apps).
  apps: ['DeviceManagementApps.Read.All', 'DeviceManagementApps.ReadWrite.All'],
  // maester365/maester#1395 and dotraphael/RFL.Microsoft.Intune#1, verbatim, old names included.
  serviceConfig: [
    'DeviceManagementServiceConfiguration.Read.All',
    'DeviceManagementServiceConfig.Read.All',
    'DeviceManagementServiceConfiguration.ReadWrite.All',
    'DeviceManagementServiceConfig.ReadWrite.All',
  ],
  // Required since mid-2025 (REFERENCE.md "Permissions"); the application row of
  // learn.microsoft.com/graph/api/intune-shared-devicemanagementscript-list?view=graph-rest-beta.
  scripts: ['DeviceManagementScripts.Read.All', 'DeviceManagementScripts.ReadWrite.All'],
  // graph/api/intune-rbac-roledefinition-list?view=graph-rest-beta.
  rbac: ['DeviceManagementRBAC.Read.All', 'DeviceManagementRBAC.ReadWrite.All'],
  // graph/api/intune-rbac-rolescopetag-list and intune-rbac-operationapprovalpolicy-get (beta).
  configurationOrRbac: [
    'DeviceManagementConfiguration.Read.All',
    'DeviceManagementConfiguration.ReadWrite.All',
    'DeviceManagementRBAC.Read.All',
    'DeviceManagementRBAC.ReadWrite.All',
  ],
  // graph/api/intune-onboarding-devicecategory-list.
  configurationOrManagedDevices: [
    'DeviceManagementConfiguration.Read.All',
    'DeviceManagementConfiguration.ReadWrite.All',
    'DeviceManagementManagedDevices.Read.All',
    'DeviceManagementManagedDevices.ReadWrite.All',
  ],
  // graph/api/intune-onboarding-vpptoken-list.
  appsOrServiceConfig: [
    'DeviceManagementApps.Read.All',
    'DeviceManagementApps.ReadWrite.All',
    'DeviceManagementServiceConfig.Read.All',
    'DeviceManagementServiceConfig.ReadWrite.All',
  ],
  // graph/api/virtualendpoint-list-provisioningpolicies?view=graph-rest-beta.
  cloudPc: ['CloudPC.Read.All', 'CloudPC.ReadWrite.All'],
  // graph/api/conditionalaccessroot-list-policies?view=graph-rest-beta.
  conditionalAccess: ['Policy.Read.All', 'Policy.ReadWrite.ConditionalAccess'],
} as const;

/**
 * The Microsoft service behind a collection, which decides how it refuses a tenant
 * (simulator/tenant-refusals.ts): Intune's front end, the Windows 365 (Cloud PC) service, or Entra.
 */
export type Service = 'intune' | 'windows365' | 'entra';

/**
 * Which targets an item's assignments draw from: every Intune kind (`intune`), those plus
 * Configuration Manager collections (`intuneAndCollections`, configuration profiles), included and
 * excluded groups only (`groups`), included groups only (`includedGroups`, scope tags' automatic
 * assignment), or Windows 365's own group target (`cloudPc`).
 */
export type TargetProfile = 'intune' | 'intuneAndCollections' | 'groups' | 'includedGroups' | 'cloudPc';

/** How a dataset's items are assigned, for collections whose element type has `assignments`. */
export interface AssignmentFacts {
  /** Graph's assignment entity type (beta.json `entityTypes`), e.g. `mobileAppAssignment`. */
  readonly entityType: string;
  /**
   * What `$expand=assignments` on the list request does: `served` (each item carries its
   * assignments), `empty` (accepted, every list empty: intents, microsoft-graph-explorer-v4#2051);
   * unset, the expand is ignored (REFERENCE.md "$expand=assignments" lists where Intune serves it).
   */
  readonly expand?: 'served' | 'empty';
  readonly targets: TargetProfile;
}

export interface Dataset {
  /** Collection path below the API version; must exist in Graph's beta metadata. */
  readonly collectionPath: string;
  /** Whether Graph also serves the collection under /v1.0 (REFERENCE.md, v1.0-entity-types.json); else beta only. */
  readonly inV1: boolean;
  /** The property holding an item's human name. */
  readonly nameProperty: string;
  readonly service: Service;
  /** What Graph's 403 lists after "Application must have one of the following scopes:" (Intune). */
  readonly scopes: readonly string[];
  /** Derived types served by the collection; null for collections Graph returns without `@odata.type`. */
  readonly odataTypes: readonly string[] | null;
  /** Word used in generated names. */
  readonly noun: string;
  /** Set exactly when the element type has an `assignments` navigation property (Graph's metadata). */
  readonly assignments?: AssignmentFacts;
  /**
   * Type-specific properties for one item; `odataType` is the chosen derived type, if any, and
   * `index` the item's 0-based position (for collections whose ids are positions, as scope tags').
   * What it returns wins over the common properties, the id included.
   */
  make(rng: Rng, odataType: string | null, index: number): Record<string, unknown>;
}

export const BASE_TIME = Date.UTC(2023, 0, 1);
export const DAY_MS = 86_400_000;

export function isoDate(ms: number): string {
  return new Date(ms).toISOString();
}

/** A date between `fromDays` and `toDays` days after BASE_TIME. */
export function dayAfterBase(rng: Rng, fromDays: number, toDays: number): string {
  return isoDate(BASE_TIME + intBetween(rng, fromDays, toDays) * DAY_MS);
}

export function base64Blob(rng: Rng, minBytes: number, maxBytes: number): string {
  const bytes = Buffer.alloc(intBetween(rng, minBytes, maxBytes));
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(rng() * 256);
  return bytes.toString('base64');
}

/** A base64 script body that embeds a credential, as real scripts too often do. */
export function secretScript(rng: Rng, shell: 'powershell' | 'sh'): string {
  const script =
    shell === 'powershell'
      ? `$password = "P@ss-${seededGuid(rng)}"\n` +
        'Write-Output "compliant"\n'.repeat(intBetween(rng, 1, 120))
      : `#!/bin/zsh\nAPI_TOKEN="tok-${seededGuid(rng)}"\n` +
        'echo "configured"\n'.repeat(intBetween(rng, 1, 120));
  return Buffer.from(script, 'utf8').toString('base64');
}
