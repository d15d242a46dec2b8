/**
 * Assignment reads through the client and the real CLI binary, with edges written by upsertItems
 * as syncs write them: `inventory assignments --group | --filter | --item` in human, --json and
 * CSV form, `inventory items --unassigned` and `--scope-tag`, and one-line refusals of bad flag
 * combinations and ambiguous tag names.
 */
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertItems } from '../../db/repositories/inventory-items';
import { queryRows } from '../../db/sql';
import { withTenant } from '../../db/tenant-scope';
import { normalizeAssignment, type NormalizedAssignment } from '../../inventory/assignment';
import { TYPES_WITH_ASSIGNMENTS } from '../../inventory/assignment-query';
import { type NormalizedItem } from '../../inventory/item';
import { type PolicyType } from '../../inventory/policy-types';
import { beginRun, endRun, item, selectionOf } from '../db/fixtures';
import { runCli, type CliResult } from '../support/cli';
import { startEngine, type Engine } from '../support/engine';

let engine: Engine;
const TENANT = randomUUID();
const OTHER = randomUUID();
const GROUP = '44444444-4444-4444-8444-444444444444';
const FILTER = '55555555-5555-4555-8555-555555555555';
const OTHER_GROUP = '66666666-6666-4666-8666-666666666666';
/** An assignment filter the inventory holds no item for: its name is not known. */
const UNKNOWN_FILTER = '77777777-7777-4777-8777-777777777777';
let runId = '';

function target(kind: string, groupId?: string, filterType?: string): Record<string, unknown> {
  return {
    '@odata.type': `#microsoft.graph.${kind}AssignmentTarget`,
    ...(groupId !== undefined && { groupId }),
    ...(filterType !== undefined && {
      deviceAndAppManagementAssignmentFilterId: FILTER,
      deviceAndAppManagementAssignmentFilterType: filterType,
    }),
  };
}

function edge(
  id: string,
  t: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): NormalizedAssignment {
  const result = normalizeAssignment({ id, target: t, ...extra });
  if (!result.ok) throw new Error(result.reason);
  return result.assignment;
}

function withEdges(
  type: PolicyType,
  id: string,
  name: string,
  edges: NormalizedAssignment[] | undefined,
  raw: Record<string, unknown> = {},
): NormalizedItem {
  const base = item(type, id, { displayName: name, ...raw });
  return edges === undefined ? base : { ...base, assignments: edges };
}

/** The types with assignments no run of the fixture ever enumerated, in registry order. */
const NEVER_ENUMERATED = TYPES_WITH_ASSIGNMENTS.filter(
  (t) =>
    !['deviceConfiguration', 'mobileApp', 'deviceManagementScript', 'windowsFeatureUpdateProfile'].includes(
      t,
    ),
);

const NOT_COVERED_GROUP =
  'not complete (may also target this group): deviceManagementScript (forbidden), mobileApp (failed), ' +
  `windowsFeatureUpdateProfile (not licensed); never enumerated: ${NEVER_ENUMERATED.join(', ')}`;

const csvRows = (text: string): Array<Record<string, string>> => parse(text, { columns: true });

const cli = (args: string[]): Promise<CliResult> => runCli(engine, args);

function expectOneLineError(result: CliResult, code: string, message: RegExp): void {
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(new RegExp(`^error \\[${code}\\]: .*\\n  hint: [^\\n]*\\n$`));
  expect(result.stderr).toMatch(message);
  expect(result.stdout).toBe('');
}

beforeAll(async () => {
  engine = await startEngine();
  await engine.client.registerTenant({ tenantId: TENANT, displayName: 'Contoso' });
  await engine.client.registerTenant({ tenantId: OTHER, displayName: 'Fabrikam' });
  const selection = selectionOf({
    policy_types: [
      'deviceConfiguration',
      'mobileApp',
      'deviceManagementScript',
      'windowsFeatureUpdateProfile',
    ],
  });
  const run = await beginRun(engine.db.runtime, TENANT, selection);
  runId = run.id;
  await withTenant(engine.db.runtime, TENANT, async (tx) => {
    await upsertItems(tx, TENANT, runId, [
      item('assignmentFilter', FILTER, { displayName: 'Corporate, "Windows"', roleScopeTags: ['5'] }),
      item('roleScopeTag', '5', { displayName: 'Paris' }),
      item('roleScopeTag', '6', { displayName: 'London' }),
      item('roleScopeTag', '7', { displayName: 'LONDON' }),
      withEdges(
        'deviceConfiguration',
        'cfg-1',
        'Baseline =1+1',
        [edge('a1', target('group', GROUP, 'include'))],
        {
          roleScopeTagIds: ['0', '5'],
        },
      ),
      withEdges('deviceConfiguration', 'cfg-2', '=Kiosk lockdown', [
        edge('a2', target('exclusionGroup', GROUP)),
      ]),
      withEdges('deviceConfiguration', 'cfg-empty', 'Nobody', []),
      // Windows 365 keeps its scope tags as scopeIds; assigned elsewhere, so no other answer moves.
      withEdges(
        'cloudPcProvisioningPolicy',
        'cpc-1',
        'Cloud PCs',
        [
          edge('a4', {
            ...target('group', OTHER_GROUP),
            deviceAndAppManagementAssignmentFilterId: UNKNOWN_FILTER,
            deviceAndAppManagementAssignmentFilterType: 'include',
          }),
        ],
        {
          scopeIds: ['0', '5'],
        },
      ),
      withEdges('deviceConfiguration', 'cfg-unknown', 'Not read', undefined),
      withEdges(
        'mobileApp',
        'app-1',
        'Company Portal',
        [edge('a3', target('group', GROUP, 'exclude'), { intent: 'required', source: 'direct' })],
        {},
      ),
    ]);
    await queryRows(
      tx,
      `INSERT INTO directory_groups (tenant_id, group_id, display_name, observed_at) VALUES ($1, $2, $3, now())`,
      [TENANT, GROUP, 'Sales devices'],
    );
  });
  const finishedAt = new Date().toISOString();
  const counts = { pagesCount: 1, itemsNewCount: 0, itemsChangedCount: 0, itemsUnchangedCount: 0 };
  await endRun(engine.db.runtime, run, {
    status: 'partial',
    hadErrors: true,
    errorCodes: ['graph_unavailable'],
    types: [
      {
        policyType: 'deviceConfiguration',
        outcome: 'complete',
        errorCode: null,
        itemsObservedCount: 4,
        finishedAt,
        ...counts,
      },
      {
        policyType: 'mobileApp',
        outcome: 'failed',
        errorCode: 'graph_unavailable',
        itemsObservedCount: 1,
        finishedAt,
        ...counts,
      },
      // A partial run as a fresh user met it: one type forbidden, one unlicensed, neither read.
      {
        policyType: 'deviceManagementScript',
        outcome: 'forbidden',
        errorCode: 'graph_forbidden',
        itemsObservedCount: 0,
        finishedAt,
        ...counts,
      },
      {
        policyType: 'windowsFeatureUpdateProfile',
        outcome: 'not_licensed',
        errorCode: 'graph_not_licensed',
        itemsObservedCount: 0,
        finishedAt,
        ...counts,
      },
    ],
  });
}, 180_000);

afterAll(async () => {
  await engine?.close();
});

describe('inventory assignments --group', () => {
  it('prints the group by name, every policy naming it across types, and what the answer rests on', async () => {
    const result = await cli(['assignments', '--tenant', TENANT, '--group', GROUP.toUpperCase()]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`group ${GROUP} (Sales devices)`);
    expect(lines[1]).toMatch(
      /^policy_type\s+display_name\s+target_kind\s+group\s+filter\s+filter_type\s+intent\s+observed\s+type_complete\s+external_id$/,
    );
    expect(lines[2]).toMatch(
      /^deviceConfiguration\s+Baseline =1\+1\s+group\s+Sales devices\s+Corporate, "Windows"\s+include\s+\S.*\s+yes\s+cfg-1$/,
    );
    expect(lines[3]).toMatch(
      /^deviceConfiguration\s+=Kiosk lockdown\s+exclusionGroup\s+Sales devices\s+.*\s+yes\s+cfg-2$/,
    );
    expect(lines[4]).toMatch(
      /^mobileApp\s+Company Portal\s+group\s+Sales devices\s+Corporate, "Windows"\s+exclude\s+required\s+.*\s+no\s+app-1$/,
    );
    expect(lines[5]).toMatch(
      /^edges observed (just now|\d+ (s|min) ago); not completely enumerated then \(other policies of them may be missing\): mobileApp$/,
    );
    // Types whose policies could not be read, or were never looked at, may target it too.
    expect(lines[6]).toBe(NOT_COVERED_GROUP);
    expect(lines).toHaveLength(7);
  });

  it('--json: one page of records with when they were observed and whether their type was complete', async () => {
    const result = await cli(['assignments', '--tenant', TENANT, '--group', GROUP, '--json', '--limit', '2']);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as {
      assignments: Array<Record<string, unknown>>;
      next_cursor: string;
    };
    expect(parsed.assignments.map((a) => a.external_id)).toEqual(['cfg-1', 'cfg-2']);
    expect(parsed.assignments[0]).toMatchObject({
      policy_type: 'deviceConfiguration',
      target_kind: 'group',
      group_id: GROUP,
      group_display_name: 'Sales devices',
      filter_id: FILTER,
      filter_display_name: 'Corporate, "Windows"',
      filter_type: 'include',
      assignments_run_id: runId,
      type_complete_when_observed: true,
      assignments_outdated: false,
    });
    const next = await cli([
      'assignments',
      '--tenant',
      TENANT,
      '--group',
      GROUP,
      '--json',
      '--cursor',
      parsed.next_cursor,
    ]);
    const rest = JSON.parse(next.stdout) as {
      assignments: Array<Record<string, unknown>>;
      next_cursor: null;
    };
    expect(rest.assignments.map((a) => [a.external_id, a.intent, a.type_complete_when_observed])).toEqual([
      ['app-1', 'required', false],
    ]);
    expect(rest.next_cursor).toBeNull();
    // A cursor continues its own lookup only: another lookup refuses it like items refuse a foreign cursor.
    expectOneLineError(
      await cli(['assignments', '--tenant', TENANT, '--filter', FILTER, '--cursor', parsed.next_cursor]),
      'invalid_input',
      /the cursor is not a valid assignments cursor for this filter; list again from the start/,
    );
  });

  it('--format csv: every edge, streamed, formula-looking names escaped', async () => {
    const result = await cli([
      'assignments',
      '--tenant',
      TENANT,
      '--group',
      GROUP,
      '--format',
      'csv',
      '--limit',
      '1',
    ]);
    expect(result.code).toBe(0);
    const rows = csvRows(result.stdout);
    expect(
      rows.map((r) => [
        r.policy_type,
        r.external_id,
        r.target_kind,
        r.filter_display_name,
        r.type_complete_when_observed,
      ]),
    ).toEqual([
      ['deviceConfiguration', 'cfg-1', 'group', 'Corporate, "Windows"', 'true'],
      ['deviceConfiguration', 'cfg-2', 'exclusionGroup', '', 'true'],
      ['mobileApp', 'app-1', 'group', 'Corporate, "Windows"', 'false'],
    ]);
    expect(rows.map((r) => r.display_name)).toEqual(['Baseline =1+1', "'=Kiosk lockdown", 'Company Portal']);
    // stdout stays pure CSV; what the export cannot vouch for goes to stderr.
    expect(result.stderr).toBe(`${NOT_COVERED_GROUP}\n`);
  });

  it('marks a group and a filter whose names are not known, in the table only', async () => {
    const result = await cli(['assignments', '--tenant', TENANT, '--group', OTHER_GROUP]);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`group ${OTHER_GROUP} (name not known)`);
    expect(lines[2]).toMatch(
      new RegExp(
        `^cloudPcProvisioningPolicy\\s+Cloud PCs\\s+group\\s+${OTHER_GROUP} \\(name not known\\)\\s+` +
          `${UNKNOWN_FILTER} \\(name not known\\)\\s+include\\s`,
      ),
    );
    const [record] = (await engine.client.listAssignmentsByGroup(TENANT, OTHER_GROUP)).assignments;
    expect(record).toMatchObject({
      filterId: UNKNOWN_FILTER,
      filterDisplayName: null,
      groupDisplayName: null,
    });
  });

  it('a group no current edge names, and another tenant, answer nothing', async () => {
    const none = await cli(['assignments', '--tenant', TENANT, '--group', randomUUID()]);
    expect(none.stdout).toMatch(/\(name not known\)\nno current assignment names group /);
    const other = await cli(['assignments', '--tenant', OTHER, '--group', GROUP, '--json']);
    // Nothing synced there: no type is covered, so "none" is not an answer.
    expect(JSON.parse(other.stdout)).toEqual({
      assignments: [],
      next_cursor: null,
      types_not_covered: TYPES_WITH_ASSIGNMENTS.map((t) => ({ policy_type: t, outcome: null, since: null })),
    });
  });
});

describe('inventory assignments --filter and --item', () => {
  it('--filter lists every edge using the filter, and the types it cannot vouch for', async () => {
    const result = await cli(['assignments', '--tenant', TENANT, '--filter', FILTER, '--json']);
    const parsed = JSON.parse(result.stdout) as {
      assignments: Array<Record<string, unknown>>;
      types_not_covered: Array<{ policy_type: string; outcome: string | null; since: string | null }>;
    };
    expect(parsed.assignments.map((a) => [a.external_id, a.filter_type])).toEqual([
      ['cfg-1', 'include'],
      ['app-1', 'exclude'],
    ]);
    const failed = parsed.types_not_covered.filter((t) => t.outcome !== null);
    expect(failed.map((t) => [t.policy_type, t.outcome])).toEqual([
      ['deviceManagementScript', 'forbidden'],
      ['mobileApp', 'failed'],
      ['windowsFeatureUpdateProfile', 'not_licensed'],
    ]);
    expect(failed.every((t) => t.since !== null && !Number.isNaN(Date.parse(t.since)))).toBe(true);
    expect(parsed.types_not_covered.filter((t) => t.outcome === null).map((t) => t.policy_type)).toEqual(
      NEVER_ENUMERATED,
    );
    const human = await cli(['assignments', '--tenant', TENANT, '--filter', FILTER]);
    expect(human.stdout.trimEnd().split('\n').at(-1)).toBe(
      NOT_COVERED_GROUP.replace('target this group', 'use this filter'),
    );
  });

  it('--item shows one policy’s edges; never observed and no-assignment types say so', async () => {
    const human = await cli([
      'assignments',
      '--tenant',
      TENANT,
      '--item',
      '--type',
      'mobileApp',
      '--id',
      'app-1',
    ]);
    const lines = human.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('mobileApp app-1 (Company Portal)');
    expect(lines[2]).toMatch(
      /^group\s+Sales devices\s+Corporate, "Windows"\s+exclude\s+required\s+.*\s+no\s+a3$/,
    );
    expect(lines[3]).toMatch(
      new RegExp(`^assignments observed .* by run ${runId}; type completely enumerated then: no$`),
    );
    expect(lines[4]).toMatch(
      /^mobileApp was not completely enumerated in its latest run \(failed, (just now|\d+ (s|min) ago)\): these assignments may be out of date$/,
    );

    const json = await cli([
      'assignments',
      '--tenant',
      TENANT,
      '--item',
      '--type',
      'deviceConfiguration',
      '--id',
      'cfg-unknown',
      '--json',
    ]);
    // Its own type was completely enumerated: nothing to add.
    expect(JSON.parse(json.stdout)).toMatchObject({
      type_has_assignments: true,
      assignments_observed_at: null,
      assignments: [],
      types_not_covered: [],
    });
    const never = await cli([
      'assignments',
      '--tenant',
      TENANT,
      '--item',
      '--type',
      'deviceConfiguration',
      '--id',
      'cfg-unknown',
    ]);
    expect(never.stdout).toMatch(/\nits assignments were never observed: none are known/);
    const empty = await cli([
      'assignments',
      '--tenant',
      TENANT,
      '--item',
      '--type',
      'deviceConfiguration',
      '--id',
      'cfg-empty',
    ]);
    expect(empty.stdout).toMatch(
      /\nassigned to nothing\nassignments observed .*type completely enumerated then: yes\n$/,
    );
    const noType = await cli([
      'assignments',
      '--tenant',
      TENANT,
      '--item',
      '--type',
      'assignmentFilter',
      '--id',
      FILTER,
    ]);
    expect(noType.stdout).toMatch(/\nassignmentFilter items have no assignments\n$/);
    const csv = await cli([
      'assignments',
      '--tenant',
      TENANT,
      '--item',
      '--type',
      'mobileApp',
      '--id',
      'app-1',
      '--format',
      'csv',
    ]);
    expect(csvRows(csv.stdout).map((r) => r.assignment_id)).toEqual(['a3']);
    const missing = await cli([
      'assignments',
      '--tenant',
      TENANT,
      '--item',
      '--type',
      'mobileApp',
      '--id',
      'nope',
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /^error \[item_not_found\]: no mobileApp item nope was observed in this tenant\n/,
    );
  }, 180_000);

  it.each([
    [
      ['--group', GROUP, '--filter', FILTER],
      /option '--group <group id>' cannot be used with option '--filter <filter id>'/,
    ],
    [['--filter', FILTER, '--item'], /cannot be used with/],
    [['--group', GROUP, '--type', 'mobileApp'], /cannot be used with/],
    [['--item', '--type', 'mobileApp', '--id', 'x', '--limit', '5'], /cannot be used with/],
    [[], /give one of --group <group id>, --filter <filter id> or --item/],
    [['--item', '--type', 'mobileApp'], /--item needs --type <type> and --id <external id>/],
    [['--type', 'mobileApp', '--id', 'x'], /--type and --id go with --item/],
    [['--group', 'sales'], /--group must be a GUID/],
  ])('refuses %j in one line', async (flags, message) => {
    expectOneLineError(await cli(['assignments', '--tenant', TENANT, ...flags]), 'invalid_input', message);
  });

  it('with --json, a bad combination is one JSON object on stderr', async () => {
    const result = await cli([
      'assignments',
      '--tenant',
      TENANT,
      '--group',
      GROUP,
      '--filter',
      FILTER,
      '--json',
    ]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(result.stderr)).toMatchObject({ error: { code: 'invalid_input' } });
  });
});

describe('inventory items --unassigned and --scope-tag', () => {
  it('--unassigned lists policies assigned to nothing and says what it left out', async () => {
    const human = await cli(['items', '--tenant', TENANT, '--unassigned']);
    const lines = human.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/\bassignments_observed$/);
    expect(lines.slice(1, -1).map((l) => l.split(/\s+/).slice(0, 2).join('/'))).toEqual([
      'deviceConfiguration/cfg-empty',
    ]);
    // Never observed: cfg-unknown and the three scope tags (their per-item assignments were not read);
    // without assignments: the assignment filter.
    expect(lines.at(-1)).toBe(
      'left out: 4 items whose assignments were never observed (unknown, not unassigned), 1 item of types without assignments',
    );
    const json = JSON.parse(
      (await cli(['items', '--tenant', TENANT, '--unassigned', '--json'])).stdout,
    ) as Record<string, unknown>;
    expect(json).toMatchObject({
      items: [expect.objectContaining({ external_id: 'cfg-empty' })],
      unassigned_left_out: { never_observed_count: 4, without_assignments_count: 1 },
    });
    // Each record says when its (empty) assignments were observed, as the table does.
    const [only] = json.items as Array<Record<string, unknown>>;
    expect(Date.parse(String(only?.assignments_observed_at))).not.toBeNaN();
    // Streamed, stdout is pure data and the left-out counts go to stderr.
    const csv = await cli(['items', '--tenant', TENANT, '--unassigned', '--format', 'csv']);
    const rows = csvRows(csv.stdout);
    expect(rows.map((r) => r.external_id)).toEqual(['cfg-empty']);
    expect(Date.parse(rows[0]!.assignments_observed_at!)).not.toBeNaN();
    expect(csv.stderr).toBe(`${lines.at(-1)}\n`);
  }, 180_000);

  it('--scope-tag by name or id lists tagged items with their tags by name', async () => {
    const human = await cli(['items', '--tenant', TENANT, '--scope-tag', 'paris']);
    const lines = human.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('scope tag 5 (Paris)');
    expect(lines[1]).toMatch(/\bscope_tags$/);
    expect(lines[2]).toMatch(/^assignmentFilter\s+.*\s+Paris$/);
    expect(lines[3]).toMatch(/^cloudPcProvisioningPolicy\s+cpc-1\s+.*\s+0, Paris$/);
    expect(lines[4]).toMatch(/^deviceConfiguration\s+cfg-1\s+.*\s+0, Paris$/);
    expect(lines).toHaveLength(5);
    const byId = JSON.parse(
      (await cli(['items', '--tenant', TENANT, '--scope-tag', '5', '--json'])).stdout,
    ) as {
      items: Array<{ external_id: string }>;
      scope_tag: unknown;
    };
    expect(byId.scope_tag).toEqual({ id: '5', display_name: 'Paris' });
    expect(byId.items.map((i) => i.external_id)).toEqual([FILTER, 'cpc-1', 'cfg-1']);
  });

  it('refuses an ambiguous or unknown tag name in one line', async () => {
    expectOneLineError(
      await cli(['items', '--tenant', TENANT, '--scope-tag', 'london']),
      'invalid_input',
      /scope tag name "london" matches tags 6, 7; give the tag's id/,
    );
    expectOneLineError(
      await cli(['items', '--tenant', TENANT, '--scope-tag', 'Tokyo']),
      'invalid_input',
      /no scope tag named "Tokyo" was observed in this tenant; give the tag's id, or sync roleScopeTag first/,
    );
  });
});

describe('the client', () => {
  it('iterates every edge of a group and of a filter, page by page', async () => {
    const keys = async (edges: AsyncIterable<{ externalId: string; assignmentId: string }>) => {
      const all: string[] = [];
      for await (const e of edges) all.push(`${e.externalId}/${e.assignmentId}`);
      return all;
    };
    expect(await keys(engine.client.iterateAssignmentsByGroup(TENANT, GROUP, { pageSize: 1 }))).toEqual([
      'cfg-1/a1',
      'cfg-2/a2',
      'app-1/a3',
    ]);
    expect(await keys(engine.client.iterateAssignmentsByFilter(TENANT, FILTER, { pageSize: 1 }))).toEqual([
      'cfg-1/a1',
      'app-1/a3',
    ]);
    const { nextCursor } = await engine.client.listAssignmentsByGroup(TENANT, GROUP, { limit: 1 });
    await expect(
      engine.client.listAssignmentsByGroup(TENANT, randomUUID(), { cursor: nextCursor! }),
    ).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/for this group/) as unknown,
    });
    await expect(
      engine.client.listAssignmentsByFilter(TENANT, FILTER, { cursor: nextCursor! }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
    const page = await engine.client.listAssignmentsByGroup(TENANT, GROUP);
    const script = page.typesNotCovered.find((t) => t.policyType === 'deviceManagementScript');
    expect(script?.outcome).toBe('forbidden');
    expect(script?.since).toBeInstanceOf(Date);
    const own = (await engine.client.getItemAssignments(TENANT, 'mobileApp', 'app-1')).typesNotCovered;
    expect(own.map((t) => [t.policyType, t.outcome])).toEqual([['mobileApp', 'failed']]);
    await expect(engine.client.listAssignmentsByGroup(randomUUID(), GROUP)).rejects.toMatchObject({
      code: 'tenant_unknown',
    });
    expect(() => engine.client.iterateAssignmentsByGroup(TENANT, 'x')).toThrow(/groupId must be a GUID/);
  });
});
