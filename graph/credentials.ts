/**
 * App-only access tokens for Microsoft Graph, one credential per tenant: the MSP pattern of one
 * multi-tenant app registration consented in every customer tenant. @azure/identity caches each
 * credential's token in memory and renews it before expiry; this module adds what the sync
 * engine needs on top: a forced refresh after a 401 (a fresh credential, whose cache is empty),
 * one in-flight token request per tenant however many pages ask at once, a timeout, and failures
 * mapped to GraphErrors whose messages carry no secret, assertion or token but Entra's AADSTS code
 * and what to do about it (entra-failure.ts).
 *
 * Proxies: @azure/identity sends token requests through its own pipeline, whose proxy policy
 * (@azure/core-rest-pipeline 1.24 → @typespec/ts-http-runtime, source:
 * https://github.com/Azure/azure-sdk-for-js/blob/main/sdk/core/ts-http-runtime/src/policies/proxyPolicy.ts,
 * read in node_modules) reads HTTPS_PROXY, ALL_PROXY, HTTP_PROXY (upper case first, then lower
 * case) when a credential is created, and NO_PROXY once per process (exact host names and
 * `.domain` suffixes). test/graph/proxy.test.ts checks both. The authority probe below uses the
 * same variables through proxy.ts.
 */
import { accessSync, constants } from 'node:fs';
import { ClientCertificateCredential, ClientSecretCredential, type TokenCredential } from '@azure/identity';
import { InventoryError } from '../inventory/error-codes';
import { type GraphCloud } from './clouds';
import { authFailureMessage, parseEntraAnswer, type EntraAnswer } from './entra-failure';
import { GraphError, permanentGraphError } from './errors';
import { createProxyDispatcher, type FetchDispatcher } from './proxy';
import { backoffDelayMs } from './retry-decision';

export interface TokenProviderOptions {
  clientId: string;
  clientSecret?: string;
  /** PEM file holding the certificate and its private key; takes precedence over the secret. */
  certificatePath?: string;
  /** Origin token requests go to, e.g. https://login.microsoftonline.com (clouds.ts resolves it). */
  authorityHost: string;
  /** The scope asked for: the cloud's Graph audience, `https://graph.microsoft.com/.default`. */
  tokenScope: string;
  /** GRAPH_CLOUD, named in failure hints (its authority builds the admin-consent URL). */
  cloud: GraphCloud;
  /** Upper bound for obtaining one token (default 30 s). */
  timeoutMs?: number;
  /** Told of each token Entra issued or refused (worker/metrics.ts); tokens served from cache are not. */
  observer?: TokenObserver;
}

export interface TokenObserver {
  onTokenRequest(outcome: 'success' | 'failure'): void;
}

export interface TokenProvider {
  /** A bearer token for the tenant; `forceRefresh` skips the cache and asks the authority again. */
  getToken(tenantId: string, options?: { forceRefresh?: boolean }): Promise<string>;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const PROBE_TIMEOUT_MS = 5_000;

/**
 * MSAL runs instance discovery against the hard-coded login.microsoftonline.com for any other
 * authority, which fails offline and is meaningless for a private one; it is needed only for
 * Microsoft's own clouds.
 */
const MICROSOFT_AUTHORITIES = new Set([
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
]);

/** Tenant ids reach the authority's URL path: a GUID or a domain name, nothing else. */
const TENANT_ID = /^[A-Za-z0-9][A-Za-z0-9.-]{0,99}$/;

/** OAuth errors (the first word of identity's message) Entra uses for transient failures. */
const TRANSIENT_OAUTH_ERRORS = new Set(['temporarily_unavailable', 'server_error']);

function retryable(code: 'graph_network_error' | 'graph_unavailable', message: string): GraphError {
  return new GraphError({ code, retryable: true, delayMs: backoffDelayMs(1) }, message);
}

/** Entra's readable reason: `AADSTS<code>: <description>`, or the text itself without a code. */
function entraReason(answer: EntraAnswer): string {
  return answer.code === null ? answer.description : `AADSTS${answer.code}: ${answer.description}`;
}

/**
 * Tokens by the client-credentials grant for `options.tokenScope`
 * (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow). Throws
 * `config_invalid` at once without a secret or a readable certificate, or with a malformed proxy
 * variable; `getToken` rejects with a GraphError: `auth_failed` (permanent; the message carries
 * Entra's AADSTS code and a hint), `graph_network_error` or `graph_unavailable` (retryable).
 */
export function createTokenProvider(options: TokenProviderOptions): TokenProvider {
  if (options.certificatePath === undefined && options.clientSecret === undefined) {
    throw new InventoryError('config_invalid', 'a client secret or a client certificate path is required');
  }
  if (options.certificatePath !== undefined) {
    try {
      accessSync(options.certificatePath, constants.R_OK);
    } catch {
      throw new InventoryError(
        'config_invalid',
        `cannot read the client certificate ${options.certificatePath}`,
      );
    }
  }
  const authorityHost = new URL(options.authorityHost).origin;
  const scope = options.tokenScope;
  const dispatcher: FetchDispatcher = createProxyDispatcher();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const credentialOptions = {
    authorityHost,
    disableInstanceDiscovery: !MICROSOFT_AUTHORITIES.has(new URL(authorityHost).hostname),
  };
  const credentials = new Map<string, TokenCredential>();
  // identity answers from its cache without saying so: a token with an expiry this credential has
  // not returned before is a new one from Entra (a new credential's first is always new).
  const lastExpiry = new WeakMap<TokenCredential, number>();
  const inFlight = new Map<string, { forced: boolean; promise: Promise<string> }>();

  function newCredential(tenantId: string): TokenCredential {
    const credential =
      options.certificatePath !== undefined
        ? new ClientCertificateCredential(
            tenantId,
            options.clientId,
            { certificatePath: options.certificatePath },
            credentialOptions,
          )
        : new ClientSecretCredential(tenantId, options.clientId, options.clientSecret!, credentialOptions);
    credentials.set(tenantId, credential);
    return credential;
  }

  /**
   * identity reports an unknown tenant and an unreachable authority alike (endpoints cannot be
   * resolved); asking for the tenant's metadata tells them apart and yields Entra's own reason.
   */
  async function diagnoseMetadataFailure(tenantId: string): Promise<GraphError> {
    const url = `${authorityHost}/${tenantId}/v2.0/.well-known/openid-configuration`;
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS), dispatcher });
    } catch {
      return retryable('graph_network_error', `the authority ${authorityHost} is unreachable`);
    }
    const body = (await response.json().catch(() => ({}))) as {
      error?: unknown;
      error_description?: unknown;
    };
    if (response.status >= 500 || response.status === 429) {
      const reason =
        typeof body.error_description === 'string'
          ? entraReason(parseEntraAnswer(body.error_description))
          : `HTTP ${response.status}`;
      return retryable('graph_unavailable', `the authority ${authorityHost} is unavailable: ${reason}`);
    }
    const answer: EntraAnswer =
      typeof body.error_description === 'string'
        ? {
            ...parseEntraAnswer(body.error_description),
            oauthError: typeof body.error === 'string' ? body.error : 'error',
          }
        : { oauthError: 'error', code: null, description: `the authority answered HTTP ${response.status}` };
    return permanentGraphError('auth_failed', authFailureMessage(answer, entraRequest(tenantId)));
  }

  function entraRequest(tenantId: string) {
    return { tenantId, clientId: options.clientId, cloud: options.cloud, tokenScope: scope };
  }

  async function toGraphError(error: unknown, tenantId: string): Promise<GraphError> {
    if (error instanceof GraphError) return error;
    const name = error instanceof Error ? error.name : '';
    const message = error instanceof Error ? error.message : String(error);
    if (name === 'CredentialUnavailableError' && message.includes('endpoints_resolution_error')) {
      return diagnoseMetadataFailure(tenantId);
    }
    const answer = parseEntraAnswer(message);
    if (
      answer.oauthError === 'network_error' ||
      /ECONN|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|socket hang up/.test(message)
    ) {
      return retryable(
        'graph_network_error',
        `the authority ${authorityHost} could not be reached for tenant ${tenantId}`,
      );
    }
    if (TRANSIENT_OAUTH_ERRORS.has(answer.oauthError)) {
      return retryable(
        'graph_unavailable',
        `the authority is temporarily unavailable for tenant ${tenantId}: ${entraReason(answer)}`,
      );
    }
    return permanentGraphError('auth_failed', authFailureMessage(answer, entraRequest(tenantId)));
  }

  async function acquire(tenantId: string, forceRefresh: boolean): Promise<string> {
    const credential = (!forceRefresh && credentials.get(tenantId)) || newCredential(tenantId);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            retryable(
              'graph_network_error',
              `no answer from the authority within ${timeoutMs} ms for tenant ${tenantId}`,
            ),
          ),
        timeoutMs,
      );
    });
    try {
      const token = await Promise.race([credential.getToken(scope), timeout]);
      if (token === null) {
        throw permanentGraphError('auth_failed', `the authority returned no token for tenant ${tenantId}`);
      }
      if (lastExpiry.get(credential) !== token.expiresOnTimestamp) {
        lastExpiry.set(credential, token.expiresOnTimestamp);
        options.observer?.onTokenRequest('success');
      }
      return token.token;
    } catch (error) {
      options.observer?.onTokenRequest('failure');
      // A failed credential may hold half-resolved state; the next call starts from scratch.
      if (credentials.get(tenantId) === credential) credentials.delete(tenantId);
      throw await toGraphError(error, tenantId);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    getToken(tenantId, getOptions = {}) {
      if (!TENANT_ID.test(tenantId)) {
        return Promise.reject(
          permanentGraphError('auth_failed', 'the tenant id must be a GUID or a domain name'),
        );
      }
      const forced = getOptions.forceRefresh === true;
      const pending = inFlight.get(tenantId);
      // Join a request already under way, unless this caller needs a refresh and that one is not.
      if (pending !== undefined && (pending.forced || !forced)) return pending.promise;
      const promise = acquire(tenantId, forced).finally(() => {
        if (inFlight.get(tenantId)?.promise === promise) inFlight.delete(tenantId);
      });
      inFlight.set(tenantId, { forced, promise });
      return promise;
    },
  };
}
