/**
 * Every `inventory` command and flag with bad input of each kind: empty, blank, huge, control
 * characters, wrong forms, repeated and conflicting flags, out of range values, forged cursors.
 *
 * Each case is parsed in-process by the CLI's own command tree (cli/program.ts), which must refuse
 * it with the stable code before any command runs, or, for input only a command can judge (a
 * selection, a decoded cursor, a display name, a scope tag name, a tenant or item that is not
 * there), must let it through to the command. Real CLI processes then run every command at least
 * once, with and without --json, and every case a command judges: exit code 2 for bad input (1 for
 * an unknown tenant or item), exactly one error line and its hint (with --json exactly one JSON
 * object) on stderr, nothing on stdout. At the end nothing was written: no tenant, run, schedule,
 * item or assignment.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Command } from 'commander';
import { createProgram, failureOf } from '../../cli/program';
import { queryRows } from '../../db/sql';
import { runCli, type CliResult } from '../support/cli';
import { useEngine } from '../support/engine';

const ctx = useEngine();

/** Registered in beforeAll; bad input about it must change nothing. */
let tenant = '';
/** Never registered. */
const UNKNOWN = randomUUID();

type Code = 'invalid_input' | 'invalid_selection' | 'tenant_unknown' | 'item_not_found';
/** Codes that are bad input (exit code 2); the others are well-formed input naming nothing there (1). */
const BAD_INPUT_CODES: ReadonlySet<Code> = new Set(['invalid_input', 'invalid_selection']);

interface Case {
  /** Arguments after `inventory`; `$T` is the registered tenant, `$U` one never registered. */
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
/** Input that reads like SQL; parameters carry it, so it is only ever text that matches nothing. */
const SQL = "x'); DROP TABLE inventory_assignments; --";

/** An Entra group and an assignment filter the registered tenant has no edges for. */
const GROUP = '44444444-4444-4444-8444-444444444444';
const FILTER = '55555555-5555-4555-8555-555555555555';
/** Group and filter ids that are no GUID: Graph's object ids are GUIDs, so these are refused while parsing. */
const BAD_OBJECT_IDS = [
  '',
  ' ',
  'sales-devices',
  `{${GROUP}}`,
  ` ${GROUP} `,
  GROUP.replace(/-/g, ''),
  `urn:uuid:${GROUP}`,
  `${GROUP}${ESC}`,
  `${GROUP}\u0000`,
  `${GROUP}\n`,
  `${GROUP}\u202e`,
  `${GROUP}' OR '1'='1`,
  SQL,
  '4'.repeat(100_000),
];
/** Scope tags `items --scope-tag` refuses while parsing, and what it says. */
const BAD_SCOPE_TAGS: Array<[string, RegExp]> = [
  ['', /^--scope-tag must be a scope tag id or name, not blank/],
  ['   ', /^--scope-tag must be a scope tag id or name, not blank/],
  ['\ud800', /^--scope-tag must be a scope tag id or name/],
  [`Finance${ESC}`, /^--scope-tag must not contain control characters/],
  ['Fin\u0000ance', /^--scope-tag must not contain control characters/],
  ['Fin\u202eance', /^--scope-tag must not contain control characters/],
  ['Finance\n', /^--scope-tag must not contain control characters/],
  ['y'.repeat(257), /^--scope-tag is 257 characters long; a scope tag id or name has at most 256/],
  [HUGE, /^--scope-tag is 100000 characters long/],
];

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
/** Forged `assignments` cursors: (policy type, external id, assignment id), each checked before SQL. */
const FORGED_ASSIGNMENTS_CURSORS = [
  cursorOf('assignments', 'noSuchType', 'x', 'a'),
  cursorOf('assignments', 'mobileApp', 'x\u0000y', 'a'),
  cursorOf('assignments', 'mobileApp', 'x', 'a\u0000b'),
  cursorOf('assignments', 'mobileApp', 'x'.repeat(300), 'a'),
  cursorOf('assignments', 'mobileApp', 'x'),
  cursorOf('assignments', 'mobileApp', 'x', 'a', 'extra'),
  cursorOf('assignments', 'mobileApp', 'x', 42),
  cursorOf('items', 'mobileApp', 'x'),
  Buffer.from('not json').toString('base64url'),
];
const FORGED_CURSORS: Record<string, string[]> = {
  runs: FORGED_RUNS_CURSORS,
  missing: FORGED_MISSING_CURSORS,
  items: FORGED_ITEMS_CURSORS,
  assignments: FORGED_ASSIGNMENTS_CURSORS,
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
      '--scope-tag': '0',
      '--format': 'csv',
    },
  },
  {
    command: ['item'],
    valid: ['--tenant', '$T', '--type', 'mobileApp', '--id', 'x'],
    valueFlags: { '--tenant': '$T', '--type': 'mobileApp', '--id': 'x' },
  },
  {
    command: ['assignments'],
    valid: ['--tenant', '$T', '--group', GROUP],
    valueFlags: {
      '--tenant': '$T',
      '--group': GROUP,
      '--filter': FILTER,
      '--type': 'mobileApp',
      '--id': 'x',
      '--format': 'csv',
      '--limit': '5',
      '--cursor': 'abc',
    },
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
        (valueFlags[f] && !(f === '--id' && ['item', 'assignments'].includes(name))) ||
        (f === '--config' && name === 'graph-sim'),
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
  // One item, by `inventory item` and by `inventory assignments --item`: the same --type and --id.
  for (const command of [['item'], ['assignments', '--item']]) {
    for (const [bad, says] of [
      ['', /^--type must name a policy type/],
      ['  ', /^--type must name a policy type/],
      ['nope', /^--type: unknown policy type\(s\) nope; valid:/],
      ['MobileApp', /^--type: unknown policy type\(s\) MobileApp \(did you mean mobileApp\?\)/],
      [`mobileApp${ESC}`, /^--type: unknown policy type/],
      [SQL, /^--type: unknown policy type/],
      [HUGE, /^--type: unknown policy type\(s\) x+… \(100000 characters\)/],
    ] as const) {
      add({
        args: [...command, '--tenant', T, '--id', 'x', '--type', bad],
        code: 'invalid_input',
        says,
      });
    }
    for (const bad of ['', '   ', 'x'.repeat(257), HUGE, 'a\u0000b', '\ud800']) {
      add({
        args: [...command, '--tenant', T, '--type', 'mobileApp', '--id', bad],
        code: 'invalid_input',
        says: /^--id must be an item id of 1 to 256 characters, not blank/,
      });
    }
  }
  addAssignmentsCases(add);
  addItemsAssignmentFilterCases(add);
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

/** `inventory assignments`: malformed group and filter ids, conflicting modes, formats, what is not there. */
function addAssignmentsCases(add: (c: Case) => void): void {
  const T = '$T';
  for (const flag of ['--group', '--filter']) {
    for (const bad of BAD_OBJECT_IDS) {
      add({
        args: ['assignments', '--tenant', T, flag, bad],
        code: 'invalid_input',
        says: new RegExp(`^${flag} must be a GUID such as 0{8}-`),
      });
    }
  }
  // Exactly one of --group, --filter, --item; --type and --id only with --item, which does not page.
  const ITEM = ['--item', '--type', 'mobileApp', '--id', 'x'];
  for (const [args, says] of [
    [
      ['--group', GROUP, '--filter', FILTER],
      "option '--group <group id>' cannot be used with option '--filter",
    ],
    [
      ['--filter', FILTER, '--group', GROUP],
      "option '--group <group id>' cannot be used with option '--filter",
    ],
    [['--group', GROUP, ...ITEM], "option '--group <group id>' cannot be used with option '--item'"],
    [['--filter', FILTER, ...ITEM], "option '--filter <filter id>' cannot be used with option '--item'"],
    [['--group', GROUP, '--type', 'mobileApp'], "option '--type <type>' cannot be used with option '--group"],
    [['--group', GROUP, '--id', 'x'], "option '--id <external id>' cannot be used with option '--group"],
    [
      ['--filter', FILTER, '--type', 'mobileApp'],
      "option '--type <type>' cannot be used with option '--filter",
    ],
    [['--filter', FILTER, '--id', 'x'], "option '--id <external id>' cannot be used with option '--filter"],
    [[...ITEM, '--limit', '5'], "option '--item' cannot be used with option '--limit <n>'"],
    [[...ITEM, '--cursor', 'abc'], "option '--item' cannot be used with option '--cursor <cursor>'"],
    [['--group', GROUP, '--format', 'csv', '--json'], "option '--json' cannot be used with option '--format"],
    [['--group', GROUP, '--item=yes'], "unknown option '--item=yes'"],
  ] as const) {
    add({ args: ['assignments', '--tenant', T, ...args], code: 'invalid_input', says });
  }
  // ndjson is a format of `items`, not of `assignments`.
  for (const bad of ['', 'xml', 'ndjson', 'CSV', 'table,csv', `csv${ESC}`]) {
    add({
      args: ['assignments', '--tenant', T, '--group', GROUP, '--format', bad],
      code: 'invalid_input',
      says: /^option '--format <format>' argument .* is invalid\. Allowed choices are table, json, csv\.$/,
    });
  }
  // Modes the command line alone cannot tell apart from valid ones: the command refuses them.
  for (const [args, says] of [
    [[], 'give one of --group <group id>, --filter <filter id> or --item'],
    [['--format', 'csv'], 'give one of --group <group id>, --filter <filter id> or --item'],
    [['--type', 'mobileApp'], '--type and --id go with --item'],
    [['--id', 'x'], '--type and --id go with --item'],
    [['--type', 'mobileApp', '--id', 'x', '--json'], '--type and --id go with --item'],
    [['--item'], '--item needs --type <type> and --id <external id>'],
    [['--item', '--type', 'mobileApp'], '--item needs --type <type> and --id <external id>'],
    [['--item', '--id', 'x', '--format', 'csv'], '--item needs --type <type> and --id <external id>'],
  ] as const) {
    add({ args: ['assignments', '--tenant', T, ...args], code: 'invalid_input', says, by: 'command' });
  }
  // Well-formed, but naming a tenant or an item that is not there (exit code 1, not 2).
  for (const args of [
    ['--group', GROUP],
    ['--group', GROUP, '--format', 'csv'],
    ['--filter', FILTER, '--json'],
    ['--filter', FILTER, '--format', 'csv'],
    ['--item', '--type', 'mobileApp', '--id', 'x'],
  ]) {
    add({
      args: ['assignments', '--tenant', '$U', ...args],
      code: 'tenant_unknown',
      says: /tenant [0-9a-f-]{36} is not registered$/,
      by: 'command',
    });
  }
  for (const format of ['table', 'json', 'csv']) {
    add({
      args: ['assignments', '--tenant', T, '--item', '--type', 'mobileApp', '--id', SQL, '--format', format],
      code: 'item_not_found',
      says: 'DROP TABLE inventory_assignments',
      by: 'command',
    });
  }
  // A forged cursor streamed as CSV: refused before any header reaches stdout.
  add({
    args: [
      'assignments',
      '--tenant',
      T,
      '--filter',
      FILTER,
      '--format',
      'csv',
      '--cursor',
      FORGED_ASSIGNMENTS_CURSORS[0]!,
    ],
    code: 'invalid_input',
    says: 'the cursor is not a valid assignments cursor',
    by: 'command',
  });
}

/** `inventory items --unassigned` and `--scope-tag`. */
function addItemsAssignmentFilterCases(add: (c: Case) => void): void {
  const T = '$T';
  for (const [bad, says] of BAD_SCOPE_TAGS) {
    add({ args: ['items', '--tenant', T, '--scope-tag', bad], code: 'invalid_input', says });
  }
  add({
    args: ['items', '--tenant', T, '--unassigned=yes'],
    code: 'invalid_input',
    says: "unknown option '--unassigned=yes'",
  });
  add({
    args: ['items', '--tenant', T, '--unassigned', '--scope-tag', '0', '--scope-tag', '1'],
    code: 'invalid_input',
    says: '--scope-tag was given more than once',
  });
  // A name no inventoried scope tag has (this tenant has none): the command says what to do.
  for (const [name, format] of [
    ['Finance', 'table'],
    [SQL, 'json'],
    ['%', 'csv'],
    ['y'.repeat(256), 'ndjson'],
  ]) {
    add({
      args: ['items', '--tenant', T, '--scope-tag', name!, '--format', format!],
      code: 'invalid_input',
      says: /no scope tag named ".*"( \(\d+ characters\))? was observed in this tenant; give the tag's id, or sync roleScopeTag first$/,
      by: 'command',
    });
  }
  for (const args of [
    ['--unassigned'],
    ['--unassigned', '--format', 'csv'],
    ['--scope-tag', '0', '--json'],
    ['--scope-tag', 'Finance'],
    ['--scope-tag', 'Finance', '--format', 'ndjson'],
  ]) {
    add({
      args: ['items', '--tenant', '$U', ...args],
      code: 'tenant_unknown',
      says: /tenant [0-9a-f-]{36} is not registered$/,
      by: 'command',
    });
  }
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
  expect(result.code).toBe(BAD_INPUT_CODES.has(c.code) ? 2 : 1);
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

/** Whether a case's own --json or --format asks for JSON output; null when it chooses no format. */
function chosenJson(c: Case): boolean | null {
  if (c.args.includes('--json')) return true;
  const format = c.args.indexOf('--format');
  return format === -1 ? null : ['json', 'ndjson'].includes(c.args[format + 1]!);
}

describe('real CLI processes', () => {
  it('refuse bad input in every command, in one line or one JSON object, with exit code 2 (1 when nothing is there)', async () => {
    const runs: Array<{ c: Case; json: boolean }> = [];
    for (const { command } of COMMANDS) {
      const own = CASES.filter((c) => printable(c) && command.every((word, i) => c.args[i] === word));
      // The first case each command refuses while parsing, both ways.
      const first = own.find((c) => (c.by ?? 'parse') === 'parse')!;
      runs.push({ c: first, json: false }, { c: first, json: true });
      // What only the command can judge: forged cursors and the rest all, one selection each
      // (one parser behind every command), alternating between human output and --json unless
      // the case chooses its output format itself.
      const judged = own.filter((c) => c.by === 'command');
      const selections = judged.filter((c) => c.code === 'invalid_selection');
      for (const c of [...judged.filter((c) => c.code !== 'invalid_selection'), ...selections.slice(0, 1)]) {
        runs.push({ c, json: chosenJson(c) ?? runs.length % 2 === 0 });
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
      ...(run.json && chosenJson(run.c) === null ? ['--json'] : []),
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

  it('wrote nothing: no tenant but the registered one, no run, no schedule, no item, no assignment', async () => {
    const { client } = ctx.engine;
    const tenants = await client.listTenants();
    expect(tenants.map((t) => [t.id, t.enabled])).toEqual([[tenant, true]]);
    expect((await client.listRuns(tenant, {})).runs).toEqual([]);
    expect(await client.listSchedules(tenant)).toEqual([]);
    expect(await client.listSchedules(UNKNOWN)).toEqual([]);
    // Counted as the administrator, past row-level security: no tenant's rows, not only this one's.
    const [rows] = await queryRows<Record<string, number>>(
      ctx.engine.db.admin,
      `SELECT (SELECT count(*)::int FROM inventory_items) AS items,
              (SELECT count(*)::int FROM inventory_assignments) AS assignments,
              (SELECT count(*)::int FROM directory_groups) AS groups`,
    );
    expect(rows).toEqual({ items: 0, assignments: 0, groups: 0 });
  });
});
