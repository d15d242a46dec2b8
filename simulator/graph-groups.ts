/**
 * Entra groups under /v1.0 and /beta: `GET /groups/{id}` (what resolving an assignment's group
 * name needs) and `GET /groups` (an onboarding probe, `$top=1&$select=id`), with `$select`
 * checked against Graph's `group` type and Entra's own refusals.
 */
import { errorAnswer, okAnswer, terminalAnswer, type GraphAnswer, type GraphRequest } from './graph-answer';
import { decodeToken, encodeToken, project, resolveSelect } from './graph-query';
import { sleep } from './http';
import { type TenantState } from './state';

const DEFAULT_TOP = 100;
const MAX_TOP = 999;

/**
 * The answer to `/groups/{groupId}` (null: the list) for `tenant`. Refusals are Entra's: 403
 * Authorization_RequestDenied without a permission to read groups, 404 Request_ResourceNotFound
 * for an id the directory does not hold.
 */
export async function serveGroups(
  tenant: TenantState,
  request: GraphRequest,
  groupId: string | null,
  requestId: string,
): Promise<GraphAnswer> {
  if (!tenant.groupsReadable) {
    // Entra's directory 403 for an app without Group.Read.All / GroupMember.Read.All
    // (microsoftgraph/microsoft-graph-docs-contrib#6748, Azure-Samples/ms-identity-python-daemon#8).
    return errorAnswer(
      403,
      'Authorization_RequestDenied',
      'Insufficient privileges to complete the operation.',
      requestId,
    );
  }
  const params = request.url.searchParams;
  const faults = tenant.faults.evaluate(
    { endpoint: 'graph', select: params.has('$select'), batched: request.batched },
    Date.now(),
  );
  await sleep(request.latencyMs + faults.latencyMs);
  if (faults.terminal !== null) return terminalAnswer(faults.terminal, request.authorization, requestId);
  const selectText = params.get('$select');
  const select = resolveSelect('group', selectText);
  if ('error' in select) return errorAnswer(400, 'BadRequest', select.error, requestId);
  const context = `${request.origin}/${request.version}/$metadata#groups${selectText === null ? '' : `(${selectText})`}`;
  const clientRequestId = request.clientRequestId ?? requestId;
  if (groupId !== null) {
    const group = tenant.groupsById.get(groupId);
    if (group === undefined) {
      // Entra's wording (microsoft-graph-explorer-v4#3330, Microsoft365DSC#4413 for Get-MgGroup).
      return errorAnswer(
        404,
        'Request_ResourceNotFound',
        `Resource '${groupId}' does not exist or one of its queried reference-property objects are not present.`,
        requestId,
      );
    }
    return okAnswer(
      { '@odata.context': `${context}/$entity`, ...project({ ...group }, select.fields) },
      requestId,
      clientRequestId,
    );
  }
  const topText = params.get('$top');
  const top = topText === null ? DEFAULT_TOP : Number(topText);
  if (!Number.isInteger(top) || top < 1 || top > MAX_TOP) {
    return errorAnswer(
      400,
      'Request_BadRequest',
      `Invalid page size specified: '${topText}'. Must be between 1 and ${MAX_TOP} inclusive.`,
      requestId,
    );
  }
  const token = decodeToken(params.get('$skiptoken'));
  if (token === 'invalid')
    return errorAnswer(400, 'Request_BadRequest', 'The $skiptoken value is not valid.', requestId);
  const offset = token?.offset ?? 0;
  const value = tenant.groups
    .slice(offset, offset + top)
    .map((group) => project({ ...group }, select.fields));
  const next = offset + top;
  const query = `$top=${top}&` + (selectText === null ? '' : `$select=${encodeURIComponent(selectText)}&`);
  return okAnswer(
    {
      '@odata.context': context,
      ...(next < tenant.groups.length && {
        '@odata.nextLink': `${request.origin}/${request.version}/groups?${query}$skiptoken=${encodeToken({ offset: next, page: (token?.page ?? 1) + 1 })}`,
      }),
      value,
    },
    requestId,
    clientRequestId,
  );
}
