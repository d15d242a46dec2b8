/**
 * The Entra-like authority: the two endpoints @azure/identity (MSAL) calls for the
 * client-credentials grant once instance discovery is disabled — the tenant's OpenID metadata
 * and its token endpoint — answering with Entra's shapes, AADSTS codes and statuses, so client
 * code meets the same successes and failures it would in production.
 *
 * It plays the authority of one national cloud (SimulatorOptions.cloud) and, like Entra, issues
 * client-credentials tokens only for a Graph audience (the four clouds' Graph origins,
 * https://learn.microsoft.com/graph/deployments), with `aud` = that origin. Entra's answers to the
 * failures a sync meets, as reported from the field (the issue named after each code):
 * - AADSTS90002 unknown tenant, 400 invalid_request;
 * - AADSTS900382 tenant of another cloud, 400 invalid_request "Confidential Client is not supported
 *   in Cross Cloud request." (webprofusion/certify#553, Azure/ms-rest-nodeauth#110);
 * - AADSTS700016 app not in the tenant's directory (not consented), 400 unauthorized_client;
 * - AADSTS7000112 app disabled in the tenant, unauthorized_client (Worklytics/psoxy#74);
 * - AADSTS7000215 wrong secret, 401 invalid_client;
 * - AADSTS7000222 expired secret, 401 invalid_client (liprec/vsts-release-aas#119);
 * - AADSTS1002012 a scope without `/.default`, 400 invalid_scope (databricks/databricks-sql-nodejs#226);
 * - AADSTS500011 `<resource>/.default` for a resource that is not there, 400 invalid_resource
 *   (rootinc/laravel-azure-middleware#51, microsoft/store-submission#18). The issue text expected
 *   `invalid_scope` for a foreign audience; Entra's answer to a well-formed `/.default` scope of an
 *   unknown resource is this one, so the simulator gives it.
 */
import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { GRAPH_CLOUDS, type GraphCloud } from '../graph/clouds';
import { type TerminalFault } from './faults';
import { readBody, requestOrigin, sendJson, sleep } from './http';
import { type SimulatorState } from './state';
import { verifyClientAssertion, type TokenAuthority } from './tokens';

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const MAX_FORM_BYTES = 64 * 1024;

export interface AuthorityContext {
  /** The cloud whose authority this is. */
  cloud: GraphCloud;
  state: SimulatorState;
  tokens: TokenAuthority;
  tokenLifetimeSeconds: number;
}

function entraError(
  res: ServerResponse,
  status: number,
  error: string,
  code: number,
  description: string,
): void {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  sendJson(res, status, {
    error,
    error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
  });
}

function unknownTenant(res: ServerResponse, tenantId: string): void {
  entraError(
    res,
    400,
    'invalid_request',
    90002,
    `Tenant '${tenantId}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
  );
}

/** OpenID metadata fields that tell a tenant's cloud (what tools read to find it). */
const CLOUD_INSTANCE: Record<GraphCloud, { instance: string; region: string }> = {
  global: { instance: 'microsoftonline.com', region: 'EU' },
  usgov: { instance: 'microsoftonline.us', region: 'USGov' },
  'usgov-dod': { instance: 'microsoftonline.us', region: 'USGov' },
  china: { instance: 'partner.microsoftonline.cn', region: 'AS' },
};

/** The audiences Entra issues client-credentials tokens for here: the Graph of each cloud. */
const GRAPH_AUDIENCES: ReadonlySet<string> = new Set(Object.values(GRAPH_CLOUDS).map((c) => c.graphOrigin));

const DEFAULT_SUFFIX = '/.default';

export function openIdConfiguration(
  req: IncomingMessage,
  res: ServerResponse,
  tenantId: string,
  ctx: AuthorityContext,
): void {
  const tenant = ctx.state.tenants.get(tenantId);
  if (tenant === undefined) return unknownTenant(res, tenantId);
  const cloud = tenant.cloud ?? ctx.cloud;
  const base = `${requestOrigin(req)}/${tenantId}`;
  sendJson(res, 200, {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${base}/v2.0`,
    request_uri_parameter_supported: false,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    tenant_region_scope: CLOUD_INSTANCE[cloud].region,
    cloud_instance_name: CLOUD_INSTANCE[cloud].instance,
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: new URL(GRAPH_CLOUDS[cloud].graphOrigin).host,
  });
}

/** Applies a token-endpoint fault; returns the recorded outcome, or null when the fault does not apply here. */
function answerFault(req: IncomingMessage, res: ServerResponse, fault: TerminalFault): string | null {
  switch (fault.kind) {
    case 'reset':
      req.socket.destroy();
      return 'reset';
    case 'hang':
      return 'hang';
    case 'status':
      entraError(
        res,
        fault.status,
        'temporarily_unavailable',
        90033,
        'A transient error has occurred. Please try again.',
      );
      return String(fault.status);
    default:
      return null;
  }
}

export async function issueToken(
  req: IncomingMessage,
  res: ServerResponse,
  tenantId: string,
  ctx: AuthorityContext,
): Promise<void> {
  const form = new URLSearchParams(await readBody(req, MAX_FORM_BYTES));
  const scope = form.get('scope');
  const tenant = ctx.state.tenants.get(tenantId);
  if (tenant === undefined) {
    ctx.state.recordToken(tenantId, '400', scope);
    return unknownTenant(res, tenantId);
  }
  const fault = tenant.faults.evaluate({ endpoint: 'token' }, Date.now());
  await sleep(fault.latencyMs);
  const faulted = fault.terminal === null ? null : answerFault(req, res, fault.terminal);
  ctx.state.recordToken(tenantId, faulted ?? String(answerToken(req, res, tenantId, form, ctx)), scope);
}

/**
 * The Graph origin a client-credentials `scope` asks for, or Entra's refusal: every resource scope
 * must be `<resource>/.default`, and the resource must be a Graph.
 */
function requestedAudience(
  scope: string | null,
  tenantId: string,
): { audience: string } | { status: number; error: string; code: number; description: string } {
  const values = (scope ?? '').split(' ').filter((value) => value.length > 0);
  if (values.length === 0) {
    return {
      status: 400,
      error: 'invalid_request',
      code: 900144,
      description: "The request body must contain the following parameter: 'scope'.",
    };
  }
  const plain = values.find((value) => !value.endsWith(DEFAULT_SUFFIX));
  if (plain !== undefined) {
    return {
      status: 400,
      error: 'invalid_scope',
      code: 1002012,
      description: `The provided value for scope ${plain} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    };
  }
  const resource = values[0]!.slice(0, -DEFAULT_SUFFIX.length);
  if (!GRAPH_AUDIENCES.has(resource)) {
    return {
      status: 400,
      error: 'invalid_resource',
      code: 500011,
      description: `The resource principal named ${resource} was not found in the tenant named ${tenantId}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    };
  }
  return { audience: resource };
}

/** Validates the client-credentials request, answers it and returns the HTTP status sent. */
function answerToken(
  req: IncomingMessage,
  res: ServerResponse,
  tenantId: string,
  form: URLSearchParams,
  ctx: AuthorityContext,
): number {
  const tenant = ctx.state.tenant(tenantId);
  if (form.get('grant_type') !== 'client_credentials') {
    entraError(res, 400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
    return 400;
  }
  if (tenant.cloud !== null && tenant.cloud !== ctx.cloud) {
    entraError(
      res,
      400,
      'invalid_request',
      900382,
      'Confidential Client is not supported in Cross Cloud request.',
    );
    return 400;
  }
  const clientId = form.get('client_id') ?? '';
  const client = ctx.state.clients.get(clientId);
  if (client === undefined || (tenant.consentedClients !== null && !tenant.consentedClients.has(clientId))) {
    entraError(
      res,
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
    );
    return 400;
  }
  if (tenant.disabledClients.has(clientId)) {
    entraError(
      res,
      400,
      'unauthorized_client',
      7000112,
      `Application '${clientId}'(Inventory Sync) is disabled.`,
    );
    return 400;
  }
  const secret = form.get('client_secret');
  const assertion = form.get('client_assertion');
  if (assertion !== null) {
    if (form.get('client_assertion_type') !== ASSERTION_TYPE) {
      entraError(res, 400, 'invalid_request', 900023, 'Specified client_assertion_type is not supported.');
      return 400;
    }
    const check = verifyClientAssertion(assertion, {
      clientId,
      tokenEndpoint: `${requestOrigin(req)}/${tenantId}/oauth2/v2.0/token`,
      certificates: client.certificates,
      now: Date.now(),
    });
    if (!check.ok) {
      entraError(
        res,
        401,
        'invalid_client',
        700027,
        `Client assertion failed signature validation: ${check.reason}.`,
      );
      return 401;
    }
  } else if (secret === null || client.clientSecret === null || secret !== client.clientSecret) {
    entraError(
      res,
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
    );
    return 401;
  } else if (client.clientSecretExpired) {
    entraError(
      res,
      401,
      'invalid_client',
      7000222,
      `The provided client secret keys for app '${clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
    );
    return 401;
  }
  const requested = requestedAudience(form.get('scope'), tenantId);
  if (!('audience' in requested)) {
    entraError(res, requested.status, requested.error, requested.code, requested.description);
    return requested.status;
  }
  const audience = requested.audience;
  tenant.tokenSerial += 1;
  const iat = Math.floor(Date.now() / 1_000);
  const accessToken = ctx.tokens.issue({
    aud: audience,
    iat,
    exp: iat + ctx.tokenLifetimeSeconds,
    tid: tenantId,
    appid: clientId,
    appidacr: assertion !== null ? '2' : '1',
    uti: `${tenant.tokenSerial}.${randomUUID()}`,
  });
  sendJson(res, 200, {
    token_type: 'Bearer',
    expires_in: ctx.tokenLifetimeSeconds,
    ext_expires_in: ctx.tokenLifetimeSeconds,
    access_token: accessToken,
  });
  return 200;
}
