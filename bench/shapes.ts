/** The tenant shapes the sync scenarios share: N items spread evenly over eight policy types. */
import { type PolicyType } from '../inventory/policy-types';
import { type TenantShape } from './sync-runs';

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
): TenantShape {
  const each = Math.floor(items / types.length);
  const counts = Object.fromEntries(
    types.map((type, index) => [type, each + (index < items - each * types.length ? 1 : 0)]),
  ) as Partial<Record<PolicyType, number>>;
  return { counts, pageSize, seed: 7, ...extra };
}

/** Graph pages needed to list `shape` once (an empty collection still takes one request). */
export function pagesPerType(shape: TenantShape): Map<PolicyType, number> {
  return new Map(
    (Object.entries(shape.counts) as Array<[PolicyType, number]>).map(([type, count]) => [
      type,
      Math.max(1, Math.ceil(count / shape.pageSize)),
    ]),
  );
}
