/**
 * Storing one fetched Graph page: its items upserted in one statement under the tenant's row-level
 * security, reported to metrics and (at `debug`) the log, and summed up as the counts a page adds
 * to its type's progress. Both page activities use it: `syncPage` (one page per activity) and
 * `syncTypes` (many pages, fetching the next while this one is stored).
 */
import { type DataSource } from 'typeorm';
import { type PolicyType } from '../inventory/policy-types';
import { NOTHING_UPSERTED, upsertItems } from '../db/repositories/inventory-items';
import { orDbError } from '../db/errors';
import { withTenant } from '../db/tenant-scope';
import { type GraphPage, nextLinkFingerprint } from '../graph/client';
import { type Logger } from '../logging/logger';
import type { PageObserver, SyncPageResult } from './graph-activities';

export interface PageStoreDeps {
  db: DataSource;
  logger?: Logger;
  observer?: PageObserver;
}

/** Which page of which run is stored, and its attempt (for the debug line). */
export interface PageOrigin {
  tenantId: string;
  runId: string;
  policyType: PolicyType;
  attempt: number;
}

/**
 * `storePage(origin, page): SyncPageResult`: upserts `page.items` as observed by run `origin.runId`
 * (nothing for an empty page) and returns the page's counts and next cursor. Fails with `db_error`
 * (InventoryError) when the database refuses or cannot be reached; nothing is counted then.
 */
export function createPageStore({ db, logger, observer }: PageStoreDeps) {
  return async function storePage(origin: PageOrigin, page: GraphPage): Promise<SyncPageResult> {
    const written =
      page.items.length === 0
        ? NOTHING_UPSERTED
        : await orDbError(
            'cannot store the page',
            withTenant(db, origin.tenantId, (manager) =>
              upsertItems(manager, origin.tenantId, origin.runId, page.items),
            ),
          );
    observer?.onPageStored(origin.policyType, {
      observed: page.items.length,
      new: written.itemsNewCount,
      changed: written.itemsChangedCount,
      unchanged: written.itemsUnchangedCount,
    });
    if (logger?.isLevelEnabled('debug')) {
      logger.debug(
        {
          tenantId: origin.tenantId,
          runId: origin.runId,
          policyType: origin.policyType,
          attempt: origin.attempt,
          requestId: page.requestId,
          requestsCount: page.requestsCount,
          itemsObservedCount: page.items.length,
          itemsNewCount: written.itemsNewCount,
          itemsChangedCount: written.itemsChangedCount,
          itemsUnchangedCount: written.itemsUnchangedCount,
          itemsInvalidCount: page.itemsInvalidCount,
          hasNextPage: page.nextLink !== null,
        },
        'page stored',
      );
    }
    return {
      itemsObservedCount: page.items.length,
      itemsUpsertedCount: written.itemsUpsertedCount,
      itemsNewCount: written.itemsNewCount,
      itemsChangedCount: written.itemsChangedCount,
      itemsUnchangedCount: written.itemsUnchangedCount,
      itemsInvalidCount: page.itemsInvalidCount,
      nextLink: page.nextLink,
      nextLinkFingerprint: page.nextLink === null ? null : nextLinkFingerprint(page.nextLink),
    };
  };
}

export type StorePage = ReturnType<typeof createPageStore>;
