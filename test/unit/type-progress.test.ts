/**
 * The workflow's own paging-loop guard and page accounting (workflows/type-progress.ts): the code
 * inventorySync runs on every page, not the benchmark baseline's loop.
 */
import { describe, expect, it } from 'vitest';
import type { SyncPageResult } from '../../activities/graph-activities';
import {
  FINGERPRINT_WINDOW,
  MAX_PAGES_PER_TYPE,
  applyPage,
  initialProgress,
  rejectSelect,
} from '../../workflows/type-progress';

function page(n: number, next: number | null, counts: Partial<SyncPageResult> = {}): SyncPageResult {
  return {
    itemsObservedCount: n,
    itemsUpsertedCount: n,
    itemsNewCount: 0,
    itemsChangedCount: 0,
    itemsUnchangedCount: n,
    itemsInvalidCount: 0,
    nextLink: next === null ? null : `https://graph.example/beta/x?$skiptoken=${next}`,
    nextLinkFingerprint: next === null ? null : next.toString(16).padStart(16, '0'),
    ...counts,
  };
}

describe('applyPage', () => {
  it('counts every page and follows nextLinks until there is none', () => {
    const t = { ...initialProgress(), state: 'running' as const };
    applyPage(t, page(100, 1));
    expect(t).toMatchObject({
      state: 'running',
      pagesCount: 1,
      itemsObservedCount: 100,
    });
    expect(t.cursor).toContain('=1');
    applyPage(t, page(100, 2, { itemsInvalidCount: 3, itemsUpsertedCount: 99 }));
    applyPage(t, page(7, null));
    expect(t).toMatchObject({
      state: 'done',
      cursor: null,
      pagesCount: 3,
      itemsObservedCount: 207,
      itemsUpsertedCount: 206,
      itemsInvalidCount: 3,
    });
  });

  it('adds the new, changed and unchanged items; a page recorded without them adds none', () => {
    const t = { ...initialProgress(), state: 'running' as const };
    applyPage(t, page(6, 1, { itemsNewCount: 1, itemsChangedCount: 2, itemsUnchangedCount: 3 }));
    // A page result from history written before these counts existed.
    const { itemsNewCount: _n, itemsChangedCount: _c, itemsUnchangedCount: _u, ...older } = page(4, null);
    applyPage(t, older);
    expect(t).toMatchObject({
      state: 'done',
      itemsObservedCount: 10,
      itemsNewCount: 1,
      itemsChangedCount: 2,
      itemsUnchangedCount: 3,
    });
  });

  it('fails the type with graph_paging_loop when a nextLink comes back, counting the page it arrived on', () => {
    const t = { ...initialProgress(), state: 'running' as const };
    applyPage(t, page(10, 1));
    applyPage(t, page(10, 2));
    applyPage(t, page(10, 1));
    expect(t.state).toBe('failed');
    expect(t.cursor).toBeNull();
    expect(t.error?.code).toBe('graph_paging_loop');
    expect(t.error?.message).toContain('3 pages');
    // The looping page's items were stored, so they count.
    expect(t.itemsObservedCount).toBe(30);
  });

  it('remembers only the last FINGERPRINT_WINDOW nextLinks, so history stays bounded', () => {
    const t = { ...initialProgress(), state: 'running' as const };
    for (let i = 1; i <= FINGERPRINT_WINDOW + 10; i++) applyPage(t, page(1, i));
    expect(t.nextLinkFingerprints).toHaveLength(FINGERPRINT_WINDOW);
    expect(t.state).toBe('running');
    // A link older than the window is not recognised (MAX_PAGES_PER_TYPE bounds such loops).
    applyPage(t, page(1, 1));
    expect(t.state).toBe('running');
  });

  it('fails a type that reaches MAX_PAGES_PER_TYPE pages', () => {
    const t = { ...initialProgress(), state: 'running' as const, pagesCount: MAX_PAGES_PER_TYPE - 1 };
    applyPage(t, page(1, 123_456));
    expect(t.error?.code).toBe('graph_paging_loop');
  });
});

describe('rejectSelect', () => {
  const rejected = { property: 'roleScopeTagIds', code: 'graph_bad_request' as const, message: 'refused' };

  it('remembers the rejection so the first page is asked again without $select', () => {
    const t = { ...initialProgress(), state: 'running' as const };
    rejectSelect(t, rejected);
    expect(t).toMatchObject({ state: 'running', pagesCount: 0, cursor: null, selectRejected: rejected });
  });

  it('fails the type instead of asking forever when it was already read without $select', () => {
    const t = { ...initialProgress(), state: 'running' as const, selectRejected: rejected };
    rejectSelect(t, { ...rejected, code: 'graph_unavailable', message: 'again' });
    expect(t).toMatchObject({ state: 'failed', error: { code: 'graph_unavailable', message: 'again' } });
  });
});
