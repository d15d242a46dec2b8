/**
 * The contract of the onboarding check (`tenantCheck`), shared by the workflow, its activities, the
 * client and the CLI. One result per policy type of the registry, in registry order.
 */
import type { ErrorCode } from '../inventory/error-codes';
import type { PolicyType } from '../inventory/policy-types';

/** What `tenantCheck` is started with. */
export interface TenantCheckInput {
  /** Entra tenant id (GUID, any case; canonicalised to lower case). */
  tenantId: string;
}

/** Whether a token could be obtained for the tenant, and if not, Entra's reason. */
export type TokenCheck =
  | { ok: true }
  | {
      ok: false;
      code: ErrorCode;
      /** One line: Entra's AADSTS code and what to do about it. */
      message: string;
    };

/**
 * How one policy type answered its first-page request:
 * - `ok`: Graph served it;
 * - `forbidden`: 403, the app lacks `permission` (grant it and consent again);
 * - `not_licensed`: the tenant has no licence for this type;
 * - `not_provisioned`: the tenant has no Intune (every type answers so);
 * - `error`: any other failure, with its code and message;
 * - `not_checked`: no token, so Graph was not asked.
 */
export type TypeCheckStatus =
  'ok' | 'forbidden' | 'not_licensed' | 'not_provisioned' | 'error' | 'not_checked';

export interface TypeCheck {
  policyType: PolicyType;
  /** The application permission the type needs (the registry's `permission`). */
  permission: string;
  status: TypeCheckStatus;
  code?: ErrorCode;
  message?: string;
}

/**
 * Whether the app may read the display names of Entra groups that assignments target (it needs
 * GroupMember.Read.All or Group.Read.All): `ok`, `forbidden` (assignments then show group ids
 * only), `error` with its code and message, `not_checked` without a token.
 */
export interface GroupNamesCheck {
  status: 'ok' | 'forbidden' | 'error' | 'not_checked';
  /** The least-privileged application permission that reads group names. */
  permission: 'GroupMember.Read.All';
  code?: ErrorCode;
  message?: string;
}

/** The answer of `tenantCheck`. */
export interface TenantCheckResult {
  tenantId: string;
  token: TokenCheck;
  types: TypeCheck[];
  /** Whether assignment answers can name groups; optional to read, so it never fails the check. */
  groupNames: GroupNamesCheck;
  /**
   * Where an administrator of the tenant grants the app's permissions: set when consent is
   * missing (no token for that reason) or a type is forbidden (a newly granted permission needs
   * consent again).
   */
  consentUrl: string | null;
}
