/**
 * The tenant shapes the sync scenarios share: N items spread evenly over eight policy types; for
 * the assignments scenario a realistic mix over every type of the registry and a synthetic tenant
 * where half the types with assignments are read with `$expand`; for the fleet, tenants of that
 * mix scaled and varied by seed.
 */
import { POLICY_TYPE_KEYS, policyType, type PolicyType } from '../inventory/policy-types';
import { deriveSeed, seededRng } from '../simulator/random';
import { type TenantShape } from './sync-runs';

/** A shape with one page size for every type, so its page count is known. */
export type PagedShape = TenantShape & { pageSize: number };

export const EIGHT_TYPES: readonly PolicyType[] = [
  'appProtectionPolicy',
  'assignmentFilter',
  'deviceCompliancePolicy',
  'deviceConfiguration',
  'endpointSecurityIntent',
  'groupPolicyConfiguration',
  'mobileApp',
  'settingsCatalogPolicy',
];

export function evenShape(
  types: readonly PolicyType[],
  items: number,
  pageSize: number,
  extra: Pick<TenantShape, 'faults'> = {},
): PagedShape {
  const each = Math.floor(items / types.length);
  const counts = Object.fromEntries(
    types.map((type, index) => [type, each + (index < items - each * types.length ? 1 : 0)]),
  ) as Partial<Record<PolicyType, number>>;
  return { counts, pageSize, seed: 7, ...extra };
}

/** Graph pages needed to list `shape` once (an empty collection still takes one request). */
export function pagesPerType(shape: PagedShape): Map<PolicyType, number> {
  return new Map(
    (Object.entries(shape.counts) as Array<[PolicyType, number]>).map(([type, count]) => [
      type,
      Math.max(1, Math.ceil(count / shape.pageSize)),
    ]),
  );
}

/**
 * Items per policy type of a realistic managed tenant, every type of the registry (the `satisfies`
 * keeps it complete): apps, device configurations and settings catalog policies by the hundred,
 * most other types 0–20, some empty.
 */
export const TENANT_MIX = {
  // Read with $expand=assignments.
  mobileApp: 300,
  deviceConfiguration: 150,
  settingsCatalogPolicy: 120,
  deviceCompliancePolicy: 18,
  groupPolicyConfiguration: 20,
  deviceManagementScript: 14,
  deviceHealthScript: 9,
  // Assignments read per item in JSON batches.
  mobileAppConfiguration: 20,
  endpointSecurityIntent: 16,
  compliancePolicy: 12,
  enrollmentConfiguration: 11,
  targetedManagedAppConfiguration: 8,
  roleScopeTag: 6,
  deviceShellScript: 5,
  windowsAutopilotDeploymentProfile: 4,
  windowsFeatureUpdateProfile: 3,
  deviceComplianceScript: 3,
  cloudPcProvisioningPolicy: 3,
  windowsQualityUpdatePolicy: 2,
  windowsQualityUpdateProfile: 2,
  policySet: 2,
  deviceCustomAttributeShellScript: 2,
  cloudPcUserSetting: 2,
  windowsDriverUpdateProfile: 1,
  termsAndConditions: 1,
  appleUserInitiatedEnrollmentProfile: 1,
  // Without assignments.
  roleDefinition: 20,
  conditionalAccessPolicy: 18,
  assignmentFilter: 15,
  appProtectionPolicy: 14,
  mobileAppCategory: 10,
  roleAssignment: 7,
  deviceCategory: 6,
  notificationMessageTemplate: 3,
  depOnboardingSetting: 1,
  vppToken: 1,
  groupPolicyUploadedDefinitionFile: 0,
  operationApprovalPolicy: 0,
  reusablePolicySetting: 0,
} as const satisfies Record<PolicyType, number>;

/**
 * The tenant "where half the types support $expand": the first `typesPerKind` types (in
 * registry order) read with `$expand=assignments` and as many read per item, `items` each.
 */
export function halfExpandCounts(typesPerKind: number, items: number): Partial<Record<PolicyType, number>> {
  const of = (kind: 'expand' | 'perItem') =>
    POLICY_TYPE_KEYS.filter((type) => policyType(type).assignments === kind).slice(0, typesPerKind);
  return Object.fromEntries([...of('expand'), ...of('perItem')].map((type) => [type, items]));
}

/**
 * Graph's page sizes (the simulator's defaults, set explicitly on fleet tenants so their page
 * counts are known to the lower bound): 25 for the settings catalog service's two collections,
 * 100 for every other.
 */
export const FLEET_PAGE_SIZES: Record<PolicyType, number> = Object.fromEntries(
  POLICY_TYPE_KEYS.map((type) => [
    type,
    type === 'settingsCatalogPolicy' || type === 'compliancePolicy' ? 25 : 100,
  ]),
) as Record<PolicyType, number>;

/** Smallest and largest size factor of a fleet tenant, relative to TENANT_MIX (log-uniform). */
const FLEET_SIZE_RANGE = [0.2, 2] as const;

/**
 * Items per policy type of fleet tenant `index`, every type of the registry: TENANT_MIX scaled by
 * the tenant's size factor (log-uniform in 0.2–2: many small tenants, few large ones) and each
 * type by its own factor in 0.5–1.5, all drawn from `seed` and `index`, so every sweep of the
 * same fleet gets the same tenants. `quick` first divides the types with hundreds by 5.
 */
export function fleetCounts(seed: number, index: number, quick: boolean): Record<PolicyType, number> {
  const rng = seededRng(deriveSeed('fleet', seed, index));
  const [low, high] = FLEET_SIZE_RANGE;
  const size = low * (high / low) ** rng();
  return Object.fromEntries(
    POLICY_TYPE_KEYS.map((type) => {
      const base: number = TENANT_MIX[type];
      const mix = quick && base > 20 ? base / 5 : base;
      return [type, Math.round(mix * size * (0.5 + rng()))];
    }),
  ) as Record<PolicyType, number>;
}
