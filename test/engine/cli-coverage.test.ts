/**
 * `inventory coverage` and `inventory status` as people and scripts meet them: real CLI processes
 * against the real database, with per-type outcomes stored by finalizeRun. --json carries ISO
 * instants and snake_case fields; human output shows ages, marks types never completely
 * enumerated, and lists tenants worst first. Piped, output is plain; on a real terminal (a pty
 * from util-linux `script`) it is coloured unless NO_COLOR or FORCE_COLOR=0, and fitted to the
 * terminal's width.
 */
import { execFile, execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunTypeOutcome, type SyncRun } from '../../db/repositories/sync-runs';
import { type PolicyType } from '../../inventory/policy-types';
import { beginRun, endRun, newTenant, selectionOf } from '../db/fixtures';
import { runCli, type CliResult } from '../support/cli';
import { startEngine, type Engine } from '../support/engine';
import { RAW_TERMINAL_CONTROL } from '../support/terminal';

let engine: Engine;
const cli = (args: string[], env: Record<string, string> = {}): Promise<CliResult> =>
  runCli(engine, args, env);

const SGR = new RegExp(String.raw`\x1b\[\d+m`, 'g');
const HOUR = 3_600_000;
/** A name longer than any terminal line, with an escape sequence a customer admin could set. */
const LONG_NAME = `Fabrikam \x1b[2J ${'very '.repeat(30)}long name`;

let contoso = '';
let fabrikam = '';
let contosoRun: SyncRun;

type Outcome = [PolicyType, RunTypeOutcome['outcome'], RunTypeOutcome['errorCode'], Date];

async function run(tenantId: string, outcomes: Outcome[]): Promise<SyncRun> {
  const selection = selectionOf({ policy_types: outcomes.map(([type]) => type) });
  const complete = outcomes.every(([, outcome]) => outcome === 'complete');
  return endRun(engine.db.runtime, await beginRun(engine.db.runtime, tenantId, selection), {
    status: complete ? 'success' : 'partial',
    hadErrors: !complete,
    errorCodes: outcomes.flatMap(([, , code]) => (code ? [code] : [])),
    types: outcomes.map(([policyType, outcome, errorCode, at]) => ({
      policyType,
      outcome,
      errorCode,
      pagesCount: 1,
      itemsObservedCount: 0,
      itemsNewCount: 0,
      itemsChangedCount: 0,
      itemsUnchangedCount: 0,
      finishedAt: at.toISOString(),
    })),
  });
}

beforeAll(async () => {
  engine = await startEngine();
  contoso = await newTenant(engine.db.runtime, 'Contoso');
  contosoRun = await run(contoso, [
    ['mobileApp', 'complete', null, new Date(Date.now() - 3 * HOUR)],
    ['deviceConfiguration', 'forbidden', 'graph_forbidden', new Date(Date.now() - 3 * HOUR)],
  ]);
  fabrikam = await newTenant(engine.db.runtime, 'Fabrikam');
  await engine.db.admin.query('UPDATE tenants SET display_name = $2 WHERE id = $1', [fabrikam, LONG_NAME]);
  await run(fabrikam, [['mobileApp', 'complete', null, new Date(Date.now() - 50 * HOUR)]]);
});
afterAll(async () => {
  await engine?.close();
});

function lines(text: string): string[] {
  return text.replace(/\r\n/g, '\n').trimEnd().split('\n');
}

describe('inventory coverage', () => {
  it('--json: one object per registry type, snake_case, ISO instants, never-complete types marked', async () => {
    const result = await cli(['coverage', '--tenant', contoso, '--json']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const types = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    const mobileApp = types.find((t) => t.policy_type === 'mobileApp')!;
    expect(mobileApp).toMatchObject({
      policy_type: 'mobileApp',
      category: 'apps',
      ever_complete: true,
      last_complete_run_id: contosoRun.id,
      items_present_count: 0,
      last_attempt_run_id: contosoRun.id,
      last_attempt_outcome: 'complete',
      last_attempt_error_code: null,
    });
    expect(mobileApp.last_complete_finished_at).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    expect(mobileApp.last_attempt_finished_at).toEqual(mobileApp.last_complete_finished_at);
    expect(types.find((t) => t.policy_type === 'deviceConfiguration')).toMatchObject({
      ever_complete: false,
      last_complete_run_id: null,
      last_attempt_outcome: 'forbidden',
      last_attempt_error_code: 'graph_forbidden',
    });
  });

  it('human, piped: plain text, ages, a clear mark on never-complete types and a count', async () => {
    const result = await cli(['coverage', '--tenant', contoso]);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(RAW_TERMINAL_CONTROL);
    const out = lines(result.stdout);
    expect(out[0]).toMatch(
      /^policy_type\s+last_complete\s+items\s+last_attempt\s+error_code\s+attempted\s+complete_run_id$/,
    );
    expect(out.find((l) => l.startsWith('mobileApp '))).toMatch(
      new RegExp(`^mobileApp\\s+3 h ago\\s+0\\s+complete\\s+3 h ago\\s+${contosoRun.id}$`),
    );
    expect(out.find((l) => l.startsWith('deviceConfiguration '))).toMatch(
      /^deviceConfiguration\s+NEVER\s+0\s+forbidden\s+graph_forbidden\s+3 h ago$/,
    );
    expect(out.find((l) => l.startsWith('assignmentFilter '))).toMatch(
      /^assignmentFilter\s+NEVER\s+0\s+none$/,
    );
    expect(out.at(-1)).toMatch(/^1 of \d+ policy types completely enumerated at least once; \d+ NEVER:/);
  });

  it('refuses an unregistered tenant with tenant_unknown', async () => {
    const result = await cli(['coverage', '--tenant', '00000000-0000-4000-8000-00000000000f']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error \[tenant_unknown\]: /);
  });
});

describe('inventory status', () => {
  it('--json: one line per tenant, worst first', async () => {
    const result = await cli(['status', '--json']);
    expect(result.code).toBe(0);
    const fleet = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    expect(fleet[1]!.last_successful_sync_at).toMatch(/Z$/);
    expect(fleet[1]!.oldest_complete_enumeration_at).toMatch(/Z$/);
    expect(fleet).toEqual([
      {
        tenant_id: contoso,
        display_name: 'Contoso',
        enabled: true,
        last_successful_sync_at: null,
        oldest_complete_enumeration_at: null,
        types_count: 2,
        never_complete_types_count: 1,
        types_failing_count: 1,
        dominant_error_code: 'graph_forbidden',
      },
      expect.objectContaining({ tenant_id: fabrikam, display_name: LONG_NAME, types_failing_count: 0 }),
    ]);
  });

  it('human, piped: whole lines, plain, ages, the hostile name escaped', async () => {
    const result = await cli(['status']);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(RAW_TERMINAL_CONTROL);
    expect(result.stdout).not.toContain('…');
    const [header, first, second] = lines(result.stdout);
    expect(header).toMatch(
      /^tenant_id\s+display_name\s+oldest_complete\s+failing\s+dominant_code\s+last_success\s+enabled$/,
    );
    expect(first).toMatch(
      new RegExp(
        `^${contoso}\\s+Contoso\\s+NEVER \\(1 type\\)\\s+1 of 2\\s+graph_forbidden\\s+never\\s+true$`,
      ),
    );
    expect(second).toContain('Fabrikam \\x1b[2J very');
    expect(second).toMatch(/long name\s+2 d ago\s+0\s+(just now|\d+ s ago)\s+true$/);
  });
});

const hasScript = (() => {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const quote = (arg: string): string => `'${arg.replace(/'/g, `'\\''`)}'`;

/** Runs `inventory …args` on a pseudo-terminal `columns` wide (util-linux `script`). */
function inTerminal(args: string[], columns: number, env: Record<string, string> = {}): Promise<string> {
  const bin = resolve(__dirname, '../../bin/inventory.js');
  const command = `stty cols ${columns} rows 50; exec ${[process.execPath, bin, ...args].map(quote).join(' ')}`;
  return new Promise((done, fail) => {
    execFile(
      'script',
      ['-qec', command, '/dev/null'],
      {
        env: {
          PATH: process.env.PATH ?? '',
          TERM: 'xterm-256color',
          DATABASE_URL: engine.db.runtimeUrl,
          TEMPORAL_ADDRESS: process.env.INVENTORY_TEST_TEMPORAL_ADDRESS!,
          INVENTORY_TASK_QUEUE: engine.taskQueue,
          ...env,
        },
      },
      (error, stdout) => (error ? fail(new Error(`script failed: ${error.message}`)) : done(stdout)),
    );
  });
}

describe.skipIf(!hasScript)('on a terminal', () => {
  it('colours status and fits every line to the terminal, cutting the long name with …', async () => {
    const out = await inTerminal(['status'], 120);
    expect(out).toMatch(SGR);
    const shown = lines(out).map((l) => l.replace(SGR, ''));
    expect(shown).toHaveLength(3);
    for (const line of shown) expect(line.length).toBeLessThanOrEqual(120);
    expect(shown[2]).toMatch(new RegExp(`^${fabrikam}  Fabrikam \\\\x1b\\[2…  2 d ago`));
    expect(shown.join('\n')).not.toMatch(RAW_TERMINAL_CONTROL);
  });

  it.each([
    ['NO_COLOR=1', { NO_COLOR: '1' }],
    ['FORCE_COLOR=0', { FORCE_COLOR: '0' }],
  ])('with %s: no colour, still fitted', async (_name, env) => {
    const out = await inTerminal(['coverage', '--tenant', contoso], 120, env);
    expect(out).not.toMatch(SGR);
    expect(out).toMatch(/\ndeviceConfigur\S* +NEVER +0 +forbidden +graph_forbidden +3 h ago\r?\n/);
    expect(out).toContain(contosoRun.id);
    const table = lines(out).slice(0, -1);
    expect(table).toHaveLength(40);
    for (const line of table) expect(line.length).toBeLessThanOrEqual(120);
  });

  it('with --json: no colour, the exact document', async () => {
    const out = await inTerminal(['status', '--json'], 60);
    expect(out).not.toMatch(SGR);
    expect((JSON.parse(out) as unknown[]).length).toBe(2);
  });
});
