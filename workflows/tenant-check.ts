/**
 * `tenantCheck`: the onboarding check behind `inventory tenant check` and
 * `InventoryClient.checkTenant`. It asks Entra for a token for the tenant, then every policy type
 * of the registry for its first item, on the Graph queue under the tenant's fairness key (the
 * same request rate as its syncs). It writes nothing: no inventory, no run row, no tenant.
 *
 * Runs inside Temporal's sandbox: imports only the workflow allow-list (eslint/import-boundaries.mjs).
 */
import { ActivityFailure, ApplicationFailure, proxyActivities, workflowInfo } from '@temporalio/workflow';
import { z } from 'zod';
import { isErrorCode, NON_RETRYABLE_CODES, type ErrorCode } from '../inventory/error-codes';
import { POLICY_TYPE_KEYS, policyType, type PolicyType } from '../inventory/policy-types';
import { parseTenantId } from '../inventory/tenant-id';
import { graphQueueOfType, graphTaskQueueOf } from '../inventory/workflow-ids';
import type { TenantCheckActivities } from '../activities/tenant-check-activities';
import { workflowFailure } from './failures';
import type { TenantCheckInput, TenantCheckResult, TypeCheck } from './tenant-check-contract';

const inputSchema = z.strictObject({ tenantId: z.unknown() });

/** The check's input, canonical; `invalid_input` (non-retryable) for anything else. */
function parseInput(input: unknown): { tenantId: string } {
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success) {
    throw workflowFailure('invalid_input', 'tenantCheck takes one argument: { "tenantId": "<tenant GUID>" }');
  }
  try {
    return { tenantId: parseTenantId(parsed.data.tenantId) };
  } catch (error) {
    throw workflowFailure('invalid_input', error instanceof Error ? error.message : String(error));
  }
}

/** The stable code and message of an activity whose retries ran out (throttling, network). */
function failureOf(error: unknown): { code: ErrorCode; message: string } {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure && cause.type && isErrorCode(cause.type)) {
    return { code: cause.type, message: cause.message };
  }
  return { code: 'internal_error', message: cause instanceof Error ? cause.message : String(cause) };
}

/** A probe whose retries ran out is reported as an error of its type. */
function failedProbe(type: PolicyType, error: unknown): TypeCheck {
  return { policyType: type, permission: policyType(type).permission, status: 'error', ...failureOf(error) };
}

/** The onboarding check of one tenant; see the module comment. */
export async function tenantCheck(input: TenantCheckInput): Promise<TenantCheckResult> {
  const { tenantId } = parseInput(input);
  const graphTaskQueue = graphTaskQueueOf(workflowInfo().taskQueue);
  // Each type's probe goes through the queue its syncs use, under the same per-tenant rate.
  const probes = (taskQueue: string) =>
    proxyActivities<TenantCheckActivities>({
      taskQueue,
      startToCloseTimeout: '2 minutes',
      retry: {
        initialInterval: '1 second',
        maximumInterval: '30 seconds',
        maximumAttempts: 5,
        nonRetryableErrorTypes: [...NON_RETRYABLE_CODES],
      },
      priority: { fairnessKey: tenantId },
    });
  const { probeToken } = probes(graphTaskQueue);
  // A token failure that retries could not clear (authority or proxy unreachable) is an answer too.
  const token = await probeToken({ tenantId }).catch((error: unknown) => {
    const { code, message } = failureOf(error);
    return { token: { ok: false as const, code, message }, consentUrl: '', consentMissing: false };
  });
  if (!token.token.ok) {
    return {
      tenantId,
      token: token.token,
      types: POLICY_TYPE_KEYS.map((type) => ({
        policyType: type,
        permission: policyType(type).permission,
        status: 'not_checked',
      })),
      groupNames: { status: 'not_checked', permission: 'GroupMember.Read.All' },
      consentUrl: token.consentMissing ? token.consentUrl : null,
    };
  }
  const groupNames = probes(graphTaskQueue)
    .probeGroupNames({ tenantId })
    .catch((error: unknown) => ({
      status: 'error' as const,
      permission: 'GroupMember.Read.All' as const,
      ...failureOf(error),
    }));
  const types = await Promise.all(
    POLICY_TYPE_KEYS.map((type) =>
      probes(graphQueueOfType(graphTaskQueue, type))
        .probePolicyType({ tenantId, policyType: type })
        .catch((error: unknown) => failedProbe(type, error)),
    ),
  );
  return {
    tenantId,
    token: token.token,
    types,
    groupNames: await groupNames,
    consentUrl: types.some((t) => t.status === 'forbidden') ? token.consentUrl : null,
  };
}
