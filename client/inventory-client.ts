/**
 * The thin typed client other services (and the `inventory` CLI) use. Syncs are started through
 * Temporal under the derived workflow ID; tenants, runs and missing items are read from
 * PostgreSQL through the tenant-scoped repositories (row-level security applies). Inputs are
 * validated here, so a bad call fails with a typed error before anything is started or written.
 */
import { randomUUID } from 'node:crypto';
import {
  Client,
  ScheduleNotFoundError as TemporalScheduleNotFoundError,
  ScheduleOverlapPolicy,
  WorkflowFailedError,
  type Connection,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { type DataSource } from 'typeorm';
import { z } from 'zod';
import { loadClientConfig, type ClientConfig } from '../config/client';
import { createDataSource, initializeDataSource } from '../db/data-source';
import { orDbError } from '../db/errors';
import { listMissing, type MissingResult } from '../db/repositories/missing';
import { getRun, listRuns, type SyncRun } from '../db/repositories/sync-runs';
import { assertRuntimeRoleIsolated } from '../db/runtime-role-guard';
import { withTenant } from '../db/tenant-scope';
import {
  getTenant,
  listTenants,
  registerTenant,
  setTenantEnabled,
  type Tenant,
} from '../db/repositories/tenants';
import { isErrorCode } from '../inventory/error-codes';
import { parseDuration } from '../inventory/duration';
import { SELECTION_HASH_ATTRIBUTE, TENANT_ID_ATTRIBUTE } from '../inventory/search-attributes';
import { parseSelection, type Selection } from '../inventory/selection';
import { selectionHash } from '../inventory/selection-hash';
import { parseTenantId } from '../inventory/tenant-id';
import {
  PROGRESS_QUERY,
  SCHEDULED_SYNC_WORKFLOW_TYPE,
  SYNC_SCHEDULE_PREFIX,
  SYNC_WORKFLOW_TYPE,
  syncScheduleId,
  syncWorkflowId,
} from '../inventory/workflow-ids';
import { connectClient } from '../temporal/connection';
import { orTemporalUnavailable } from '../temporal/errors';
import { upsertSchedule } from '../temporal/schedules';
import type { InventorySyncResult, SyncProgress, inventorySync } from '../workflows/inventory-sync';
import {
  InvalidInputError,
  RunNotFoundError,
  ScheduleNotFoundError,
  SyncFailedError,
  TenantDisabledError,
  TenantNotFoundError,
} from './errors';
import { summarizeSchedule, type ScheduleSummary } from './schedule-summary';

export type { InventorySyncResult, MissingResult, Selection, SyncProgress, SyncRun, Tenant };

export interface SelectionInput {
  policy_types?: readonly string[];
  categories?: readonly string[];
}

export interface SyncStart {
  workflowId: string;
  /** The Temporal run id of the execution that handles the sync. */
  executionRunId: string;
  selectionHash: string;
  selection: Selection;
  /** true when a sync of this tenant and selection was already running and this call joined it. */
  joined: boolean;
}

export interface InventoryClientDeps {
  temporal: Client;
  db: DataSource;
  taskQueue: string;
  /** Connections the client opened itself and closes in `close()`. */
  owned?: { temporalConnection?: Connection; db?: boolean };
}

const limitSchema = z.number().int().min(1).max(1000);
const MIN_SCHEDULE_INTERVAL_MS = 60_000;

function parseLimit(value: number | undefined, fallback: number): number {
  const parsed = limitSchema.safeParse(value ?? fallback);
  if (!parsed.success) throw new InvalidInputError('limit must be a whole number between 1 and 1000');
  return parsed.data;
}

function parseDurationInput(name: string, value: string | number, minimumMs: number): number {
  const ms = typeof value === 'number' ? value : parseDuration(value);
  if (ms === null || !Number.isFinite(ms) || ms < minimumMs) {
    throw new InvalidInputError(
      `${name} must be a duration such as 30m, 6h or 1d${minimumMs > 0 ? ` (at least ${minimumMs / 1000}s)` : ''}`,
    );
  }
  return ms;
}

export class InventoryClient {
  private readonly temporal: Client;
  private readonly db: DataSource;
  private readonly taskQueue: string;

  constructor(private readonly deps: InventoryClientDeps) {
    this.temporal = deps.temporal;
    this.db = deps.db;
    this.taskQueue = deps.taskQueue;
  }

  /**
   * Connects to PostgreSQL and Temporal as configured by the environment (see config/client.ts),
   * refusing, like the worker, a database role that could escape row-level security or write
   * the snapshot tables (db/runtime-role-guard.ts).
   */
  static async connect(config: ClientConfig = loadClientConfig()): Promise<InventoryClient> {
    const db = createDataSource({
      url: config.DATABASE_URL,
      poolSize: config.DATABASE_POOL_SIZE,
      applicationName: 'inventory-client',
    });
    await initializeDataSource(db);
    try {
      await assertRuntimeRoleIsolated(db, { allowBypass: config.INVENTORY_ALLOW_RLS_BYPASS });
      const connection = await connectClient(config);
      return new InventoryClient({
        temporal: new Client({ connection, namespace: config.TEMPORAL_NAMESPACE }),
        db,
        taskQueue: config.INVENTORY_TASK_QUEUE,
        owned: { temporalConnection: connection, db: true },
      });
    } catch (error) {
      await db.destroy();
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.deps.owned?.temporalConnection?.close();
    if (this.deps.owned?.db && this.db.isInitialized) await this.db.destroy();
  }

  // --- tenants -------------------------------------------------------------------------------

  async registerTenant(input: {
    tenantId: string;
    displayName: string;
  }): Promise<{ tenant: Tenant; created: boolean }> {
    const displayName = input.displayName?.trim() ?? '';
    if (displayName.length === 0 || displayName.length > 256) {
      throw new InvalidInputError('display name must be 1 to 256 characters');
    }
    return orDbError(
      'cannot register the tenant',
      registerTenant(this.db.manager, { id: parseTenantId(input.tenantId), displayName }),
    );
  }

  async listTenants(): Promise<Tenant[]> {
    return orDbError('cannot list tenants', listTenants(this.db.manager));
  }

  async setTenantEnabled(tenantIdInput: string, enabled: boolean): Promise<Tenant> {
    const tenantId = parseTenantId(tenantIdInput);
    const tenant = await orDbError(
      'cannot update the tenant',
      setTenantEnabled(this.db.manager, tenantId, enabled),
    );
    if (!tenant) throw new TenantNotFoundError(tenantId);
    return tenant;
  }

  // --- syncs ---------------------------------------------------------------------------------

  /**
   * Starts a sync, or joins the one already running for this tenant and selection
   * (`workflowIdConflictPolicy: USE_EXISTING` on the derived ID; `joined` says which).
   */
  async startSync(input: { tenantId: string; selection: SelectionInput }): Promise<SyncStart> {
    const tenantId = parseTenantId(input.tenantId);
    const selection = parseSelection(input.selection);
    const hash = selectionHash(selection);
    const tenant = await orDbError('cannot read the tenant', getTenant(this.db.manager, tenantId));
    if (!tenant) throw new TenantNotFoundError(tenantId);
    if (!tenant.enabled) throw new TenantDisabledError(tenantId);

    const workflowId = syncWorkflowId(tenantId, hash);
    // The start response does not say whether this call started the execution or joined a running
    // one; a token in the memo, read back from the execution, does.
    const startToken = randomUUID();
    const start = this.temporal.workflow.start<typeof inventorySync>(SYNC_WORKFLOW_TYPE, {
      taskQueue: this.taskQueue,
      workflowId,
      args: [
        {
          tenantId,
          selection: { policy_types: [...selection.policy_types], categories: [...selection.categories] },
        },
      ],
      workflowIdConflictPolicy: 'USE_EXISTING',
      typedSearchAttributes: [
        { key: TENANT_ID_ATTRIBUTE, value: tenantId },
        { key: SELECTION_HASH_ATTRIBUTE, value: hash },
      ],
      memo: { selection, selectionHash: hash, startToken },
      priority: { fairnessKey: tenantId },
    });
    const handle = await orTemporalUnavailable(start);
    const description = await orTemporalUnavailable(handle.describe());
    const memo = description.memo ?? {};
    return {
      workflowId,
      executionRunId: description.runId,
      selectionHash: hash,
      selection,
      joined: memo.startToken !== startToken,
    };
  }

  /** The live progress of a sync workflow, or null once it has ended. */
  async getProgress(workflowId: string): Promise<SyncProgress | null> {
    const handle = this.temporal.workflow.getHandle(workflowId);
    const description = await orTemporalUnavailable(handle.describe());
    if (description.status.name !== 'RUNNING') return null;
    return orTemporalUnavailable(handle.query<SyncProgress>(PROGRESS_QUERY));
  }

  /**
   * Waits for a sync workflow (following continue-as-new) and returns its result. `onProgress` is
   * called with the workflow's progress every `pollMs` while it runs.
   */
  async waitForSync(
    workflowId: string,
    options: { onProgress?: (progress: SyncProgress) => void; pollMs?: number } = {},
  ): Promise<InventorySyncResult> {
    const handle: WorkflowHandle<typeof inventorySync> = this.temporal.workflow.getHandle(workflowId);
    let done = false;
    const poller = options.onProgress
      ? (async () => {
          while (!done) {
            try {
              options.onProgress?.(await handle.query<SyncProgress>(PROGRESS_QUERY));
            } catch {
              // Between continue-as-new executions or after completion a query can fail; the
              // next poll or the result settles it.
            }
            await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 500));
          }
        })()
      : Promise.resolve();
    try {
      return await orTemporalUnavailable(handle.result());
    } catch (error) {
      throw this.syncFailure(workflowId, error);
    } finally {
      done = true;
      await poller;
    }
  }

  private syncFailure(workflowId: string, error: unknown): unknown {
    if (!(error instanceof WorkflowFailedError)) return error;
    let cause: unknown = error.cause;
    while (cause instanceof Error && !(cause instanceof ApplicationFailure) && cause.cause)
      cause = cause.cause;
    if (cause instanceof ApplicationFailure && cause.type && isErrorCode(cause.type)) {
      return new SyncFailedError(cause.type, cause.message, workflowId);
    }
    if (cause instanceof CancelledFailure) {
      return new SyncFailedError('run_cancelled', `sync workflow ${workflowId} was cancelled`, workflowId);
    }
    const reason = error.cause?.message ?? error.message;
    return new SyncFailedError('internal_error', `sync workflow ${workflowId} failed: ${reason}`, workflowId);
  }

  // --- runs and inventory --------------------------------------------------------------------

  async getRun(tenantIdInput: string, runId: string): Promise<SyncRun> {
    const tenantId = parseTenantId(tenantIdInput);
    if (!z.uuid().safeParse(runId).success) throw new InvalidInputError('run id must be a UUID');
    const run = await orDbError(
      'cannot read the run',
      withTenant(this.db, tenantId, (tx) => getRun(tx, tenantId, runId)),
    );
    if (!run) throw new RunNotFoundError(runId);
    return run;
  }

  async listRuns(
    tenantIdInput: string,
    options: { limit?: number; selection?: SelectionInput; cursor?: string } = {},
  ): Promise<{ runs: SyncRun[]; nextCursor: string | null }> {
    const tenantId = parseTenantId(tenantIdInput);
    const query = {
      limit: parseLimit(options.limit, 50),
      ...(options.selection && { selectionHash: selectionHash(parseSelection(options.selection)) }),
      ...(options.cursor && { before: options.cursor }),
    };
    return orDbError(
      'cannot list runs',
      withTenant(this.db, tenantId, (tx) => listRuns(tx, tenantId, query)),
    );
  }

  /** Items of the selection's scope not seen since its latest completed run began (derived). */
  async listMissing(
    tenantIdInput: string,
    selectionInput: SelectionInput,
    options: { limit?: number; cursor?: string } = {},
  ): Promise<MissingResult> {
    const tenantId = parseTenantId(tenantIdInput);
    const selection = parseSelection(selectionInput);
    const page = { limit: parseLimit(options.limit, 100), ...(options.cursor && { after: options.cursor }) };
    return orDbError(
      'cannot list missing items',
      withTenant(this.db, tenantId, (tx) => listMissing(tx, tenantId, selection, page)),
    );
  }

  // --- schedules -----------------------------------------------------------------------------

  /**
   * Creates (or updates) the schedule of one tenant and selection. Each action starts a trigger
   * workflow that runs the sync under the derived ID, so scheduled and manual syncs share the lock.
   */
  async createSchedule(input: {
    tenantId: string;
    selection: SelectionInput;
    every: string | number;
    jitter?: string | number;
  }): Promise<{ scheduleId: string; created: boolean }> {
    const tenantId = parseTenantId(input.tenantId);
    const selection = parseSelection(input.selection);
    const hash = selectionHash(selection);
    const everyMs = parseDurationInput('every', input.every, MIN_SCHEDULE_INTERVAL_MS);
    const jitterMs = input.jitter === undefined ? 0 : parseDurationInput('jitter', input.jitter, 0);
    if (jitterMs >= everyMs) throw new InvalidInputError('jitter must be shorter than the interval');
    const tenant = await orDbError('cannot read the tenant', getTenant(this.db.manager, tenantId));
    if (!tenant) throw new TenantNotFoundError(tenantId);

    const scheduleId = syncScheduleId(tenantId, hash);
    const spec = { intervals: [{ every: everyMs }], jitter: jitterMs };
    const action = {
      type: 'startWorkflow' as const,
      workflowType: SCHEDULED_SYNC_WORKFLOW_TYPE,
      workflowId: `inventory-scheduled:${tenantId}:${hash}`,
      taskQueue: this.taskQueue,
      args: [{ tenantId, selection, selectionHash: hash }],
    };
    const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '10 minutes' };
    const memo = { tenantId, selection, selectionHash: hash };
    const { created } = await orTemporalUnavailable(
      upsertSchedule(this.temporal, { scheduleId, spec, action, policies, memo }),
    );
    return { scheduleId, created };
  }

  async deleteSchedule(
    input: { tenantId: string; selection: SelectionInput } | { scheduleId: string },
  ): Promise<void> {
    const scheduleId =
      'scheduleId' in input
        ? input.scheduleId
        : syncScheduleId(parseTenantId(input.tenantId), selectionHash(parseSelection(input.selection)));
    try {
      await orTemporalUnavailable(this.temporal.schedule.getHandle(scheduleId).delete());
    } catch (error) {
      if (error instanceof TemporalScheduleNotFoundError) throw new ScheduleNotFoundError(scheduleId);
      throw error;
    }
  }

  /**
   * Sync schedules, of one tenant or all. Which schedules exist comes from Temporal's visibility
   * store, which can trail a schedule created a moment ago; what each one is comes from its own
   * description, current at once.
   */
  async listSchedules(tenantIdInput?: string): Promise<ScheduleSummary[]> {
    const tenantId = tenantIdInput === undefined ? undefined : parseTenantId(tenantIdInput);
    const prefix = tenantId ? `${SYNC_SCHEDULE_PREFIX}${tenantId}:` : SYNC_SCHEDULE_PREFIX;
    const collect = async (): Promise<ScheduleSummary[]> => {
      const ids: string[] = [];
      for await (const listed of this.temporal.schedule.list()) {
        if (listed.scheduleId.startsWith(prefix)) ids.push(listed.scheduleId);
      }
      // Visibility trails deletes: a listed schedule may be gone by the time it is described.
      const described = await Promise.all(
        ids.map((id) =>
          this.temporal.schedule
            .getHandle(id)
            .describe()
            .catch((error: unknown) => {
              if (error instanceof TemporalScheduleNotFoundError) return null;
              throw error;
            }),
        ),
      );
      return described
        .flatMap((schedule) => (schedule ? [summarizeSchedule(schedule)] : []))
        .sort((a, b) => a.scheduleId.localeCompare(b.scheduleId));
    };
    return orTemporalUnavailable(collect());
  }
}
