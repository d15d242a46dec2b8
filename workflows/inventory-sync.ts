/**
 * `inventorySync`: one enumeration of a selection for one tenant.
 *
 * The workflow ID `inventory-sync:{tenant}:{selectionHash}` is the lock (one open execution per
 * ID); the run row's partial unique index is the second line for starts under any other ID.
 *
 * History holds cursors and counts, never Graph payloads: each page is one activity that fetches,
 * upserts and returns counts plus the next cursor. The state needed to resume (per type: cursor,
 * counts, recent nextLink fingerprints) is small and bounded, and is carried across
 * continue-as-new once the server suggests it or a page budget per execution is spent.
 */
import {
  ActivityCancellationType,
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  TimeoutFailure,
  continueAsNew,
  defineQuery,
  isCancellation,
  proxyActivities,
  setHandler,
  sleep,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { GraphActivities, RunActivities, SyncPlan } from '../activities';
import { isErrorCode, type ErrorCode } from '../inventory/error-codes';
import type { PolicyType } from '../inventory/policy-types';
import { SELECTION_HASH_ATTRIBUTE, TENANT_ID_ATTRIBUTE } from '../inventory/search-attributes';
import { PROGRESS_QUERY, correlationId } from '../inventory/workflow-ids';
import { initialProgress, summarizeRun, type TypeProgress, type TypeProgressMap } from './run-outcome';

export interface InventorySyncInput {
  tenantId: string;
  selection: { policy_types?: string[]; categories?: string[] };
  /** Carried across continue-as-new; absent on a fresh start. */
  resume?: { plan: SyncPlan; types: TypeProgressMap };
}

export interface InventorySyncResult {
  runId: string;
  selectionHash: string;
  status: 'success' | 'partial' | 'failed' | 'skipped';
  itemsObserved: number;
  itemsUpserted: number;
  hadErrors: boolean;
  errorCodes: ErrorCode[];
}

export interface SyncProgress {
  phase: 'starting' | 'waiting_for_slot' | 'enumerating' | 'finalizing' | 'done';
  runId: string | null;
  types: Partial<
    Record<
      PolicyType,
      { state: TypeProgress['state']; pages: number; items: number; invalid: number; code?: ErrorCode }
    >
  >;
  totals: { pages: number; items: number; invalid: number };
}

export const progressQuery = defineQuery<SyncProgress>(PROGRESS_QUERY);

/** Recent nextLink fingerprints kept per type; a loop longer than this is caught by MAX_PAGES_PER_TYPE. */
const FINGERPRINT_WINDOW = 64;
const MAX_PAGES_PER_TYPE = 100_000;

const runActivities = proxyActivities<RunActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

export async function inventorySync(input: InventorySyncInput): Promise<InventorySyncResult> {
  const info = workflowInfo();
  let phase: SyncProgress['phase'] = input.resume ? 'enumerating' : 'starting';
  let plan: SyncPlan | null = input.resume?.plan ?? null;
  const types: TypeProgressMap = input.resume?.types ?? {};

  setHandler(progressQuery, (): SyncProgress => {
    const view: SyncProgress['types'] = {};
    const totals = { pages: 0, items: 0, invalid: 0 };
    for (const [type, t] of Object.entries(types) as Array<[PolicyType, TypeProgress]>) {
      view[type] = {
        state: t.state,
        pages: t.pages,
        items: t.items,
        invalid: t.invalid,
        ...(t.error && { code: t.error.code }),
      };
      totals.pages += t.pages;
      totals.items += t.items;
      totals.invalid += t.invalid;
    }
    return { phase, runId: plan?.runId ?? null, types: view, totals };
  });

  if (!plan) {
    // Begin is not cancellable: once it has written a run row, the workflow must know the row's
    // id to finalize it, whatever arrives meanwhile.
    let waitedMs = 0;
    for (;;) {
      const begun = await CancellationScope.nonCancellable(() =>
        runActivities.beginRun({
          tenantId: input.tenantId,
          selection: input.selection,
          correlationId: correlationId(info.workflowId, info.firstExecutionRunId),
          waitedMs,
        }),
      );
      if (begun.kind === 'started') {
        plan = begun.plan;
        break;
      }
      if (begun.kind === 'skipped') {
        tagExecution(input.tenantId, begun.selectionHash, null);
        phase = 'done';
        return {
          runId: begun.runId,
          selectionHash: begun.selectionHash,
          status: 'skipped',
          itemsObserved: 0,
          itemsUpserted: 0,
          hadErrors: true,
          errorCodes: [begun.code],
        };
      }
      phase = 'waiting_for_slot';
      await sleep(begun.retryInMs);
      waitedMs += begun.retryInMs;
    }
    tagExecution(input.tenantId, plan.selectionHash, plan.selection);
    for (const type of plan.scope) types[type] = initialProgress();
    phase = 'enumerating';
  }

  const activePlan = plan;
  const finalize = async (cancelled: boolean): Promise<InventorySyncResult> => {
    phase = 'finalizing';
    const outcome = summarizeRun(types, { cancelled });
    await runActivities.finalizeRun({ tenantId: input.tenantId, runId: activePlan.runId, ...outcome });
    phase = 'done';
    return {
      runId: activePlan.runId,
      selectionHash: activePlan.selectionHash,
      status: outcome.status,
      itemsObserved: outcome.itemsObserved,
      itemsUpserted: outcome.itemsUpserted,
      hadErrors: outcome.hadErrors,
      errorCodes: outcome.errorCodes,
    };
  };

  let complete: boolean;
  try {
    complete = await enumerate(input.tenantId, activePlan, types);
  } catch (error) {
    // enumerate returns only once every page in flight has settled, so the counts finalized
    // here are those of the items actually stored under this run.
    if (isCancellation(error)) {
      await CancellationScope.nonCancellable(() => finalize(true));
    }
    throw error;
  }
  if (!complete) {
    return continueAsNew<typeof inventorySync>({
      tenantId: input.tenantId,
      selection: input.selection,
      resume: { plan: activePlan, types },
    });
  }
  // A cancellation arriving while finalizing must not leave the row running.
  return CancellationScope.nonCancellable(() => finalize(false));
}

/** Search attributes for the UI's filters, and the selection as memo (also for raw CLI starts). */
function tagExecution(
  tenantId: string,
  selectionHash: string,
  selection: SyncPlan['selection'] | null,
): void {
  upsertSearchAttributes([
    { key: TENANT_ID_ATTRIBUTE, value: tenantId },
    { key: SELECTION_HASH_ATTRIBUTE, value: selectionHash },
  ]);
  if (selection) upsertMemo({ selection, selectionHash });
}

/**
 * Enumerates every unfinished type, `typeConcurrency` at a time. Returns false when it stopped
 * early at page boundaries so the caller continues as new with the state in `types`.
 *
 * On cancellation it still waits for every lane: a page activity already running is asked to
 * stop and awaited (WAIT_CANCELLATION_COMPLETED), and a page that completed anyway is counted,
 * since its items are stored. Only then does it throw the cancellation.
 */
async function enumerate(tenantId: string, plan: SyncPlan, types: TypeProgressMap): Promise<boolean> {
  const { syncPage } = proxyActivities<GraphActivities>({
    taskQueue: plan.graphTaskQueue,
    // Heartbeats (every 2 s) reveal a dead worker quickly; start-to-close only bounds a stuck attempt.
    heartbeatTimeout: '15 seconds',
    startToCloseTimeout: '3 minutes',
    retry: {
      initialInterval: '1 second',
      backoffCoefficient: 2,
      maximumInterval: '1 minute',
      maximumAttempts: plan.pageAttempts,
    },
    // Per-tenant request rate: the Graph queue's fairness-key rate limit applies per tenant.
    priority: { fairnessKey: tenantId },
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  });

  // Types already started (resumed after continue-as-new) go first, then the rest in scope order.
  const queue = plan.scope
    .filter((type) => types[type]?.state === 'running')
    .concat(plan.scope.filter((type) => types[type]?.state === 'pending'));
  let pagesThisExecution = 0;
  let stopping = false;
  let authFailed = false;

  const fail = (t: TypeProgress, code: ErrorCode, message: string): void => {
    t.state = 'failed';
    t.cursor = null;
    t.error = { code, message };
  };

  const enumerateType = async (type: PolicyType): Promise<void> => {
    const t = types[type]!;
    t.state = 'running';
    while (!stopping) {
      if (authFailed) {
        fail(t, 'auth_failed', 'not attempted: authentication for the tenant failed');
        return;
      }
      let page;
      try {
        page = await syncPage({ tenantId, runId: plan.runId, policyType: type, nextLink: t.cursor });
      } catch (error) {
        if (isCancellation(error)) throw error;
        const failure = describeFailure(error);
        fail(t, failure.code, failure.message);
        if (failure.code === 'auth_failed') authFailed = true;
        return;
      }
      pagesThisExecution += 1;
      t.pages += 1;
      t.items += page.observed;
      t.upserted += page.upserted;
      t.invalid += page.invalid;
      if (page.nextLink === null || page.nextFingerprint === null) {
        t.state = 'done';
        t.cursor = null;
        return;
      }
      if (t.fingerprints.includes(page.nextFingerprint) || t.pages >= MAX_PAGES_PER_TYPE) {
        fail(t, 'graph_paging_loop', `Graph returned a nextLink already followed after ${t.pages} pages`);
        return;
      }
      t.fingerprints = [...t.fingerprints, page.nextFingerprint].slice(-FINGERPRINT_WINDOW);
      t.cursor = page.nextLink;
      if (workflowInfo().continueAsNewSuggested || pagesThisExecution >= plan.pagesPerExecution) {
        stopping = true;
      }
    }
  };

  const lane = async (): Promise<void> => {
    for (let type = queue.shift(); type !== undefined && !stopping; type = queue.shift()) {
      await enumerateType(type);
    }
  };
  const lanes = await Promise.allSettled(Array.from({ length: Math.max(1, plan.typeConcurrency) }, lane));
  const stopped = lanes.find((result) => result.status === 'rejected');
  if (stopped) throw stopped.reason;
  // A cancellation whose last pages ended on their own (completed or failed) left no lane to
  // throw it: it still ends the run as cancelled.
  const scope = CancellationScope.current();
  if (scope.consideredCancelled) await scope.cancelRequested;
  return plan.scope.every((type) => types[type]?.state === 'done' || types[type]?.state === 'failed');
}

/** The stable code and one-line message of a page that failed for good. */
function describeFailure(error: unknown): { code: ErrorCode; message: string } {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure && cause.type && isErrorCode(cause.type)) {
    return { code: cause.type, message: cause.message };
  }
  if (cause instanceof TimeoutFailure) {
    return {
      code: 'graph_network_error',
      message: `the page timed out (${cause.timeoutType}) on every attempt`,
    };
  }
  return { code: 'internal_error', message: cause instanceof Error ? cause.message : String(cause) };
}
