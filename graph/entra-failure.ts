/**
 * Why Entra refused a token, and what the person running the service does about it. Entra answers
 * with an OAuth error and an `AADSTS<code>: <description>` line
 * (https://learn.microsoft.com/entra/identity-platform/reference-error-codes); the codes below are
 * the ones an app-only, multi-tenant sync meets, each mapped to a hint that names the setting or
 * the administrator's action. Pure: no I/O, the caller builds the GraphError.
 */
import { adminConsentUrl } from './admin-consent';
import { graphScope, type GraphCloud } from './clouds';

export interface EntraAnswer {
  /** The OAuth error (`invalid_client`, `unauthorized_client`, …), or `error` when there is none. */
  oauthError: string;
  /** The AADSTS code, or null when the text carries none. */
  code: number | null;
  /** Entra's description without the `AADSTS<code>: ` prefix and the trace/correlation lines. */
  description: string;
}

export interface EntraRequest {
  tenantId: string;
  clientId: string;
  /** GRAPH_CLOUD: names the cloud and its authority in hints (the admin-consent URL). */
  cloud: GraphCloud;
  /** The scope that was asked for. */
  tokenScope: string;
}

/**
 * Entra's answer from an @azure/identity/MSAL error message (`invalid_client: AADSTS7000215: …
 * Trace ID: …`) or from an `error_description` alone.
 */
export function parseEntraAnswer(text: string): EntraAnswer {
  const oauthError = /^(?:[A-Za-z]+Credential[^:]*: )?([a-z_]+):/.exec(text)?.[1] ?? 'error';
  const match = /AADSTS(\d+):\s*(.*?)(?=\s*Trace ID:|$)/s.exec(text);
  if (match === null) return { oauthError, code: null, description: text.trim() };
  return { oauthError, code: Number(match[1]), description: match[2]!.trim() };
}

/** What to do about an AADSTS code, or null for codes without a specific hint. */
export function entraHint(code: number | null, request: EntraRequest): string | null {
  const { tenantId, clientId, cloud } = request;
  switch (code) {
    case 700016:
      // "Application with identifier … was not found in the directory": not consented there.
      return `app ${clientId} is not consented in tenant ${tenantId} (or AZURE_CLIENT_ID is wrong): an administrator of tenant ${tenantId} grants consent at ${adminConsentUrl(cloud, tenantId, clientId)}`;
    case 7000215:
      return `the client secret is wrong: set AZURE_CLIENT_SECRET to the secret's value (not its id) from app ${clientId}`;
    case 7000222:
      return `the client secret of app ${clientId} has expired: create a new secret and set AZURE_CLIENT_SECRET to its value`;
    case 700027:
      return `the client certificate was refused: register the certificate of AZURE_CLIENT_CERTIFICATE_PATH with app ${clientId}`;
    case 90002:
      return `tenant ${tenantId} was not found in the ${cloud} cloud: check the tenant id and GRAPH_CLOUD`;
    case 7000112:
      return `app ${clientId} is disabled in tenant ${tenantId}: an administrator of the tenant enables its enterprise application`;
    case 900382:
      return `tenant ${tenantId} or app ${clientId} belongs to another cloud than ${cloud}: check GRAPH_CLOUD (and AZURE_AUTHORITY_HOST)`;
    case 500011:
    case 1002012:
    case 70011:
      return `Entra issues no token for the audience ${request.tokenScope}: check GRAPH_TOKEN_SCOPE and GRAPH_CLOUD (the ${cloud} cloud's Graph is ${graphScope(cloud)})`;
    default:
      return null;
  }
}

/**
 * The one-line message of an `auth_failed` error: the tenant, Entra's code and OAuth error, the hint,
 * then Entra's own description last, so that cutting the line to its length limit loses Entra's
 * words before the hint.
 */
export function authFailureMessage(answer: EntraAnswer, request: EntraRequest): string {
  const code = answer.code === null ? answer.oauthError : `AADSTS${answer.code} (${answer.oauthError})`;
  const hint = entraHint(answer.code, request);
  return hint === null
    ? `no token for tenant ${request.tenantId}: ${code}: ${answer.description}`
    : `no token for tenant ${request.tenantId}: ${code}: ${hint}. Entra: ${answer.description}`;
}
