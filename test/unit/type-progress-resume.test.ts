/**
 * Progress carried across continue-as-new (workflows/sync-input.ts) from executions on either side
 * of the per-type counts: an execution that began before them carries none, which parse as 0, so
 * its continued execution neither fails nor counts what it never saw.
 */
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { parseSyncInput } from '../../workflows/sync-input';
import { initialProgress } from '../../workflows/type-progress';

const tenantId = randomUUID();
const selection = { policy_types: ['deviceConfiguration', 'mobileApp'] };

/** A type's progress as an execution before the new/changed/unchanged counts and ends wrote it. */
const before = {
  state: 'done',
  pagesCount: 2,
  itemsObservedCount: 10,
  itemsUpsertedCount: 10,
  itemsInvalidCount: 0,
  cursor: null,
  nextLinkFingerprints: ['0123456789abcdef'],
};

function resumeOf(types: Record<string, unknown>) {
  return { tenantId, selection, resume: { runId: randomUUID(), types } };
}

describe('resume progress across the per-type counts', () => {
  it('reads progress from before them with 0 new, changed and unchanged and no end', () => {
    const parsed = parseSyncInput(resumeOf({ deviceConfiguration: before }));
    expect(parsed.resume?.types.deviceConfiguration).toEqual({
      ...before,
      itemsNewCount: 0,
      itemsChangedCount: 0,
      itemsUnchangedCount: 0,
    });
  });

  it('reads progress from after them as it was written', () => {
    const after = {
      ...initialProgress(),
      state: 'done' as const,
      pagesCount: 1,
      itemsObservedCount: 6,
      itemsUpsertedCount: 6,
      itemsNewCount: 1,
      itemsChangedCount: 2,
      itemsUnchangedCount: 3,
      finishedAt: '2030-01-01T00:00:05.123Z',
    };
    expect(parseSyncInput(resumeOf({ mobileApp: after })).resume?.types.mobileApp).toEqual(after);
  });

  it.each([
    ['an end that is not an ISO time', { ...before, finishedAt: 'yesterday' }],
    ['a negative count', { ...before, itemsNewCount: -1 }],
    ['a count that is not a number', { ...before, itemsChangedCount: '3' }],
  ])('refuses %s as invalid_input', (_name, progress) => {
    let failure: unknown;
    try {
      parseSyncInput(resumeOf({ deviceConfiguration: progress }));
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect((failure as ApplicationFailure).type).toBe('invalid_input');
  });
});
