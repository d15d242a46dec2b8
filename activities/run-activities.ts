/**
 * Activities that own the run row: begin (tenant check, limits, the database's second-line lock),
 * finalize, and the reaper that closes rows whose workflow ended without finalizing them. They run
 * on the main task queue; Graph work runs on its own rate-limited queue (graph-activities.ts).
 * A run that finds every slot taken is recorded as a slot waiter; whoever frees a slot hands it to
 * the oldest waiter that fits (slot-handoff.ts).
 */
import { type DataSource } from 'typeorm';
import { ApplicationFailure } from '@temporalio/common';
import { InventoryError, type ErrorCode } from '../inventory/error-codes';
import { type PolicyType } from '../inventory/policy-types';
import { parseSelection, selectionScope, type Selection } from '../inventory/selection';
import { selectionHash } from '../inventory/selection-hash';
import { parseTenantId } from '../inventory/tenant-id';
import { SYNC_WORKFLOW_ID_PREFIX, parseCorrelationId, syncWorkflowId } from '../inventory/workflow-ids';
import { registerSlotWaiter, removeSlotWaiter, type SlotCap } from '../db/repositories/slot-waiters';
import {
  finalizeRun as finalizeRunRow,
  getRun,
  listLiveRuns,
  markRunsAbandoned,
  recordSkippedRun,
  startRun,
  type FinalizeRunResult,
  type StartRunInput,
  type StartRunResult,
  type SyncRun,
} from '../db/repositories/sync-runs';
import { orDbError } from '../db/errors';
import { withTenant } from '../db/tenant-scope';
import { type Logger } from '../logging/logger';
import { type ExecutionLiveness } from './execution-liveness';
import { withSafeFailures } from './failures';
import { type SlotHandoff } from './slot-handoff';

export interface SyncLimits {
  global: number;
  perTenant: number;
  /** Policy types of one run enumerated in parallel. */
  typeConcurrency: number;
  /** How long a run may wait for a free slot before it is recorded as skipped. */
  slotWaitMs: number;
  /** GRAPH_MAX_ATTEMPTS: failed attempts per Graph page, throttling not counted, before the type fails. */
  graphMaxAttempts: number;
  /** GRAPH_THROTTLE_BUDGET: how long (ms) one Graph page may stay throttled before the type fails. */
  graphThrottleBudgetMs: number;
  /** Pages one workflow execution fetches before it continues as new, bounding its history. */
  pagesPerExecution: number;
  /** Pages one Graph activity reads before it reports back; 1: an activity per page. */
  pagesPerActivity: number;
}

/** What the workflow needs to enumerate: decided here so the workflow reads no configuration. */
export interface SyncPlan {
  runId: string;
  selectionHash: string;
  selection: Selection;
  scope: PolicyType[];
  typeConcurrency: number;
  pagesPerExecution: number;
  /**
   * Pages one `syncTypes` activity reads before it reports back. Absent from plans made before it
   * existed, and 1: the run reads every page in its own `syncPage` activity.
   */
  pagesPerActivity?: number;
  graphTaskQueue: string;
}

export interface BeginRunInput {
  tenantId: string;
  selection: unknown;
  /** `<workflowId>/<firstExecutionRunId>`; makes begin idempotent under activity retries. */
  correlationId: string;
  /** Time this workflow has already waited for a slot. */
  waitedMs: number;
}

/**
 * `wait`: every slot of the cap `code` names is taken. With `handoff`, the run is registered as a
 * slot waiter and is sent `slotFreed` when a slot frees for it; `retryInMs` (ms, at least 1) is
 * then only the fallback for a lost signal. Without it (an older worker): poll after `retryInMs`.
 */
export type BeginRunResult =
  | { kind: 'started'; plan: SyncPlan }
  | { kind: 'wait'; code: ErrorCode; retryInMs: number; handoff?: true }
  | { kind: 'skipped'; runId: string; selectionHash: string; code: ErrorCode };

/**
 * The run's final state, computed by the workflow (workflows/run-outcome.ts), and the execution
 * chain finalizing it: only the chain that owns the row may finalize it.
 */
export type FinalizeRunInput = { tenantId: string; runId: string; correlationId: string } & FinalizeRunResult;

export interface ResumeRunInput {
  tenantId: string;
  selection: unknown;
  runId: string;
  /** The resuming execution chain's `<workflowId>/<firstExecutionRunId>`. */
  correlationId: string;
}

/** What the run activities report for metrics (worker/metrics.ts); synchronous and cheap. */
export interface RunObserver {
  /** A run became final: finalized, skipped, or marked abandoned (then without a duration). */
  onRunFinished(run: {
    status: SyncRun['status'];
    errorCodes: readonly string[];
    durationSeconds: number | null;
  }): void;
  /** A run found no free slot and begins to wait for one (once per run). */
  onSlotWait(scope: 'global' | 'tenant'): void;
}

export interface RunActivityDeps {
  db: DataSource;
  liveness: ExecutionLiveness;
  /** Wakes waiting runs when a run became final and freed its slot. */
  handoff: SlotHandoff;
  limits: SyncLimits;
  graphTaskQueue: string;
  logger: Logger;
  observer?: RunObserver;
  random?: () => number;
}

/**
 * A waiter's fallback poll, jittered: long, since a freed slot is handed over by signal; it only
 * covers a signal that was lost (a worker that died between finalizing and signalling).
 */
const SLOT_FALLBACK_MIN_MS = 30_000;
const SLOT_FALLBACK_MAX_MS = 60_000;

/**
 * The run-row activities, each failing as a typed ApplicationFailure (failures.ts), with `db_error`
 * for any database failure. `beginRun` fails with `invalid_input`, `invalid_selection` or
 * `tenant_unknown`; a disabled tenant or a held lock is recorded as `skipped`, and a full slot answers
 * `wait` with `handoff` and a fallback `retryInMs` (30 to 60 s, jittered, within what is left of
 * `limits.slotWaitMs`) until `limits.slotWaitMs` is spent, then is skipped too. `finalizeRun` and
 * `reapAbandonedRuns` then hand the freed slots to the oldest waiters (slot-handoff.ts).
 */
export function createRunActivities(deps: RunActivityDeps) {
  const { db, liveness, handoff, limits, logger, observer } = deps;
  const random = deps.random ?? Math.random;

  /** The run's one `info` line at its start: what an operator greps a run by. */
  function logStarted(run: SyncRun): void {
    logger.info(
      {
        tenantId: run.tenantId,
        selectionHash: run.selectionHash,
        runId: run.id,
        workflowId: workflowIdOf(run),
      },
      'sync run started',
    );
  }

  /** The run's one `info` line at its end, and its metrics; `run` is final. */
  function finished(run: SyncRun): void {
    const durationSeconds =
      run.finishedAt === null ? null : (run.finishedAt.getTime() - run.startedAt.getTime()) / 1_000;
    observer?.onRunFinished({ status: run.status, errorCodes: run.errorCodes, durationSeconds });
    logger.info(
      {
        tenantId: run.tenantId,
        selectionHash: run.selectionHash,
        runId: run.id,
        workflowId: workflowIdOf(run),
        status: run.status,
        itemsObservedCount: run.itemsObservedCount,
        itemsNewCount: run.itemsNewCount,
        itemsChangedCount: run.itemsChangedCount,
        itemsUnchangedCount: run.itemsUnchangedCount,
        durationSeconds,
        errorCodes: run.errorCodes,
        warningCodes: run.warningCodes,
      },
      'sync run ended',
    );
  }

  /** Runs marked abandoned: final, `failed` with `run_abandoned`, without a duration of their own. */
  function abandoned(count: number): void {
    for (let i = 0; i < count; i++) {
      observer?.onRunFinished({ status: 'failed', errorCodes: ['run_abandoned'], durationSeconds: null });
    }
  }

  /**
   * startRun in a transaction of its own (its advisory lock is held until that commits), which
   * also keeps the slot-waiter record in step under that lock: removed when the run started,
   * registered when every slot is taken and `willWait` (the run may still wait). A finalizer
   * looking for waiters takes the same lock, so it either sees this waiter or freed its slot
   * before startRun counted.
   */
  function startRunAlone(input: StartRunInput, willWait: boolean): Promise<StartRunResult> {
    return orDbError(
      'cannot start the run',
      withTenant(db, input.tenantId, async (tx) => {
        const result = await startRun(tx, input);
        if (result.outcome === 'started') {
          await removeSlotWaiter(tx, input.correlationId);
        } else if (willWait && isCapOutcome(result.outcome)) {
          await registerSlotWaiter(tx, { ...input, cap: capOf(result.outcome) });
        }
        return result;
      }),
    );
  }

  /**
   * startRun, but a live row whose owning workflow chain is provably closed (terminated before
   * the reaper got to it) is marked abandoned first instead of blocking this selection.
   */
  async function startRunHealingStaleLock(input: StartRunInput, willWait: boolean): Promise<StartRunResult> {
    const first = await startRunAlone(input, willWait);
    if (first.outcome !== 'lock_held' || !first.heldBy.correlationId) return first;
    const holder = parseCorrelationId(first.heldBy.correlationId);
    const ours = parseCorrelationId(input.correlationId);
    // One workflow ID has at most one open chain: a holder with our ID but another chain is closed.
    const closed =
      holder !== null && ours !== null && holder.workflowId === ours.workflowId
        ? holder.firstExecutionRunId !== ours.firstExecutionRunId
        : (await liveness.isOpen(first.heldBy.correlationId)) === false;
    if (!closed) return first;
    abandoned(
      await orDbError(
        'cannot close the stale run',
        withTenant(db, input.tenantId, (tx) => markRunsAbandoned(tx, input.tenantId, [first.heldBy.runId])),
      ),
    );
    logger.warn({ tenantId: input.tenantId, runId: first.heldBy.runId }, 'stale live run marked abandoned');
    return startRunAlone(input, willWait);
  }

  function plan(run: SyncRun, selection: Selection): SyncPlan {
    return {
      runId: run.id,
      selectionHash: run.selectionHash,
      selection,
      scope: selectionScope(selection),
      typeConcurrency: limits.typeConcurrency,
      pagesPerExecution: limits.pagesPerExecution,
      pagesPerActivity: limits.pagesPerActivity,
      graphTaskQueue: deps.graphTaskQueue,
    };
  }

  async function skip(
    base: { tenantId: string; selection: Selection; selectionHash: string; correlationId: string },
    code: ErrorCode,
    context?: Record<string, unknown>,
  ): Promise<BeginRunResult> {
    const run = await orDbError(
      'cannot record the skipped run',
      withTenant(db, base.tenantId, async (tx) => {
        // A run that waited and gave up is no longer a waiter.
        await removeSlotWaiter(tx, base.correlationId);
        return recordSkippedRun(tx, { ...base, code, ...(context && { context }) });
      }),
    );
    // Reached only when startRun found no row of this chain (a retried begin answers `resumed`).
    finished(run);
    return { kind: 'skipped', runId: run.id, selectionHash: base.selectionHash, code };
  }

  return {
    beginRun: withSafeFailures(async (input: BeginRunInput): Promise<BeginRunResult> => {
      const tenantId = parseTenantId(input.tenantId);
      const selection = parseSelection(input.selection);
      const base = {
        tenantId,
        selection,
        selectionHash: selectionHash(selection),
        correlationId: input.correlationId,
      };
      assertDerivedIdMatches(input.correlationId, tenantId, base.selectionHash);
      const remaining = limits.slotWaitMs - input.waitedMs;
      const result = await startRunHealingStaleLock(
        { ...base, limits: { global: limits.global, perTenant: limits.perTenant } },
        remaining > 0,
      );
      switch (result.outcome) {
        case 'started':
          logStarted(result.run);
          return { kind: 'started', plan: plan(result.run, selection) };
        case 'resumed':
          if (result.run.status === 'running' || result.run.status === 'pending') {
            // A retried begin whose first attempt wrote the row: its start may not have been logged.
            logStarted(result.run);
            return { kind: 'started', plan: plan(result.run, selection) };
          }
          if (result.run.status === 'skipped') {
            return {
              kind: 'skipped',
              runId: result.run.id,
              selectionHash: base.selectionHash,
              code: result.run.errorCodes[0] ?? 'internal_error',
            };
          }
          // Not a user's mistake but a broken invariant (a finished run's chain beginning again):
          // internal_error, which is retryable by default, must not retry here.
          throw ApplicationFailure.create({
            type: 'internal_error',
            message: `run ${result.run.id} of this workflow is already ${result.run.status}`,
            nonRetryable: true,
          });
        case 'tenant_unknown':
          throw new InventoryError('tenant_unknown', `tenant ${tenantId} is not registered`);
        case 'tenant_disabled':
          return skip(base, 'tenant_disabled');
        case 'lock_held':
          return skip(base, 'lock_held', { heldBy: result.heldBy.runId });
        case 'concurrency_limit_global':
        case 'concurrency_limit_tenant': {
          if (remaining > 0) {
            if (input.waitedMs === 0) observer?.onSlotWait(capOf(result.outcome));
            const fallback = SLOT_FALLBACK_MIN_MS + random() * (SLOT_FALLBACK_MAX_MS - SLOT_FALLBACK_MIN_MS);
            // At least 1 ms: a zero timeout would make condition() in the workflow wait forever.
            const retryInMs = Math.max(1, Math.round(Math.min(remaining, fallback)));
            return { kind: 'wait', code: result.outcome, retryInMs, handoff: true };
          }
          return skip(base, result.outcome, { limit: result.limit, running: result.running });
        }
      }
    }),

    /**
     * Checks the run a continued execution resumes and rebuilds its plan from the row, never from
     * the workflow's input: the row must exist for this tenant, have this selection's hash, belong
     * to this execution chain and still be live. Anything else is `invalid_input` (non-retryable),
     * so a forged `resume` can neither take over another run nor bypass begin's checks.
     */
    resumeRun: withSafeFailures(async (input: ResumeRunInput): Promise<SyncPlan> => {
      const tenantId = parseTenantId(input.tenantId);
      const selection = parseSelection(input.selection);
      const run = await orDbError(
        'cannot read the run',
        withTenant(db, tenantId, (tx) => getRun(tx, tenantId, input.runId)),
      );
      const owned =
        run !== null &&
        run.selectionHash === selectionHash(selection) &&
        run.correlationId === input.correlationId &&
        (run.status === 'running' || run.status === 'pending');
      if (!owned) {
        throw new InventoryError(
          'invalid_input',
          `"resume" names run ${input.runId}, which is not a live run of this workflow, tenant and selection; start the sync without "resume"`,
        );
      }
      return plan(run, selection);
    }),

    finalizeRun: withSafeFailures(async (input: FinalizeRunInput): Promise<{ status: SyncRun['status'] }> => {
      const { tenantId, runId, correlationId, ...result } = input;
      const { run, wasLive } = await orDbError(
        'cannot finalize the run',
        withTenant(db, tenantId, async (tx) => {
          // A retried finalize finds the row final already: its end was reported by the first.
          const before = await getRun(tx, tenantId, runId);
          const row = await finalizeRunRow(tx, tenantId, runId, correlationId, result);
          return { run: row, wasLive: before?.status === 'running' || before?.status === 'pending' };
        }),
      );
      if (wasLive && run.finishedAt !== null) finished(run);
      // Also after a retried finalize: its first attempt may have died before handing over. With
      // SYNC_SLOT_WAIT 0 no run waits, so the start lock the hand-over takes is not taken for
      // nothing on every finalize (a waiter of a worker configured otherwise keeps its fallback).
      if (limits.slotWaitMs > 0) await handoff.wake();
      return { status: run.status };
    }),

    reapAbandonedRuns: withSafeFailures(async (): Promise<{ live: number; abandoned: number }> => {
      const live = await orDbError('cannot list live runs', listLiveRuns(db.manager));
      const abandonedByTenant = new Map<string, string[]>();
      for (const run of live) {
        if (!run.correlationId || (await liveness.isOpen(run.correlationId)) !== false) continue;
        abandonedByTenant.set(run.tenantId, [...(abandonedByTenant.get(run.tenantId) ?? []), run.id]);
      }
      let abandonedCount = 0;
      for (const [tenantId, runIds] of abandonedByTenant) {
        const marked = await orDbError(
          'cannot mark runs abandoned',
          withTenant(db, tenantId, (tx) => markRunsAbandoned(tx, tenantId, runIds)),
        );
        abandoned(marked);
        abandonedCount += marked;
        logger.warn({ tenantId, runIds }, 'runs whose workflow ended without finalizing marked abandoned');
      }
      if (abandonedCount > 0 && limits.slotWaitMs > 0) await handoff.wake();
      return { live: live.length, abandoned: abandonedCount };
    }),
  };
}

export type RunActivities = ReturnType<typeof createRunActivities>;

type CapOutcome = 'concurrency_limit_global' | 'concurrency_limit_tenant';

function isCapOutcome(outcome: StartRunResult['outcome']): outcome is CapOutcome {
  return outcome === 'concurrency_limit_global' || outcome === 'concurrency_limit_tenant';
}

/** The cap a full-slot outcome names. */
function capOf(outcome: CapOutcome): SlotCap {
  return outcome === 'concurrency_limit_global' ? 'global' : 'tenant';
}

/** The run's workflow ID, from its correlation id `<workflowId>/<firstExecutionRunId>`. */
function workflowIdOf(run: SyncRun): string | null {
  return run.correlationId === null ? null : (parseCorrelationId(run.correlationId)?.workflowId ?? null);
}

/**
 * A workflow ID shaped like a derived sync ID (`inventory-sync:<tenant>:<hash>`) is the lock of
 * that tenant and selection, so it must name this run's own: a start under a derived ID of
 * another selection (a schedule edited by hand keeping its old hash, a typo in a Temporal CLI
 * start) would run one selection under another's lock, and a manual start of that one would join
 * it. Refused as `invalid_input` before anything is written. Other IDs are free-form.
 */
function assertDerivedIdMatches(correlationId: string, tenantId: string, hash: string): void {
  const workflowId = parseCorrelationId(correlationId)?.workflowId;
  // Case-insensitive, like the tenant id in it: INVENTORY-SYNC:… looks just as much like a lock.
  if (!workflowId?.toLowerCase().startsWith(SYNC_WORKFLOW_ID_PREFIX)) return;
  const expected = syncWorkflowId(tenantId, hash);
  if (workflowId.toLowerCase() !== expected) {
    throw new InventoryError(
      'invalid_input',
      `workflow ID ${workflowId} is not the derived ID of this tenant and selection (${expected}); start it under that ID or under a free-form one`,
    );
  }
}
