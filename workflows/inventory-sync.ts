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
  type ActivityOptions,
  ActivityCancellationType,
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  TimeoutFailure,
  condition,
  continueAsNew,
  isCancellation,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { GraphActivities, RunActivities, SyncPlan } from '../activities';
import { NON_RETRYABLE_CODES, isErrorCode, type ErrorCode } from '../inventory/error-codes';
import { policyType, type PolicyType } from '../inventory/policy-types';
import { SELECTION_HASH_ATTRIBUTE, TENANT_ID_ATTRIBUTE } from '../inventory/search-attributes';
import { correlationId, graphQueueOfType } from '../inventory/workflow-ids';
import {
  progressQuery,
  slotFreedSignal,
  type InventorySyncInput,
  type InventorySyncResult,
  type SyncProgress,
} from './contract';
import { summarizeRun } from './run-outcome';
import { orFailWithCode, workflowFailure } from './failures';
import { parseSyncInput, refuseExtraArguments, typesOutsideScope } from './sync-input';
import {
  applyPage,
  failType,
  hasEnded,
  initialProgress,
  failIfTenantFailed,
  noteTenantFailure,
  type TenantFailures,
  rejectSelect,
  type TypeProgress,
  type TypeProgressMap,
} from './type-progress';

/**
 * Run-row activities talk to PostgreSQL: retried with backoff through a database restart
 * (about 4 minutes of attempts), but bounded, and never for a code no retry can fix.
 */
const RUN_ACTIVITY_OPTIONS = {
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 12,
    nonRetryableErrorTypes: [...NON_RETRYABLE_CODES],
  },
} satisfies ActivityOptions;

/**
 * Marks histories whose run-row activities (begin, resume, finalize) are local activities: run by
 * the worker that runs the workflow task, inside it, recorded as one marker event, with no task
 * for the server to match and no workflow task of their own (issue 15: a run's workflow tasks are
 * what it waits for inside its slot when the worker is busy). Histories recorded before keep them
 * as activities.
 */
export const LOCAL_RUN_ACTIVITIES_PATCH = 'local-run-activities';

/**
 * Input `{ tenantId, selection }` (InventorySyncInput), parsed first by parseSyncInput; returns the
 * finalized run's InventorySyncResult, or a `skipped` one. Fails non-retryably with `invalid_input`,
 * `invalid_selection` or `tenant_unknown` (or a run activity's code once its retries run out).
 * Continues as new with `resume` every `pagesPerExecution` pages or when the server suggests it; a
 * cancellation finalizes the run as `failed` with `run_cancelled`, then ends the workflow cancelled.
 */
export async function inventorySync(
  rawInput: InventorySyncInput,
  ...extra: unknown[]
): Promise<InventorySyncResult> {
  // The declared type is the contract; what arrives is whatever the starter sent.
  refuseExtraArguments('inventorySync', extra);
  const input = parseSyncInput(rawInput);
  const runActivities = patched(LOCAL_RUN_ACTIVITIES_PATCH)
    ? proxyLocalActivities<RunActivities>(RUN_ACTIVITY_OPTIONS)
    : proxyActivities<RunActivities>(RUN_ACTIVITY_OPTIONS);
  const info = workflowInfo();
  const chain = correlationId(info.workflowId, info.firstExecutionRunId);
  let phase: SyncProgress['phase'] = input.resume ? 'enumerating' : 'starting';
  let plan: SyncPlan | null = null;
  const types: TypeProgressMap = {};

  setHandler(progressQuery, (): SyncProgress => {
    const view: SyncProgress['types'] = {};
    const totals = { pagesCount: 0, itemsObservedCount: 0, itemsInvalidCount: 0 };
    for (const [type, t] of Object.entries(types) as Array<[PolicyType, TypeProgress]>) {
      view[type] = {
        state: t.state,
        pagesCount: t.pagesCount,
        itemsObservedCount: t.itemsObservedCount,
        itemsInvalidCount: t.itemsInvalidCount,
        ...(t.error && { code: t.error.code }),
      };
      totals.pagesCount += t.pagesCount;
      totals.itemsObservedCount += t.itemsObservedCount;
      totals.itemsInvalidCount += t.itemsInvalidCount;
    }
    return { phase, runId: plan?.runId ?? null, types: view, totals };
  });

  if (input.resume) {
    // State carried across continue-as-new is trusted only when it provably is ours: this must be
    // a continued execution, and its run row must belong to this chain, tenant and selection and
    // still be live (resumeRun checks the row and rebuilds the plan from it, not from the input).
    if (!info.continuedFromExecutionRunId) {
      throw workflowFailure(
        'invalid_input',
        '"resume" is set only by the workflow itself when it continues as new; start a sync with {"tenantId", "selection"} only',
      );
    }
    plan = await orFailWithCode(
      runActivities.resumeRun({
        tenantId: input.tenantId,
        selection: input.selection,
        runId: input.resume.runId,
        correlationId: chain,
      }),
    );
    const foreign = typesOutsideScope(input.resume.types, plan.scope);
    if (foreign.length > 0) {
      throw workflowFailure(
        'invalid_input',
        `"resume" names policy types outside the run's scope: ${foreign.join(', ')}`,
      );
    }
    for (const type of plan.scope) types[type] = input.resume.types[type] ?? initialProgress();
  } else {
    // Begin is not cancellable: once it has written a run row, the workflow must know the row's
    // id to finalize it, whatever arrives meanwhile.
    let waitedMs = 0;
    // Set by `slotFreed` (a finisher handing over its slot). Cleared before each begin, not after:
    // a slot freed while begin answers `wait` must still end the wait that follows.
    let slotFreed = false;
    setHandler(slotFreedSignal, () => {
      slotFreed = true;
    });
    for (;;) {
      slotFreed = false;
      const begun = await CancellationScope.nonCancellable(() =>
        orFailWithCode(
          runActivities.beginRun({
            tenantId: input.tenantId,
            selection: input.selection,
            correlationId: chain,
            waitedMs,
          }),
        ),
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
          itemsObservedCount: 0,
          itemsUpsertedCount: 0,
          itemsNewCount: 0,
          itemsChangedCount: 0,
          itemsUnchangedCount: 0,
          hadErrors: true,
          errorCodes: [begun.code],
        };
      }
      phase = 'waiting_for_slot';
      if (begun.handoff) {
        // One timer, as sleep() makes (histories of either replay): `retryInMs` is only the
        // fallback for a lost signal. Date is the workflow's clock, replayed from history.
        const since = Date.now();
        await condition(() => slotFreed, begun.retryInMs);
        // At least 1: begin tells a run's first wait (counted in metrics) by waitedMs 0, and a
        // signal already in before the wait ends it without the clock moving.
        waitedMs += Math.max(1, Date.now() - since);
      } else {
        // A `wait` from a begin without the handoff (a history recorded before it, an older worker
        // during a rolling upgrade): a plain poll.
        await sleep(begun.retryInMs);
        waitedMs += begun.retryInMs;
      }
    }
    tagExecution(input.tenantId, plan.selectionHash, plan.selection);
    for (const type of plan.scope) types[type] = initialProgress();
    phase = 'enumerating';
  }

  const activePlan = plan;
  const finalize = async (cancelled: boolean): Promise<InventorySyncResult> => {
    phase = 'finalizing';
    // Date in workflow code is the workflow's clock: replayed from history, never the machine's.
    const outcome = summarizeRun(types, { cancelled, at: new Date().toISOString() });
    await runActivities.finalizeRun({
      tenantId: input.tenantId,
      runId: activePlan.runId,
      correlationId: chain,
      ...outcome,
    });
    phase = 'done';
    return {
      runId: activePlan.runId,
      selectionHash: activePlan.selectionHash,
      status: outcome.status,
      itemsObservedCount: outcome.itemsObservedCount,
      itemsUpsertedCount: outcome.itemsUpsertedCount,
      itemsNewCount: outcome.itemsNewCount,
      itemsChangedCount: outcome.itemsChangedCount,
      itemsUnchangedCount: outcome.itemsUnchangedCount,
      hadErrors: outcome.hadErrors,
      errorCodes: outcome.errorCodes,
    };
  };

  let enumerated: Enumerated;
  try {
    enumerated = await enumerate(input.tenantId, activePlan, types);
  } catch (error) {
    // enumerate returns only once every page in flight has settled, so the counts finalized
    // here are those of the items actually stored under this run.
    if (isCancellation(error)) {
      await CancellationScope.nonCancellable(() => finalize(true));
    }
    throw error;
  }
  if (!enumerated.complete) {
    return continueAsNew<typeof inventorySync>({
      tenantId: input.tenantId,
      selection: input.selection,
      resume: { runId: activePlan.runId, types },
    });
  }
  try {
    if (!enumerated.groupNamesRead) await refreshGroupNames(input.tenantId, activePlan);
  } catch (error) {
    if (isCancellation(error)) {
      await CancellationScope.nonCancellable(() => finalize(true));
    }
    throw error;
  }
  // A cancellation arriving while finalizing must not leave the row running.
  return CancellationScope.nonCancellable(() => finalize(false));
}

/** How enumerating ended: every type ended (else continue as new), and whether group names were read. */
interface Enumerated {
  complete: boolean;
  groupNamesRead: boolean;
}

/**
 * Retries of the activities that read pages. No attempt cap: each page keeps its own budget
 * (graph/retry-budget.ts), which bounds throttling by time (GRAPH_THROTTLE_BUDGET) and everything
 * else, timed-out attempts included, by GRAPH_MAX_ATTEMPTS, and then fails its type. A cap here
 * would count throttled attempts again, which is what issue 10 is about. The intervals apply only
 * to timed-out attempts: every failure `syncPage` reports names its own next delay.
 */
const PAGE_ACTIVITY_RETRY = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '1 minute',
  nonRetryableErrorTypes: [...NON_RETRYABLE_CODES],
};

/** Marks histories recorded before group names were read (they finalize right after the pages). */
export const GROUP_NAMES_PATCH = 'directory-group-names';

/**
 * Reads the names of the groups this run's edges name, when its scope has types with assignments,
 * on the Graph queue under the tenant's fairness key. Names are a convenience: a failure is logged
 * and never changes the run's outcome; only a cancellation is thrown.
 */
async function refreshGroupNames(tenantId: string, plan: SyncPlan): Promise<void> {
  if (!plan.scope.some((type) => policyType(type).assignments !== undefined)) return;
  if (!patched(GROUP_NAMES_PATCH)) return;
  const { refreshGroupNames: refresh } = proxyActivities<GraphActivities>({
    taskQueue: plan.graphTaskQueue,
    heartbeatTimeout: '15 seconds',
    startToCloseTimeout: '3 minutes',
    retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 3 },
    priority: { fairnessKey: tenantId },
  });
  try {
    const result = await refresh({ tenantId, runId: plan.runId });
    if (result.forbidden) {
      log.info('group names not read: the app may not read groups (needs GroupMember.Read.All)', {
        tenantId,
      });
    }
  } catch (error) {
    if (isCancellation(error)) throw error;
    log.warn('group names not refreshed', {
      tenantId,
      error: error instanceof Error ? error.message : String(error),
    });
  }
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
async function enumerate(tenantId: string, plan: SyncPlan, types: TypeProgressMap): Promise<Enumerated> {
  if ((plan.pagesPerActivity ?? 1) > 1) return enumerateInRunActivities(tenantId, plan, types);
  // A type with its own documented rate goes through its own Graph queue (workflow-ids.ts).
  const pageActivities = (taskQueue: string) =>
    proxyActivities<GraphActivities>({
      taskQueue,
      // Heartbeats (every 2 s) reveal a dead worker quickly; start-to-close only bounds a stuck attempt.
      heartbeatTimeout: '15 seconds',
      startToCloseTimeout: '3 minutes',
      retry: PAGE_ACTIVITY_RETRY,
      // Per-tenant request rate: the Graph queue's fairness-key rate limit applies per tenant.
      priority: { fairnessKey: tenantId },
      cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    });
  const syncPageOf = (type: PolicyType) =>
    pageActivities(graphQueueOfType(plan.graphTaskQueue, type)).syncPage;

  const queue = startOrder(plan, types);
  let pagesThisExecution = 0;
  let stopping = false;
  // A failure that holds for the whole tenant fails the types after it without asking Graph again.
  const tenantFailures: TenantFailures = { authFailed: false, intuneMissing: false };

  const readPages = async (type: PolicyType, t: TypeProgress): Promise<void> => {
    while (!stopping && t.state === 'running') {
      if (failIfTenantFailed(t, type, tenantFailures)) return;
      let page;
      try {
        page = await syncPageOf(type)({
          tenantId,
          runId: plan.runId,
          policyType: type,
          nextLink: t.cursor,
          ...(t.selectRejected && { withoutSelect: true }),
        });
      } catch (error) {
        if (isCancellation(error)) throw error;
        const failure = describeFailure(error);
        failType(t, failure.code, failure.message);
        noteTenantFailure(tenantFailures, failure.code);
        return;
      }
      pagesThisExecution += 1;
      if ('selectRejected' in page) {
        // Asked once more without $select on the next turn of this loop.
        rejectSelect(t, page.selectRejected);
        continue;
      }
      applyPage(t, page);
      if (workflowInfo().continueAsNewSuggested || pagesThisExecution >= plan.pagesPerExecution) {
        stopping = true;
      }
    }
  };

  // A type's end is stamped by the workflow's clock once it is done or failed; one stopped for
  // continue-as-new or by a cancellation is still running and gets no end here.
  const enumerateType = async (type: PolicyType): Promise<void> => {
    const t = types[type]!;
    t.state = 'running';
    try {
      await readPages(type, t);
    } finally {
      if (hasEnded(t)) t.finishedAt = new Date().toISOString();
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
  return { complete: plan.scope.every((type) => hasEnded(types[type])), groupNamesRead: false };
}

/**
 * `enumerate` with many pages per activity (plan.pagesPerActivity > 1): every unfinished type of one
 * Graph queue is handed to one `syncTypes` activity (activities/sync-types.ts), which reads them
 * `typeConcurrency` at a time and answers their advanced progress after at most
 * `pagesPerActivity` pages or PROGRESS_REPORT_MS; this repeats until every type has ended or the execution's page budget
 * is spent. Types with a queue of their own (a documented rate, workflow-ids.ts) are read by their
 * own activity on that queue, beside the others, each with one of the run's lanes.
 *
 * A cancellation reaches the running activities, which answer what they stored: it is counted,
 * and then the cancellation is thrown, as with an activity per page.
 */
async function enumerateInRunActivities(
  tenantId: string,
  plan: SyncPlan,
  types: TypeProgressMap,
): Promise<Enumerated> {
  const syncTypesOn = (taskQueue: string) =>
    proxyActivities<GraphActivities>({
      taskQueue,
      heartbeatTimeout: '15 seconds',
      // The page budget bounds an attempt's work; this only bounds a stuck one.
      startToCloseTimeout: '1 hour',
      retry: PAGE_ACTIVITY_RETRY,
      priority: { fairnessKey: tenantId },
      cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    }).syncTypes;

  const byQueue = new Map<string, PolicyType[]>();
  for (const type of startOrder(plan, types)) {
    const queue = graphQueueOfType(plan.graphTaskQueue, type);
    byQueue.set(queue, [...(byQueue.get(queue) ?? []), type]);
  }
  const groups = [...byQueue.entries()];
  const lanes = Math.max(1, plan.typeConcurrency);
  // Side by side only when every queue can have a lane: the run never reads more types at once.
  const together = groups.length <= lanes;
  const pagesPerActivity = plan.pagesPerActivity ?? 1;
  let pagesThisExecution = 0;
  let stopping = false;
  // The activity that reads every type with assignments also reads the run's group names at its
  // end, which saves the run an activity and a workflow task (activities/group-names.ts).
  const withAssignments = plan.scope.filter((type) => policyType(type).assignments !== undefined);
  let groupNamesRead = false;

  const readGroup = async (taskQueue: string, group: PolicyType[], concurrency: number): Promise<void> => {
    for (;;) {
      const open = group.filter((type) => !hasEnded(types[type]));
      if (open.length === 0 || stopping) return;
      let result;
      try {
        result = await syncTypesOn(taskQueue)({
          tenantId,
          runId: plan.runId,
          types: open.map((policyType) => ({ policyType, progress: types[policyType]! })),
          concurrency,
          pageBudget: Math.max(1, Math.min(pagesPerActivity, plan.pagesPerExecution - pagesThisExecution)),
          reportAfterMs: PROGRESS_REPORT_MS,
          ...(withAssignments.length > 0 &&
            withAssignments.every((type) => group.includes(type)) && { readGroupNames: true }),
        });
      } catch (error) {
        if (isCancellation(error)) throw error;
        // Each page fails its own type inside the activity; only a failure outside any page
        // (one no retry can fix) ends here, and it ends the group's unfinished types.
        const failure = describeFailure(error);
        for (const type of open) failType(types[type]!, failure.code, failure.message);
        return;
      }
      for (const { policyType, progress } of result.types) {
        if (group.includes(policyType)) types[policyType] = progress;
      }
      pagesThisExecution += result.pagesCount;
      if (result.groupNamesRead === true) groupNamesRead = true;
      if (workflowInfo().continueAsNewSuggested || pagesThisExecution >= plan.pagesPerExecution) {
        stopping = true;
      }
      // The activity answers when its types ended, at its page budget or report time, or cancelled.
      if (CancellationScope.current().consideredCancelled) return;
    }
  };

  if (together) {
    // The run's own queue gets the lanes the queues of their own (one each) leave. Every group
    // settles before a cancellation is thrown, as the lanes of `enumerate` do.
    const settled = await Promise.allSettled(
      groups.map(([queue, group]) =>
        readGroup(queue, group, queue === plan.graphTaskQueue ? lanes - (groups.length - 1) : 1),
      ),
    );
    const stopped = settled.find((result) => result.status === 'rejected');
    if (stopped) throw stopped.reason;
  } else {
    for (const [queue, group] of groups) await readGroup(queue, group, lanes);
  }
  const scope = CancellationScope.current();
  if (scope.consideredCancelled) await scope.cancelRequested;
  return { complete: plan.scope.every((type) => hasEnded(types[type])), groupNamesRead };
}

/** Unfinished types in the order to start them: those already started (resumed after continue-as-new) first, then the rest in scope order. */
function startOrder(plan: SyncPlan, types: TypeProgressMap): PolicyType[] {
  return plan.scope
    .filter((type) => types[type]?.state === 'running')
    .concat(plan.scope.filter((type) => types[type]?.state === 'pending'));
}

/**
 * How often a `syncTypes` activity reports progress (ms): its answer is what the progress query
 * shows, and each answer costs one activity's events, so a run of a few seconds is one activity.
 */
const PROGRESS_REPORT_MS = 10_000;

/** The stable code and one-line message of a page that failed for good. */
function describeFailure(error: unknown): { code: ErrorCode; message: string } {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure && cause.type && isErrorCode(cause.type)) {
    return { code: cause.type, message: cause.message };
  }
  // Only a page scheduled with an attempt cap (before the activity kept its own budget) ends so:
  // the activity now fails a page whose attempts keep timing out itself (graph/retry-budget.ts).
  if (cause instanceof TimeoutFailure) {
    return {
      code: 'graph_network_error',
      message: `the page timed out (${cause.timeoutType}) on every attempt`,
    };
  }
  return { code: 'internal_error', message: cause instanceof Error ? cause.message : String(cause) };
}
