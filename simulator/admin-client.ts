/**
 * Typed client for the simulator's admin API (/_sim/…) over HTTPS, for processes that did not
 * start the simulator themselves: tests against a shared instance, benchmarks, the dev stack.
 * It implements the same SimulatorAdmin interface as the in-process `sim.admin`.
 */
import { type PolicyType } from '../inventory/policy-types';
import { adminPaths } from './admin';
import {
  SimulatorAdminError,
  type SimulatorAdmin,
  type SimulatorStats,
  type TenantSummary,
  type ItemSummary,
  type GroupSummary,
  type RawAssignment,
} from './types';

export function createSimulatorAdminClient(baseUrl: string): SimulatorAdmin {
  const origin = new URL(baseUrl).origin;

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${origin}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const payload = (await response.json().catch(() => null)) as {
      result?: T;
      error?: { message?: string };
    } | null;
    if (!response.ok) {
      throw new SimulatorAdminError(
        response.status,
        payload?.error?.message ?? `simulator admin ${method} ${path} answered ${response.status}`,
      );
    }
    return payload?.result as T;
  }

  return {
    upsertTenant: (spec) => call<TenantSummary>('PUT', adminPaths.tenant(spec.tenantId), spec),
    listTenants: () => call<TenantSummary[]>('GET', adminPaths.tenants()),
    addItems: (tenantId: string, type: PolicyType, items) =>
      call<ItemSummary[]>(
        'POST',
        adminPaths.items(tenantId, type),
        typeof items === 'number' ? { count: items } : { items },
      ),
    renameItem: async (tenantId, type, id, newName) => {
      await call('PATCH', adminPaths.item(tenantId, type, id), { name: newName });
    },
    deleteItems: async (tenantId, type, ids) =>
      (await call<{ deleted: number }>('POST', adminPaths.deleteItems(tenantId, type), { ids })).deleted,
    listItems: (tenantId, type) => call<ItemSummary[]>('GET', adminPaths.items(tenantId, type)),
    assignments: (tenantId, type, itemId) =>
      call<RawAssignment[]>('GET', adminPaths.assignments(tenantId, type, itemId)),
    setAssignments: async (tenantId, type, itemId, assignments) => {
      await call('PUT', adminPaths.assignments(tenantId, type, itemId), { assignments });
    },
    groups: (tenantId) => call<GroupSummary[]>('GET', adminPaths.groups(tenantId)),
    setFaults: async (tenantId, faults) => {
      await call('PUT', adminPaths.faults(tenantId), { faults });
    },
    clearFaults: async (tenantId) => {
      await call('DELETE', adminPaths.faults(tenantId));
    },
    revokeTokens: async (tenantId) => {
      await call('POST', adminPaths.revokeTokens(tenantId));
    },
    stats: () => call<SimulatorStats>('GET', adminPaths.stats()),
    resetStats: async () => {
      await call('DELETE', adminPaths.stats());
    },
  };
}
