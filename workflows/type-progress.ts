/**
 * One policy type's enumeration state inside a sync workflow, and how a fetched page advances it,
 * including the paging-loop guard. Pure functions of workflow state: the workflow runs them, and
 * unit tests run the very same code.
 */
import type { ErrorCode } from '../inventory/error-codes';
import { isIntuneType, type PolicyType } from '../inventory/policy-types';
import type { SelectRejected, SyncPageResult } from '../activities/graph-activities';
import type { PageRetryState } from '../graph/retry-budget';

export type TypeState = 'pending' | 'running' | 'done' | 'failed';

export interface TypeProgress {
  state: TypeState;
  pagesCount: number;
  /** Items Graph served with a usable id, all stored (`items_observed_count` of the run row). */
  itemsObservedCount: number;
  itemsUpsertedCount: number;
  /** Of the upserted items: new, changed and unchanged ones (SyncPageResult). */
  itemsNewCount: number;
  itemsChangedCount: number;
  itemsUnchangedCount: number;
  /** Items without a usable id, skipped (counted in the run's `errors_count`). */
  itemsInvalidCount: number;
  /** The nextLink to fetch next; null before the first page and once the type is done. */
  cursor: string | null;
  /** Fingerprints of the most recent nextLinks followed, to detect Graph paging loops. */
  nextLinkFingerprints: string[];
  error?: { code: ErrorCode; message: string };
  /**
   * Set when Graph refused or failed the first page's `$select`: the type is read without it for
   * the rest of the run (continue-as-new included), and the run records `graph_select_rejected`.
   */
  selectRejected?: SelectRejected['selectRejected'];
  /**
   * The page being read waits to be asked again (a Retry-After or backoff longer than the
   * `syncTypes` activity's report interval): its retry budget so far, and when it may be asked
   * (epoch ms). The next activity goes on from there; absent otherwise.
   */
  pendingRetry?: { state: PageRetryState; retryAtMs: number };
  /**
   * When the type ended (`done` or `failed`), ISO 8601 by the workflow's clock; absent while it
   * runs, and in progress carried from an execution that began before it was recorded.
   */
  finishedAt?: string;
}

export type TypeProgressMap = Partial<Record<PolicyType, TypeProgress>>;

/** Recent nextLink fingerprints kept per type; a loop longer than this is caught by MAX_PAGES_PER_TYPE. */
export const FINGERPRINT_WINDOW = 64;
export const MAX_PAGES_PER_TYPE = 100_000;

/**
 * A type not yet started: `pending`, zero counts, no cursor. A fresh object each call, since
 * applyPage mutates it.
 */
export function initialProgress(): TypeProgress {
  return {
    state: 'pending',
    pagesCount: 0,
    itemsObservedCount: 0,
    itemsUpsertedCount: 0,
    itemsNewCount: 0,
    itemsChangedCount: 0,
    itemsUnchangedCount: 0,
    itemsInvalidCount: 0,
    cursor: null,
    nextLinkFingerprints: [],
  };
}

/**
 * How the message of a type failed without a request begins (after a failure that holds for the
 * whole tenant): readers that want Graph's or Entra's own reason look at the other types first.
 */
export const NOT_ATTEMPTED_PREFIX = 'not attempted: ';

/**
 * Failures that hold for the whole tenant, as one enumeration has seen them: no token
 * (`auth_failed`), or no Intune (`intune_not_provisioned`, for Intune's collections only).
 */
export interface TenantFailures {
  authFailed: boolean;
  intuneMissing: boolean;
}

/** Notes a type's failure `code` in `seen` when it holds for the whole tenant. */
export function noteTenantFailure(seen: TenantFailures, code: ErrorCode): void {
  if (code === 'auth_failed') seen.authFailed = true;
  if (code === 'intune_not_provisioned') seen.intuneMissing = true;
}

/**
 * Fails `t` (the progress of `type`) without asking Graph when a failure in `seen` holds for it:
 * every type after `auth_failed`, an Intune type after `intune_not_provisioned`; its message
 * begins NOT_ATTEMPTED_PREFIX. Returns whether it did.
 */
export function failIfTenantFailed(t: TypeProgress, type: PolicyType, seen: TenantFailures): boolean {
  if (seen.authFailed) {
    failType(t, 'auth_failed', `${NOT_ATTEMPTED_PREFIX}authentication for the tenant failed`);
    return true;
  }
  if (seen.intuneMissing && isIntuneType(type)) {
    failType(t, 'intune_not_provisioned', `${NOT_ATTEMPTED_PREFIX}the tenant has no Intune`);
    return true;
  }
  return false;
}

/** Whether the type has ended, completely (`done`) or not (`failed`). */
export function hasEnded(t: TypeProgress | undefined): boolean {
  return t?.state === 'done' || t?.state === 'failed';
}

/** Marks a type failed for good with its stable code and one-line message. */
export function failType(t: TypeProgress, code: ErrorCode, message: string): void {
  t.state = 'failed';
  t.cursor = null;
  t.error = { code, message };
}

/**
 * Records that the first page failed for good with `$select`, so that it is asked once more
 * without. A type already read without `$select` cannot be rejected again: it fails with the
 * failure's code instead of asking forever.
 */
export function rejectSelect(t: TypeProgress, rejected: SelectRejected['selectRejected']): void {
  if (t.selectRejected !== undefined) {
    failType(t, rejected.code, rejected.message);
    return;
  }
  t.selectRejected = rejected;
}

/**
 * Counts a completed page into `t` (its items are stored whatever follows) and moves the cursor:
 * `done` when Graph sent no nextLink; `failed` with `graph_paging_loop` when the nextLink was
 * already followed within the last FINGERPRINT_WINDOW pages, or the type reached
 * MAX_PAGES_PER_TYPE pages; otherwise still `running` with the nextLink as cursor.
 */
export function applyPage(t: TypeProgress, page: SyncPageResult): void {
  t.pagesCount += 1;
  t.itemsObservedCount += page.itemsObservedCount;
  t.itemsUpsertedCount += page.itemsUpsertedCount;
  t.itemsNewCount += page.itemsNewCount ?? 0;
  t.itemsChangedCount += page.itemsChangedCount ?? 0;
  t.itemsUnchangedCount += page.itemsUnchangedCount ?? 0;
  t.itemsInvalidCount += page.itemsInvalidCount;
  if (page.nextLink === null || page.nextLinkFingerprint === null) {
    t.state = 'done';
    t.cursor = null;
    return;
  }
  if (t.nextLinkFingerprints.includes(page.nextLinkFingerprint)) {
    failType(
      t,
      'graph_paging_loop',
      `Graph returned a nextLink already followed after ${t.pagesCount} pages`,
    );
    return;
  }
  if (t.pagesCount >= MAX_PAGES_PER_TYPE) {
    failType(t, 'graph_paging_loop', `Graph kept returning nextLinks after ${t.pagesCount} pages`);
    return;
  }
  t.nextLinkFingerprints = [...t.nextLinkFingerprints, page.nextLinkFingerprint].slice(-FINGERPRINT_WINDOW);
  t.cursor = page.nextLink;
}
