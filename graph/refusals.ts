/**
 * Graph refusals that describe the tenant or the app rather than a fault, told apart by Graph's
 * own answer so each gets its own stable code and a message that says what to do:
 * - 400 `Request not applicable to target tenant.`: the tenant has no Intune (no licence or no MDM
 *   authority) — every Intune collection answers so (msgraph-beta-sdk-go#198, ugurkocde/IntuneGet#993);
 * - 403 whose message says the application "must have one of the following scopes": a missing
 *   application permission (jseerden/IntuneBackupAndRestore#55); Entra words it "required scopes
 *   are missing in the token" for Conditional Access (Microsoft365DSC/Microsoft365DSC#3556);
 * - any other 403 on an Intune collection: the tenant cannot use the type, most often for want of
 *   a licence (Micke-K/IntuneManagement#322: driver update profiles without Windows E3/E5);
 * - 401 "Invalid audience" (after one refreshed token): the token is for another cloud's Graph,
 *   a configuration mismatch rather than consent or credentials.
 *
 * Pure: unit-tested.
 */
import { type ErrorCode } from '../inventory/error-codes';
import { policyType, type PolicyType } from '../inventory/policy-types';

const NOT_APPLICABLE = /request not applicable to target tenant/i;
/** Graph's 401 for a token whose `aud` is not this Graph ("Access token validation failure. Invalid audience."). */
const INVALID_AUDIENCE = /invalid audience/i;
const MISSING_SCOPE =
  /must have one of the following scopes|not authorized to perform this operation|required scopes are missing in the token/i;

export interface Refusal {
  code: Extract<
    ErrorCode,
    'intune_not_provisioned' | 'graph_forbidden' | 'graph_not_licensed' | 'graph_unauthorized'
  >;
  /** One line for people: what Graph meant and what to do. */
  message: string;
}

/**
 * The refusal in a failed answer, or null for any other failure. `status` is the HTTP status,
 * `detail` Graph's `error.code: error.message` (response-body.ts), `what` names the request.
 */
export function graphRefusal(type: PolicyType, status: number, detail: string, what: string): Refusal | null {
  if (status === 400 && NOT_APPLICABLE.test(detail)) {
    return {
      code: 'intune_not_provisioned',
      message: `Graph answered "Request not applicable to target tenant" for the ${what}: the tenant has no Intune (licence or MDM authority)`,
    };
  }
  if (status === 401 && INVALID_AUDIENCE.test(detail)) {
    // A token was issued, so consent and credentials are fine: it is for another Graph.
    return {
      code: 'graph_unauthorized',
      message: `Graph refused the token for the ${what}: it is for another audience; GRAPH_CLOUD (and GRAPH_TOKEN_SCOPE, if set) must name the Graph that GRAPH_BASE_URL reaches; Graph said: ${detail}`,
    };
  }
  if (status !== 403) return null;
  const { permission } = policyType(type);
  if (MISSING_SCOPE.test(detail)) {
    return {
      code: 'graph_forbidden',
      message: `Graph refused the ${what} (403): the app needs the application permission ${permission}; grant it and consent again in the tenant`,
    };
  }
  return {
    code: 'graph_not_licensed',
    // Graph's words stay in the message (redacted by the caller's error): "most likely" is a guess.
    message: `Graph refused the ${what} (403) without naming a missing permission (the app is meant to have ${permission}): the tenant most likely lacks the licence this type needs; Graph said: ${detail}`,
  };
}
