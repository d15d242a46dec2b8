/**
 * The onboarding check's activities (Graph queue): one token request, and one first-page request
 * per policy type. A failure that no retry can change is an answer here, returned as data; a
 * retryable one (throttling, network) is thrown, so Temporal retries it under the workflow's
 * policy. Nothing is stored: the page's items are dropped.
 */
import { Context } from '@temporalio/activity';
import { type TokenProvider } from '../graph/credentials';
import { type GraphClient } from '../graph/client';
import { GraphError } from '../graph/errors';
import { policyType, type PolicyType } from '../inventory/policy-types';
import type {
  GroupNamesCheck,
  TokenCheck,
  TypeCheck,
  TypeCheckStatus,
} from '../workflows/tenant-check-contract';
import { withSafeFailures } from './failures';

export interface TenantCheckActivityDeps {
  graph: GraphClient;
  tokens: TokenProvider;
  /** The admin-consent URL of the app in `tenantId`, on the configured cloud's authority. */
  consentUrl: (tenantId: string) => string;
}

/** Statuses of the failures that describe the tenant rather than a fault. */
const STATUS_BY_CODE: Partial<Record<string, TypeCheckStatus>> = {
  graph_forbidden: 'forbidden',
  graph_not_licensed: 'not_licensed',
  intune_not_provisioned: 'not_provisioned',
};

/** Entra's answer for an app that is not consented in the tenant (AADSTS700016). */
const CONSENT_MISSING = /\bAADSTS700016\b/;

/**
 * `probeToken({ tenantId })` → `{ token, consentUrl, consentMissing }` and
 * `probePolicyType({ tenantId, policyType })` → TypeCheck. Both throw retryable GraphErrors as
 * ApplicationFailures (failures.ts) and answer permanent ones.
 */
export function createTenantCheckActivities({ graph, tokens, consentUrl }: TenantCheckActivityDeps) {
  return {
    probeToken: withSafeFailures(
      async (input: {
        tenantId: string;
      }): Promise<{ token: TokenCheck; consentUrl: string; consentMissing: boolean }> => {
        const url = consentUrl(input.tenantId);
        try {
          await tokens.getToken(input.tenantId);
          return { token: { ok: true }, consentUrl: url, consentMissing: false };
        } catch (error) {
          if (!(error instanceof GraphError) || error.decision.retryable) throw error;
          return {
            token: { ok: false, code: error.code, message: error.message },
            consentUrl: url,
            consentMissing: CONSENT_MISSING.test(error.message),
          };
        }
      },
    ),

    probePolicyType: withSafeFailures(
      async (input: { tenantId: string; policyType: PolicyType }): Promise<TypeCheck> => {
        const { permission } = policyType(input.policyType);
        const base = { policyType: input.policyType, permission };
        try {
          await graph.fetchPage(input.tenantId, input.policyType, {
            attempt: Context.current().info.attempt,
            signal: Context.current().cancellationSignal,
            // Reading the page is what the check asks; assignments would only add requests.
            assignments: false,
          });
          return { ...base, status: 'ok' };
        } catch (error) {
          if (!(error instanceof GraphError) || error.decision.retryable) throw error;
          return {
            ...base,
            status: STATUS_BY_CODE[error.code] ?? 'error',
            code: error.code,
            message: error.message,
          };
        }
      },
    ),

    /**
     * `probeGroupNames({ tenantId }): GroupNamesCheck`: asks Graph for one group that cannot
     * exist (the nil GUID): Entra answers 404 when the app may read groups, 403
     * Authorization_RequestDenied when it may not, whatever the id.
     */
    probeGroupNames: withSafeFailures(async (input: { tenantId: string }): Promise<GroupNamesCheck> => {
      const permission = 'GroupMember.Read.All' as const;
      try {
        const read = await graph.fetchGroupNames(input.tenantId, [NIL_GUID], {
          signal: Context.current().cancellationSignal,
        });
        return { permission, status: read.forbidden ? 'forbidden' : 'ok' };
      } catch (error) {
        if (!(error instanceof GraphError) || error.decision.retryable) throw error;
        return { permission, status: 'error', code: error.code, message: error.message };
      }
    }),
  };
}

const NIL_GUID = '00000000-0000-0000-0000-000000000000';

export type TenantCheckActivities = ReturnType<typeof createTenantCheckActivities>;
