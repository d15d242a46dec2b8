/**
 * The admin API of the simulator, twice over the same state: `createInProcessAdmin` for code
 * running in the simulator's process, and `handleAdmin` serving the same operations as JSON under
 * /_sim/… for other processes (see admin-client.ts). The routes are listed here once so both ends
 * agree on them.
 */
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { z } from 'zod';
import { isPolicyType, type PolicyType } from '../inventory/policy-types';
import { BodyTooLargeError, readBody, sendJson } from './http';
import { type SimulatorState } from './state';
import {
  SimulatorAdminError,
  oneLineIssues,
  faultRuleSchema,
  tenantSpecSchema,
  type GroupSummary,
  type SimulatorAdmin,
} from './types';

const MAX_ADMIN_BODY_BYTES = 32 * 1024 * 1024;

export function createInProcessAdmin(state: SimulatorState): SimulatorAdmin {
  // Async like the remote client, so callers can switch between the two without changes.
  const run = <T>(work: () => T): Promise<T> => new Promise((resolve) => resolve(work()));
  return {
    upsertTenant: (spec) => run(() => state.upsertTenant(spec)),
    listTenants: () => run(() => state.listTenants()),
    addItems: (tenantId, type, items) => run(() => state.addItems(tenantId, type, items)),
    renameItem: (tenantId, type, id, newName) => run(() => state.renameItem(tenantId, type, id, newName)),
    deleteItems: (tenantId, type, ids) => run(() => state.deleteItems(tenantId, type, ids)),
    listItems: (tenantId, type) => run(() => state.listItems(tenantId, type)),
    assignments: (tenantId, type, itemId) =>
      run(() => structuredClone(state.assignments(tenantId, type, itemId))),
    setAssignments: (tenantId, type, itemId, assignments) =>
      run(() =>
        state.setAssignments(tenantId, type, itemId, parse(assignmentsBody, { assignments }).assignments),
      ),
    groups: (tenantId) => run(() => groupSummaries(state, tenantId)),
    setFaults: (tenantId, faults) => run(() => state.setFaults(tenantId, faults)),
    clearFaults: (tenantId) => run(() => state.clearFaults(tenantId)),
    revokeTokens: (tenantId) => run(() => state.revokeTokens(tenantId)),
    stats: () => run(() => state.stats()),
    resetStats: () => run(() => state.resetStats()),
  };
}

/** Path builders shared with the HTTP client. */
export const adminPaths = {
  tenants: () => '/_sim/tenants',
  tenant: (tenantId: string) => `/_sim/tenants/${encodeURIComponent(tenantId)}`,
  items: (tenantId: string, type: PolicyType) =>
    `/_sim/tenants/${encodeURIComponent(tenantId)}/items/${type}`,
  item: (tenantId: string, type: PolicyType, id: string) =>
    `/_sim/tenants/${encodeURIComponent(tenantId)}/items/${type}/${encodeURIComponent(id)}`,
  deleteItems: (tenantId: string, type: PolicyType) =>
    `/_sim/tenants/${encodeURIComponent(tenantId)}/items/${type}/delete`,
  assignments: (tenantId: string, type: PolicyType, id: string) =>
    `/_sim/tenants/${encodeURIComponent(tenantId)}/items/${type}/${encodeURIComponent(id)}/assignments`,
  groups: (tenantId: string) => `/_sim/tenants/${encodeURIComponent(tenantId)}/groups`,
  faults: (tenantId?: string) =>
    tenantId === undefined ? '/_sim/faults' : `/_sim/tenants/${encodeURIComponent(tenantId)}/faults`,
  revokeTokens: (tenantId: string) => `/_sim/tenants/${encodeURIComponent(tenantId)}/revoke-tokens`,
  stats: () => '/_sim/stats',
};

const addItemsBody = z.union([
  z.strictObject({ count: z.number().int().min(0).max(1_000_000) }),
  z.strictObject({ items: z.array(z.looseObject({ id: z.string().optional() })) }),
]);
const renameBody = z.strictObject({ name: z.string() });
const deleteBody = z.strictObject({ ids: z.array(z.string()) });
const faultsBody = z.strictObject({ faults: z.array(faultRuleSchema) });
const assignmentsBody = z.strictObject({
  assignments: z.array(
    z.looseObject({ id: z.string().min(1), target: z.looseObject({ '@odata.type': z.string().min(1) }) }),
  ),
});

function groupSummaries(state: SimulatorState, tenantId: string): GroupSummary[] {
  return state.groups(tenantId).map(({ id, displayName }) => ({ id, displayName }));
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success)
    throw new SimulatorAdminError(400, `invalid request body: ${oneLineIssues(result.error)}`);
  return result.data;
}

function policyTypeParam(value: string): PolicyType {
  if (!isPolicyType(value)) throw new SimulatorAdminError(400, `unknown policy type ${value}`);
  return value;
}

type Route = (state: SimulatorState, params: string[], body: unknown) => unknown;

const ROUTES: Array<{ method: string; pattern: RegExp; route: Route }> = [
  { method: 'GET', pattern: /^\/_sim\/tenants$/, route: (s) => s.listTenants() },
  {
    method: 'PUT',
    pattern: /^\/_sim\/tenants\/([^/]+)$/,
    route: (s, [tenantId], body) =>
      s.upsertTenant(parse(tenantSpecSchema, { ...(body as object), tenantId })),
  },
  {
    method: 'GET',
    pattern: /^\/_sim\/tenants\/([^/]+)\/items\/([^/]+)$/,
    route: (s, [tenantId, type]) => s.listItems(tenantId!, policyTypeParam(type!)),
  },
  {
    method: 'POST',
    pattern: /^\/_sim\/tenants\/([^/]+)\/items\/([^/]+)$/,
    route: (s, [tenantId, type], body) => {
      const parsed = parse(addItemsBody, body);
      return s.addItems(tenantId!, policyTypeParam(type!), 'count' in parsed ? parsed.count : parsed.items);
    },
  },
  {
    method: 'POST',
    pattern: /^\/_sim\/tenants\/([^/]+)\/items\/([^/]+)\/delete$/,
    route: (s, [tenantId, type], body) => ({
      deleted: s.deleteItems(tenantId!, policyTypeParam(type!), parse(deleteBody, body).ids),
    }),
  },
  {
    method: 'PATCH',
    pattern: /^\/_sim\/tenants\/([^/]+)\/items\/([^/]+)\/([^/]+)$/,
    route: (s, [tenantId, type, id], body) =>
      s.renameItem(tenantId!, policyTypeParam(type!), id!, parse(renameBody, body).name),
  },
  {
    method: 'GET',
    pattern: /^\/_sim\/tenants\/([^/]+)\/items\/([^/]+)\/([^/]+)\/assignments$/,
    route: (s, [tenantId, type, id]) => s.assignments(tenantId!, policyTypeParam(type!), id!),
  },
  {
    method: 'PUT',
    pattern: /^\/_sim\/tenants\/([^/]+)\/items\/([^/]+)\/([^/]+)\/assignments$/,
    route: (s, [tenantId, type, id], body) =>
      s.setAssignments(tenantId!, policyTypeParam(type!), id!, parse(assignmentsBody, body).assignments),
  },
  {
    method: 'GET',
    pattern: /^\/_sim\/tenants\/([^/]+)\/groups$/,
    route: (s, [tenantId]) => groupSummaries(s, tenantId!),
  },
  {
    method: 'PUT',
    pattern: /^\/_sim\/tenants\/([^/]+)\/faults$/,
    route: (s, [tenantId], body) => s.setFaults(tenantId!, parse(faultsBody, body).faults),
  },
  {
    method: 'DELETE',
    pattern: /^\/_sim\/tenants\/([^/]+)\/faults$/,
    route: (s, [tenantId]) => s.clearFaults(tenantId),
  },
  { method: 'DELETE', pattern: /^\/_sim\/faults$/, route: (s) => s.clearFaults() },
  {
    method: 'POST',
    pattern: /^\/_sim\/tenants\/([^/]+)\/revoke-tokens$/,
    route: (s, [tenantId]) => s.revokeTokens(tenantId!),
  },
  { method: 'GET', pattern: /^\/_sim\/stats$/, route: (s) => s.stats() },
  { method: 'DELETE', pattern: /^\/_sim\/stats$/, route: (s) => s.resetStats() },
];

/** Serves /_sim/…: 200 with `{ result }`, or the admin error's status with `{ error: { message } }`. */
export async function handleAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  state: SimulatorState,
): Promise<void> {
  try {
    for (const { method, pattern, route } of ROUTES) {
      const match = pattern.exec(url.pathname);
      if (match === null || req.method !== method) continue;
      const text = await readBody(req, MAX_ADMIN_BODY_BYTES);
      let body: unknown = {};
      if (text.length > 0) {
        try {
          body = JSON.parse(text);
        } catch {
          throw new SimulatorAdminError(400, 'request body is not JSON');
        }
      }
      const params = match.slice(1).map((p) => decodeURIComponent(p));
      return sendJson(res, 200, { result: route(state, params, body) ?? null });
    }
    throw new SimulatorAdminError(404, `no admin route ${req.method ?? ''} ${url.pathname}`);
  } catch (error) {
    if (error instanceof SimulatorAdminError)
      return sendJson(res, error.status, { error: { message: error.message } });
    if (error instanceof BodyTooLargeError) return sendJson(res, 413, { error: { message: error.message } });
    throw error;
  }
}
