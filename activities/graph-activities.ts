/**
 * The Graph queue's activities: `syncTypes` (sync-types.ts), which reads many pages of many types
 * per activity and is what runs use since issue 15; `syncPage`, one page per activity, the design
 * before it, kept for histories recorded with it and for SYNC_PAGES_PER_ACTIVITY=1; and
 * `refreshGroupNames`. Raw Graph payloads stay inside them; workflow history only sees counts and
 * nextLinks.
 *
 * `syncPage`: a worker killed at any instant loses at most this page: the upsert is idempotent and
 * the counts reach the workflow only with the completed attempt, so a retried page is never
 * counted twice. Retries are decided here, not by an attempt count in the workflow's retry policy:
 * the page's retry budget (graph/retry-budget.ts) bounds throttling by time and other failures by
 * attempts. Its state travels in the heartbeat details, which Temporal hands to the next attempt;
 * the worker sends the last details in the same request that reports the failure, so no attempt
 * is lost.
 */
import { Context } from '@temporalio/activity';
import { CancelledFailure } from '@temporalio/common';
import { type DataSource } from 'typeorm';
import { type ErrorCode } from '../inventory/error-codes';
import { type PolicyType } from '../inventory/policy-types';
import { type GraphClient } from '../graph/client';
import { permanentGraphError } from '../graph/errors';
import { unknownPropertyNamed } from '../graph/response-body';
import {
  afterFailure,
  isThrottling,
  resumeRetryState,
  spentBeforeStart,
  type RetryBudgets,
} from '../graph/retry-budget';
import { type Logger } from '../logging/logger';
import { budgetedFailure, retryDecisionOf, selectMayBeAtFault, withSafeFailures } from './failures';
import { createGroupNamesReader, type GroupNamesResult } from './group-names';
import { createPageStore } from './page-store';
import { createSyncTypes } from './sync-types';

export interface SyncPageInput {
  tenantId: string;
  runId: string;
  policyType: PolicyType;
  /** null for the first page. */
  nextLink: string | null;
  /** The first page without `$select`, after it answered `selectRejected`; absent: with it. */
  withoutSelect?: boolean;
}

/** What one page adds to its type's progress (workflows/type-progress.ts `applyPage`). */
export interface SyncPageResult {
  /** Items on the page with a usable id, all of them stored. */
  itemsObservedCount: number;
  /** Rows the upsert wrote (duplicate keys on a page collapse to one). */
  itemsUpsertedCount: number;
  /**
   * Of the rows written: new, changed (name, platform, category or metadata) and unchanged
   * (db/repositories/inventory-items.ts). Absent from pages recorded in history before they were
   * counted, which count them as 0.
   */
  itemsNewCount?: number;
  itemsChangedCount?: number;
  itemsUnchangedCount?: number;
  /** Items without a usable id, skipped. */
  itemsInvalidCount: number;
  nextLink: string | null;
  /** `nextLinkFingerprint(nextLink)`, for the workflow's paging-loop guard; null with no nextLink. */
  nextLinkFingerprint: string | null;
}

/**
 * The first page failed for good while it asked for `$select` (a 400, or server errors until the
 * attempt budget ran out): the workflow asks for it once more without `$select`. Graph refuses
 * and fails `$select` on some Intune collections (issue 10; microsoft-graph-docs #14937).
 */
export interface SelectRejected {
  selectRejected: {
    /** The property Graph named as unknown, when it named one. */
    property: string | null;
    code: ErrorCode;
    message: string;
  };
}

export type SyncPageOutcome = SyncPageResult | SelectRejected;

/** What the page activity reports for metrics (worker/metrics.ts); synchronous and cheap. */
export interface PageObserver {
  /** A page's items were stored: how many, and of the rows written how many were new, changed, unchanged. */
  onPageStored(
    policyType: PolicyType,
    counts: { observed: number; new: number; changed: number; unchanged: number },
  ): void;
  /** A throttled page will be asked again after `seconds` (Retry-After, or backoff without one). */
  onThrottleWait(policyType: PolicyType, seconds: number): void;
}

export interface GraphActivityDeps {
  db: DataSource;
  graph: GraphClient;
  budgets: RetryBudgets;
  /** Per-page lines at `debug`. */
  logger?: Logger;
  observer?: PageObserver;
  random?: () => number;
}

/** How often a running Graph activity heartbeats, in ms. */
export const HEARTBEAT_INTERVAL_MS = 2_000;

/**
 * The Graph queue's one activity, `syncPage(SyncPageInput): SyncPageOutcome`, which stores the
 * page's items under the tenant's row-level security. A failure is retried as the page's budget
 * says (`budgets`), then fails as an ApplicationFailure (failures.ts) typed `graph_*`,
 * `auth_failed`, `db_error` or `internal_error`, except that a first page asked with `$select`
 * answers SelectRejected instead when its failure may be the `$select`'s. Heartbeats every 2 s, and
 * a cancellation aborts the Graph request in flight.
 */
export function createGraphActivities({
  db,
  graph,
  budgets,
  logger,
  observer,
  random = Math.random,
}: GraphActivityDeps) {
  const storePage = createPageStore({ db, logger, observer });
  const readGroupNames = createGroupNamesReader({ db, graph });
  return {
    /** Many pages of many types per activity (sync-types.ts); the workflow's default since issue 15. */
    syncTypes: withSafeFailures(
      createSyncTypes({
        graph,
        budgets,
        storePage,
        readGroupNames,
        observer,
        random,
        heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS,
      }),
    ),

    syncPage: withSafeFailures(async (input: SyncPageInput): Promise<SyncPageOutcome> => {
      const context = Context.current();
      let retry = resumeRetryState(context.info.heartbeatDetails, context.info.attempt);
      // Heartbeats let Temporal notice a dead worker within the heartbeat timeout instead of the
      // (much longer) start-to-close timeout, which bounds how long a killed worker's page waits.
      // They are also how a cancellation reaches a running activity: its signal then aborts the
      // Graph request, so a cancelled run does not wait for a slow page. Each carries the retry
      // state, since the last details are what the next attempt starts from.
      const heartbeat = setInterval(() => context.heartbeat(retry), HEARTBEAT_INTERVAL_MS);
      const withSelect = input.nextLink === null && input.withoutSelect !== true;
      try {
        const spent = spentBeforeStart(retry, budgets);
        if (spent !== null) {
          throw permanentGraphError(
            'graph_network_error',
            `the ${input.policyType} page was not asked again: ${spent}`,
          );
        }
        return await fetchAndStore(input, context.info.attempt, context.cancellationSignal);
      } catch (error) {
        if (error instanceof CancelledFailure || context.cancellationSignal.aborted) throw error;
        const decision = retryDecisionOf(error);
        const verdict = afterFailure(retry, decision, Date.now(), budgets, random);
        retry = verdict.state;
        if (verdict.retry && isThrottling(decision)) {
          observer?.onThrottleWait(input.policyType, verdict.delayMs / 1_000);
        }
        context.heartbeat(retry);
        const failure = budgetedFailure(error, verdict);
        if (!verdict.retry && withSelect && selectMayBeAtFault(decision)) {
          return {
            selectRejected: {
              property: unknownPropertyNamed(failure.message),
              code: decision.code,
              message: failure.message,
            },
          };
        }
        throw failure;
      } finally {
        clearInterval(heartbeat);
      }
    }),

    /**
     * `refreshGroupNames({ tenantId, runId }): GroupNamesResult`: reads the display names of the
     * groups named by the edges run `runId` observed (batched `GET /groups/{id}`) and stores them in
     * `directory_groups`. A tenant whose app may not read groups answers `forbidden`, storing
     * nothing; other failures are `graph_*` or `db_error` ApplicationFailures.
     */
    refreshGroupNames: withSafeFailures(
      async (input: { tenantId: string; runId: string }): Promise<GroupNamesResult> => {
        const context = Context.current();
        const heartbeat = setInterval(() => context.heartbeat(), HEARTBEAT_INTERVAL_MS);
        try {
          return await readGroupNames(input, context.cancellationSignal);
        } finally {
          clearInterval(heartbeat);
        }
      },
    ),
  };

  async function fetchAndStore(
    input: SyncPageInput,
    attempt: number,
    signal: AbortSignal,
  ): Promise<SyncPageResult> {
    const page = await graph.fetchPage(input.tenantId, input.policyType, {
      nextLink: input.nextLink,
      attempt,
      signal,
      select: input.withoutSelect !== true,
    });
    return storePage({ ...input, attempt }, page);
  }
}

export type GraphActivities = ReturnType<typeof createGraphActivities>;
