/**
 * Schedule listings come from Temporal's visibility store, which trails a new schedule by a
 * moment (CI once listed none right after a create). Tests that assert on a listing wait for the
 * schedule to be visible first; a deleted one needs no wait, since listSchedules drops schedules
 * that no longer exist.
 */
import { type Client } from '@temporalio/client';
import { expect } from 'vitest';

export async function untilScheduleListed(temporal: Client, scheduleId: string): Promise<void> {
  await expect
    .poll(
      async () => {
        for await (const schedule of temporal.schedule.list()) {
          if (schedule.scheduleId === scheduleId) return true;
        }
        return false;
      },
      { timeout: 15_000, interval: 100 },
    )
    .toBe(true);
}
