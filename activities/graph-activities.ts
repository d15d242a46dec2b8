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

export interface SyncPageResult {
  /** Valid items on the page (all of them upserted). */
  observed: number;
  upserted: number;
  inserted: number;
  /** Items without a usable id, skipped. */
  invalid: number;
  nextLink: string | null;
  nextFingerprint: string | null;
}

export interface GraphActivityDeps {
  db: DataSource;
  graph: GraphClient;
}

const HEARTBEAT_INTERVAL_MS = 2_000;

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
            ? { upserted: 0, inserted: 0 }
            : await orDbError(
                'cannot store the page',
                withTenant(db, input.tenantId, (manager) =>
                  upsertItems(manager, input.tenantId, input.runId, page.items),
                ),
              );
        return {
          observed: page.items.length,
          upserted: written.upserted,
          inserted: written.inserted,
          invalid: page.invalidItems,
          nextLink: page.nextLink,
          nextFingerprint: page.nextLink === null ? null : nextLinkFingerprint(page.nextLink),
        };
      } finally {
        clearInterval(heartbeat);
      }
    }),
  };
}

export type GraphActivities = ReturnType<typeof createGraphActivities>;
