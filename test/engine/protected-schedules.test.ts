/**
 * The service's own schedules are out of users' reach: the client and the `inventory schedule
 * delete` command act on sync schedules only, and refuse the reaper or any other schedule with
 * `schedule_protected` (exit 2), leaving it in place. A reaper schedule deleted behind the
 * service's back (through Temporal, as an operator could) is re-created by the worker's watch.
 */
import { randomUUID } from 'node:crypto';
import { ScheduleNotFoundError, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ScheduleProtectedError } from '../../client';
import { reaperScheduleId } from '../../inventory/workflow-ids';
import { createLogger } from '../../logging/logger';
import { ensureReaperSchedule } from '../../worker/reaper-schedule';
import { watchReaperSchedule } from '../../worker/reaper-watch';
import { runCli } from '../support/cli';
import { startEngine, type Engine } from '../support/engine';

let engine: Engine;
let reaperId: string;
beforeAll(async () => {
  engine = await startEngine();
  reaperId = reaperScheduleId(engine.taskQueue);
  await ensureReaperSchedule(engine.temporal, engine.taskQueue);
});
afterAll(async () => {
  await engine?.temporal.schedule
    .getHandle(reaperId)
    .delete()
    .catch(() => undefined);
  await engine?.close();
});

/** The schedule's creation time, or null when Temporal says it does not exist. */
async function createdAt(temporal: Client, scheduleId: string): Promise<Date | null> {
  try {
    return (await temporal.schedule.getHandle(scheduleId).describe()).info.createdAt;
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return null;
    throw error;
  }
}

it('refuses to delete the reaper or any other non-sync schedule, through the client and the CLI', async () => {
  const otherId = `ops-report-${randomUUID()}`;
  await engine.temporal.schedule.create({
    scheduleId: otherId,
    spec: { intervals: [{ every: '1d' }] },
    action: { type: 'startWorkflow', workflowType: 'opsReport', taskQueue: engine.taskQueue, args: [] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP },
  });
  try {
    const reaperCreatedAt = await createdAt(engine.temporal, reaperId);
    const otherCreatedAt = await createdAt(engine.temporal, otherId);

    for (const scheduleId of [reaperId, otherId]) {
      const refused = engine.client.deleteSchedule({ scheduleId });
      await expect(refused).rejects.toBeInstanceOf(ScheduleProtectedError);
      await expect(refused).rejects.toMatchObject({ code: 'schedule_protected' });

      const human = await runCli(engine, ['schedule', 'delete', '--id', scheduleId]);
      expect(human.code).toBe(2);
      expect(human.stdout).toBe('');
      expect(human.stderr).toMatch(
        new RegExp(
          `^error \\[schedule_protected\\]: schedule ${scheduleId} is not a sync schedule[^\\n]*\\n {2}hint: [^\\n]+\\n$`,
        ),
      );
      const json = await runCli(engine, ['schedule', 'delete', '--id', scheduleId, '--json']);
      expect(json.code).toBe(2);
      expect(JSON.parse(json.stderr)).toMatchObject({ error: { code: 'schedule_protected' } });
    }

    // Still there, and the same schedules, not re-created ones.
    expect(await createdAt(engine.temporal, reaperId)).toEqual(reaperCreatedAt);
    expect(await createdAt(engine.temporal, otherId)).toEqual(otherCreatedAt);
    expect(reaperCreatedAt).not.toBeNull();
    expect(otherCreatedAt).not.toBeNull();
  } finally {
    await engine.temporal.schedule.getHandle(otherId).delete();
  }
});

it('re-creates a reaper schedule deleted through Temporal within the check interval, until stopped', async () => {
  const intervalMs = 300;
  const watch = watchReaperSchedule(engine.temporal, engine.taskQueue, {
    logger: createLogger({ level: 'silent' }),
    intervalMs,
  });
  try {
    const original = await createdAt(engine.temporal, reaperId);
    expect(original).not.toBeNull();
    await engine.temporal.schedule.getHandle(reaperId).delete();

    await expect
      .poll(async () => (await createdAt(engine.temporal, reaperId))?.getTime() ?? 0, {
        timeout: 10 * intervalMs,
        interval: 50,
      })
      .toBeGreaterThan(original!.getTime());
    const recreated = await engine.temporal.schedule.getHandle(reaperId).describe();
    expect(recreated.action).toMatchObject({ type: 'startWorkflow', workflowType: 'inventoryReaper' });
  } finally {
    await watch.stop();
  }

  // A stopped watch re-creates nothing.
  await engine.temporal.schedule.getHandle(reaperId).delete();
  await new Promise((resolve) => setTimeout(resolve, 5 * intervalMs));
  expect(await createdAt(engine.temporal, reaperId)).toBeNull();
  await ensureReaperSchedule(engine.temporal, engine.taskQueue);
});
