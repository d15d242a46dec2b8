/**
 * The `inventory` CLI as people and scripts use it: real child processes against the real
 * engine; human output, --json, exit codes, and one-line errors without stack traces.
 */
import { describe, expect, it } from 'vitest';
import { connectionUrl } from '../../db/connection-url';
import { runCli, type CliResult } from '../support/cli';
import { useEngine } from '../support/engine';

const ctx = useEngine();

const cli = (args: string[], env: Record<string, string> = {}): Promise<CliResult> =>
  runCli(ctx.engine, args, env);

function expectOneLineError(result: CliResult, code: string, message: RegExp): void {
  expect(result.stderr).toMatch(new RegExp(`^error \\[${code}\\]: `));
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stdout).toBe('');
}

describe('tenants, syncs, runs and missing items', () => {
  const tenantId = 'a0a0a0a0-1111-4222-8333-444455556666';

  it('registers and lists tenants', async () => {
    await ctx.engine.sim.admin.upsertTenant({ tenantId });
    const added = await cli(['tenant', 'add', '--tenant', tenantId, '--name', 'Woodgrove Bank']);
    expect(added).toMatchObject({ code: 0, stdout: `registered tenant ${tenantId} (Woodgrove Bank)\n` });
    const listed = await cli(['tenant', 'list', '--json']);
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ tenant_id: tenantId, enabled: true }),
    ]);
  });

  it('starts a sync, waits for it, and prints the run as JSON', async () => {
    const result = await cli([
      'sync',
      'start',
      '--tenant',
      tenantId,
      '--types',
      'mobileApp,assignmentFilter',
      '--wait',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as {
      joined: boolean;
      result: { status: string; itemsObservedCount: number; itemsNewCount: number };
    };
    expect(parsed.joined).toBe(false);
    expect(parsed.result.status).toBe('success');
    expect(parsed.result.itemsObservedCount).toBeGreaterThan(0);
    expect(parsed.result).toMatchObject({
      itemsNewCount: parsed.result.itemsObservedCount,
      itemsChangedCount: 0,
      itemsUnchangedCount: 0,
    });
  });

  it('lists runs and missing items', async () => {
    const runs = await cli(['runs', '--tenant', tenantId, '--json']);
    expect((JSON.parse(runs.stdout) as { runs: unknown[] }).runs).toHaveLength(1);
    const human = await cli(['runs', '--tenant', tenantId]);
    expect(human.stdout).toMatch(/^run_id\s+status\s+had_errors/);
    expect(human.stdout).toMatch(
      /items_upserted_count\s+items_new_count\s+items_changed_count\s+items_unchanged_count/,
    );
    expect(human.stdout).toContain('success');
    const missing = await cli([
      'missing',
      '--tenant',
      tenantId,
      '--types',
      'assignmentFilter,mobileApp',
      '--json',
    ]);
    expect(JSON.parse(missing.stdout)).toMatchObject({
      confidence: 'high',
      unverifiedTypes: [],
      items: [],
      omittedUnverifiedCount: 0,
    });
    const none = await cli(['missing', '--tenant', tenantId, '--categories', 'updates']);
    expect(none.stdout).toMatch(/no completed run of this selection yet/);
  });
});

describe('bad input', () => {
  it('rejects an unknown policy type, saying where the valid ones are, exit code 2', async () => {
    const result = await cli([
      'sync',
      'start',
      '--tenant',
      'a0a0a0a0-1111-4222-8333-444455556666',
      '--types',
      'nope',
    ]);
    expect(result.code).toBe(2);
    expectOneLineError(
      result,
      'invalid_selection',
      /unknown policy type\(s\) nope; valid: the \d+ types `inventory policy-types` lists\n/,
    );
  });

  it('rejects a tenant id that is not a GUID', async () => {
    const result = await cli(['runs', '--tenant', 'contoso']);
    expect(result.code).toBe(2);
    expectOneLineError(result, 'invalid_input', /tenant id must be a GUID/);
  });

  it('says a tenant is unknown, with what to do', async () => {
    const result = await cli([
      'sync',
      'start',
      '--tenant',
      'b0b0b0b0-1111-4222-8333-444455556666',
      '--categories',
      'apps',
    ]);
    expect(result.code).toBe(1);
    expectOneLineError(
      result,
      'tenant_unknown',
      /not registered\n {2}hint: register it first: inventory tenant add/,
    );
  });

  it('reports an unknown flag as a usage error', async () => {
    const result = await cli(['runs', '--tenant', 'a0a0a0a0-1111-4222-8333-444455556666', '--colour']);
    expect(result.code).toBe(2);
    expectOneLineError(result, 'invalid_input', /unknown option '--colour'\n {2}hint: /);
  });

  it('emits a JSON error document with --json', async () => {
    const result = await cli(['runs', '--tenant', 'contoso', '--json']);
    const document = JSON.parse(result.stderr) as { error: { code: string; message: string; hint: string } };
    expect(Object.keys(document.error).sort()).toEqual(['code', 'hint', 'message']);
    expect(document.error.code).toBe('invalid_input');
    expect(document.error.message).toMatch(/GUID/);
  });
});

describe('database problems', () => {
  it('says the database is not migrated, with what to do', async () => {
    // The runtime login on the cluster's maintenance database, which has no inventory tables.
    const maintenance = connectionUrl(process.env.INVENTORY_TEST_PG_ADMIN_URL!, {
      user: process.env.INVENTORY_TEST_PG_RUNTIME_USER!,
      password: process.env.INVENTORY_TEST_PG_RUNTIME_PASSWORD!,
    });
    const result = await cli(['tenant', 'list'], { DATABASE_URL: maintenance });
    expect(result.code).toBe(1);
    expectOneLineError(
      result,
      'db_error',
      /cannot list tenants: relation "tenants" does not exist \(SQLSTATE 42P01\)\n {2}hint: .*inventory migrate/,
    );
  });

  it('refuses a database role that could escape row-level security, unless told to accept it', async () => {
    // The test database's owner: a superuser, or at least the owner of the tables.
    const owner = { DATABASE_URL: ctx.engine.db.adminUrl };
    const refused = await cli(['tenant', 'list'], owner);
    expect(refused.code).toBe(1);
    expectOneLineError(
      refused,
      'config_invalid',
      /^error \[config_invalid\]: database role "[^"]+" (is a superuser|owns tenants).*INVENTORY_ALLOW_RLS_BYPASS=true/,
    );
    const accepted = await cli(['tenant', 'list', '--json'], {
      ...owner,
      INVENTORY_ALLOW_RLS_BYPASS: 'true',
    });
    expect(accepted.code).toBe(0);
    expect(JSON.parse(accepted.stdout)).toEqual(expect.any(Array));
  });
});

describe('worker start-up errors', () => {
  it('names a missing setting in one line', async () => {
    const result = await cli(['worker']);
    expect(result.code).toBe(1);
    expectOneLineError(result, 'config_invalid', /AZURE_CLIENT_ID is required for the worker/);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('names an invalid value in one line', async () => {
    const result = await cli(['worker'], {
      ...ctx.engine.workerProcessEnv(),
      SYNC_MAX_CONCURRENT_GLOBAL: 'lots',
    });
    expectOneLineError(
      result,
      'config_invalid',
      /^error \[config_invalid\]: SYNC_MAX_CONCURRENT_GLOBAL must be a whole number \(got "lots"\)/,
    );
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('refuses a database role that bypasses row-level security', async () => {
    const result = await cli(['worker'], {
      ...ctx.engine.workerProcessEnv(),
      DATABASE_URL: ctx.engine.db.adminUrl,
    });
    expect(result.code).toBe(1);
    expectOneLineError(result, 'config_invalid', /INVENTORY_ALLOW_RLS_BYPASS/);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('says where Temporal was expected when it is not there', async () => {
    const result = await cli(['worker'], {
      ...ctx.engine.workerProcessEnv(),
      TEMPORAL_ADDRESS: '127.0.0.1:1',
    });
    expect(result.code).toBe(1);
    expectOneLineError(result, 'temporal_unavailable', /cannot connect to Temporal at 127\.0\.0\.1:1/);
  });
});
