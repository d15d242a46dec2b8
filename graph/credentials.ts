/**
 * App-only access tokens for Microsoft Graph, one credential per tenant: the MSP pattern of one
 * multi-tenant app registration consented in every customer tenant. @azure/identity caches each
 * credential's token in memory and renews it before expiry; this module adds what the sync
 * engine needs on top: a forced refresh after a 401 (a fresh credential, whose cache is empty),
 * one in-flight token request per tenant however many pages ask at once, a timeout, and failures
 * mapped to GraphErrors whose messages carry no secret, assertion or token.
 */
import { accessSync, constants } from 'node:fs';
import { ClientCertificateCredential, ClientSecretCredential, type TokenCredential } from '@azure/identity';
import { InventoryError } from '../inventory/error-codes';
import { GraphError, permanentGraphError } from './errors';
import { backoffDelayMs } from './retry-decision';

export interface TokenProviderOptions {
  clientId: string;
  clientSecret?: string;
  /** PEM file holding the certificate and its private key; takes precedence over the secret. */
  certificatePath?: string;
  /** Origin of the authority, e.g. https://login.microsoftonline.com. */
  authorityHost: string;
  /** Origin of Graph; the token scope is `${graphBaseUrl}/.default`. */
  graphBaseUrl: string;
  /** Upper bound for obtaining one token (default 30 s). */
  timeoutMs?: number;
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

/** The readable part of an identity/MSAL message: the OAuth error and the AADSTS description. */
function describeAuthorityError(message: string): { oauthError: string; description: string } {
  const oauthError = /^([a-z_]+):/.exec(message)?.[1] ?? 'error';
  const aadsts = /AADSTS\d+:.*?(?= Trace ID:|$)/.exec(message)?.[0];
  return { oauthError, description: aadsts ?? message };
}

/**
 * Tokens by the client-credentials grant, scope `<Graph origin>/.default`
 * (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow). Throws
 * `config_invalid` at once without a secret or a readable certificate; `getToken` rejects with a
 * GraphError: `auth_failed` (permanent), `graph_network_error` or `graph_unavailable` (retryable).
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
  const scope = `${new URL(options.graphBaseUrl).origin}/.default`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const credentialOptions = {
    authorityHost,
    disableInstanceDiscovery: !MICROSOFT_AUTHORITIES.has(new URL(authorityHost).hostname),
  };
  const credentials = new Map<string, TokenCredential>();
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
      response = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    } catch {
      return retryable('graph_network_error', `the authority ${authorityHost} is unreachable`);
    }
    const body = (await response.json().catch(() => ({}))) as { error_description?: unknown };
    const reason =
      typeof body.error_description === 'string'
        ? describeAuthorityError(body.error_description).description
        : `HTTP ${response.status}`;
    if (response.status >= 500 || response.status === 429) {
      return retryable('graph_unavailable', `the authority ${authorityHost} is unavailable: ${reason}`);
    }
    return permanentGraphError('auth_failed', `the authority refused tenant ${tenantId}: ${reason}`);
  }

  async function toGraphError(error: unknown, tenantId: string): Promise<GraphError> {
    if (error instanceof GraphError) return error;
    const name = error instanceof Error ? error.name : '';
    const message = error instanceof Error ? error.message : String(error);
    if (name === 'CredentialUnavailableError' && message.includes('endpoints_resolution_error')) {
      return diagnoseMetadataFailure(tenantId);
    }
    const { oauthError, description } = describeAuthorityError(message);
    if (
      oauthError === 'network_error' ||
      /ECONN|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|socket hang up/.test(message)
    ) {
      return retryable(
        'graph_network_error',
        `the authority ${authorityHost} could not be reached for tenant ${tenantId}`,
      );
    }
    if (TRANSIENT_OAUTH_ERRORS.has(oauthError)) {
      return retryable(
        'graph_unavailable',
        `the authority is temporarily unavailable for tenant ${tenantId}: ${description}`,
      );
    }
    return permanentGraphError(
      'auth_failed',
      `no token for tenant ${tenantId}: ${oauthError} ${description}`,
    );
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
      return token.token;
    } catch (error) {
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
