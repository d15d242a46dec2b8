/**
 * Text from outside reaches people's terminals only as visible escapes: a tenant registered with
 * a hostile name and Graph items served with hostile ids and names (customer admins control
 * those), through the real CLI against the real engine. Human output carries no control, escape
 * or bidi character; --json carries the exact strings. And input echoed in an error is bounded.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../db/sql';
import { runCli, type CliResult } from '../support/cli';
import { useEngine } from '../support/engine';
import { RAW_TERMINAL_CONTROL } from '../support/terminal';

const ctx = useEngine();

const cli = (args: string[]): Promise<CliResult> => runCli(ctx.engine, args);

/** A window title (OSC … BEL), a colour (CSI), a right-to-left override, CR, C1 CSI, backspace, DEL, tab, LF. */
const EVIL_TENANT =
  'evil\x1b]0;title\x07 \x1b[31mred\x1b[0m \u202Etxt.exe\u202C back\rover \u009b2J\x08\x7f tab\there\nnext';
const EVIL_TENANT_SHOWN =
  'evil\\x1b]0;title\\x07 \\x1b[31mred\\x1b[0m \\u202etxt.exe\\u202c back\\rover \\x9b2J\\x08\\x7f tab\\there\\nnext';
const EVIL_ITEM = 'App \x1b]2;pwned\x1b\\ \u2066isolated\u2069 \u200Fmark \u0085nel \x1b[2K\rwiped';
const EVIL_ITEM_SHOWN =
  'App \\x1b]2;pwned\\x1b\\\\ \\u2066isolated\\u2069 \\u200fmark \\x85nel \\x1b[2K\\rwiped';
const EVIL_ID = 'id-\x1b[8mhidden\x1b[28m-\u202E1';
const EVIL_ID_SHOWN = 'id-\\x1b[8mhidden\\x1b[28m-\\u202e1';

function expectNothingRaw(result: CliResult): void {
  expect(result.stdout).not.toMatch(RAW_TERMINAL_CONTROL);
  expect(result.stderr).not.toMatch(RAW_TERMINAL_CONTROL);
}

function lines(text: string): string[] {
  return text.trimEnd().split('\n');
}

describe('hostile names on the terminal', () => {
  const tenantId = randomUUID();

  it('tenant add refuses a name with control characters; tenant list shows a stored one as escapes', async () => {
    await ctx.engine.sim.admin.upsertTenant({ tenantId, counts: { mobileApp: 2 } });
    const refused = await cli(['tenant', 'add', '--tenant', tenantId, '--name', EVIL_TENANT]);
    expect(refused.code).toBe(2);
    expectNothingRaw(refused);
    expect(refused.stderr).toMatch(/^error \[invalid_input\]: /);
    // A name stored before names were checked, or written by another tool, must still print safely.
    await queryRows(ctx.engine.db.admin, 'INSERT INTO tenants (id, display_name) VALUES ($1, $2)', [
      tenantId,
      EVIL_TENANT,
    ]);

    const listed = await cli(['tenant', 'list']);
    expect(listed.code).toBe(0);
    expectNothingRaw(listed);
    expect(lines(listed.stdout)).toHaveLength(2);
    expect(lines(listed.stdout)[1]).toContain(`${tenantId}  ${EVIL_TENANT_SHOWN}  true`);

    const json = await cli(['tenant', 'list', '--json']);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({ tenant_id: tenantId, display_name: EVIL_TENANT }),
    ]);
  });

  it('sync start --wait, runs and missing show Graph ids and names as escapes', async () => {
    await ctx.engine.sim.admin.addItems(tenantId, 'mobileApp', [{ id: EVIL_ID, displayName: EVIL_ITEM }]);
    const first = await cli(['sync', 'start', '--tenant', tenantId, '--types', 'mobileApp', '--wait']);
    expect(first.code).toBe(0);
    expectNothingRaw(first);
    expect(first.stdout).toMatch(/success: 3 items observed/);
    // Progress lines (not a terminal here: one line per change of the totals).
    expect(first.stderr).toMatch(/items\n/);

    // Gone from Graph: the next run leaves it missing, with its stored id and name.
    await ctx.engine.sim.admin.deleteItems(tenantId, 'mobileApp', [EVIL_ID]);
    const second = await cli(['sync', 'start', '--tenant', tenantId, '--types', 'mobileApp', '--wait']);
    expect(second.code).toBe(0);

    const missing = await cli(['missing', '--tenant', tenantId, '--types', 'mobileApp']);
    expect(missing.code).toBe(0);
    expectNothingRaw(missing);
    const [basis, header, row, ...rest] = lines(missing.stdout);
    expect(basis).toMatch(/^basis: run /);
    expect(header).toMatch(/^policy_type\s+external_id\s+display_name\s+last_seen_at\s+type_complete$/);
    expect(row).toMatch(
      new RegExp(`^mobileApp {4}${escapeRegExp(EVIL_ID_SHOWN)}  ${escapeRegExp(EVIL_ITEM_SHOWN)}  \\d{4}-`),
    );
    expect(rest).toEqual([]);

    const missingJson = await cli(['missing', '--tenant', tenantId, '--types', 'mobileApp', '--json']);
    expect((JSON.parse(missingJson.stdout) as { items: unknown[] }).items).toEqual([
      expect.objectContaining({ externalId: EVIL_ID, displayName: EVIL_ITEM }),
    ]);

    const runs = await cli(['runs', '--tenant', tenantId]);
    expect(runs.code).toBe(0);
    expectNothingRaw(runs);
    expect(lines(runs.stdout)).toHaveLength(3);
  });
});

describe('input echoed in an error is bounded', () => {
  const huge = 'x'.repeat(100_000);

  it.each([
    ['selection-hash', ['selection-hash', '--types', huge]],
    ['sync start', ['sync', 'start', '--tenant', randomUUID(), '--types', huge]],
    ['runs', ['runs', '--tenant', randomUUID(), '--types', `mobileApp,${huge}`]],
  ])('%s with a 100,000-character policy type answers in well under 1 KB', async (_command, args) => {
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^error \[invalid_selection\]: unknown policy type\(s\) x{200}… \(100000 characters\); valid: /,
    );
    expect(Buffer.byteLength(result.stderr)).toBeLessThan(1024);
  });

  it('a tenant id that is not a GUID is quoted back, bounded', async () => {
    const result = await cli(['runs', '--tenant', huge]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`(got "${'x'.repeat(200)}…" (100000 characters))`);
    expect(Buffer.byteLength(result.stderr)).toBeLessThan(1024);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
