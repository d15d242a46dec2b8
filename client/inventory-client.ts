/**
 * The thin typed client other services (and the `inventory` CLI) use: one facade over five
 * concerns, each in its own module — tenants (tenants.ts), syncs started and followed through
 * Temporal (syncs.ts), runs and missing items read from PostgreSQL with row-level security
 * (inventory-reads.ts), the items themselves (items.ts), and sync schedules (schedules.ts).
 * Inputs are validated before anything is started or written, so a bad call fails with a typed
 * error (client/errors.ts) carrying its stable code; database failures surface as `db_error`, an
 * unreachable Temporal as `temporal_unavailable`. Arguments are checked at run time too, for
 * callers in plain JavaScript or with values from JSON: a wrong type (a number for a string, null,
 * an array) is `invalid_input` like any other malformed value, and no message quotes unbounded
 * input.
 */
import { Client } from '@temporalio/client';
import { loadClientConfig, type ClientConfig } from '../config/client';
import { createDataSource, initializeDataSource } from '../db/data-source';
import { type MissingItem, type MissingResult } from '../db/repositories/missing';
import { type SyncRunType, type TypeOutcome } from '../db/repositories/sync-run-types';
import { type SyncRun } from '../db/repositories/sync-runs';
import { type Tenant } from '../db/repositories/tenants';
import { assertRuntimeRoleIsolated } from '../db/runtime-role-guard';
import { type Selection } from '../inventory/selection';
import { connectClient } from '../temporal/connection';
import type { InventorySyncResult, SyncProgress } from '../workflows/contract';
import * as assignments from './assignments';
import {
  type AssignmentEdge,
  type AssignmentPage,
  type ItemAssignments,
  type TypeNotCovered,
} from './assignments';
import { type InventoryClientDeps } from './client-deps';
import * as coverage from './coverage';
import { type TenantStatus, type TypeCoverage } from './coverage';
import * as reads from './inventory-reads';
import * as items from './items';
import { type InventoryItem, type ItemPage, type ItemQuery } from './items';
import { type ScheduleSummary } from './schedule-summary';
import * as schedules from './schedules';
import { type SelectionInput } from '../workflows/contract';
import * as syncs from './syncs';
import { type SyncStart } from './syncs';
import * as tenants from './tenants';
import * as tenantChecks from './tenant-check';
import type {
  GroupNamesCheck,
  TenantCheckResult,
  TypeCheck,
  TypeCheckStatus,
  TokenCheck,
} from '../workflows/tenant-check-contract';

export type {
  AssignmentEdge,
  AssignmentPage,
  GroupNamesCheck,
  InventoryClientDeps,
  InventoryItem,
  InventorySyncResult,
  ItemAssignments,
  ItemPage,
  ItemQuery,
  MissingItem,
  MissingResult,
  Selection,
  SelectionInput,
  SyncProgress,
  SyncRun,
  SyncRunType,
  SyncStart,
  Tenant,
  TenantCheckResult,
  TenantStatus,
  TokenCheck,
  TypeCheck,
  TypeCheckStatus,
  TypeOutcome,
  TypeCoverage,
  TypeNotCovered,
};

/**
 * The client facade. `connect()` opens its own database pool and Temporal connection; built from
 * injected deps instead, it uses theirs, and `close()` closes only what `deps.owned` names.
 */
export class InventoryClient {
  constructor(private readonly deps: InventoryClientDeps) {}

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

  /**
   * Closes the Temporal connection and database pool this client opened (`deps.owned`); injected ones
   * stay open for their owner.
   */
  async close(): Promise<void> {
    await this.deps.owned?.temporalConnection?.close();
    if (this.deps.owned?.db && this.deps.db.isInitialized) await this.deps.db.destroy();
  }

  // --- tenants -------------------------------------------------------------------------------

  /**
   * Registers a tenant (an Entra tenant GUID), or renames a registered one, keeping its enabled
   * flag; `created` says which. `invalid_input` for a malformed id or a display name that is not
   * a string of 1 to 256 Unicode code points after trimming, or holds control characters
   * (inventory/tenant-name.ts, the rule the repository applies too).
   */
  registerTenant(input: {
    tenantId: string;
    displayName: string;
  }): Promise<{ tenant: Tenant; created: boolean }> {
    return tenants.registerTenant(this.deps.db, input);
  }

  /** All registered tenants, by display name. */
  listTenants(): Promise<Tenant[]> {
    return tenants.listTenants(this.deps.db);
  }

  /**
   * Enables or disables a tenant and returns it; `invalid_input` when `enabled` is not a boolean,
   * `tenant_unknown` when the tenant is not registered.
   */
  setTenantEnabled(tenantId: string, enabled: boolean): Promise<Tenant> {
    return tenants.setTenantEnabled(this.deps.db, tenantId, enabled);
  }

  /**
   * The onboarding check: whether the worker's app gets a token for the tenant (with Entra's
   * reason when not), and how each policy type answers a first-page request (`ok`, `forbidden`
   * with the permission it needs, `not_licensed`, `not_provisioned`, `error`). Runs on the worker,
   * which holds the credentials; writes nothing and needs no registered tenant. `invalid_input` for
   * a malformed tenant id, `temporal_unavailable`; a check that ran returns its findings, never
   * throws them.
   */
  checkTenant(tenantId: string): Promise<TenantCheckResult> {
    return tenantChecks.checkTenant(this.deps, tenantId);
  }

  // --- syncs ---------------------------------------------------------------------------------

  /**
   * Starts a sync, or joins the one already running for this tenant and selection
   * (`workflowIdConflictPolicy: USE_EXISTING` on the derived ID; `joined` says which).
   * `invalid_input`/`invalid_selection` for bad input, `tenant_unknown`, `tenant_disabled`.
   */
  startSync(input: { tenantId: string; selection: SelectionInput }): Promise<SyncStart> {
    return syncs.startSync(this.deps, input);
  }

  /**
   * The live progress of a sync workflow, or null once it has ended. `invalid_input` for an id
   * that is not a string of 1 to 1000 characters without control characters; `sync_not_found`
   * when no workflow has that id (ended ones last for the namespace's retention) or it is not a
   * sync workflow.
   */
  getProgress(workflowId: string): Promise<SyncProgress | null> {
    return syncs.getProgress(this.deps, workflowId);
  }

  /**
   * Waits for a sync workflow (following continue-as-new) and returns its result. `onProgress` is
   * called with the workflow's progress every `pollMs` milliseconds (10 to 60000, default 500)
   * while it runs. The id is checked as by getProgress (`invalid_input`, `sync_not_found`). A
   * workflow that fails throws SyncFailedError with the failure's code (`run_cancelled` when
   * cancelled, `internal_error` when the failure has no known code).
   */
  waitForSync(
    workflowId: string,
    options: { onProgress?: (progress: SyncProgress) => void; pollMs?: number } = {},
  ): Promise<InventorySyncResult> {
    return syncs.waitForSync(this.deps, workflowId, options);
  }

  // --- runs and inventory --------------------------------------------------------------------

  /** One run of the tenant; `invalid_input` for a malformed id, `run_not_found` when it has none. */
  getRun(tenantId: string, runId: string): Promise<SyncRun> {
    return reads.getRun(this.deps.db, tenantId, runId);
  }

  /**
   * How each policy type of one run ended, by policy type: outcome (`complete`, `failed`,
   * `forbidden`, `not_licensed`, `cancelled`, `not_attempted`), code, pages, items observed, new,
   * changed and unchanged, and when it ended. Empty for a run that is still live, was skipped or
   * abandoned, or finished before per-type outcomes were recorded. `invalid_input` for a malformed
   * id, `run_not_found` when the tenant has no such run.
   */
  getRunTypes(tenantId: string, runId: string): Promise<SyncRunType[]> {
    return reads.getRunTypes(this.deps.db, tenantId, runId);
  }

  /**
   * The tenant's runs, newest first, optionally of one selection; `limit` 1 to 1000 (default 50),
   * `cursor` the previous page's nextCursor (`invalid_input` for one of another list).
   */
  listRuns(
    tenantId: string,
    options: { limit?: number; selection?: SelectionInput; cursor?: string } = {},
  ): Promise<{ runs: SyncRun[]; nextCursor: string | null }> {
    return reads.listRuns(this.deps.db, tenantId, options);
  }

  /**
   * Items of the selection's scope not seen since its latest completed run began (derived), with
   * that basis run and a confidence; `{ basis: null }` before any run completed. Each item says
   * whether the basis run enumerated its policy type completely (`typeComplete`), and the answer
   * names the types it did not (`unverifiedTypes`). `includeUnverified` (default true) false lists
   * only type-complete items and counts the others in `omittedUnverifiedCount`. `limit` 1 to
   * 1000 (default 100), `cursor` the previous page's nextCursor.
   */
  listMissing(
    tenantId: string,
    selection: SelectionInput,
    options: { limit?: number; cursor?: string; includeUnverified?: boolean } = {},
  ): Promise<MissingResult> {
    return reads.listMissing(this.deps.db, tenantId, selection, options);
  }

  // --- items ---------------------------------------------------------------------------------

  /**
   * One page of the tenant's items, ordered by (policy type, external id). Filters (all optional,
   * combined with AND): `selection` (its policy types and categories), `search` (1 to 256
   * characters found case-insensitively in the display name or Graph id; `%`, `_` and `\` are
   * plain characters), `changedSince` (a Date, an ISO 8601 time, or a duration ago such as `24h`;
   * items whose content changed at or after it). `limit` 1 to 1000 (default 100), `cursor` the
   * previous page's nextCursor. Paging is by key: pages read while syncs write never repeat an
   * item nor skip one that existed throughout. `unassigned: true`: only items observed with their
   * assignments and assigned to nothing (the page's `unassignedLeftOut` counts the items left out
   * because their assignments were never observed or their type has none). `scopeTag` (an id, or
   * a display name matched case-insensitively among the tenant's roleScopeTag items): only items
   * tagged with it (the page's `scopeTag` names it and maps every inventoried tag id to its name).
   * `invalid_input` (also for a tag name matching several tags or none), `invalid_selection`,
   * `tenant_unknown`.
   */
  listItems(tenantId: string, options: ItemQuery & { limit?: number } = {}): Promise<ItemPage> {
    return items.listItems(this.deps.db, tenantId, options);
  }

  /**
   * Every item listItems would page through with the same filters, read `pageSize` (1 to 1000,
   * default 1000) at a time as the caller consumes them, so memory stays that of one page
   * whatever the tenant holds. A relative `changedSince` is fixed when this is called. Bad
   * arguments throw here (`invalid_input`, `invalid_selection`); `tenant_unknown` and `db_error`
   * come from the iteration.
   */
  iterateItems(
    tenantId: string,
    options: ItemQuery & { pageSize?: number } = {},
  ): AsyncIterable<InventoryItem> {
    return items.iterateItems(this.deps.db, tenantId, options);
  }

  /**
   * The tenant's item of `policyType` with Graph id `externalId`: its metadata, and when
   * (`lastSeenAt`) and by which run (`lastSeenRunId`) it was last observed. `invalid_input` for an
   * unknown type or a malformed id, `tenant_unknown`, `item_not_found`.
   */
  getItem(tenantId: string, policyType: string, externalId: string): Promise<InventoryItem> {
    return items.getItem(this.deps.db, tenantId, policyType, externalId);
  }

  // --- assignments ---------------------------------------------------------------------------

  /**
   * One page of the tenant's current assignment edges that name Entra group `groupId` (a GUID), of
   * every policy type and target kind (included, excluded), ordered by (policy type, external id,
   * assignment id). Each edge carries its item's type, id and name, the target kind, the group's
   * and the filter's names where known, filter type, intent, source, when the item's assignments
   * were observed (`assignmentsObservedAt`), whether that run enumerated the item's type completely
   * (`typeCompleteWhenObserved`, null when the run has no outcome for it yet) and whether the item
   * was observed later without its assignments (`assignmentsOutdated`). Every page also lists the
   * policy types with assignments it cannot vouch for (`typesNotCovered`: latest outcome not
   * complete, or never enumerated; registry order), whose policies may name the group unlisted.
   * `limit` 1 to 1000 (default 100), `cursor` the previous page's nextCursor of the same group
   * (another lookup's is `invalid_input`). `invalid_input`, `tenant_unknown`.
   */
  listAssignmentsByGroup(
    tenantId: string,
    groupId: string,
    options: { limit?: number; cursor?: string } = {},
  ): Promise<AssignmentPage> {
    return assignments.listAssignments(this.deps.db, tenantId, { groupId }, options);
  }

  /**
   * Every edge listAssignmentsByGroup would page through, read `pageSize` (1 to 1000, default
   * 1000) at a time as the caller consumes them. Bad arguments throw here (`invalid_input`);
   * `tenant_unknown` and `db_error` come from the iteration.
   */
  iterateAssignmentsByGroup(
    tenantId: string,
    groupId: string,
    options: { pageSize?: number; cursor?: string } = {},
  ): AsyncIterable<AssignmentEdge> {
    return assignments.iterateAssignments(this.deps.db, tenantId, { groupId }, options);
  }

  /**
   * Like listAssignmentsByGroup, for the current edges that use assignment filter `filterId` (a
   * GUID), whatever they target.
   */
  listAssignmentsByFilter(
    tenantId: string,
    filterId: string,
    options: { limit?: number; cursor?: string } = {},
  ): Promise<AssignmentPage> {
    return assignments.listAssignments(this.deps.db, tenantId, { filterId }, options);
  }

  /** Like iterateAssignmentsByGroup, for the edges listAssignmentsByFilter pages through. */
  iterateAssignmentsByFilter(
    tenantId: string,
    filterId: string,
    options: { pageSize?: number; cursor?: string } = {},
  ): AsyncIterable<AssignmentEdge> {
    return assignments.iterateAssignments(this.deps.db, tenantId, { filterId }, options);
  }

  /**
   * One item's current assignment edges (as listAssignmentsByGroup describes them), with whether
   * its type has assignments at all (`typeHasAssignments`) and when they were observed
   * (`assignmentsObservedAt`; null: never, so no edges are known, which is not "none"), and its
   * type in `typesNotCovered` when the type's latest outcome is not complete.
   * `invalid_input` for an unknown type or a malformed id, `tenant_unknown`, `item_not_found`.
   */
  getItemAssignments(tenantId: string, policyType: string, externalId: string): Promise<ItemAssignments> {
    return assignments.getItemAssignments(this.deps.db, tenantId, policyType, externalId);
  }

  // --- schedules -----------------------------------------------------------------------------

  /**
   * Creates (or updates) the schedule of one tenant and selection; `created` says which. `every`
   * and `jitter` are durations (`30m`, `6h`, `1d`) or milliseconds; `every` from 1 minute to 365
   * days, `jitter` shorter than `every` (`invalid_input` otherwise). Each action starts a trigger workflow that runs the sync under
   * the derived ID, so scheduled and manual syncs share the lock. `tenant_unknown` for an
   * unregistered tenant.
   */
  createSchedule(input: {
    tenantId: string;
    selection: SelectionInput;
    every: string | number;
    jitter?: string | number;
  }): Promise<{ scheduleId: string; created: boolean }> {
    return schedules.createSchedule(this.deps, input);
  }

  /**
   * Deletes a sync schedule, by tenant and selection or by id (not both: `invalid_input`);
   * `schedule_not_found` when absent. Only sync schedules (`inventory-schedule:<tenant
   * id>:<selection hash>`): any other id, such as the reaper's, is refused with
   * `schedule_protected` and left alone.
   */
  deleteSchedule(
    input: { tenantId: string; selection: SelectionInput } | { scheduleId: string },
  ): Promise<void> {
    return schedules.deleteSchedule(this.deps, input);
  }

  /**
   * Sync schedules, of one tenant or all, by schedule id. Which schedules exist comes from
   * Temporal's visibility store, which can trail a schedule created a moment ago; what each one
   * is comes from its own description, current at once.
   */
  listSchedules(tenantId?: string): Promise<ScheduleSummary[]> {
    return schedules.listSchedules(this.deps, tenantId);
  }

  // --- coverage ------------------------------------------------------------------------------

  /**
   * Per policy type of the registry (in key order), how far the tenant's inventory of it can be
   * trusted: its latest complete enumeration (run and time; `everComplete` false and
   * `lastComplete` null when no run ever served it in full), the items present now, and its latest
   * attempt's outcome and stable code. `invalid_input` for a malformed id, `tenant_unknown`.
   */
  getCoverage(tenantId: string): Promise<TypeCoverage[]> {
    return coverage.getCoverage(this.deps.db, tenantId);
  }

  /**
   * One line per registered tenant, worst first (client/coverage.ts compareWorstFirst): its last
   * successful sync, the oldest latest-complete enumeration among the types its runs cover (null
   * when one was never complete), how many of those types failed their latest attempt and their
   * most common code. Each tenant is read in its own tenant-scoped transaction.
   */
  getFleetStatus(): Promise<TenantStatus[]> {
    return coverage.getFleetStatus(this.deps.db);
  }
}
