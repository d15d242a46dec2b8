/**
 * Reads of the run log and the derived missing items, each in one transaction scoped to the tenant
 * (`withTenant`), so row-level security admits that tenant's rows only.
 */
import { type DataSource } from 'typeorm';
import { z } from 'zod';
import { orDbError } from '../db/errors';
import { listMissing as listMissingRows, type MissingResult } from '../db/repositories/missing';
import { getRun as getRunRow, listRuns as listRunRows, type SyncRun } from '../db/repositories/sync-runs';
import { listRunTypes, type SyncRunType } from '../db/repositories/sync-run-types';
import { withTenant } from '../db/tenant-scope';
import { parseSelection } from '../inventory/selection';
import { selectionHash } from '../inventory/selection-hash';
import { parseTenantId } from '../inventory/tenant-id';
import { requireTenant } from './tenants';
import { booleanArgument, limitArgument, optionalStringArgument, optionsArgument } from './arguments';
import { InvalidInputError, RunNotFoundError } from './errors';
import { type SelectionInput } from '../workflows/contract';

function runIdArgument(runId: unknown): string {
  if (typeof runId !== 'string' || !z.uuid().safeParse(runId).success) {
    throw new InvalidInputError('run id must be a UUID');
  }
  return runId;
}

/** Backs `InventoryClient.getRun`. */
export async function getRun(db: DataSource, tenantIdInput: string, runIdInput: string): Promise<SyncRun> {
  const tenantId = parseTenantId(tenantIdInput);
  const runId = runIdArgument(runIdInput);
  const run = await orDbError(
    'cannot read the run',
    withTenant(db, tenantId, (tx) => getRunRow(tx, tenantId, runId)),
  );
  if (!run) throw new RunNotFoundError(runId);
  return run;
}

/** Backs `InventoryClient.getRunTypes`. */
export async function getRunTypes(
  db: DataSource,
  tenantIdInput: string,
  runIdInput: string,
): Promise<SyncRunType[]> {
  const tenantId = parseTenantId(tenantIdInput);
  const runId = runIdArgument(runIdInput);
  // One transaction: the run's existence and its rows are read from the same state.
  return orDbError(
    'cannot read the run',
    withTenant(db, tenantId, async (tx) => {
      if (!(await getRunRow(tx, tenantId, runId))) throw new RunNotFoundError(runId);
      return listRunTypes(tx, tenantId, runId);
    }),
  );
}

/** Backs `InventoryClient.listRuns`. */
export async function listRuns(
  db: DataSource,
  tenantIdInput: string,
  options: { limit?: number; selection?: SelectionInput; cursor?: string },
): Promise<{ runs: SyncRun[]; nextCursor: string | null }> {
  const tenantId = parseTenantId(tenantIdInput);
  const { limit, selection, cursor } = optionsArgument(options, 'listRuns options');
  const before = optionalStringArgument(cursor, 'cursor');
  const query = {
    limit: limitArgument(limit, 50),
    ...(selection !== undefined && { selectionHash: selectionHash(parseSelection(selection)) }),
    ...(before !== undefined && { before }),
  };
  // One transaction: the tenant check and the read see the same state, in one round of I/O.
  return orDbError(
    'cannot list runs',
    withTenant(db, tenantId, async (tx) => {
      await requireTenant(tx, tenantId);
      return listRunRows(tx, tenantId, query);
    }),
  );
}

/** Backs `InventoryClient.listMissing`. */
export async function listMissing(
  db: DataSource,
  tenantIdInput: string,
  selectionInput: SelectionInput,
  options: { limit?: number; cursor?: string; includeUnverified?: boolean },
): Promise<MissingResult> {
  const tenantId = parseTenantId(tenantIdInput);
  const selection = parseSelection(selectionInput);
  const { limit, cursor, includeUnverified } = optionsArgument(options, 'listMissing options');
  const after = optionalStringArgument(cursor, 'cursor');
  const page = {
    limit: limitArgument(limit, 100),
    ...(after !== undefined && { after }),
    includeUnverified:
      includeUnverified === undefined ? true : booleanArgument(includeUnverified, 'includeUnverified'),
  };
  return orDbError(
    'cannot list missing items',
    withTenant(db, tenantId, async (tx) => {
      await requireTenant(tx, tenantId);
      return listMissingRows(tx, tenantId, selection, page);
    }),
  );
}
