/**
 * One authenticated Graph GET, direct or inside a JSON batch, decided as a GraphAnswer: a page of a
 * dataset's collection (with `$select`, `$expand=assignments` and `$skiptoken`), one item's
 * `/assignments`, or an Entra group. Every request goes through the tenant's refusals and its
 * fault rules and counts once in the statistics, whichever way it came. Nothing here reads the
 * policy type registry: what is served comes from the datasets and Graph's metadata.
 */
import { randomUUID } from 'node:crypto';
import { assignmentForVersion } from './assignments';
import { dataset, datasets, type DatasetName, type RawItem } from './data';
import { type PageFault } from './faults';
import {
  errorAnswer,
  okAnswer,
  outcomeOf,
  terminalAnswer,
  type GraphAnswer,
  type GraphRequest,
} from './graph-answer';
import { serveGroups } from './graph-groups';
import { elementTypeOf } from './graph-metadata';
import {
  decodeToken,
  encodeToken,
  project,
  resolveExpand,
  resolveSelect,
  type PageToken,
} from './graph-query';
import { sleep } from './http';
import { type SimulatorState, type TenantState } from './state';
import { intuneMessage, tenantRefusal } from './tenant-refusals';

const DEFAULT_OVERSIZED_LENGTH = 100_000;

const BY_PATH = new Map(datasets().map(([name, d]) => [d.collectionPath.toLowerCase(), name]));

type Route =
  | { kind: 'collection'; type: DatasetName }
  | { kind: 'assignments'; type: DatasetName; itemId: string }
  | { kind: 'groups'; groupId: string | null }
  | { kind: 'unknown'; segment: string };

function servedIn(version: string, name: DatasetName): boolean {
  return version === 'beta' || (version === 'v1.0' && dataset(name).inV1);
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** What the path below the version names; paths match case-insensitively, as in Graph. */
function route(method: string, version: string, pathname: string): Route {
  const segments = pathname.split('/').slice(2);
  const last = decode(segments.at(-1) ?? version);
  if (method !== 'GET') return { kind: 'unknown', segment: last };
  const collection = BY_PATH.get(`/${segments.join('/')}`.toLowerCase());
  if (collection !== undefined) {
    return servedIn(version, collection)
      ? { kind: 'collection', type: collection }
      : { kind: 'unknown', segment: last };
  }
  if (segments[0]?.toLowerCase() === 'groups' && segments.length <= 2) {
    return { kind: 'groups', groupId: segments.length === 2 ? decode(segments[1]!) : null };
  }
  if (segments.length >= 3 && last.toLowerCase() === 'assignments')
    return assignmentsRoute(version, segments.slice(0, -1));
  return { kind: 'unknown', segment: last };
}

/** `/{collection}/{id}` or `/{collection}('{id}')` (OData key syntax, as Intune's own URLs use it). */
function assignmentsRoute(version: string, segments: string[]): Route {
  let collectionPath = `/${segments.slice(0, -1).join('/')}`;
  let itemId = decode(segments.at(-1)!);
  const keyed = /^(.+)\('(.*)'\)$/.exec(itemId);
  if (keyed !== null) {
    collectionPath = `/${[...segments.slice(0, -1), keyed[1]!].join('/')}`;
    itemId = keyed[2]!;
  }
  const type = BY_PATH.get(collectionPath.toLowerCase());
  if (type === undefined || !servedIn(version, type))
    return { kind: 'unknown', segment: collectionPath.split('/').at(-1)! };
  // A collection whose element type has no `assignments`: Graph's unknown segment.
  if (dataset(type).assignments === undefined) return { kind: 'unknown', segment: 'assignments' };
  return { kind: 'assignments', type, itemId };
}

/**
 * Decides the answer to `request` for `tenant` and records it in the statistics. Fault rules are
 * evaluated before the first await, so the sub-requests of a batch meet them in request order.
 */
export async function serveGraphRequest(
  state: SimulatorState,
  tenant: TenantState,
  request: GraphRequest,
): Promise<GraphAnswer> {
  const requestId = randomUUID();
  const target = route(request.method, request.version, request.url.pathname);
  let type: DatasetName | null = null;
  let answer: Promise<GraphAnswer>;
  switch (target.kind) {
    case 'unknown':
      answer = Promise.resolve(
        errorAnswer(400, 'BadRequest', `Resource not found for the segment '${target.segment}'.`, requestId),
      );
      break;
    case 'collection':
      type = target.type;
      answer = servePage(state, tenant, request, target.type, requestId);
      break;
    case 'assignments':
      type = target.type;
      answer = serveAssignments(state, tenant, request, target.type, target.itemId, requestId);
      break;
    case 'groups':
      answer = serveGroups(tenant, request, target.groupId, requestId);
      break;
  }
  const decided = await answer;
  state.recordGraph(tenant.tenantId, type, outcomeOf(decided), request.batched);
  return decided;
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

async function servePage(
  state: SimulatorState,
  tenant: TenantState,
  request: GraphRequest,
  type: DatasetName,
  requestId: string,
): Promise<GraphAnswer> {
  const refusal = tenantRefusal(tenant, type, requestId);
  if (refusal !== null) return errorAnswer(refusal.status, refusal.code, refusal.message, requestId);
  const params = request.url.searchParams;
  const token = decodeToken(params.get('$skiptoken'));
  if (token === 'invalid')
    return errorAnswer(400, 'BadRequest', 'The $skiptoken value is not valid.', requestId);
  const page = token ?? { offset: 0, page: 1 };
  const faults = tenant.faults.evaluate(
    { endpoint: 'graph', type, page: page.page, select: params.has('$select'), batched: request.batched },
    Date.now(),
  );
  await sleep(request.latencyMs + faults.latencyMs);
  if (faults.terminal !== null) return terminalAnswer(faults.terminal, request.authorization, requestId);
  const { collectionPath, assignments: facts } = dataset(type);
  const elementType = elementTypeOf(collectionPath);
  const select = resolveSelect(elementType, params.get('$select'));
  if ('error' in select) return errorAnswer(400, 'BadRequest', select.error, requestId);
  const expand = resolveExpand(elementType, params.get('$expand'));
  if ('error' in expand) return errorAnswer(400, 'BadRequest', expand.error, requestId);
  // Which collections answer `$expand=assignments`, and how, is the dataset's fact; elsewhere the
  // expand is accepted and ignored.
  const expanded = expand.names.includes('assignments') ? (facts?.expand ?? null) : null;
  const size = state.pageSize(tenant, type);
  const items = state.items(tenant.tenantId, type);
  const value = items.slice(page.offset, page.offset + size).map((item) => {
    const out = project(item, select.fields);
    // Intune derives `isAssigned` from the item's assignments: keep the two in step.
    if ('isAssigned' in out && facts) out.isAssigned = state.assignmentsOf(tenant, type, item).length > 0;
    if (expanded === 'served')
      out.assignments = state
        .assignmentsOf(tenant, type, item)
        .map((assignment) => assignmentForVersion(facts!.entityType, request.version, assignment));
    else if (expanded === 'empty') out.assignments = [];
    return out;
  });
  applyPageFaults(type, value, faults.pageFaults);
  const body = pageBody(request, type, page, size, items.length, faults.pageFaults, expanded !== null, value);
  const answer = okAnswer(body, requestId, request.clientRequestId ?? requestId);
  const padding = faults.pageFaults.find((fault) => fault.kind === 'padPage');
  // A padded page inside a batch would have to be held whole: only direct requests are padded.
  if (padding !== undefined && !request.batched && answer.kind === 'json') answer.padBytes = padding.bytes;
  return answer;
}

/** A page as Graph serializes it: context, nextLink (repeating `$select` and `$expand`), value. */
function pageBody(
  request: GraphRequest,
  type: DatasetName,
  page: PageToken,
  size: number,
  total: number,
  faults: PageFault[],
  expanded: boolean,
  value: Record<string, unknown>[],
): Record<string, unknown> {
  const { version, origin } = request;
  const selectText = request.url.searchParams.get('$select');
  const expandText = request.url.searchParams.get('$expand');
  const collectionPath = dataset(type).collectionPath;
  const query =
    (selectText === null ? '' : `$select=${encodeURIComponent(selectText)}&`) +
    (expandText === null ? '' : `$expand=${encodeURIComponent(expandText)}&`);
  const link = (target: PageToken, linkOrigin = origin) =>
    `${linkOrigin}/${version}${collectionPath}?${query}$skiptoken=${encodeToken(target)}`;
  const next = { offset: page.offset + size, page: page.page + 1 };
  let nextLink: string | null = next.offset < total ? link(next) : null;
  for (const fault of faults) {
    if (fault.kind === 'nextLinkLoop') {
      nextLink = link({ offset: Math.max(0, page.offset - size), page: Math.max(1, page.page - 1) });
    } else if (fault.kind === 'foreignNextLink') {
      nextLink = link(next, new URL(fault.origin ?? request.foreignOrigin).origin);
    }
  }
  const shape = [...(selectText === null ? [] : [selectText]), ...(expanded ? ['assignments()'] : [])];
  return {
    '@odata.context': `${origin}/${version}/$metadata#${collectionPath.slice(1)}${shape.length === 0 ? '' : `(${shape.join(',')})`}`,
    ...(nextLink !== null && { '@odata.nextLink': nextLink }),
    value,
  };
}

async function serveAssignments(
  state: SimulatorState,
  tenant: TenantState,
  request: GraphRequest,
  type: DatasetName,
  itemId: string,
  requestId: string,
): Promise<GraphAnswer> {
  const refusal = tenantRefusal(tenant, type, requestId);
  if (refusal !== null) return errorAnswer(refusal.status, refusal.code, refusal.message, requestId);
  const params = request.url.searchParams;
  const faults = tenant.faults.evaluate(
    { endpoint: 'graph', type, select: params.has('$select'), batched: request.batched, itemId },
    Date.now(),
  );
  await sleep(request.latencyMs + faults.latencyMs);
  if (faults.terminal !== null) return terminalAnswer(faults.terminal, request.authorization, requestId);
  const { collectionPath, assignments: facts, service } = dataset(type);
  const select = resolveSelect(facts!.entityType, params.get('$select'));
  if ('error' in select) return errorAnswer(400, 'BadRequest', select.error, requestId);
  const path = `${collectionPath}('${itemId}')/assignments`;
  const item: RawItem | null = state.findItem(tenant, type, itemId);
  if (item === null) {
    // Intune's 404 for an id it does not know carries its error document (ThomasKur/
    // IntuneDocumentation#39, nicolonsky/ModernWorkplaceConcierge#73; Microsoft365DSC#3970 for
    // a deleted configuration's /assignments). Windows 365's wording is not public.
    const message =
      service === 'intune'
        ? intuneMessage('An error has occurred', type, requestId, path)
        : 'Resource not found.';
    return errorAnswer(404, 'ResourceNotFound', message, requestId);
  }
  const value = state
    .assignmentsOf(tenant, type, item)
    .map((assignment) =>
      project(assignmentForVersion(facts!.entityType, request.version, assignment), select.fields),
    );
  return okAnswer(
    { '@odata.context': `${request.origin}/${request.version}/$metadata#${path.slice(1)}`, value },
    requestId,
    request.clientRequestId ?? requestId,
  );
}
