/**
 * `syncTypes`: one activity reads the pages of many policy types of one run, `concurrency` types
 * side by side, fetching a type's next page while the current one is stored, until every type has
 * ended or `pageBudget` pages are read. It exists because an activity per page costs the workflow
 * and the Temporal server several history events and a workflow task per page (BENCHMARKS.md
 * "Fleet sweep": the Temporal server's CPU per page matched the worker's).
 *
 * What it keeps from the activity per page (graph-activities.ts `syncPage`):
 * - the same pure progress rules as the workflow (workflows/type-progress.ts: counts, cursor,
 *   paging-loop guard, the `$select` fallback), applied here per stored page;
 * - the same retry budget per page (graph/retry-budget.ts), spent in this process: a throttled or
 *   failed page waits here and is asked again (a wait past the report time goes back to the
 *   workflow in the type's `pendingRetry`), and a page whose budget ran out fails its type with the
 *   same code and message, while the other types go on;
 * - a checkpoint of the progress so far in the heartbeat details, sent every heartbeat interval:
 *   a worker killed at any instant loses only the pages stored after the last checkpoint the
 *   server received (heartbeats are throttled to 0.8 × the heartbeat timeout), which the next
 *   attempt reads again; the upsert is idempotent and counts are those of the checkpoint, so no
 *   item is counted twice;
 * - a cancellation aborts the requests in flight, lets the stores in flight finish, and answers
 *   the progress so far, so the workflow counts exactly what is stored.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Context } from '@temporalio/activity';
import { type ErrorCode } from '../inventory/error-codes';
import { type PolicyType } from '../inventory/policy-types';
import { type GraphClient, type GraphPage, nextLinkFingerprint } from '../graph/client';
import { permanentGraphError } from '../graph/errors';
import { unknownPropertyNamed } from '../graph/response-body';
import {
  afterFailure,
  initialRetryState,
  isThrottling,
  resumeRetryState,
  spentBeforeStart,
  type PageRetryState,
  type RetryBudgets,
} from '../graph/retry-budget';
import {
  applyPage,
  failType,
  failIfTenantFailed,
  hasEnded,
  MAX_PAGES_PER_TYPE,
  noteTenantFailure,
  type TenantFailures,
  rejectSelect,
  type TypeProgress,
} from '../workflows/type-progress';
import { budgetedFailure, retryDecisionOf, selectMayBeAtFault } from './failures';
import { type PageObserver } from './graph-activities';
import { type ReadGroupNames } from './group-names';
import { type StorePage } from './page-store';

/** One type's progress, as the workflow holds it and as this activity hands it back. */
export interface TypeCheckpoint {
  policyType: PolicyType;
  progress: TypeProgress;
}

export interface SyncTypesInput {
  tenantId: string;
  runId: string;
  /** The types to read, unfinished, in the order to start them, each with its progress so far. */
  types: TypeCheckpoint[];
  /** Types read side by side (SYNC_TYPE_CONCURRENCY). */
  concurrency: number;
  /** Pages this activity reads at most (all types together) before it answers. */
  pageBudget: number;
  /**
   * After this long (ms) it starts no new page and answers once the pages in flight are stored,
   * so the workflow's progress query is never older than this plus a page.
   */
  reportAfterMs: number;
  /**
   * Read the run's group names (group-names.ts) once every type has ended, instead of a
   * `refreshGroupNames` activity after it: set by the workflow for the activity that reads every
   * type with assignments.
   */
  readGroupNames?: boolean;
}

export interface SyncTypesResult {
  /** The input's types, advanced: `done`, `failed`, or still `running` with a cursor, or `pending`. */
  types: TypeCheckpoint[];
  /** Pages stored by this activity (all its attempts). */
  pagesCount: number;
  /**
   * The run's group names were read (or the app may not read groups): no `refreshGroupNames`
   * follows. Absent when not asked, not reached, or failed (the activity then retries them).
   */
  groupNamesRead?: true;
}

/** The heartbeat details: what a later attempt of the same activity starts from. */
interface Checkpoint {
  types: TypeCheckpoint[];
  pagesCount: number;
  /** Retry state of each type's page being read; absent between pages. */
  retry: Partial<Record<PolicyType, PageRetryState>>;
}

export interface SyncTypesDeps {
  graph: GraphClient;
  budgets: RetryBudgets;
  storePage: StorePage;
  readGroupNames: ReadGroupNames;
  observer?: PageObserver;
  random?: () => number;
  heartbeatIntervalMs: number;
}

/**
 * Builds `syncTypes(SyncTypesInput): SyncTypesResult`. A type whose page fails for good ends
 * `failed` with the page's stable code (`graph_*`, `auth_failed`, `intune_not_provisioned`,
 * `db_error`, `internal_error`) and message; after `auth_failed` the remaining types fail as not
 * attempted, after `intune_not_provisioned` the remaining Intune types do. The activity itself only
 * fails for a cancellation it could not answer or an error outside any page.
 */
export function createSyncTypes({
  graph,
  budgets,
  storePage,
  readGroupNames,
  observer,
  random = Math.random,
  heartbeatIntervalMs,
}: SyncTypesDeps) {
  return async (input: SyncTypesInput): Promise<SyncTypesResult> => {
    const context = Context.current();
    const cancel = context.cancellationSignal;
    const state = resumeCheckpoint(input, context.info.heartbeatDetails, context.info.attempt);
    // The latest progress goes out on the interval, not after each page: every heartbeat call is
    // encoded by the SDK, and the server takes at most one per 0.8 × the heartbeat timeout anyway.
    const heartbeat = setInterval(() => context.heartbeat(state), heartbeatIntervalMs);
    let pagesStarted = state.pagesCount;
    // When each waiting page may be asked again (epoch ms): carried in from the previous
    // activity's answer (TypeProgress.pendingRetry) or set by a failure here.
    const retryAt = new Map<PolicyType, number>();
    for (const { policyType, progress } of state.types) {
      if (progress.pendingRetry === undefined || hasEnded(progress)) continue;
      state.retry[policyType] ??= progress.pendingRetry.state;
      retryAt.set(policyType, progress.pendingRetry.retryAtMs);
    }
    const reportAt = Date.now() + input.reportAfterMs;
    const tenantFailures: TenantFailures = { authFailed: false, intuneMissing: false };

    const budgetLeft = () => pagesStarted < input.pageBudget && Date.now() < reportAt;
    const fetch = (type: PolicyType, t: TypeProgress, nextLink: string | null, signal: AbortSignal) => {
      const retry = state.retry[type] ?? initialRetryState();
      return graph.fetchPage(input.tenantId, type, {
        nextLink,
        attempt: retry.errorAttempts + retry.throttledAttempts + 1,
        signal,
        select: nextLink === null && t.selectRejected === undefined,
      });
    };

    /** Reads one type's pages until it ends, the budget is spent or the run is cancelled. */
    const readType = async (type: PolicyType, t: TypeProgress): Promise<void> => {
      if (t.state === 'pending') t.state = 'running';
      // The next page, fetched while the current one is stored; aborted if that store fails.
      let prefetch: { link: string; page: Promise<GraphPage>; abort: AbortController } | null = null;
      /** Abandons the page fetched ahead (a failure, a loop, the end): it was never read. */
      const dropPrefetch = (): void => {
        if (prefetch === null) return;
        prefetch.abort.abort();
        pagesStarted -= 1;
        prefetch = null;
      };
      while (t.state === 'running' && !cancel.aborted) {
        if (failIfTenantFailed(t, type, tenantFailures)) break;
        // A page waiting to be asked again (Retry-After, backoff) waits here, but not past the
        // report time: the activity then answers with the wait in the type's progress, so one
        // throttled type holds up neither the others' progress nor the next activity's reads.
        const due = retryAt.get(type);
        if (due !== undefined) {
          const waitMs = due - Date.now();
          if (waitMs > 0) {
            const until = Math.min(waitMs, Math.max(0, reportAt - Date.now()));
            const waited = await sleep(until, true, { signal: cancel }).catch(() => false);
            if (!waited) break;
            if (until < waitMs) {
              t.pendingRetry = { state: state.retry[type] ?? initialRetryState(), retryAtMs: due };
              break;
            }
          }
          retryAt.delete(type);
        }
        const retry = state.retry[type];
        if (retry === undefined) {
          if (!budgetLeft()) break;
          pagesStarted += 1;
          state.retry[type] = initialRetryState();
        } else {
          const spent = spentBeforeStart(retry, budgets);
          if (spent !== null) {
            fail(
              type,
              t,
              permanentGraphError('graph_network_error', `the ${type} page was not asked again: ${spent}`),
            );
            break;
          }
        }
        const withSelect = t.cursor === null && t.selectRejected === undefined;
        let page: GraphPage;
        let result;
        try {
          const ahead = prefetch !== null && prefetch.link === t.cursor ? prefetch.page : null;
          prefetch = null;
          page = await (ahead ?? fetch(type, t, t.cursor, cancel));
          // Not when the type's own loop guard will end it at this page (graph_paging_loop).
          if (page.nextLink !== null && budgetLeft() && !endsLoop(t, page.nextLink)) {
            const abort = new AbortController();
            const next = fetch(type, t, page.nextLink, AbortSignal.any([cancel, abort.signal]));
            // Settled by the next turn of the loop, or abandoned with its abort: never unhandled.
            next.catch(() => undefined);
            prefetch = { link: page.nextLink, page: next, abort };
            pagesStarted += 1;
          }
          result = await storePage(
            { tenantId: input.tenantId, runId: input.runId, policyType: type, attempt: context.info.attempt },
            page,
          );
        } catch (error) {
          dropPrefetch();
          if (cancel.aborted) break;
          const decision = retryDecisionOf(error);
          const verdict = afterFailure(
            state.retry[type] ?? initialRetryState(),
            decision,
            Date.now(),
            budgets,
            random,
          );
          state.retry[type] = verdict.state;
          if (verdict.retry) {
            if (isThrottling(decision)) observer?.onThrottleWait(type, verdict.delayMs / 1_000);
            retryAt.set(type, Date.now() + verdict.delayMs);
            continue;
          }
          const failure = budgetedFailure(error, verdict);
          delete state.retry[type];
          if (withSelect && selectMayBeAtFault(decision)) {
            rejectSelect(t, {
              property: unknownPropertyNamed(failure.message),
              code: decision.code,
              message: failure.message,
            });
            if (t.state === 'running') {
              // Asked again without `$select`: a new page of the budget.
              continue;
            }
            break;
          }
          fail(type, t, failure);
          break;
        }
        applyPage(t, result);
        delete t.pendingRetry;
        state.pagesCount += 1;
        // The type ended (a paging loop) although Graph offered another page.
        if (prefetch !== null && t.cursor !== prefetch.link) dropPrefetch();
        // The prefetched page is the one now being read: a fresh budget of its own.
        if (prefetch !== null) state.retry[type] = initialRetryState();
        else delete state.retry[type];
      }
      if (prefetch !== null) {
        dropPrefetch();
        delete state.retry[type];
      }
      if (hasEnded(t)) {
        delete t.pendingRetry;
        t.finishedAt = new Date().toISOString();
      }
    };

    /** Fails the type for good, and notes a failure that holds for the whole tenant. */
    const fail = (type: PolicyType, t: TypeProgress, failure: Error & { type?: string | null }): void => {
      const code = (failure.type ?? 'internal_error') as ErrorCode;
      failType(t, code, failure.message);
      context.log.warn('policy type failed', {
        policyType: type,
        error: { type: code, message: failure.message },
      });
      noteTenantFailure(tenantFailures, code);
    };

    /** Group names are a convenience: a failure is logged and left to `refreshGroupNames`. */
    const readNames = async (): Promise<boolean> => {
      try {
        const read = await readGroupNames({ tenantId: input.tenantId, runId: input.runId }, cancel);
        if (read.forbidden) {
          context.log.info('group names not read: the app may not read groups (needs GroupMember.Read.All)');
        }
        return true;
      } catch (error) {
        if (!cancel.aborted) {
          context.log.warn('group names not read yet; refreshGroupNames asks again', {
            error: error instanceof Error ? error.message : String(error),
          });
        }
        return false;
      }
    };

    // Types already started (resumed) go first, as the workflow orders them.
    const queue = state.types.filter((c) => !hasEnded(c.progress));
    const lane = async (): Promise<void> => {
      for (let next = queue.shift(); next !== undefined && !cancel.aborted; next = queue.shift()) {
        if (!budgetLeft() && state.retry[next.policyType] === undefined) {
          queue.unshift(next);
          return;
        }
        await readType(next.policyType, next.progress);
      }
    };
    let groupNamesRead = false;
    try {
      await Promise.all(Array.from({ length: Math.max(1, input.concurrency) }, lane));
      if (
        input.readGroupNames === true &&
        !cancel.aborted &&
        state.types.every((c) => hasEnded(c.progress))
      ) {
        groupNamesRead = await readNames();
      }
    } finally {
      clearInterval(heartbeat);
    }
    // A failure for the whole tenant also ends the types no lane reached or went on with.
    for (const { policyType, progress } of state.types) {
      if (!hasEnded(progress) && failIfTenantFailed(progress, policyType, tenantFailures)) {
        delete progress.pendingRetry;
        progress.finishedAt = new Date().toISOString();
      }
    }
    return {
      types: state.types,
      pagesCount: state.pagesCount,
      ...(groupNamesRead && { groupNamesRead: true }),
    };
  };
}

/** Whether following `nextLink` would end `t` in applyPage's paging-loop guard. */
function endsLoop(t: TypeProgress, nextLink: string): boolean {
  return (
    t.nextLinkFingerprints.includes(nextLinkFingerprint(nextLink)) || t.pagesCount + 1 >= MAX_PAGES_PER_TYPE
  );
}

/**
 * The state this attempt starts from: the input's, or on a later attempt the last checkpoint the
 * server received for the same types. A page in flight when the previous attempt ended counts as
 * one failed attempt of that page (its worker was lost or the attempt timed out), as resumeRetryState
 * counts a lost attempt of a page activity.
 */
function resumeCheckpoint(input: SyncTypesInput, details: unknown, attempt: number): Checkpoint {
  const fresh: Checkpoint = { types: input.types, pagesCount: 0, retry: {} };
  if (attempt <= 1 || !isCheckpointOf(details, input)) return fresh;
  const retry: Checkpoint['retry'] = {};
  for (const [type, saved] of Object.entries(details.retry) as Array<[PolicyType, PageRetryState]>) {
    retry[type] = resumeRetryState(saved, (saved.recordedAttempts ?? 0) + 2);
  }
  return { types: details.types, pagesCount: details.pagesCount, retry };
}

/** Whether heartbeat details are a checkpoint of exactly the input's types (this activity's own). */
function isCheckpointOf(details: unknown, input: SyncTypesInput): details is Checkpoint {
  if (typeof details !== 'object' || details === null) return false;
  const d = details as Partial<Checkpoint>;
  if (
    !Array.isArray(d.types) ||
    !Number.isSafeInteger(d.pagesCount) ||
    typeof d.retry !== 'object' ||
    d.retry === null
  ) {
    return false;
  }
  const want = input.types.map((c) => c.policyType).join(',');
  return d.types.map((c) => c?.policyType).join(',') === want;
}
