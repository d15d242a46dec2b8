/**
 * The page activity: fetch one Graph page of one policy type, upsert its items, return counts and
 * the next cursor. One activity = one Graph request, so the Graph task queue's rate limits
 * (global, and per tenant through the fairness key) are request rate limits. Raw Graph payloads
 * stay inside this activity; workflow history only sees counts and the nextLink.
 *
 * A worker killed at any instant loses at most this page: the upsert is idempotent and the counts
 * reach the workflow only with the completed attempt, so a retried page is never counted twice.
 */
import { Context } from '@temporalio/activity';
import { type DataSource } from 'typeorm';
import { type PolicyType } from '../inventory/policy-types';
import { upsertItems } from '../db/repositories/inventory-items';
import { orDbError } from '../db/errors';
import { withTenant } from '../db/tenant-scope';
import { type GraphClient, nextLinkFingerprint } from '../graph/client';
import { withSafeFailures } from './failures';

export interface SyncPageInput {
  tenantId: string;
  runId: string;
  policyType: PolicyType;
  /** null for the first page. */
  nextLink: string | null;
}

/** What one page adds to its type's progress (workflows/type-progress.ts `applyPage`). */
export interface SyncPageResult {
  /** Items on the page with a usable id, all of them stored. */
  itemsObservedCount: number;
  /** Rows the upsert wrote (duplicate keys on a page collapse to one). */
  itemsUpsertedCount: number;
  /** Items without a usable id, skipped. */
  itemsInvalidCount: number;
  nextLink: string | null;
  /** `nextLinkFingerprint(nextLink)`, for the workflow's paging-loop guard; null with no nextLink. */
  nextLinkFingerprint: string | null;
}

export interface GraphActivityDeps {
  db: DataSource;
  graph: GraphClient;
}

const HEARTBEAT_INTERVAL_MS = 2_000;

/**
 * The Graph queue's one activity, `syncPage(SyncPageInput): SyncPageResult`, which stores the page's
 * items under the tenant's row-level security. Fails as an ApplicationFailure (failures.ts) typed
 * `graph_*`, `auth_failed` or `db_error`; heartbeats every 2 s, and a cancellation aborts the Graph
 * request in flight.
 */
export function createGraphActivities({ db, graph }: GraphActivityDeps) {
  return {
    syncPage: withSafeFailures(async (input: SyncPageInput): Promise<SyncPageResult> => {
      const context = Context.current();
      // Heartbeats let Temporal notice a dead worker within the heartbeat timeout instead of the
      // (much longer) start-to-close timeout, which bounds how long a killed worker's page waits.
      // They are also how a cancellation reaches a running activity: its signal then aborts the
      // Graph request, so a cancelled run does not wait for a slow page.
      const heartbeat = setInterval(() => context.heartbeat(), HEARTBEAT_INTERVAL_MS);
      try {
        const page = await graph.fetchPage(input.tenantId, input.policyType, {
          nextLink: input.nextLink,
          attempt: context.info.attempt,
          signal: context.cancellationSignal,
        });
        const written =
          page.items.length === 0
            ? { itemsUpsertedCount: 0 }
            : await orDbError(
                'cannot store the page',
                withTenant(db, input.tenantId, (manager) =>
                  upsertItems(manager, input.tenantId, input.runId, page.items),
                ),
              );
        return {
          itemsObservedCount: page.items.length,
          itemsUpsertedCount: written.itemsUpsertedCount,
          itemsInvalidCount: page.itemsInvalidCount,
          nextLink: page.nextLink,
          nextLinkFingerprint: page.nextLink === null ? null : nextLinkFingerprint(page.nextLink),
        };
      } finally {
        clearInterval(heartbeat);
      }
    }),
  };
}

export type GraphActivities = ReturnType<typeof createGraphActivities>;
