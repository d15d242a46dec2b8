/**
 * Coverage reads: which policy types of a tenant were completely enumerated and when
 * (`getCoverage`), and the same across the fleet, one line per tenant, worst first
 * (`getFleetStatus`). Every tenant is read in its own transaction scoped to it (`withTenant`), so
 * row-level security admits that tenant's rows only; the tenant list itself has no such rows.
 */
import { type DataSource } from 'typeorm';
import { orDbError } from '../db/errors';
import {
  getTenantStatus,
  getTypeCoverage,
  type TenantStatusRow,
  type TypeCoverageRow,
} from '../db/repositories/coverage';
import { type TypeOutcome } from '../db/repositories/sync-run-type-row';
import { listTenants as listTenantRows } from '../db/repositories/tenants';
import { withTenant } from '../db/tenant-scope';
import { type ErrorCode } from '../inventory/error-codes';
import { policyType, type Category, type PolicyType } from '../inventory/policy-types';
import { parseTenantId } from '../inventory/tenant-id';
import { requireTenant } from './tenants';

/** How far one policy type of a tenant can be trusted: see InventoryClient.getCoverage. */
export interface TypeCoverage {
  policyType: PolicyType;
  category: Category;
  /** Whether any finished run enumerated the type completely; false: never trust its absence. */
  everComplete: boolean;
  /** The latest complete enumeration: its run and when the type's enumeration ended. */
  lastComplete: { runId: string; finishedAt: Date } | null;
  /** Items of the type the inventory holds now (last observed by any run). */
  itemsPresentCount: number;
  /**
   * The type's latest attempt, complete or not, with the stable code of every outcome but
   * `complete`; `finishedAt` is when its enumeration (or, never requested, its run) ended. Null
   * when no finished run had the type in scope.
   */
  lastAttempt: {
    runId: string;
    outcome: TypeOutcome;
    errorCode: ErrorCode | null;
    finishedAt: Date | null;
  } | null;
}

/** One tenant's line of the fleet status: see InventoryClient.getFleetStatus and TenantStatusRow. */
export interface TenantStatus extends TenantStatusRow {
  tenantId: string;
  displayName: string;
  enabled: boolean;
}

function typeCoverage(row: TypeCoverageRow): TypeCoverage {
  return {
    policyType: row.policyType,
    category: policyType(row.policyType).category,
    everComplete: row.lastCompleteRunId !== null,
    lastComplete:
      row.lastCompleteRunId !== null && row.lastCompleteFinishedAt !== null
        ? { runId: row.lastCompleteRunId, finishedAt: row.lastCompleteFinishedAt }
        : null,
    itemsPresentCount: row.itemsPresentCount,
    lastAttempt:
      row.lastAttemptRunId !== null && row.lastAttemptOutcome !== null
        ? {
            runId: row.lastAttemptRunId,
            outcome: row.lastAttemptOutcome,
            errorCode: row.lastAttemptErrorCode,
            finishedAt: row.lastAttemptFinishedAt,
          }
        : null,
  };
}

/** Backs `InventoryClient.getCoverage`. */
export async function getCoverage(db: DataSource, tenantIdInput: string): Promise<TypeCoverage[]> {
  const tenantId = parseTenantId(tenantIdInput);
  const rows = await orDbError(
    'cannot read coverage',
    withTenant(db, tenantId, async (tx) => {
      await requireTenant(tx, tenantId);
      return getTypeCoverage(tx, tenantId);
    }),
  );
  return rows.map(typeCoverage);
}

/** Milliseconds of an instant, with "never" (null) before every instant. */
const timeOf = (at: Date | null): number => (at === null ? Number.NEGATIVE_INFINITY : at.getTime());

/**
 * Worst first, as an engineer triages: enabled tenants before disabled ones (a disabled tenant is
 * stale on purpose); then by the oldest complete enumeration, never first; then more failing
 * types; then the older last successful sync, never first; then by name and id, so the order is
 * stable.
 */
export function compareWorstFirst(a: TenantStatus, b: TenantStatus): number {
  return (
    Number(b.enabled) - Number(a.enabled) ||
    timeOf(a.oldestCompleteEnumerationAt) - timeOf(b.oldestCompleteEnumerationAt) ||
    b.typesFailingCount - a.typesFailingCount ||
    timeOf(a.lastSuccessfulSyncAt) - timeOf(b.lastSuccessfulSyncAt) ||
    a.displayName.localeCompare(b.displayName) ||
    a.tenantId.localeCompare(b.tenantId)
  );
}

/**
 * Backs `InventoryClient.getFleetStatus`. One tenant at a time: each read is one short statement,
 * and a sequential walk leaves the pool to the syncs.
 */
export async function getFleetStatus(db: DataSource): Promise<TenantStatus[]> {
  return orDbError('cannot read the fleet status', readFleet(db));
}

async function readFleet(db: DataSource): Promise<TenantStatus[]> {
  const tenants = await listTenantRows(db.manager);
  const lines: TenantStatus[] = [];
  for (const tenant of tenants) {
    const status = await withTenant(db, tenant.id, (tx) => getTenantStatus(tx, tenant.id));
    lines.push({ tenantId: tenant.id, displayName: tenant.displayName, enabled: tenant.enabled, ...status });
  }
  return lines.sort(compareWorstFirst);
}
