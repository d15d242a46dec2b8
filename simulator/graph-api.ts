/**
 * The Graph side of the simulator: bearer-token validation that decides the tenant, then either a
 * JSON batch (graph-batch.ts) or one request (graph-request.ts: every dataset of simulator/data.ts
 * under /beta, and the ones Graph also has under /v1.0, items' assignments, Entra groups), written
 * as Graph writes it. Nothing here reads the policy type registry.
 */
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { errorAnswer, writeAnswer } from './graph-answer';
import { handleBatch } from './graph-batch';
import { serveGraphRequest } from './graph-request';
import { requestOrigin } from './http';
import { type SimulatorState, type TenantState } from './state';
import { type TokenAuthority } from './tokens';

export interface GraphContext {
  state: SimulatorState;
  tokens: TokenAuthority;
  latencyMs: number;
  port: number;
  /** The Graph origin of the cloud played: the only `aud` accepted, wherever requests arrive. */
  audience: string;
}

/** Result of checking the bearer token: the tenant, or why the request is refused. */
type Authentication =
  { ok: true; tenant: TenantState } | { ok: false; tenantId: string | null; message: string };

function authenticate(req: IncomingMessage, ctx: GraphContext): Authentication {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (match === null) return { ok: false, tenantId: null, message: 'Access token is empty.' };
  const claims = ctx.tokens.verify(match[1]!);
  if (claims === null) {
    return {
      ok: false,
      tenantId: null,
      message: 'IDX14100: JWT is not well formed or its signature is invalid.',
    };
  }
  const tenant = ctx.state.tenants.get(claims.tid);
  if (tenant === undefined)
    return { ok: false, tenantId: claims.tid, message: 'Access token validation failure. Invalid tenant.' };
  if (claims.exp * 1_000 <= Date.now()) {
    return { ok: false, tenantId: claims.tid, message: 'Lifetime validation failed, the token is expired.' };
  }
  if (claims.aud !== ctx.audience) {
    return { ok: false, tenantId: claims.tid, message: 'Access token validation failure. Invalid audience.' };
  }
  const serial = Number(claims.uti.split('.')[0]);
  if (!(serial > tenant.revokedThroughSerial)) {
    return {
      ok: false,
      tenantId: claims.tid,
      message:
        'Continuous access evaluation resulted in challenge with result: InteractionRequired and code: TokenIssuedBeforeRevocationTimestamp',
    };
  }
  return { ok: true, tenant };
}

/** Serves one HTTP request under /v1.0 or /beta. */
export async function handleGraph(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  ctx: GraphContext,
): Promise<void> {
  const [, version = ''] = url.pathname.split('/');
  const batch = req.method === 'POST' && url.pathname === `/${version}/$batch`;
  const auth = authenticate(req, ctx);
  if (!auth.ok) {
    if (batch) ctx.state.recordBatch(auth.tenantId);
    else ctx.state.recordGraph(auth.tenantId, null, '401');
    const answer = errorAnswer(401, 'InvalidAuthenticationToken', auth.message, randomUUID(), {
      'WWW-Authenticate': `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
    });
    return writeAnswer(req, res, answer);
  }
  const clientRequestId = req.headers['client-request-id'];
  const base = {
    version,
    origin: requestOrigin(req),
    authorization: req.headers.authorization ?? '',
    clientRequestId: typeof clientRequestId === 'string' ? clientRequestId : null,
    latencyMs: ctx.latencyMs,
    foreignOrigin: `https://127.0.0.1:${ctx.port}`,
  };
  if (batch) return handleBatch(req, res, ctx.state, auth.tenant, base);
  const answer = await serveGraphRequest(ctx.state, auth.tenant, {
    ...base,
    method: req.method ?? 'GET',
    url,
    batched: false,
  });
  await writeAnswer(req, res, answer);
}
