/**
 * Building blocks for the data-layer tests: tenants, selections, started runs and normalized
 * items (always through normalizeItem, as the Graph layer produces them), plus a wait for a
 * backend blocked on a lock, used to stage races deterministically.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { type DataSource } from 'typeorm';
import { normalizeItem, type NormalizedItem } from '../../inventory/item';
import { type PolicyType } from '../../inventory/policy-types';
import { parseSelection, type Selection } from '../../inventory/selection';
import { selectionHash } from '../../inventory/selection-hash';
import { registerTenant } from '../../db/repositories/tenants';
import {
  finalizeRun,
  startRun,
  type FinalizeRunResult,
  type StartRunInput,
  type StartRunResult,
  type SyncRun,
} from '../../db/repositories/sync-runs';
import { queryRows } from '../../db/sql';
import { withTenant } from '../../db/tenant-scope';

export const UNLIMITED = { global: 1000, perTenant: 1000 };

export async function newTenant(db: DataSource, name = 'Contoso'): Promise<string> {
  const id = randomUUID();
  await registerTenant(db.manager, { id, displayName: name });
  return id;
}

export function selectionOf(input: { policy_types?: PolicyType[]; categories?: string[] }): Selection {
  return parseSelection(input);
}

/** startRun in a transaction of its own, as the run activities call it. */
export function startRunAsTenant(db: DataSource, input: StartRunInput): Promise<StartRunResult> {
  return withTenant(db, input.tenantId, (tx) => startRun(tx, input));
}

export async function beginRun(db: DataSource, tenantId: string, selection: Selection): Promise<SyncRun> {
  const result = await startRunAsTenant(db, {
    tenantId,
    selection,
    selectionHash: selectionHash(selection),
    correlationId: `test:${randomUUID()}`,
    limits: UNLIMITED,
  });
  if (result.outcome !== 'started') throw new Error(`expected a started run, got ${result.outcome}`);
  return result.run;
}

export const SUCCESS: FinalizeRunResult = {
  status: 'success',
  hadErrors: false,
  itemsObservedCount: 0,
  itemsUpsertedCount: 0,
  errorsCount: 0,
  errorCodes: [],
};

export async function endRun(
  db: DataSource,
  run: SyncRun,
  result: Partial<FinalizeRunResult> = {},
): Promise<SyncRun> {
  return withTenant(db, run.tenantId, (tx) =>
    finalizeRun(tx, run.tenantId, run.id, run.correlationId!, { ...SUCCESS, ...result }),
  );
}

export function item(type: PolicyType, id: string, raw: Record<string, unknown> = {}): NormalizedItem {
  const nameField = type === 'settingsCatalogPolicy' ? 'name' : 'displayName';
  const result = normalizeItem(type, { id, [nameField]: `Policy ${id}`, ...raw });
  if (!result.ok) throw new Error(result.reason);
  return result.item;
}

export function items(type: PolicyType, count: number, prefix = 'item'): NormalizedItem[] {
  return Array.from({ length: count }, (_, i) => item(type, `${prefix}-${String(i).padStart(5, '0')}`));
}

/** Resolves once some backend waits on a lock held by the transaction with id `xid`. */
export async function waitForBlockedBy(admin: DataSource, xid: string): Promise<void> {
  await expect
    .poll(
      async () => {
        const [row] = await queryRows<{ waiting: number }>(
          admin,
          `SELECT count(*)::int AS waiting FROM pg_locks
           WHERE NOT granted AND locktype = 'transactionid' AND transactionid::text = $1`,
          [xid],
        );
        return row?.waiting ?? 0;
      },
      { timeout: 10_000, interval: 20 },
    )
    .toBeGreaterThan(0);
}

/** Some checks need a superuser admin (reading pg_authid, creating BYPASSRLS roles); DATABASE_URL may not be one. */
export async function isSuperuser(db: DataSource): Promise<boolean> {
  const [role] = await queryRows<{ rolsuper: boolean }>(
    db,
    'SELECT rolsuper FROM pg_roles WHERE rolname = current_user',
  );
  return role?.rolsuper === true;
}
