/**
 * Every public InventoryClient method walked with bad input of each kind a caller in plain
 * JavaScript, or one passing values from JSON, can send: empty, whitespace, huge, control
 * characters, wrong types, null/undefined, out of range, unknown ids. For each the client must
 * throw an InventoryError with the expected stable code and a message of one short line, and
 * write nothing: no tenant row changed, no run, item, assignment or group row, no schedule or
 * workflow started, the reaper schedule still there. Against the real database and Temporal; no workers are needed, since
 * nothing may start.
 */
import { randomUUID } from 'node:crypto';
import { ScheduleNotFoundError, WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InventoryClient, InventoryError, SyncFailedError, type ErrorCode } from '../../client';
import { registerTenant as registerTenantRow } from '../../db/repositories/tenants';
import { queryRows } from '../../db/sql';
import { parseSelection } from '../../inventory/selection';
import { selectionHash } from '../../inventory/selection-hash';
import { reaperScheduleId, syncScheduleId, syncWorkflowId } from '../../inventory/workflow-ids';
import { ensureReaperSchedule } from '../../worker/reaper-schedule';
import { startEngine, type Engine } from '../support/engine';

const TENANT = randomUUID();
const DISABLED = randomUUID();
const UNKNOWN = randomUUID();
const SELECTION = { categories: ['apps'] };
const HASH = selectionHash(parseSelection(SELECTION));
const UNKNOWN_SYNC = syncWorkflowId(UNKNOWN, HASH);
/** A workflow that exists but is no sync: started on a queue no worker polls. */
const NOT_A_SYNC = `not-a-sync-${randomUUID()}`;
const HUGE = 'x'.repeat(100_000);
const MAX_MESSAGE_LENGTH = 300;

interface Case {
  method: keyof InventoryClient;
  kind: string;
  args: unknown[];
  code: ErrorCode;
  /** What the message must say, e.g. the limit it enforces. */
  mentions?: RegExp;
}

const cases: Case[] = [];
function add(
  method: keyof InventoryClient,
  code: ErrorCode,
  entries: Array<[string, unknown[], RegExp?]>,
): void {
  for (const [kind, args, mentions] of entries)
    cases.push({ method, kind, args, code, ...(mentions && { mentions }) });
}

/** Tenant ids that are no GUID, each kind once. */
const BAD_TENANT_IDS: Array<[string, unknown]> = [
  ['empty tenant id', ''],
  ['whitespace tenant id', '   '],
  ['huge tenant id', HUGE],
  ['tenant id with control characters', `${TENANT}\u001b[2J`],
  ['tenant id that is no GUID', 'contoso'],
  ['number tenant id', 42],
  ['null tenant id', null],
  ['undefined tenant id', undefined],
  ['array tenant id', [TENANT]],
  ['object tenant id', { id: TENANT }],
];
const badTenantIds = (args: (tenantId: unknown) => unknown[]): Array<[string, unknown[]]> =>
  BAD_TENANT_IDS.map(([kind, value]) => [kind, args(value)]);

/** Arguments that must be an object (an input or options bag) but are not. */
const NOT_OBJECTS: Array<[string, unknown]> = [
  ['null', null],
  ['array', []],
  ['string', 'x'],
  ['number', 42],
];

/** Selections parseSelection refuses; none quotes unbounded input back. */
const BAD_SELECTIONS: Array<[string, unknown]> = [
  ['null selection', null],
  ['undefined selection', undefined],
  ['array selection', ['apps']],
  ['string selection', 'apps'],
  ['empty selection', {}],
  ['selection of empty lists', { categories: [], policy_types: [] }],
  ['unknown category', { categories: ['nope'] }],
  ['categories not a list', { categories: 'apps' }],
  ['number policy type', { policy_types: [42] }],
  ['unknown selection key', { categories: ['apps'], extra: true }],
];
const badSelections = (args: (selection: unknown) => unknown[]): Array<[string, unknown[]]> =>
  BAD_SELECTIONS.map(([kind, value]) => [kind, args(value)]);

/** Workflow ids no Temporal lookup should see. */
const BAD_WORKFLOW_IDS: Array<[string, unknown]> = [
  ['empty workflow id', ''],
  ['whitespace workflow id', '   '],
  ['workflow id over 1000 characters', 'x'.repeat(1001)],
  ['huge workflow id', HUGE],
  ['workflow id with a newline', 'inventory-sync:a\nb'],
  ['workflow id with ESC', '\u001b]0;title\u0007'],
  ['number workflow id', 42],
  ['null workflow id', null],
  ['undefined workflow id', undefined],
  ['array workflow id', [UNKNOWN_SYNC]],
  ['object workflow id', { workflowId: UNKNOWN_SYNC }],
];
/** Well-formed workflow ids with no sync behind them. */
const NO_SYNC_IDS: Array<[string, unknown]> = [
  ['unknown sync id', UNKNOWN_SYNC],
  ['unknown id of 1000 characters', 'y'.repeat(1000)],
  ['id of a workflow that is not a sync', NOT_A_SYNC],
];

/** `limit` and `cursor` options the list reads refuse. */
const BAD_PAGE_OPTIONS: Array<[string, unknown]> = [
  ['limit 0', { limit: 0 }],
  ['negative limit', { limit: -1 }],
  ['limit over 1000', { limit: 1001 }],
  ['huge limit', { limit: 1e12 }],
  ['fractional limit', { limit: 1.5 }],
  ['NaN limit', { limit: Number.NaN }],
  ['infinite limit', { limit: Number.POSITIVE_INFINITY }],
  ['string limit', { limit: '5' }],
  ['null limit', { limit: null }],
  ['empty cursor', { cursor: '' }],
  ['whitespace cursor', { cursor: '   ' }],
  ['garbage cursor', { cursor: 'garbage' }],
  ['huge cursor', { cursor: HUGE }],
  ['cursor with NUL', { cursor: '\u0000' }],
  ['number cursor', { cursor: 42 }],
  ['null cursor', { cursor: null }],
  ['array cursor', { cursor: [] }],
];

// --- tenants ----------------------------------------------------------------------------------

const NEW_TENANT = randomUUID();
add('registerTenant', 'invalid_input', [
  ...NOT_OBJECTS.map(([kind, value]): [string, unknown[]] => [`${kind} input`, [value]]),
  ['undefined input', [undefined]],
  ...badTenantIds((tenantId) => [{ tenantId, displayName: 'Fabrikam' }]),
  ['empty name', [{ tenantId: NEW_TENANT, displayName: '' }]],
  ['whitespace name', [{ tenantId: NEW_TENANT, displayName: ' \t\n ' }]],
  // Found by a user: names that show as blank, or break a line.
  ['zero-width name', [{ tenantId: NEW_TENANT, displayName: '\u200b\ufeff' }], /visible character/],
  [
    'line separator in name',
    [{ tenantId: NEW_TENANT, displayName: 'Contoso\u2028Ltd' }],
    /control characters/,
  ],
  ['name of 257 letters', [{ tenantId: NEW_TENANT, displayName: 'a'.repeat(257) }], /257.*256/],
  ['name of 257 emoji', [{ tenantId: NEW_TENANT, displayName: '😀'.repeat(257) }], /257.*256/],
  ['huge name', [{ tenantId: NEW_TENANT, displayName: HUGE }], /100000.*256/],
  ['name with an ESC sequence', [{ tenantId: NEW_TENANT, displayName: 'Con\u001b[31mtoso' }]],
  ['name with a window-title sequence', [{ tenantId: NEW_TENANT, displayName: 'a\u001b]0;pwned\u0007b' }]],
  ['name with a newline', [{ tenantId: NEW_TENANT, displayName: 'Con\ntoso' }]],
  ['name with a carriage return', [{ tenantId: NEW_TENANT, displayName: 'Con\rtoso' }]],
  ['name with NUL', [{ tenantId: NEW_TENANT, displayName: 'Con\u0000toso' }]],
  ['name with a C1 control', [{ tenantId: NEW_TENANT, displayName: 'Con\u0085toso' }]],
  ['name with a bidi override', [{ tenantId: NEW_TENANT, displayName: 'Con\u202Eotsot' }]],
  ['name with a lone surrogate', [{ tenantId: NEW_TENANT, displayName: 'Con\uD800toso' }]],
  ['number name', [{ tenantId: NEW_TENANT, displayName: 42 }]],
  ['null name', [{ tenantId: NEW_TENANT, displayName: null }]],
  ['undefined name', [{ tenantId: NEW_TENANT }]],
  ['array name', [{ tenantId: NEW_TENANT, displayName: ['Fabrikam'] }]],
  ['object name', [{ tenantId: NEW_TENANT, displayName: { name: 'Fabrikam' } }]],
]);

add('setTenantEnabled', 'invalid_input', [
  ...badTenantIds((tenantId) => [tenantId, false]),
  ['string "false"', [TENANT, 'false']],
  ['string "true"', [TENANT, 'true']],
  ['number 0', [TENANT, 0]],
  ['number 1', [TENANT, 1]],
  ['null flag', [TENANT, null]],
  ['undefined flag', [TENANT, undefined]],
  ['array flag', [TENANT, []]],
]);
add('setTenantEnabled', 'tenant_unknown', [['unknown tenant', [UNKNOWN, false]]]);

// The check needs no registered tenant, so an unknown one is not bad input; malformed ones are.
add(
  'checkTenant',
  'invalid_input',
  badTenantIds((tenantId) => [tenantId]),
);

// --- syncs ------------------------------------------------------------------------------------

add('startSync', 'invalid_input', [
  ...NOT_OBJECTS.map(([kind, value]): [string, unknown[]] => [`${kind} input`, [value]]),
  ['undefined input', [undefined]],
  ...badTenantIds((tenantId) => [{ tenantId, selection: SELECTION }]),
]);
add(
  'startSync',
  'invalid_selection',
  badSelections((selection) => [{ tenantId: TENANT, selection }]),
);
add('startSync', 'tenant_unknown', [['unknown tenant', [{ tenantId: UNKNOWN, selection: SELECTION }]]]);
add('startSync', 'tenant_disabled', [['disabled tenant', [{ tenantId: DISABLED, selection: SELECTION }]]]);

for (const method of ['getProgress', 'waitForSync'] as const) {
  add(
    method,
    'invalid_input',
    BAD_WORKFLOW_IDS.map(([kind, id]) => [kind, [id]]),
  );
  add(
    method,
    'sync_not_found',
    NO_SYNC_IDS.map(([kind, id]) => [kind, [id]]),
  );
}
add('waitForSync', 'invalid_input', [
  ...NOT_OBJECTS.map(([kind, value]): [string, unknown[]] => [`${kind} options`, [UNKNOWN_SYNC, value]]),
  ...(
    [
      ['pollMs 0', { pollMs: 0 }],
      ['negative pollMs', { pollMs: -1 }],
      ['pollMs under 10', { pollMs: 9 }],
      ['pollMs over a minute', { pollMs: 60_001 }],
      ['pollMs past what a timer holds', { pollMs: 2 ** 31 }],
      ['NaN pollMs', { pollMs: Number.NaN }],
      ['infinite pollMs', { pollMs: Number.POSITIVE_INFINITY }],
      ['fractional pollMs', { pollMs: 2.5 }],
      ['string pollMs', { pollMs: '500' }],
      ['null pollMs', { pollMs: null }],
      ['string onProgress', { onProgress: 'log' }],
      ['null onProgress', { onProgress: null }],
      ['object onProgress', { onProgress: {} }],
    ] as Array<[string, unknown]>
  ).map(([kind, options]): [string, unknown[]] => [kind, [UNKNOWN_SYNC, options]]),
]);

// --- runs and inventory -----------------------------------------------------------------------

add('getRun', 'invalid_input', [
  ...badTenantIds((tenantId) => [tenantId, randomUUID()]),
  ['empty run id', [TENANT, '']],
  ['whitespace run id', [TENANT, '   ']],
  ['huge run id', [TENANT, HUGE]],
  ['run id that is no UUID', [TENANT, 'run-1']],
  ['run id with NUL', [TENANT, `${randomUUID()}\u0000`]],
  ['number run id', [TENANT, 42]],
  ['null run id', [TENANT, null]],
  ['undefined run id', [TENANT, undefined]],
  ['array run id', [TENANT, [randomUUID()]]],
]);
add('getRun', 'run_not_found', [
  ['unknown run', [TENANT, randomUUID()]],
  ['unknown tenant', [UNKNOWN, randomUUID()]],
]);

add('getRunTypes', 'invalid_input', [
  ...badTenantIds((tenantId) => [tenantId, randomUUID()]),
  ['empty run id', [TENANT, '']],
  ['run id that is no UUID', [TENANT, 'run-1']],
  ['huge run id', [TENANT, HUGE]],
  ['number run id', [TENANT, 42]],
  ['null run id', [TENANT, null]],
  ['array run id', [TENANT, [randomUUID()]]],
]);
add('getRunTypes', 'run_not_found', [
  ['unknown run', [TENANT, randomUUID()]],
  ['unknown tenant', [UNKNOWN, randomUUID()]],
]);

add('listRuns', 'invalid_input', [
  ...badTenantIds((tenantId) => [tenantId]),
  ...NOT_OBJECTS.map(([kind, value]): [string, unknown[]] => [`${kind} options`, [TENANT, value]]),
  ...BAD_PAGE_OPTIONS.map(([kind, options]): [string, unknown[]] => [kind, [TENANT, options]]),
]);
// An omitted (undefined) selection lists runs of every selection.
add(
  'listRuns',
  'invalid_selection',
  BAD_SELECTIONS.filter(([, value]) => value !== undefined).map(([kind, selection]) => [
    kind,
    [TENANT, { selection }],
  ]),
);

add('listMissing', 'invalid_input', [
  ...badTenantIds((tenantId) => [tenantId, SELECTION]),
  ...NOT_OBJECTS.map(([kind, value]): [string, unknown[]] => [`${kind} options`, [TENANT, SELECTION, value]]),
  ...BAD_PAGE_OPTIONS.map(([kind, options]): [string, unknown[]] => [kind, [TENANT, SELECTION, options]]),
  ['string includeUnverified', [TENANT, SELECTION, { includeUnverified: 'true' }]],
  ['null includeUnverified', [TENANT, SELECTION, { includeUnverified: null }]],
  ['number includeUnverified', [TENANT, SELECTION, { includeUnverified: 1 }]],
]);
add(
  'listMissing',
  'invalid_selection',
  badSelections((selection) => [TENANT, selection]),
);

/** Search texts listItems and iterateItems refuse. */
const BAD_SEARCHES: Array<[string, unknown, RegExp?]> = [
  ['empty search', ''],
  ['whitespace search', ' \t '],
  ['search of 257 characters', 'x'.repeat(257), /257.*256/],
  ['huge search', HUGE, /100000.*256/],
  ['search with NUL', 'a\u0000b'],
  ['search with ESC', '\u001b[2J'],
  ['search with a lone surrogate', 'a\uD800'],
  ['number search', 42],
  ['null search', null],
  ['array search', ['x']],
];
/** changedSince values listItems and iterateItems refuse. */
const BAD_CHANGED_SINCE: Array<[string, unknown]> = [
  ['empty changedSince', ''],
  ['changedSince in words', 'yesterday'],
  ['changedSince not a real date', '2026-02-30'],
  ['changedSince without an offset', '2026-05-01T08:00:00'],
  ['changedSince of 3651 days', '3651d'],
  ['huge changedSince', HUGE],
  ['invalid Date changedSince', new Date(Number.NaN)],
  ['number changedSince', 42],
  ['null changedSince', null],
  ['object changedSince', {}],
];
const itemFilterCases = (args: (options: unknown) => unknown[]): Array<[string, unknown[], RegExp?]> => [
  ...BAD_SEARCHES.map(([kind, search, mentions]): [string, unknown[], RegExp?] => [
    kind,
    args({ search }),
    mentions,
  ]),
  ...BAD_CHANGED_SINCE.map(([kind, changedSince]): [string, unknown[]] => [kind, args({ changedSince })]),
];

add('listItems', 'invalid_input', [
  ...badTenantIds((tenantId) => [tenantId]),
  ...NOT_OBJECTS.map(([kind, value]): [string, unknown[]] => [`${kind} options`, [TENANT, value]]),
  ...BAD_PAGE_OPTIONS.map(([kind, options]): [string, unknown[]] => [kind, [TENANT, options]]),
  ...itemFilterCases((options) => [TENANT, options]),
]);
add(
  'listItems',
  'invalid_selection',
  BAD_SELECTIONS.filter(([, value]) => value !== undefined).map(([kind, selection]) => [
    kind,
    [TENANT, { selection }],
  ]),
);
add('listItems', 'tenant_unknown', [['unknown tenant', [UNKNOWN]]]);

add('iterateItems', 'invalid_input', [
  ...badTenantIds((tenantId) => [tenantId]),
  ...NOT_OBJECTS.map(([kind, value]): [string, unknown[]] => [`${kind} options`, [TENANT, value]]),
  ...BAD_PAGE_OPTIONS.filter(([, options]) => 'cursor' in (options as object)).map(
    ([kind, options]): [string, unknown[]] => [kind, [TENANT, options]],
  ),
  ...(
    [
      ['pageSize 0', 0],
      ['pageSize over 1000', 1001],
      ['fractional pageSize', 1.5],
      ['NaN pageSize', Number.NaN],
      ['string pageSize', '5'],
      ['null pageSize', null],
    ] as Array<[string, unknown]>
  ).map(([kind, pageSize]): [string, unknown[]] => [kind, [TENANT, { pageSize }]]),
  ...itemFilterCases((options) => [TENANT, options]),
]);
add(
  'iterateItems',
  'invalid_selection',
  BAD_SELECTIONS.filter(([, value]) => value !== undefined).map(([kind, selection]) => [
    kind,
    [TENANT, { selection }],
  ]),
);
add('iterateItems', 'tenant_unknown', [['unknown tenant', [UNKNOWN]]]);

/** Input that reads like SQL; parameters carry it, so it is only ever text that matches nothing. */
const SQL = "x'); DROP TABLE inventory_assignments; --";
/** unassigned values listItems and iterateItems refuse: a boolean, not something truthy. */
const BAD_UNASSIGNED: Array<[string, unknown]> = [
  ['string unassigned', 'true'],
  ['number unassigned', 1],
  ['null unassigned', null],
  ['object unassigned', {}],
];
/** scopeTag values listItems and iterateItems refuse before reading anything. */
const BAD_SCOPE_TAGS: Array<[string, unknown, RegExp?]> = [
  ['empty scopeTag', ''],
  ['whitespace scopeTag', ' \t '],
  ['scopeTag of 257 characters', 'x'.repeat(257), /257.*256/],
  ['huge scopeTag', HUGE, /100000.*256/],
  ['scopeTag with NUL', 'Fin\u0000ance'],
  ['scopeTag with ESC', 'Finance\u001b[2J'],
  ['scopeTag with a newline', 'Finance\nLtd'],
  ['scopeTag with a bidi override', 'Fin\u202Eance'],
  ['scopeTag with a lone surrogate', 'a\uD800'],
  ['number scopeTag', 0],
  ['null scopeTag', null],
  ['array scopeTag', ['0']],
  ['object scopeTag', { id: '0' }],
];
/** Scope tag names the tenant has none of (it has no roleScopeTag items): refused with what to do. */
const UNKNOWN_SCOPE_TAGS: Array<[string, unknown, RegExp?]> = [
  ['unknown scopeTag name', 'Finance', /no scope tag named "Finance"/],
  ['scopeTag name that reads like SQL', SQL, /no scope tag named/],
  ['scopeTag name of LIKE wildcards', '%_%'],
  ['scopeTag name of 256 characters', 'y'.repeat(256), /no scope tag named "y+…" \(256 characters\)/],
];
const assignmentFilterCases = (
  args: (options: unknown) => unknown[],
): Array<[string, unknown[], RegExp?]> => [
  ...BAD_UNASSIGNED.map(([kind, unassigned]): [string, unknown[]] => [kind, args({ unassigned })]),
  ...BAD_SCOPE_TAGS.map(([kind, scopeTag, mentions]): [string, unknown[], RegExp?] => [
    kind,
    args({ scopeTag }),
    mentions,
  ]),
  ...UNKNOWN_SCOPE_TAGS.map(([kind, scopeTag, mentions]): [string, unknown[], RegExp?] => [
    kind,
    args({ scopeTag, unassigned: true }),
    mentions,
  ]),
];
for (const method of ['listItems', 'iterateItems'] as const) {
  add(
    method,
    'invalid_input',
    assignmentFilterCases((options) => [TENANT, options]),
  );
  add(method, 'tenant_unknown', [
    ['unknown tenant, unassigned', [UNKNOWN, { unassigned: true }]],
    ['unknown tenant, scope tag by id', [UNKNOWN, { scopeTag: '0' }]],
    ['unknown tenant, scope tag by name', [UNKNOWN, { scopeTag: 'Finance' }]],
  ]);
}

add('getItem', 'invalid_input', [
  ...badTenantIds((tenantId) => [tenantId, 'mobileApp', 'x']),
  ['empty policy type', [TENANT, '', 'x']],
  ['unknown policy type', [TENANT, 'nope', 'x']],
  ['policy type in the wrong case', [TENANT, 'MobileApp', 'x'], /did you mean mobileApp/],
  ['huge policy type', [TENANT, HUGE, 'x'], /100000 characters/],
  ['number policy type', [TENANT, 42, 'x']],
  ['null policy type', [TENANT, null, 'x']],
  ['empty item id', [TENANT, 'mobileApp', '']],
  ['whitespace item id', [TENANT, 'mobileApp', '   ']],
  ['item id of 257 characters', [TENANT, 'mobileApp', 'x'.repeat(257)]],
  ['huge item id', [TENANT, 'mobileApp', HUGE]],
  ['item id with NUL', [TENANT, 'mobileApp', 'a\u0000b']],
  ['item id with a lone surrogate', [TENANT, 'mobileApp', 'a\uD800']],
  ['number item id', [TENANT, 'mobileApp', 42]],
  ['null item id', [TENANT, 'mobileApp', null]],
  ['array item id', [TENANT, 'mobileApp', ['x']]],
]);
add('getItem', 'item_not_found', [
  ['unknown item', [TENANT, 'mobileApp', 'x']],
  // Quoted back cut to 80 characters, on one line.
  [
    'unknown item with a long id and control characters',
    [TENANT, 'mobileApp', `a\u001b[2J\n${'y'.repeat(250)}`],
  ],
]);
add('getItem', 'tenant_unknown', [['unknown tenant', [UNKNOWN, 'mobileApp', 'x']]]);
// --- assignments ------------------------------------------------------------------------------

/** An Entra group and an assignment filter TENANT has no edges for. */
const GROUP = '44444444-4444-4444-8444-444444444444';
const FILTER = '55555555-5555-4555-8555-555555555555';
/** Group or filter ids that are no GUID, each kind once. */
const BAD_OBJECT_IDS: Array<[string, unknown]> = [
  ['empty id', ''],
  ['whitespace id', '   '],
  ['huge id', HUGE],
  ['id that is no GUID', 'sales-devices'],
  ['GUID in braces', `{${GROUP}}`],
  ['GUID with spaces around it', ` ${GROUP} `],
  ['GUID without dashes', GROUP.replace(/-/g, '')],
  ['GUID with ESC', `${GROUP}\u001b[2J`],
  ['GUID with NUL', `${GROUP}\u0000`],
  ['GUID with a newline', `${GROUP}\n`],
  ['GUID with a bidi override', `${GROUP}\u202E`],
  ['GUID and SQL', `${GROUP}' OR '1'='1`],
  ['SQL', SQL],
  ['number id', 42],
  ['null id', null],
  ['undefined id', undefined],
  ['array id', [GROUP]],
  ['object id', { id: GROUP }],
];
const cursorOf = (...parts: unknown[]): string =>
  Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
/** Well-formed cursors whose content is forged; only decoding them tells. */
const FORGED_ASSIGNMENTS_CURSORS: Array<[string, unknown]> = [
  ['cursor of an unknown type', { cursor: cursorOf('assignments', 'noSuchType', 'x', 'a') }],
  ['cursor with NUL in the item id', { cursor: cursorOf('assignments', 'mobileApp', 'x\u0000y', 'a') }],
  ['cursor with NUL in the assignment id', { cursor: cursorOf('assignments', 'mobileApp', 'x', 'a\u0000') }],
  ['cursor with a 300-character id', { cursor: cursorOf('assignments', 'mobileApp', 'x'.repeat(300), 'a') }],
  ['cursor missing a part', { cursor: cursorOf('assignments', 'mobileApp', 'x') }],
  ['cursor with an extra part', { cursor: cursorOf('assignments', 'mobileApp', 'x', 'a', 'b') }],
  ['cursor with a number part', { cursor: cursorOf('assignments', 'mobileApp', 'x', 42) }],
  ['cursor of the items list', { cursor: cursorOf('items', 'mobileApp', 'x') }],
  ['cursor that is no JSON', { cursor: Buffer.from('not json').toString('base64url') }],
];
const BAD_PAGE_SIZES: Array<[string, unknown]> = [
  ['pageSize 0', 0],
  ['pageSize over 1000', 1001],
  ['fractional pageSize', 1.5],
  ['NaN pageSize', Number.NaN],
  ['infinite pageSize', Number.POSITIVE_INFINITY],
  ['string pageSize', '5'],
  ['null pageSize', null],
];

for (const [list, iterate, id] of [
  ['listAssignmentsByGroup', 'iterateAssignmentsByGroup', GROUP],
  ['listAssignmentsByFilter', 'iterateAssignmentsByFilter', FILTER],
] as const) {
  add(list, 'invalid_input', [
    ...badTenantIds((tenantId) => [tenantId, id]),
    ...BAD_OBJECT_IDS.map(([kind, value]): [string, unknown[]] => [kind, [TENANT, value]]),
    ...NOT_OBJECTS.map(([kind, value]): [string, unknown[]] => [`${kind} options`, [TENANT, id, value]]),
    ...BAD_PAGE_OPTIONS.map(([kind, options]): [string, unknown[]] => [kind, [TENANT, id, options]]),
    ...FORGED_ASSIGNMENTS_CURSORS.map(([kind, options]): [string, unknown[]] => [
      kind,
      [TENANT, id, options],
    ]),
  ]);
  add(list, 'tenant_unknown', [['unknown tenant', [UNKNOWN, id]]]);
  add(iterate, 'invalid_input', [
    ...badTenantIds((tenantId) => [tenantId, id]),
    ...BAD_OBJECT_IDS.map(([kind, value]): [string, unknown[]] => [kind, [TENANT, value]]),
    ...NOT_OBJECTS.map(([kind, value]): [string, unknown[]] => [`${kind} options`, [TENANT, id, value]]),
    ...BAD_PAGE_OPTIONS.filter(([, options]) => 'cursor' in (options as object)).map(
      ([kind, options]): [string, unknown[]] => [kind, [TENANT, id, options]],
    ),
    ...FORGED_ASSIGNMENTS_CURSORS.map(([kind, options]): [string, unknown[]] => [
      kind,
      [TENANT, id, options],
    ]),
    ...BAD_PAGE_SIZES.map(([kind, pageSize]): [string, unknown[]] => [kind, [TENANT, id, { pageSize }]]),
  ]);
  add(iterate, 'tenant_unknown', [['unknown tenant', [UNKNOWN, id]]]);
}

add('getItemAssignments', 'invalid_input', [
  ...badTenantIds((tenantId) => [tenantId, 'mobileApp', 'x']),
  ['empty policy type', [TENANT, '', 'x']],
  ['unknown policy type', [TENANT, 'nope', 'x']],
  ['policy type in the wrong case', [TENANT, 'MobileApp', 'x'], /did you mean mobileApp/],
  ['policy type that reads like SQL', [TENANT, SQL, 'x']],
  ['huge policy type', [TENANT, HUGE, 'x'], /100000 characters/],
  ['policy type with ESC', [TENANT, 'mobileApp\u001b[2J', 'x']],
  ['number policy type', [TENANT, 42, 'x']],
  ['null policy type', [TENANT, null, 'x']],
  ['empty item id', [TENANT, 'mobileApp', '']],
  ['whitespace item id', [TENANT, 'mobileApp', '   ']],
  ['item id of 257 characters', [TENANT, 'mobileApp', 'x'.repeat(257)]],
  ['huge item id', [TENANT, 'mobileApp', HUGE]],
  ['item id with NUL', [TENANT, 'mobileApp', 'a\u0000b']],
  ['item id with a lone surrogate', [TENANT, 'mobileApp', 'a\uD800']],
  ['number item id', [TENANT, 'mobileApp', 42]],
  ['null item id', [TENANT, 'mobileApp', null]],
  ['undefined item id', [TENANT, 'mobileApp', undefined]],
  ['array item id', [TENANT, 'mobileApp', ['x']]],
]);
add('getItemAssignments', 'item_not_found', [
  ['unknown item', [TENANT, 'mobileApp', 'x']],
  ['unknown item of a type without assignments', [TENANT, 'assignmentFilter', 'x']],
  ['item id that reads like SQL', [TENANT, 'mobileApp', SQL], /DROP TABLE/],
  // Quoted back cut short, on one line.
  [
    'unknown item with a long id and control characters',
    [TENANT, 'mobileApp', `a\u001b[2J\n${'y'.repeat(250)}`],
  ],
]);
add('getItemAssignments', 'tenant_unknown', [['unknown tenant', [UNKNOWN, 'mobileApp', 'x']]]);

add(
  'getCoverage',
  'invalid_input',
  badTenantIds((tenantId) => [tenantId]),
);
add('getCoverage', 'tenant_unknown', [['unknown tenant', [UNKNOWN]]]);

// --- schedules --------------------------------------------------------------------------------

const schedule = (fields: Record<string, unknown>): unknown[] => [
  { tenantId: TENANT, selection: SELECTION, every: '6h', ...fields },
];
add('createSchedule', 'invalid_input', [
  ...NOT_OBJECTS.map(([kind, value]): [string, unknown[]] => [`${kind} input`, [value]]),
  ['undefined input', [undefined]],
  ...badTenantIds((tenantId) => schedule({ tenantId })),
  ['empty interval', schedule({ every: '' })],
  ['whitespace interval', schedule({ every: '   ' })],
  ['interval of 99999999999999 days', schedule({ every: '99999999999999d' }), /365d/],
  ['interval of 366 days', schedule({ every: '366d' }), /365d/],
  ['interval of 366 days in ms', schedule({ every: 366 * 86_400_000 }), /365d/],
  ['interval under a minute', schedule({ every: '59s' }), /1m/],
  ['interval under a minute in ms', schedule({ every: 59_999 }), /1m/],
  ['interval 0', schedule({ every: 0 })],
  ['negative interval', schedule({ every: -1 })],
  ['NaN interval', schedule({ every: Number.NaN })],
  ['infinite interval', schedule({ every: Number.POSITIVE_INFINITY })],
  ['interval in words', schedule({ every: '6 hours' })],
  ['huge interval text', schedule({ every: HUGE })],
  ['interval with ESC', schedule({ every: '6h\u001b[2J' })],
  ['null interval', schedule({ every: null })],
  ['undefined interval', schedule({ every: undefined })],
  ['array interval', schedule({ every: ['6h'] })],
  ['object interval', schedule({ every: { hours: 6 } })],
  ['boolean interval', schedule({ every: true })],
  ['jitter equal to the interval', schedule({ jitter: '6h' })],
  ['jitter over the interval', schedule({ jitter: '7h' })],
  ['jitter of 99999999999999 days', schedule({ jitter: '99999999999999d' })],
  ['negative jitter', schedule({ jitter: -1 })],
  ['NaN jitter', schedule({ jitter: Number.NaN })],
  ['jitter in words', schedule({ jitter: 'soon' })],
  ['null jitter', schedule({ jitter: null })],
  ['array jitter', schedule({ jitter: [] })],
]);
add(
  'createSchedule',
  'invalid_selection',
  badSelections((selection) => schedule({ selection })),
);
add('createSchedule', 'tenant_unknown', [['unknown tenant', schedule({ tenantId: UNKNOWN })]]);

add('deleteSchedule', 'invalid_input', [
  ...NOT_OBJECTS.map(([kind, value]): [string, unknown[]] => [`${kind} input`, [value]]),
  ['undefined input', [undefined]],
  ['empty schedule id', [{ scheduleId: '' }]],
  ['whitespace schedule id', [{ scheduleId: '   ' }]],
  ['schedule id over 1000 characters', [{ scheduleId: 'x'.repeat(1001) }]],
  ['huge schedule id', [{ scheduleId: HUGE }]],
  ['schedule id with a newline', [{ scheduleId: 'inventory-schedule:a\nb' }]],
  ['schedule id with ESC', [{ scheduleId: '\u001b[31m' }]],
  ['number schedule id', [{ scheduleId: 42 }]],
  ['null schedule id', [{ scheduleId: null }]],
  ['array schedule id', [{ scheduleId: [] }]],
  ['object schedule id', [{ scheduleId: {} }]],
  [
    'schedule id and tenant with selection at once',
    [{ scheduleId: syncScheduleId(TENANT, HASH), tenantId: TENANT, selection: SELECTION }],
    /not both/,
  ],
  ...badTenantIds((tenantId) => [{ tenantId, selection: SELECTION }]),
]);
add(
  'deleteSchedule',
  'invalid_selection',
  badSelections((selection) => [{ tenantId: TENANT, selection }]),
);
add('deleteSchedule', 'schedule_protected', [
  ['the reaper schedule', [{ scheduleId: '<reaper>' }], /inventory-reaper:/],
  ['an id of 1000 characters', [{ scheduleId: 'z'.repeat(1000) }]],
  ['an id with the prefix but not the form', [{ scheduleId: 'inventory-schedule:nope' }]],
]);
add('deleteSchedule', 'schedule_not_found', [
  ['unknown sync schedule id', [{ scheduleId: syncScheduleId(UNKNOWN, HASH) }]],
  // Ids are canonical like the tenant ids in them: an upper-case one names the same schedule.
  [
    'an unknown sync schedule id in upper case',
    [{ scheduleId: syncScheduleId(UNKNOWN, HASH).toUpperCase() }],
  ],
  ['tenant and selection without a schedule', [{ tenantId: TENANT, selection: SELECTION }]],
]);

add(
  'listSchedules',
  'invalid_input',
  BAD_TENANT_IDS.filter(([, value]) => value !== undefined).map(([kind, value]) => [kind, [value]]),
);

// ----------------------------------------------------------------------------------------------

let engine: Engine;
let reaperId: string;
let notASyncRunId: string;

beforeAll(async () => {
  engine = await startEngine();
  reaperId = reaperScheduleId(engine.taskQueue);
  await ensureReaperSchedule(engine.temporal, engine.taskQueue);
  await engine.client.registerTenant({ tenantId: TENANT, displayName: 'Contoso' });
  await engine.client.registerTenant({ tenantId: DISABLED, displayName: 'Northwind' });
  await engine.client.setTenantEnabled(DISABLED, false);
  const handle = await engine.temporal.workflow.start('inventoryReaper', {
    taskQueue: `nobody-polls-${randomUUID()}`,
    workflowId: NOT_A_SYNC,
    args: [],
  });
  notASyncRunId = handle.firstExecutionRunId;
});
afterAll(async () => {
  if (notASyncRunId) await engine.temporal.workflow.getHandle(NOT_A_SYNC, notASyncRunId).terminate();
  await engine?.temporal.schedule
    .getHandle(reaperId)
    .delete()
    .catch(() => undefined);
  await engine?.close();
});

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/** Resolves when `lookup` fails with Temporal's not-found error `notFound`; fails the test otherwise. */
async function expectAbsent(
  lookup: Promise<unknown>,
  notFound: new (...args: never[]) => Error,
): Promise<void> {
  await expect(lookup).rejects.toBeInstanceOf(notFound);
}

async function expectNothingWritten(): Promise<void> {
  const tenants = await queryRows<{ id: string; display_name: string; enabled: boolean }>(
    engine.db.admin,
    'SELECT id, display_name, enabled FROM tenants ORDER BY display_name',
  );
  expect(tenants).toEqual([
    { id: TENANT, display_name: 'Contoso', enabled: true },
    { id: DISABLED, display_name: 'Northwind', enabled: false },
  ]);
  const [counts] = await queryRows<Record<string, number>>(
    engine.db.admin,
    `SELECT (SELECT count(*)::int FROM inventory_sync_runs) AS runs,
            (SELECT count(*)::int FROM inventory_items) AS items,
            (SELECT count(*)::int FROM inventory_assignments) AS assignments,
            (SELECT count(*)::int FROM directory_groups) AS groups`,
  );
  expect(counts).toEqual({ runs: 0, items: 0, assignments: 0, groups: 0 });
  for (const tenantId of [TENANT, DISABLED, UNKNOWN]) {
    await expectAbsent(
      engine.temporal.workflow.getHandle(syncWorkflowId(tenantId, HASH)).describe(),
      WorkflowNotFoundError,
    );
    await expectAbsent(
      engine.temporal.schedule.getHandle(syncScheduleId(tenantId, HASH)).describe(),
      ScheduleNotFoundError,
    );
  }
  expect((await engine.temporal.schedule.getHandle(reaperId).describe()).scheduleId).toBe(reaperId);
}

describe('every client method refuses bad input with a typed, one-line error and writes nothing', () => {
  it('has cases for every public method that takes arguments', () => {
    const methods = Object.getOwnPropertyNames(InventoryClient.prototype).filter(
      (name) => !['constructor', 'close', 'listTenants', 'getFleetStatus'].includes(name),
    );
    expect(new Set(cases.map((c) => c.method))).toEqual(new Set(methods));
  });

  it.each(cases)('$method, $kind: $code', async ({ method, args, code, mentions }) => {
    const resolved = args.map((arg) =>
      typeof arg === 'object' && arg !== null && (arg as { scheduleId?: unknown }).scheduleId === '<reaper>'
        ? { scheduleId: reaperId }
        : arg,
    );
    const client = engine.client as unknown as Record<string, (...callArgs: unknown[]) => unknown>;
    // An iterate… method may throw at the call (it checks its arguments there) or return an async
    // iterable that fails once read; both count, as the first item read. Any other method returns
    // a promise and reports bad input by rejecting it: a throw at the call escapes a caller's .catch().
    let thrownAtCall = false;
    const error = await Promise.resolve()
      .then(() => {
        try {
          return client[method]!(...resolved);
        } catch (thrown) {
          thrownAtCall = true;
          throw thrown;
        }
      })
      .then((result) => (isAsyncIterable(result) ? result[Symbol.asyncIterator]().next() : result))
      .then(
        (value) => new Error(`resolved with ${JSON.stringify(value)}`),
        (thrown: unknown) => thrown,
      );
    expect(error).toBeInstanceOf(InventoryError);
    if (!method.startsWith('iterate')) expect(thrownAtCall, 'thrown at the call, not rejected').toBe(false);
    const { code: actual, message } = error as InventoryError;
    expect({ code: actual, message }).toMatchObject({ code });
    // eslint-disable-next-line no-control-regex
    expect(message).not.toMatch(/[\u0000-\u001f\u007f]/);
    expect(message.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
    if (mentions) expect(message).toMatch(mentions);
    await expectNothingWritten();
  });
});

it('reports a sync terminated with a long, multi-line reason as one short line', async () => {
  const workflowId = `terminated-sync-${randomUUID()}`;
  // No worker polls this queue: the sync never runs, so it writes nothing before it is terminated.
  const handle = await engine.temporal.workflow.start('inventorySync', {
    taskQueue: `nobody-polls-${randomUUID()}`,
    workflowId,
    args: [{ tenantId: TENANT, selection: SELECTION }],
  });
  await handle.terminate(`operator:\u001b[2J\n${'line\n'.repeat(2_000)}`);
  const error = await engine.client.waitForSync(workflowId).catch((thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(SyncFailedError);
  expect(error).toMatchObject({ code: 'internal_error', workflowId });
  const { message } = error as SyncFailedError;
  expect(message).toMatch(new RegExp(`^sync workflow ${workflowId} failed: operator:\uFFFD\\[2J line line`));
  // eslint-disable-next-line no-control-regex
  expect(message).not.toMatch(/[\u0000-\u001f\u007f]/);
  expect(message.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
  await expectNothingWritten();
});

describe('one name rule, in Unicode code points, for the client and the repository', () => {
  it('accepts 256 emoji as 256 characters and refuses 257 in both, refusing rather than cutting', async () => {
    const emoji = randomUUID();
    const { tenant } = await engine.client.registerTenant({ tenantId: emoji, displayName: '😀'.repeat(256) });
    expect([...tenant.displayName]).toHaveLength(256);

    const tooLong = { id: randomUUID(), displayName: '😀'.repeat(257) };
    await expect(registerTenantRow(engine.db.runtime.manager, tooLong)).rejects.toMatchObject({
      code: 'invalid_input',
    });
    // The repository used to cut names at 1,024 characters without a word.
    await expect(
      registerTenantRow(engine.db.runtime.manager, { id: randomUUID(), displayName: 'a'.repeat(1024) }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
    const [count] = await queryRows<{ n: number }>(engine.db.admin, 'SELECT count(*)::int AS n FROM tenants');
    expect(count!.n).toBe(3);
  });
});
