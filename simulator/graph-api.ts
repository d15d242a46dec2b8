/**
 * The Graph side of the simulator: every dataset of simulator/data.ts under /beta (and the ones
 * Graph also has under /v1.0), with bearer-token validation that decides the tenant, `$select`
 * resolved against Graph's metadata, opaque `$skiptoken` paging at Graph's page sizes, Graph's
 * error shapes, the tenant's shape (no Intune, missing permissions or licences) and its injected
 * faults. Nothing here reads the policy type registry.
 */
import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { dataset, datasets, type DatasetName, type RawItem } from './data';
import { type PageFault, type TerminalFault } from './faults';
import { elementTypeOf, navigationProperties, selectableProperties } from './graph-metadata';
import { requestOrigin, sendJson, sendPaddedJson, sleep } from './http';
import { type SimulatorState, type TenantState } from './state';
import { tenantRefusal } from './tenant-refusals';
import { type TokenAuthority } from './tokens';

const DEFAULT_OVERSIZED_LENGTH = 100_000;

export interface GraphContext {
  state: SimulatorState;
  tokens: TokenAuthority;
  latencyMs: number;
  port: number;
  /** The Graph origin of the cloud played: the only `aud` accepted, wherever requests arrive. */
  audience: string;
}

interface PageToken {
  offset: number;
  page: number;
}

function graphError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  requestId: string,
  headers: Record<string, string> = {},
  inner: Record<string, string> = {},
): void {
  sendJson(
    res,
    status,
    {
      error: {
        code,
        message,
        innerError: {
          date: new Date().toISOString().replace(/\.\d+Z$/, ''),
          'request-id': requestId,
          'client-request-id': requestId,
          ...inner,
        },
      },
    },
    { 'request-id': requestId, ...headers },
  );
}

const STATUS_ERRORS: Record<number, readonly [string, string]> = {
  400: ['BadRequest', 'Invalid request.'],
  401: ['InvalidAuthenticationToken', 'Access token validation failure.'],
  403: [
    'Forbidden',
    'Application is not authorized to perform this operation. Application must have one of the following scopes: DeviceManagementConfiguration.Read.All, DeviceManagementConfiguration.ReadWrite.All',
  ],
  404: ['ResourceNotFound', 'Resource not found.'],
  429: ['TooManyRequests', 'Too many requests, please retry later.'],
  500: ['InternalServerError', 'An internal server error occurred.'],
  502: ['BadGateway', 'Bad gateway.'],
  503: ['ServiceUnavailable', 'The service is temporarily unavailable. Please retry after a delay.'],
  504: ['GatewayTimeout', 'The gateway timed out.'],
};

/** The dataset served at `collectionPath` under `version`; paths match case-insensitively, as in Graph. */
function findDataset(version: string, collectionPath: string): DatasetName | null {
  const wanted = collectionPath.toLowerCase();
  const found = datasets().find(([, d]) => d.collectionPath.toLowerCase() === wanted);
  if (found === undefined) return null;
  return version === 'beta' || (version === 'v1.0' && found[1].inV1) ? found[0] : null;
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

function encodeToken(token: PageToken): string {
  return Buffer.from(JSON.stringify({ o: token.offset, p: token.page }), 'utf8').toString('base64url');
}

function decodeToken(text: string | null): PageToken | null | 'invalid' {
  if (text === null) return null;
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as {
      o?: unknown;
      p?: unknown;
    };
    if (
      Number.isSafeInteger(parsed.o) &&
      Number.isSafeInteger(parsed.p) &&
      (parsed.o as number) >= 0 &&
      (parsed.p as number) >= 1
    ) {
      return { offset: parsed.o as number, page: parsed.p as number };
    }
  } catch {
    // fall through: an unreadable token is refused like a tampered one
  }
  return 'invalid';
}

/**
 * Resolves `$select` names, case-insensitively as Graph does, against what the collection's
 * element type and its bases declare in Graph's metadata (navigation properties included, as
 * OData allows); properties only derived types have are unknown, as in Graph
 * (msgraph-beta-sdk-dotnet#563). Returns the canonical names or the first unknown one.
 */
function resolveSelect(
  elementType: string,
  select: string | null,
): { fields: string[] | null } | { unknown: string } {
  if (select === null) return { fields: null };
  const known = [...selectableProperties(elementType), ...navigationProperties(elementType)];
  const fields: string[] = [];
  for (const raw of select
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)) {
    const canonical = known.find((k) => k.toLowerCase() === raw.toLowerCase());
    if (canonical === undefined) return { unknown: raw };
    fields.push(canonical);
  }
  return { fields };
}

function project(item: RawItem, fields: string[] | null): Record<string, unknown> {
  if (fields === null) return { ...item };
  const out: Record<string, unknown> = {};
  if (item['@odata.type'] !== undefined) out['@odata.type'] = item['@odata.type'];
  out.id = item.id;
  for (const field of fields) if (field in item) out[field] = item[field];
  return out;
}

function applyPageFaults(type: DatasetName, value: Record<string, unknown>[], faults: PageFault[]): void {
  const nameField = dataset(type).nameProperty;
  for (const fault of faults) {
    if (fault.kind === 'nulInNames') {
      for (const item of value) {
        const name = typeof item[nameField] === 'string' ? item[nameField] : '';
        item[nameField] = `\u0000${name}\u0000 (nul)`;
      }
    } else if (fault.kind === 'oversizedStrings') {
      const length = fault.length ?? DEFAULT_OVERSIZED_LENGTH;
      for (const item of value) {
        item[nameField] = 'Ω'.repeat(length);
        if ('description' in item) item.description = 'd'.repeat(length);
      }
    } else if (fault.kind === 'itemsWithoutId') {
      for (let i = 0; i < fault.n; i++) {
        // Graph has been seen to return both shapes: no id member, and an empty or null id.
        const variants: Array<Record<string, unknown>> = [{}, { id: '' }, { id: null }];
        value.push({ ...variants[i % variants.length], [nameField]: `item without id ${i + 1}` });
      }
    }
  }
}

function answerTerminal(
  req: IncomingMessage,
  res: ServerResponse,
  fault: TerminalFault,
  requestId: string,
): string {
  switch (fault.kind) {
    case 'reset':
      req.socket.destroy();
      return 'reset';
    case 'hang':
      return 'hang';
    case 'malformedJson': {
      const body =
        '{"@odata.context":"https://graph.microsoft.com/beta/$metadata#deviceManagement","value":[{"id":"';
      res.writeHead(200, { 'content-type': 'application/json', 'request-id': requestId });
      res.end(body);
      return '200';
    }
    case 'echoAuthorization': {
      const authorization = req.headers.authorization ?? '';
      const [code] = STATUS_ERRORS[fault.status] ?? ['BadRequest'];
      graphError(
        res,
        fault.status,
        code,
        `Request rejected. Received headers: Authorization: ${authorization}; client-request-id: ${requestId}`,
        requestId,
        {},
        { authorization },
      );
      return String(fault.status);
    }
    case 'status': {
      const [code, message] = STATUS_ERRORS[fault.status] ?? ['UnknownError', 'Error.'];
      graphError(
        res,
        fault.status,
        code,
        fault.message ?? message,
        requestId,
        fault.retryAfter === null ? {} : { 'retry-after': fault.retryAfter },
      );
      return String(fault.status);
    }
  }
}

interface PageRequest {
  items: readonly RawItem[];
  size: number;
  page: PageToken;
  fields: string[] | null;
  faults: PageFault[];
  type: DatasetName;
  version: string;
  origin: string;
  selectText: string | null;
  /** Where a foreignNextLink fault without its own origin points: this server under another name. */
  foreignOrigin: string;
}

/** One page of the collection as Graph serializes it, with the page faults applied. */
function buildPage(request: PageRequest): Record<string, unknown> {
  const { items, size, page, type, version, origin, selectText } = request;
  const value = items.slice(page.offset, page.offset + size).map((item) => project(item, request.fields));
  applyPageFaults(type, value, request.faults);
  const collectionPath = dataset(type).collectionPath;
  const link = (target: PageToken, linkOrigin = origin) =>
    `${linkOrigin}/${version}${collectionPath}?` +
    (selectText === null ? '' : `$select=${encodeURIComponent(selectText)}&`) +
    `$skiptoken=${encodeToken(target)}`;
  const next = { offset: page.offset + size, page: page.page + 1 };
  let nextLink: string | null = next.offset < items.length ? link(next) : null;
  for (const fault of request.faults) {
    if (fault.kind === 'nextLinkLoop') {
      nextLink = link({ offset: Math.max(0, page.offset - size), page: Math.max(1, page.page - 1) });
    } else if (fault.kind === 'foreignNextLink') {
      nextLink = link(next, new URL(fault.origin ?? request.foreignOrigin).origin);
    }
  }
  return {
    '@odata.context': `${origin}/${version}/$metadata#${collectionPath.slice(1)}${selectText === null ? '' : `(${selectText})`}`,
    ...(nextLink !== null && { '@odata.nextLink': nextLink }),
    value,
  };
}

export async function handleGraph(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  ctx: GraphContext,
): Promise<void> {
  const requestId = randomUUID();
  const [, version = '', ...rest] = url.pathname.split('/');
  const collectionPath = `/${rest.join('/')}`;
  const auth = authenticate(req, ctx);
  if (!auth.ok) {
    ctx.state.recordGraph(auth.tenantId, null, '401');
    return graphError(res, 401, 'InvalidAuthenticationToken', auth.message, requestId, {
      'www-authenticate': `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
    });
  }
  const tenant = auth.tenant;
  const type = req.method === 'GET' ? findDataset(version, collectionPath) : null;
  if (type === null) {
    ctx.state.recordGraph(tenant.tenantId, null, '400');
    const segment = rest.at(-1) ?? version;
    return graphError(res, 400, 'BadRequest', `Resource not found for the segment '${segment}'.`, requestId);
  }
  const refusal = tenantRefusal(tenant, type, requestId);
  if (refusal !== null) {
    ctx.state.recordGraph(tenant.tenantId, type, String(refusal.status));
    return graphError(res, refusal.status, refusal.code, refusal.message, requestId);
  }
  const token = decodeToken(url.searchParams.get('$skiptoken'));
  if (token === 'invalid') {
    ctx.state.recordGraph(tenant.tenantId, type, '400');
    return graphError(res, 400, 'BadRequest', 'The $skiptoken value is not valid.', requestId);
  }
  const page = token ?? { offset: 0, page: 1 };
  const faults = tenant.faults.evaluate(
    { endpoint: 'graph', type, page: page.page, select: url.searchParams.has('$select') },
    Date.now(),
  );
  await sleep(ctx.latencyMs + faults.latencyMs);
  if (faults.terminal !== null) {
    ctx.state.recordGraph(tenant.tenantId, type, answerTerminal(req, res, faults.terminal, requestId));
    return;
  }
  const elementType = elementTypeOf(dataset(type).collectionPath);
  const select = resolveSelect(elementType, url.searchParams.get('$select'));
  if ('unknown' in select) {
    ctx.state.recordGraph(tenant.tenantId, type, '400');
    // Graph's exact wording: msgraph-beta-sdk-dotnet#563, microsoft-graph-docs#9988.
    return graphError(
      res,
      400,
      'BadRequest',
      `Parsing OData Select and Expand failed: Could not find a property named '${select.unknown}' on type 'microsoft.graph.${elementType}'.`,
      requestId,
    );
  }
  const body = buildPage({
    items: ctx.state.items(tenant.tenantId, type),
    size: ctx.state.pageSize(tenant, type),
    page,
    fields: select.fields,
    faults: faults.pageFaults,
    type,
    version,
    origin: requestOrigin(req),
    selectText: url.searchParams.get('$select'),
    foreignOrigin: `https://127.0.0.1:${ctx.port}`,
  });
  ctx.state.recordGraph(tenant.tenantId, type, '200');
  const headers = {
    'content-type':
      'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8',
    'request-id': requestId,
    'client-request-id': String(req.headers['client-request-id'] ?? requestId),
  };
  const padding = faults.pageFaults.find((fault) => fault.kind === 'padPage');
  if (padding) return sendPaddedJson(res, body, headers, padding.bytes);
  sendJson(res, 200, body, headers);
}
