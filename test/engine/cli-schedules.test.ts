/**
 * The `inventory schedule` and `inventory tenant disable` commands as scripts use them: real
 * child processes against the real engine, human output and --json, exit codes, and one-line
 * errors (the code and its hint, no stack trace).
 */
import { expect, it } from 'vitest';
import { runCli, type CliResult } from '../support/cli';
import { useEngine } from '../support/engine';
import { untilScheduleListed } from '../support/schedules';

const ctx = useEngine();

const cli = (args: string[]): Promise<CliResult> => runCli(ctx.engine, args);

it('creates, lists and deletes a schedule, in human output and --json', async () => {
  const tenantId = await ctx.engine.addTenant();
  const target = ['--tenant', tenantId, '--categories', 'apps'];

  const created = await cli(['schedule', 'create', ...target, '--every', '6h', '--jitter', '10m']);
  expect(created).toMatchObject({ code: 0, stderr: '' });
  const scheduleId = /^created schedule (\S+) \(every 6h\)\n$/.exec(created.stdout)?.[1];
  expect(scheduleId).toMatch(new RegExp(`^inventory-schedule:${tenantId}:[0-9a-f]{64}$`));

  const updated = await cli(['schedule', 'create', ...target, '--every', '4h', '--jitter', '5m', '--json']);
  expect(updated.code).toBe(0);
  expect(JSON.parse(updated.stdout)).toEqual({ scheduleId, created: false });

  await untilScheduleListed(ctx.engine.temporal, scheduleId!);
  const human = await cli(['schedule', 'list', '--tenant', tenantId]);
  expect(human.code).toBe(0);
  const lines = human.stdout.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^schedule_id\s+every\s+jitter\s+paused\s+next_run$/);
  expect(lines.slice(1)).toHaveLength(1);
  expect(lines[1]).toMatch(new RegExp(`^${scheduleId}\\s+4h\\s+5m\\s+false\\s+\\d{4}-\\d\\d-\\d\\dT`));

  const json = await cli(['schedule', 'list', '--tenant', tenantId, '--json']);
  expect(json.code).toBe(0);
  const listed = JSON.parse(json.stdout) as Array<Record<string, unknown>>;
  expect(listed).toHaveLength(1);
  expect(listed[0]).toMatchObject({ scheduleId, tenantId, every: '4h', jitter: '5m', paused: false });
  expect(listed[0]!.selection).toMatchObject({ categories: ['apps'] });

  expect(await cli(['schedule', 'delete', ...target])).toMatchObject({
    code: 0,
    stdout: 'schedule deleted\n',
  });
  expect(await cli(['schedule', 'list', '--tenant', tenantId])).toMatchObject({
    code: 0,
    stdout: 'no schedules\n',
  });
  const again = await cli(['schedule', 'delete', '--id', scheduleId!, '--json']);
  expect(again.code).not.toBe(0);
  expect(again.stdout).toBe('');
  expect(JSON.parse(again.stderr)).toMatchObject({ error: { code: 'schedule_not_found' } });
});

it('disables a tenant, and a sync of it then fails with one tenant_disabled line', async () => {
  const tenantId = await ctx.engine.addTenant();
  expect(await cli(['tenant', 'disable', '--tenant', tenantId])).toMatchObject({
    code: 0,
    stdout: `tenant ${tenantId} disabled\n`,
  });

  const started = await cli(['sync', 'start', '--tenant', tenantId, '--categories', 'apps']);
  expect(started.code).not.toBe(0);
  expect(started.stdout).toBe('');
  expect(started.stderr).toMatch(
    new RegExp(
      `^error \\[tenant_disabled\\]: tenant ${tenantId} is disabled\\n {2}hint: enable it again[^\\n]*\\n$`,
    ),
  );
});
