/**
 * Every `inventory` command and flag with bad input of each kind: empty, blank, huge, control
 * characters, wrong forms, repeated and conflicting flags, out of range values, forged cursors.
 *
 * Each case is parsed in-process by the CLI's own command tree (cli/program.ts), which must refuse
 * it with the stable code before any command runs, or, for input only a command can judge (a
 * selection, a decoded cursor, a display name), must let it through to the command. Real CLI
 * processes then run every command at least once, with and without --json, and every case a
 * command judges: exit code 2, exactly one error line and its hint (with --json exactly one JSON
 * object) on stderr, nothing on stdout. At the end nothing was written: no tenant, run or schedule.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Command } from 'commander';
import { createProgram, failureOf } from '../../cli/program';
import { runCli, type CliResult } from '../support/cli';
import { useEngine } from '../support/engine';

const ctx = useEngine();

/** Registered in beforeAll; bad input about it must change nothing. */
let tenant = '';
/** Never registered. */
const UNKNOWN = randomUUID();

type Code = 'invalid_input' | 'invalid_selection';

interface Case {
  /** Arguments after `inventory`; `$T` is the registered tenant. */
  args: string[];
  code: Code;
  /** Part of the message: which flag or flags it names. */
  says: string | RegExp;
  /** Refused while the command line is parsed (default), or by the command it reaches. */
  by?: 'parse' | 'command';
}

const HUGE = 'x'.repeat(100_000);
const ESC = '\u001b[31mred\u001b]0;title\u0007';

const BAD_TENANT_IDS = [
  '',
  ' ',
  'contoso',
  `{${randomUUID()}}`,
  ` ${randomUUID()} `,
  `${randomUUID()}${ESC}`,
  `${randomUUID()}\u0000`,
  `${randomUUID()}\n`,
  '0'.repeat(100_000),
];
const BAD_WHOLE_NUMBERS = [
  '',
  ' ',
  '1e2',
  '0x10',
  ' 5 ',
  '5.0',
  '+5',
  '-1',
  '9'.repeat(400),
  `5${ESC}`,
  'five',
];
const BAD_DURATIONS = [
  '',
  ' ',
  '99999999999999d',
  `${'9'.repeat(400)}d`,
  '366d',
  '6 h',
  ' 6h',
  '1e3s',
  '-5m',
  `6h${ESC}`,
  HUGE,
];
const BAD_CURSOR_FORMS = ['', ' ', '!!!', 'a+b/', 'YQ==', 'A'.repeat(5000), `abc${ESC}`, 'abc\u0000'];
const BAD_TEXT = ['', '   ', `a${ESC}`, 'a\u0000b', 'a\u202eb', 'y'.repeat(2000)];

const cursorOf = (...parts: unknown[]): string =>
  Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
const RUN_ID = '00000000-0000-4000-8000-000000000000';
const AT = '2026-11-24T23:46:02.123456Z';
/** Well-formed cursors whose content is forged; only decoding them tells. */
const FORGED_RUNS_CURSORS = [
  cursorOf('runs', '2026-02-30T00:00:00.000000Z', RUN_ID),
  cursorOf('runs', '0000-01-01T00:00:00.000000Z', RUN_ID),
  cursorOf('runs', AT, 'not-a-uuid'),
  cursorOf('runs', AT, RUN_ID, 'extra'),
  cursorOf('runs', AT, 42),
  cursorOf('missing', RUN_ID, 'mobileApp', AT, 'x'),
  Buffer.from('not json').toString('base64url'),
];
const FORGED_MISSING_CURSORS = [
  cursorOf('missing', RUN_ID, 'mobileApp', AT, 'x\u0000y'),
  cursorOf('missing', RUN_ID, 'mobileApp', '2026-02-30T00:00:00.000000Z', 'x'),
  cursorOf('missing', RUN_ID, 'mobileApp', '0000-01-01T00:00:00.000000Z', 'x'),
  cursorOf('missing', RUN_ID, 'noSuchType', AT, 'x'),
  cursorOf('missing', RUN_ID, 'mobileApp', AT, 'x'.repeat(300)),
  // Well-formed through and through, but of no completed run of this tenant and selection.
  cursorOf('missing', RUN_ID, 'mobileApp', AT, 'x'),
  cursorOf('runs', AT, RUN_ID),
];
const FORGED_ITEMS_CURSORS = [
  cursorOf('items', 'noSuchType', 'x'),
  cursorOf('items', 'mobileApp', 'x\u0000y'),
  cursorOf('items', 'mobileApp', 'x'.repeat(300)),
  cursorOf('items', 'mobileApp'),
  cursorOf('items', 'mobileApp', 'x', 'extra'),
  cursorOf('items', 'mobileApp', 42),
  cursorOf('runs', AT, RUN_ID),
  Buffer.from('not json').toString('base64url'),
];
const FORGED_CURSORS: Record<string, string[]> = {
  runs: FORGED_RUNS_CURSORS,
  missing: FORGED_MISSING_CURSORS,
  items: FORGED_ITEMS_CURSORS,
};
const BAD_SEARCHES: Array<[string, RegExp]> = [
  ['', /^--search must be text to search for, not blank/],
  ['   ', /^--search must be text to search for, not blank/],
  [`a${ESC}`, /^--search must not contain control characters/],
  ['a\u0000b', /^--search must not contain control characters/],
  ['a\u202eb', /^--search must not contain control characters/],
  ['y'.repeat(257), /^--search is 257 characters long; search for at most 256/],
  [HUGE, /^--search is 100000 characters long/],
];
const BAD_CHANGED_SINCE = [
  '',
  ' ',
  'yesterday',
  '2026-02-30',
  '2026-13-01',
  '2026-05-01T08:00:00',
  '2026-05-01 08:00Z',
  '2026-05-01T24:00Z',
  '2026-05-01T08:00+15:00',
  '05/01/2026',
  '24 h',
  '-1h',
  '3651d',
  `${'9'.repeat(400)}d`,
  `24h${ESC}`,
  HUGE,
];
const BAD_SELECTIONS: Array<[string, string]> = [
  ['--types', ''],
  ['--types', ','],
  ['--types', ' , '],
  ['--types', 'nope'],
  ['--types', `mobileApp${ESC}`],
  ['--types', HUGE],
  ['--categories', ''],
  ['--categories', 'nope'],
];

/** The value flags of the two listing commands, runs and missing. */
const READ_VALUE_FLAGS = {
  '--tenant': '$T',
  '--types': 'mobileApp',
  '--categories': 'apps',
  '--limit': '5',
  '--cursor': 'abc',
};

/** Each command: its arguments when valid, and the flags that take a value with a valid value. */
const COMMANDS: Array<{ command: string[]; valid: string[]; valueFlags: Record<string, string> }> = [
  {
    command: ['tenant', 'add'],
    valid: ['--tenant', '$U', '--name', 'Contoso'],
    valueFlags: { '--tenant': '$U', '--name': 'Contoso' },
  },
  { command: ['tenant', 'list'], valid: [], valueFlags: {} },
  { command: ['tenant', 'disable'], valid: ['--tenant', '$T'], valueFlags: { '--tenant': '$T' } },
  { command: ['tenant', 'enable'], valid: ['--tenant', '$T'], valueFlags: { '--tenant': '$T' } },
  { command: ['tenant', 'check'], valid: ['--tenant', '$T'], valueFlags: { '--tenant': '$T' } },
  {
    command: ['sync', 'start'],
    valid: ['--tenant', '$T', '--types', 'mobileApp'],
    valueFlags: { '--tenant': '$T', '--types': 'mobileApp', '--categories': 'apps' },
  },
  {
    command: ['runs'],
    valid: ['--tenant', '$T'],
    valueFlags: READ_VALUE_FLAGS,
  },
  {
    command: ['missing'],
    valid: ['--tenant', '$T', '--types', 'mobileApp'],
    valueFlags: READ_VALUE_FLAGS,
  },
  { command: ['coverage'], valid: ['--tenant', '$T'], valueFlags: { '--tenant': '$T' } },
  { command: ['status'], valid: [], valueFlags: {} },
  {
    command: ['items'],
    valid: ['--tenant', '$T'],
    valueFlags: {
      ...READ_VALUE_FLAGS,
      '--search': 'contoso',
      '--changed-since': '24h',
      '--format': 'csv',
    },
  },
  {
    command: ['item'],
    valid: ['--tenant', '$T', '--type', 'mobileApp', '--id', 'x'],
    valueFlags: { '--tenant': '$T', '--type': 'mobileApp', '--id': 'x' },
  },
  {
    command: ['schedule', 'create'],
    valid: ['--tenant', '$T', '--types', 'mobileApp', '--every', '6h'],
    valueFlags: {
      '--tenant': '$T',
      '--types': 'mobileApp',
      '--categories': 'apps',
      '--every': '6h',
      '--jitter': '1m',
    },
  },
  { command: ['schedule', 'list'], valid: [], valueFlags: { '--tenant': '$T' } },
  {
    command: ['schedule', 'delete'],
    valid: ['--tenant', '$T', '--types', 'mobileApp'],
    valueFlags: { '--tenant': '$T', '--types': 'mobileApp', '--categories': 'apps', '--id': 'x' },
  },
  {
    command: ['selection-hash'],
    valid: ['--types', 'mobileApp'],
    valueFlags: { '--types': 'mobileApp', '--categories': 'apps' },
  },
  { command: ['policy-types'], valid: [], valueFlags: {} },
  { command: ['worker'], valid: [], valueFlags: {} },
  { command: ['migrate'], valid: [], valueFlags: { '--ensure-login': 'inventory_app' } },
  {
    command: ['graph-sim'],
    valid: [],
    valueFlags: {
      '--port': '0',
      '--host': '127.0.0.1',
      '--seed': '1',
      '--tenants': '1',
      '--tls-dir': '/tmp',
      '--latency-ms': '0',
      '--config': '/tmp/tenants.json',
    },
  },
  {
    command: ['dev'],
    valid: [],
    valueFlags: {
      '--data-dir': '/tmp',
      '--postgres-port': '1',
      '--temporal-port': '1',
      '--ui-port': '1',
      '--graph-port': '1',
    },
  },
];

/** `base` (a command's valid arguments) with `flag` set to `value`, replacing its valid value. */
function withFlag(base: string[], flag: string, value: string): string[] {
  const i = base.indexOf(flag);
  if (i === -1) return [...base, flag, value];
  return [...base.slice(0, i), flag, value, ...base.slice(i + 2)];
}

function buildCases(): Case[] {
  const cases: Case[] = [];
  const add = (c: Case) => cases.push(c);
  for (const { command, valid, valueFlags } of COMMANDS) {
    const name = command.join(' ');
    add({
      args: [...command, ...valid, '--colour'],
      code: 'invalid_input',
      says: "unknown option '--colour'",
    });
    add({ args: [...command, ...valid, 'extra'], code: 'invalid_input', says: 'too many arguments' });
    for (const [flag, value] of Object.entries(valueFlags)) {
      add({
        args: [...command, ...withFlag(valid, flag, value), flag, value],
        code: 'invalid_input',
        says: `${flag} was given more than once`,
      });
      add({
        args: [...command, ...valid.filter((a, i) => a !== flag && valid[i - 1] !== flag), flag],
        code: 'invalid_input',
        says: `option '${flag}`,
      });
    }
    for (const required of ['--tenant', '--every', '--name', '--type', '--id'].filter(
      (f) => valid.includes(f) && name !== 'schedule delete',
    )) {
      const i = valid.indexOf(required);
      add({
        args: [...command, ...valid.slice(0, i), ...valid.slice(i + 2)],
        code: 'invalid_input',
        says: `required option '${required}`,
      });
    }
    if (valueFlags['--tenant']) {
      for (const bad of BAD_TENANT_IDS)
        add({
          args: [...command, ...withFlag(valid, '--tenant', bad)],
          code: 'invalid_input',
          says: 'tenant id must be a GUID',
        });
    }
    for (const flag of Object.keys(valueFlags).filter((f) =>
      /port|--limit|--seed|--tenants|--latency-ms/.test(f),
    )) {
      for (const bad of BAD_WHOLE_NUMBERS)
        add({
          args: [...command, ...withFlag(valid, flag, bad)],
          code: 'invalid_input',
          says: `${flag} must be a whole number from`,
        });
    }
    for (const flag of ['--every', '--jitter'].filter((f) => valueFlags[f])) {
      for (const bad of BAD_DURATIONS)
        add({
          args: [...command, ...withFlag(valid, flag, bad)],
          code: 'invalid_input',
          says: new RegExp(`^${flag} must be .*365d`),
        });
    }
    for (const flag of ['--id', '--host', '--tls-dir', '--data-dir', '--ensure-login', '--config'].filter(
      (f) =>
        (valueFlags[f] && !(f === '--id' && name === 'item')) || (f === '--config' && name === 'graph-sim'),
    )) {
      for (const bad of BAD_TEXT)
        add({
          args: [...command, ...withFlag(valid, flag, bad)],
          code: 'invalid_input',
          says: `${flag} must be 1 to 1024 characters`,
        });
    }
    if (valueFlags['--limit']) {
      for (const bad of ['0', '1001'])
        add({
          args: [...command, ...withFlag(valid, '--limit', bad)],
          code: 'invalid_input',
          says: '--limit must be a whole number from 1 to 1000',
        });
      for (const bad of BAD_CURSOR_FORMS)
        add({
          args: [...command, ...valid, '--cursor', bad],
          code: 'invalid_input',
          says: '--cursor must be a cursor',
        });
      for (const forged of FORGED_CURSORS[name]!) {
        add({
          args: [...command, ...valid, '--cursor', forged],
          code: 'invalid_input',
          says: /cursor/,
          by: 'command',
        });
      }
    }
    if (valueFlags['--types']) {
      for (const [flag, bad] of BAD_SELECTIONS) {
        const base = valid.filter((a, i) => a !== '--types' && valid[i - 1] !== '--types');
        add({
          args: [...command, ...base, flag, bad],
          code: 'invalid_selection',
          says: /selection|unknown (policy type|categor)/,
          by: 'command',
        });
      }
    }
  }
  const T = '$T';
  add({ args: ['frobnicate'], code: 'invalid_input', says: "unknown command 'frobnicate'" });
  add({
    args: ['missing', '--tenant', T, '--types', 'mobileApp', '--include-unverified=yes'],
    code: 'invalid_input',
    says: "unknown option '--include-unverified=yes'",
  });
  add({ args: ['tenant', 'ad'], code: 'invalid_input', says: "unknown command 'ad' (Did you mean add?)" });
  add({ args: [], code: 'invalid_input', says: 'inventory needs a command: tenant, sync, runs' });
  add({
    args: ['schedule'],
    code: 'invalid_input',
    says: 'inventory schedule needs a command: create, list, delete',
  });
  add({ args: ['sync'], code: 'invalid_input', says: 'inventory sync needs a command: start' });
  for (const flag of ['--tenant', '--types', '--categories']) {
    add({
      args: ['schedule', 'delete', '--id', 'inventory-schedule:x', flag, flag === '--tenant' ? T : 'apps'],
      code: 'invalid_input',
      says: `option '--id <scheduleId>' cannot be used with option '${flag}`,
    });
  }
  add({
    args: ['schedule', 'delete'],
    code: 'invalid_input',
    says: 'give --id, or --tenant with --types or --categories',
    by: 'command',
  });
  add({
    args: ['schedule', 'delete', '--tenant', T],
    code: 'invalid_selection',
    says: 'needs at least one policy type',
    by: 'command',
  });
  for (const [bad, says] of BAD_SEARCHES) {
    add({ args: ['items', '--tenant', T, '--search', bad], code: 'invalid_input', says });
  }
  for (const bad of BAD_CHANGED_SINCE) {
    add({
      args: ['items', '--tenant', T, '--changed-since', bad],
      code: 'invalid_input',
      says: /^--changed-since must be (an ISO 8601 time|up to 3650d)/,
    });
  }
  for (const bad of ['', 'xml', 'CSV', 'json,csv', `csv${ESC}`]) {
    add({
      args: ['items', '--tenant', T, '--format', bad],
      code: 'invalid_input',
      says: /^option '--format <format>' argument .* is invalid\. Allowed choices are table, json, ndjson, csv/,
    });
  }
  add({
    args: ['items', '--tenant', T, '--format', 'csv', '--json'],
    code: 'invalid_input',
    says: "option '--json' cannot be used with option '--format <format>'",
  });
  for (const [bad, says] of [
    ['', /^--type must name a policy type/],
    ['  ', /^--type must name a policy type/],
    ['nope', /^--type: unknown policy type\(s\) nope; valid:/],
    ['MobileApp', /^--type: unknown policy type\(s\) MobileApp \(did you mean mobileApp\?\)/],
    [`mobileApp${ESC}`, /^--type: unknown policy type/],
    [HUGE, /^--type: unknown policy type\(s\) x+… \(100000 characters\)/],
  ] as const) {
    add({
      args: ['item', '--tenant', T, '--id', 'x', '--type', bad],
      code: 'invalid_input',
      says,
    });
  }
  for (const bad of ['', '   ', 'x'.repeat(257), HUGE, 'a\u0000b', '\ud800']) {
    add({
      args: ['item', '--tenant', T, '--type', 'mobileApp', '--id', bad],
      code: 'invalid_input',
      says: /^--id must be an item id of 1 to 256 characters, not blank/,
    });
  }
  add({
    args: ['graph-sim', '--config', 'tenants.json', '--tenants', '2'],
    code: 'invalid_input',
    says: "option '--config <file>' cannot be used with option '--tenants <n>'",
  });
  add({ args: ['help', 'frobnicate'], code: 'invalid_input', says: 'unknown command "frobnicate"' });
  add({
    args: ['migrate', '--revert', '--ensure-login', 'inventory_app'],
    code: 'invalid_input',
    says: "option '--revert' cannot be used with option '--ensure-login <user>'",
  });
  add({
    args: ['schedule', 'create', '--tenant', T, '--types', 'mobileApp', '--every', '59s'],
    code: 'invalid_input',
    says: '--every must be from 1m to 365d',
  });
  add({
    args: ['schedule', 'create', '--tenant', T, '--types', 'mobileApp', '--every', '1h', '--jitter', '1h'],
    code: 'invalid_input',
    says: 'jitter must be shorter than the interval',
    by: 'command',
  });
  for (const bad of ['', '   ']) {
    add({
      args: ['tenant', 'add', '--tenant', UNKNOWN, '--name', bad],
      code: 'invalid_input',
      says: 'display name',
      by: 'command',
    });
  }
  return cases;
}

const CASES = buildCases();
const resolveArgs = (args: string[]): string[] =>
  args.map((a) => (a === '$T' ? tenant : a === '$U' ? UNKNOWN : a));
const label = (args: string[]): string =>
  JSON.stringify(args.map((a) => (a.length > 40 ? `${a.slice(0, 20)}…(${a.length})` : a))).replace(
    /\\u001b/g,
    'ESC',
  );

const REACHED = new Error('reached the command');

/**
 * What the CLI's command tree does with `args`: the failure it would report (failureOf) when it
 * refuses them while parsing, or 'reached' when a command would run.
 */
async function parseInProcess(args: string[]): Promise<unknown> {
  const program = createProgram().hook('preAction', () => {
    throw REACHED;
  });
  try {
    await program.parseAsync(args, { from: 'user' });
    return 'parsed without a command';
  } catch (error) {
    return error === REACHED ? 'reached' : failureOf(error, program, args);
  }
}

beforeAll(async () => {
  tenant = await ctx.engine.addTenant();
});

describe('every case, parsed by the CLI’s own command tree', () => {
  it(`covers ${CASES.length} cases`, () => {
    expect(CASES.length).toBeGreaterThan(300);
  });

  it('walks every command and every flag that takes a value, as the CLI defines them', () => {
    // A command or flag added to the CLI without a row in COMMANDS fails here.
    const defined: string[] = [];
    const walk = (command: Command, path: string[]): void => {
      if (command.commands.length === 0) {
        const flags = command.options.filter((o) => o.required || o.optional).map((o) => o.long!);
        defined.push(...[path.join(' '), ...flags.map((flag) => `${path.join(' ')} ${flag}`)]);
      }
      for (const sub of command.commands) walk(sub, [...path, sub.name()]);
    };
    walk(createProgram(), []);
    const covered = COMMANDS.flatMap(({ command, valueFlags }) => [
      command.join(' '),
      ...Object.keys(valueFlags).map((flag) => `${command.join(' ')} ${flag}`),
    ]);
    expect(defined.filter((entry) => !covered.includes(entry))).toEqual([]);
  });

  it.each(CASES.filter((c) => (c.by ?? 'parse') === 'parse').map((c) => [label(c.args), c] as const))(
    'refuses %s while parsing',
    async (_, c) => {
      const failure = await parseInProcess(resolveArgs(c.args));
      expect(failure).toMatchObject({ code: c.code });
      expect((failure as Error).message).toMatch(c.says);
      expect((failure as Error).message).not.toMatch(/\n/);
    },
  );

  it.each(CASES.filter((c) => c.by === 'command').map((c) => [label(c.args), c] as const))(
    'lets %s through to the command, which judges it',
    async (_, c) => {
      expect(await parseInProcess(resolveArgs(c.args))).toBe('reached');
    },
  );
});

/** Runs `cases` as CLI processes, a few at a time (the machine is shared). */
async function runAll(argsList: string[][]): Promise<CliResult[]> {
  const results: CliResult[] = [];
  let next = 0;
  const lane = async () => {
    while (next < argsList.length) {
      const i = next++;
      results[i] = await runCli(ctx.engine, argsList[i]!);
    }
  };
  await Promise.all([lane(), lane(), lane(), lane()]);
  return results;
}

function expectOneError(result: CliResult, c: Case, json: boolean): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  if (json) {
    expect(result.stderr.endsWith('\n')).toBe(true);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    const document = JSON.parse(result.stderr) as { error: { code: string; message: string; hint: string } };
    expect(Object.keys(document)).toEqual(['error']);
    expect(Object.keys(document.error).sort()).toEqual(['code', 'hint', 'message']);
    expect(document.error.code).toBe(c.code);
    expect(document.error.message).toMatch(c.says);
    return;
  }
  const lines = result.stderr.split('\n');
  expect(lines).toHaveLength(3);
  expect(lines[0]).toMatch(new RegExp(`^error \\[${c.code}\\]: `));
  expect(lines[0]).toMatch(c.says);
  expect(lines[1]).toMatch(/^ {2}hint: /);
  expect(lines[2]).toBe('');
}

/**
 * Values the operating system cannot carry in argv (NUL), and those that print control characters
 * back (echoed in some messages; how the terminal shows them is the output's business), stay
 * in-process only.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f]/;
const printable = (c: Case): boolean => c.args.every((a) => !CONTROL.test(a));

describe('real CLI processes', () => {
  it('refuse bad input in every command, in one line or one JSON object, with exit code 2', async () => {
    const runs: Array<{ c: Case; json: boolean }> = [];
    for (const { command } of COMMANDS) {
      const own = CASES.filter((c) => printable(c) && command.every((word, i) => c.args[i] === word));
      // The first case each command refuses while parsing, both ways.
      const first = own.find((c) => (c.by ?? 'parse') === 'parse')!;
      runs.push({ c: first, json: false }, { c: first, json: true });
      // What only the command can judge: forged cursors and the rest all, one selection each
      // (one parser behind every command), alternating between human output and --json.
      const judged = own.filter((c) => c.by === 'command');
      const selections = judged.filter((c) => c.code === 'invalid_selection');
      for (const c of [...judged.filter((c) => c.code !== 'invalid_selection'), ...selections.slice(0, 1)]) {
        runs.push({ c, json: runs.length % 2 === 0 });
      }
    }
    for (const c of CASES.filter((c) => c.args.length <= 1)) runs.push({ c, json: false });
    // `inventory --json` alone is an unknown option of the program: still one JSON object.
    runs.push({ c: { args: [], code: 'invalid_input', says: "unknown option '--json'" }, json: true });
    runs.push({
      c: { args: ['schedule'], code: 'invalid_input', says: "unknown option '--json'" },
      json: true,
    });
    const argsOf = (run: { c: Case; json: boolean }) => [
      ...resolveArgs(run.c.args),
      ...(run.json ? ['--json'] : []),
    ];
    const results = await runAll(runs.map(argsOf));
    runs.forEach((run, i) => {
      try {
        expectOneError(results[i]!, run.c, run.json);
      } catch (error) {
        const detail = `${label(argsOf(run))}: ${(error as Error).message}\n${JSON.stringify(results[i])}`;
        throw new Error(detail.slice(0, 2000));
      }
    });
  }, 300_000);

  it('wrote nothing: no tenant but the registered one, no run, no schedule', async () => {
    const tenants = await ctx.engine.client.listTenants();
    expect(tenants.map((t) => [t.id, t.enabled])).toEqual([[tenant, true]]);
    expect((await ctx.engine.client.listRuns(tenant, {})).runs).toEqual([]);
    expect(await ctx.engine.client.listSchedules(tenant)).toEqual([]);
    expect(await ctx.engine.client.listSchedules(UNKNOWN)).toEqual([]);
  });
});
