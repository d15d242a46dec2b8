/**
 * Reading assignment edges against real PostgreSQL, with edges written by upsertItems exactly as
 * syncs write them: reverse lookups by group and by filter across types, a changed assignment set
 * replacing the old one, edges kept (and flagged older) when an item is re-observed without its
 * assignments, unassigned items, scope tags by id and by name, row-level security, and paging.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countUnassignedLeftOut,
  getItemAssignments,
  listAssignmentsByFilter,
  listAssignmentsByGroup,
  resolveScopeTag,
  type AssignmentEdge,
  type EdgePage,
} from '../../db/repositories/assignments';
import { listItems, upsertItems, type ItemFilters } from '../../db/repositories/inventory-items';
import { queryRows } from '../../db/sql';
import { withTenant } from '../../db/tenant-scope';
import { normalizeAssignment, type NormalizedAssignment } from '../../inventory/assignment';
import { type NormalizedItem } from '../../inventory/item';
import { type PolicyType } from '../../inventory/policy-types';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { beginRun, endRun, item, newTenant, selectionOf } from './fixtures';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const GROUP = '11111111-1111-4111-8111-111111111111';
const OTHER_GROUP = '22222222-2222-4222-8222-222222222222';
const FILTER = '33333333-3333-4333-8333-333333333333';

/** A Graph assignment as Graph sends it, normalized as the Graph layer does. */
function assignment(id: string, target: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const result = normalizeAssignment({ id, target, ...extra });
  if (!result.ok) throw new Error(result.reason);
  return result.assignment;
}

const included = (id: string, groupId: string, filter?: { id: string; type: string }, extra = {}) =>
  assignment(
    id,
    {
      '@odata.type': '#microsoft.graph.groupAssignmentTarget',
      groupId,
      ...(filter && {
        deviceAndAppManagementAssignmentFilterId: filter.id,
        deviceAndAppManagementAssignmentFilterType: filter.type,
      }),
    },
    extra,
  );
const excluded = (id: string, groupId: string) =>
  assignment(id, { '@odata.type': '#microsoft.graph.exclusionGroupAssignmentTarget', groupId });
const allDevices = (id: string, filter?: { id: string; type: string }) =>
  assignment(id, {
    '@odata.type': '#microsoft.graph.allDevicesAssignmentTarget',
    ...(filter && {
      deviceAndAppManagementAssignmentFilterId: filter.id,
      deviceAndAppManagementAssignmentFilterType: filter.type,
    }),
  });

function withEdges(
  type: PolicyType,
  id: string,
  edges: NormalizedAssignment[] | undefined,
  raw: Record<string, unknown> = {},
): NormalizedItem {
  const base = item(type, id, raw);
  return edges === undefined ? base : { ...base, assignments: edges };
}

async function upsert(tenantId: string, runId: string, batch: NormalizedItem[]): Promise<void> {
  await withTenant(db.runtime, tenantId, (tx) => upsertItems(tx, tenantId, runId, batch));
}

/** Every page of a lookup, `limit` edges each. */
async function all(
  tenantId: string,
  read: typeof listAssignmentsByGroup,
  id: string,
  limit = 1000,
): Promise<AssignmentEdge[]> {
  const edges: AssignmentEdge[] = [];
  let after: string | undefined;
  do {
    const page: EdgePage = await withTenant(db.runtime, tenantId, (tx) =>
      read(tx, tenantId, id, { limit, ...(after !== undefined && { after }) }),
    );
    edges.push(...page.assignments);
    after = page.nextCursor ?? undefined;
  } while (after !== undefined);
  return edges;
}

const keyOf = (e: AssignmentEdge) => `${e.policyType}/${e.externalId}/${e.assignmentId}`;

const ALL = selectionOf({ policy_types: ['deviceConfiguration', 'mobileApp', 'deviceCompliancePolicy'] });

describe('reverse lookups', () => {
  let tenantId = '';
  let runId = '';
  beforeAll(async () => {
    tenantId = await newTenant(db.runtime);
    const run = await beginRun(db.runtime, tenantId, ALL);
    runId = run.id;
    await upsert(tenantId, runId, [
      item('assignmentFilter', FILTER, { displayName: 'Corporate Windows' }),
      withEdges('deviceConfiguration', 'cfg-1', [included('a1', GROUP, { id: FILTER, type: 'include' })]),
      withEdges('deviceConfiguration', 'cfg-2', [excluded('a2', GROUP), included('a3', OTHER_GROUP)]),
      withEdges('mobileApp', 'app-1', [
        included('a4', GROUP, { id: FILTER, type: 'exclude' }, { intent: 'required', source: 'direct' }),
      ]),
      withEdges('deviceCompliancePolicy', 'comp-1', [allDevices('a5', { id: FILTER, type: 'include' })]),
      withEdges('deviceCompliancePolicy', 'comp-2', [included('a6', OTHER_GROUP)]),
    ]);
    await endRun(db.runtime, run, {
      status: 'partial',
      hadErrors: true,
      errorCodes: ['graph_forbidden'],
      types: [
        {
          policyType: 'deviceConfiguration',
          outcome: 'complete',
          errorCode: null,
          pagesCount: 1,
          itemsObservedCount: 2,
          itemsNewCount: 2,
          itemsChangedCount: 0,
          itemsUnchangedCount: 0,
          finishedAt: new Date().toISOString(),
        },
        {
          policyType: 'mobileApp',
          outcome: 'failed',
          errorCode: 'graph_unavailable',
          pagesCount: 1,
          itemsObservedCount: 1,
          itemsNewCount: 1,
          itemsChangedCount: 0,
          itemsUnchangedCount: 0,
          finishedAt: new Date().toISOString(),
        },
      ],
    });
    await withTenant(db.runtime, tenantId, (tx) =>
      queryRows(
        tx,
        `INSERT INTO directory_groups (tenant_id, group_id, display_name, observed_at) VALUES ($1, $2, $3, now())`,
        [tenantId, GROUP, 'Sales devices'],
      ),
    );
  });

  it('by group: every current edge naming the group, included and excluded, across types, with filter and group names', async () => {
    const edges = await all(tenantId, listAssignmentsByGroup, GROUP.toUpperCase());
    expect(edges.map(keyOf)).toEqual([
      'deviceConfiguration/cfg-1/a1',
      'deviceConfiguration/cfg-2/a2',
      'mobileApp/app-1/a4',
    ]);
    expect(edges[0]).toMatchObject({
      displayName: 'Policy cfg-1',
      targetKind: 'group',
      groupId: GROUP,
      groupDisplayName: 'Sales devices',
      filterId: FILTER,
      filterDisplayName: 'Corporate Windows',
      filterType: 'include',
      assignmentsRunId: runId,
      typeCompleteWhenObserved: true,
      typeHasAssignments: true,
      assignmentsOutdated: false,
    });
    expect(edges[0]!.assignmentsObservedAt).toBeInstanceOf(Date);
    expect(edges[1]).toMatchObject({ targetKind: 'exclusionGroup', filterId: null, filterType: 'none' });
    // The run read mobileApp only in part: its edges say so.
    expect(edges[2]).toMatchObject({
      targetKind: 'group',
      filterType: 'exclude',
      intent: 'required',
      source: 'direct',
      typeCompleteWhenObserved: false,
    });
    // A type without a per-type outcome (deviceCompliancePolicy, not recorded) is unknown, not complete.
    const others = await all(tenantId, listAssignmentsByGroup, OTHER_GROUP);
    expect(others.map(keyOf)).toEqual(['deviceCompliancePolicy/comp-2/a6', 'deviceConfiguration/cfg-2/a3']);
    expect(others[0]).toMatchObject({ typeCompleteWhenObserved: null, groupDisplayName: null });
  });

  it('by filter: every current edge using the filter, whatever it targets', async () => {
    const edges = await all(tenantId, listAssignmentsByFilter, FILTER);
    expect(edges.map(keyOf)).toEqual([
      'deviceCompliancePolicy/comp-1/a5',
      'deviceConfiguration/cfg-1/a1',
      'mobileApp/app-1/a4',
    ]);
    expect(edges.map((e) => [e.targetKind, e.filterType, e.filterDisplayName])).toEqual([
      ['allDevices', 'include', 'Corporate Windows'],
      ['group', 'include', 'Corporate Windows'],
      ['group', 'exclude', 'Corporate Windows'],
    ]);
  });

  it('pages return every edge once, in key order', async () => {
    const whole = await all(tenantId, listAssignmentsByFilter, FILTER);
    for (const limit of [1, 2]) {
      expect((await all(tenantId, listAssignmentsByFilter, FILTER, limit)).map(keyOf)).toEqual(
        whole.map(keyOf),
      );
    }
  });

  it('refuses malformed ids and another list’s cursor with invalid_input', async () => {
    const read = (id: string, after?: string) =>
      withTenant(db.runtime, tenantId, (tx) =>
        listAssignmentsByGroup(tx, tenantId, id, { limit: 10, ...(after !== undefined && { after }) }),
      );
    await expect(read('not-a-group')).rejects.toMatchObject({
      code: 'invalid_input',
      message: /group id must be a GUID/,
    });
    const itemsCursor = Buffer.from(JSON.stringify(['items', 'mobileApp', 'x'])).toString('base64url');
    await expect(read(GROUP, itemsCursor)).rejects.toMatchObject({
      code: 'invalid_input',
      message: /not a valid assignments cursor/,
    });
    // A cursor of another group's, or of a filter's, lookup would skip or repeat this group's edges.
    const filterPage = await withTenant(db.runtime, tenantId, (tx) =>
      listAssignmentsByFilter(tx, tenantId, FILTER, { limit: 1 }),
    );
    expect(filterPage.nextCursor).not.toBeNull();
    await expect(read(GROUP, filterPage.nextCursor!)).rejects.toMatchObject({
      code: 'invalid_input',
      message: /the cursor is not a valid assignments cursor for this group/,
    });
  });
});

describe('the current edge set', () => {
  it('a changed assignment set replaces the old one; a re-observation without assignments keeps it, flagged older', async () => {
    const tenantId = await newTenant(db.runtime);
    const run1 = await beginRun(db.runtime, tenantId, ALL);
    await upsert(tenantId, run1.id, [
      withEdges('deviceConfiguration', 'cfg', [included('a1', GROUP), excluded('a2', OTHER_GROUP)]),
    ]);
    await endRun(db.runtime, run1);
    expect((await all(tenantId, listAssignmentsByGroup, GROUP)).map(keyOf)).toEqual([
      'deviceConfiguration/cfg/a1',
    ]);

    // The next sync sees a1 gone and a3 targeting the group instead, and the exclusion retargeted.
    const run2 = await beginRun(db.runtime, tenantId, ALL);
    await upsert(tenantId, run2.id, [
      withEdges('deviceConfiguration', 'cfg', [included('a3', GROUP), excluded('a2', GROUP)]),
    ]);
    await endRun(db.runtime, run2);
    expect((await all(tenantId, listAssignmentsByGroup, GROUP)).map(keyOf)).toEqual([
      'deviceConfiguration/cfg/a2',
      'deviceConfiguration/cfg/a3',
    ]);
    expect(await all(tenantId, listAssignmentsByGroup, OTHER_GROUP)).toEqual([]);
    const current = await withTenant(db.runtime, tenantId, (tx) =>
      getItemAssignments(tx, tenantId, 'deviceConfiguration', 'cfg'),
    );
    expect(current).toMatchObject({ assignmentsRunId: run2.id, assignmentsOutdated: false });
    expect(current!.assignments.map((e) => e.assignmentId)).toEqual(['a2', 'a3']);

    // A third run sees the item but not its assignments (its per-item request failed).
    const run3 = await beginRun(db.runtime, tenantId, ALL);
    await upsert(tenantId, run3.id, [withEdges('deviceConfiguration', 'cfg', undefined)]);
    const kept = await all(tenantId, listAssignmentsByGroup, GROUP);
    expect(kept.map(keyOf)).toEqual(['deviceConfiguration/cfg/a2', 'deviceConfiguration/cfg/a3']);
    expect(kept.every((e) => e.assignmentsOutdated && e.assignmentsRunId === run2.id)).toBe(true);
    const older = await withTenant(db.runtime, tenantId, (tx) =>
      getItemAssignments(tx, tenantId, 'deviceConfiguration', 'cfg'),
    );
    expect(older).toMatchObject({ assignmentsRunId: run2.id, assignmentsOutdated: true });
    expect(older!.lastSeenAt.getTime()).toBeGreaterThan(older!.assignmentsObservedAt!.getTime());
  });

  it('one item: never observed says so, and a type without assignments says it has none', async () => {
    const tenantId = await newTenant(db.runtime);
    const run = await beginRun(db.runtime, tenantId, ALL);
    await upsert(tenantId, run.id, [
      withEdges('deviceConfiguration', 'never', undefined),
      withEdges('deviceConfiguration', 'none', []),
      item('roleDefinition', 'role-1'),
    ]);
    const read = (type: PolicyType, id: string) =>
      withTenant(db.runtime, tenantId, (tx) => getItemAssignments(tx, tenantId, type, id));
    expect(await read('deviceConfiguration', 'never')).toMatchObject({
      typeHasAssignments: true,
      assignmentsObservedAt: null,
      assignmentsRunId: null,
      typeCompleteWhenObserved: null,
      assignmentsOutdated: false,
      assignments: [],
    });
    const none = await read('deviceConfiguration', 'none');
    expect(none).toMatchObject({ typeHasAssignments: true, assignmentsRunId: run.id, assignments: [] });
    expect(none!.assignmentsObservedAt).toBeInstanceOf(Date);
    expect(await read('roleDefinition', 'role-1')).toMatchObject({
      typeHasAssignments: false,
      assignmentsObservedAt: null,
    });
    expect(await read('deviceConfiguration', 'absent')).toBeNull();
  });
});

describe('unassigned items', () => {
  it('lists items observed with no current edge; never-observed items and types without assignments are left out and counted', async () => {
    const tenantId = await newTenant(db.runtime);
    const run1 = await beginRun(db.runtime, tenantId, ALL);
    await upsert(tenantId, run1.id, [
      withEdges('deviceConfiguration', 'assigned', [included('a1', GROUP)]),
      withEdges('deviceConfiguration', 'empty', []),
      withEdges('deviceConfiguration', 'unknown', undefined),
      withEdges('mobileApp', 'dropped', [included('a2', GROUP)]),
      item('roleDefinition', 'role-1'),
      item('assignmentFilter', FILTER),
    ]);
    await endRun(db.runtime, run1);
    // `dropped` loses its only assignment on the next observation: unassigned now.
    const run2 = await beginRun(db.runtime, tenantId, ALL);
    await upsert(tenantId, run2.id, [withEdges('mobileApp', 'dropped', [])]);

    const list = (filters: ItemFilters, limit = 100) =>
      withTenant(db.runtime, tenantId, (tx) => listItems(tx, tenantId, { ...filters, limit }));
    const page = await list({ unassigned: true });
    expect(page.items.map((i) => `${i.policyType}/${i.externalId}`)).toEqual([
      'deviceConfiguration/empty',
      'mobileApp/dropped',
    ]);
    expect(
      await withTenant(db.runtime, tenantId, (tx) =>
        countUnassignedLeftOut(tx, tenantId, { unassigned: true }),
      ),
    ).toEqual({
      neverObservedCount: 1,
      withoutAssignmentsCount: 2,
    });
    // The counts follow the other filters.
    expect(
      await withTenant(db.runtime, tenantId, (tx) =>
        countUnassignedLeftOut(tx, tenantId, { unassigned: true, policyTypes: ['mobileApp'] }),
      ),
    ).toEqual({ neverObservedCount: 0, withoutAssignmentsCount: 0 });
    // Paging returns each once.
    const first = await list({ unassigned: true }, 1);
    const second = await withTenant(db.runtime, tenantId, (tx) =>
      listItems(tx, tenantId, { unassigned: true, limit: 1, after: first.nextCursor! }),
    );
    expect([...first.items, ...second.items].map((i) => i.externalId)).toEqual(['empty', 'dropped']);
    expect(second.nextCursor).toBeNull();
  });
});

describe('scope tags', () => {
  let tenantId = '';
  beforeAll(async () => {
    tenantId = await newTenant(db.runtime);
    const run = await beginRun(db.runtime, tenantId, ALL);
    await upsert(tenantId, run.id, [
      item('roleScopeTag', '0', { displayName: 'Default' }),
      item('roleScopeTag', '5', { displayName: 'Paris' }),
      item('roleScopeTag', '6', { displayName: 'London' }),
      item('roleScopeTag', '7', { displayName: 'london' }),
      item('deviceConfiguration', 'cfg-paris', { roleScopeTagIds: ['0', '5'] }),
      item('deviceConfiguration', 'cfg-london', { roleScopeTagIds: ['6'] }),
      item('assignmentFilter', FILTER, { roleScopeTags: ['5'] }),
      item('deviceConfiguration', 'cfg-default', { roleScopeTagIds: ['0'] }),
    ]);
  });

  const tagged = async (tagId: string) => {
    const page = await withTenant(db.runtime, tenantId, (tx) =>
      listItems(tx, tenantId, { scopeTagId: tagId, limit: 100 }),
    );
    return page.items.map((i) => `${i.policyType}/${i.externalId}`);
  };
  const resolve = (input: string) =>
    withTenant(db.runtime, tenantId, (tx) => resolveScopeTag(tx, tenantId, input));

  it('lists items tagged by id, whether the type names the list roleScopeTagIds or roleScopeTags', async () => {
    expect(await tagged('5')).toEqual([`assignmentFilter/${FILTER}`, 'deviceConfiguration/cfg-paris']);
    expect(await tagged('0')).toEqual(['deviceConfiguration/cfg-default', 'deviceConfiguration/cfg-paris']);
    expect(await tagged('99')).toEqual([]);
  });

  it('resolves a tag by id or by name (case-insensitive), with every tag’s name for display', async () => {
    expect(await resolve('5')).toEqual({
      tag: { id: '5', displayName: 'Paris' },
      namesById: { '0': 'Default', '5': 'Paris', '6': 'London', '7': 'london' },
    });
    expect((await resolve('PARIS')).tag).toEqual({ id: '5', displayName: 'Paris' });
    // Taken exactly as given: surrounding whitespace is refused, never trimmed into another tag.
    await expect(resolve(' 5')).rejects.toMatchObject({
      code: 'invalid_input',
      message: 'scope tag must not begin or end with whitespace',
    });
    // A number no inventoried tag has is still an id (scope tags may not be synced).
    expect((await resolve('42')).tag).toEqual({ id: '42', displayName: null });
  });

  it('refuses a name matching several tags, listing them, and an unknown name with the next step', async () => {
    await expect(resolve('LONDON')).rejects.toMatchObject({
      code: 'invalid_input',
      message: 'scope tag name "LONDON" matches tags 6, 7; give the tag\'s id',
    });
    await expect(resolve('Tokyo')).rejects.toMatchObject({
      code: 'invalid_input',
      message:
        /^no scope tag named "Tokyo" was observed in this tenant; give the tag's id, or sync roleScopeTag first$/,
    });
    await expect(resolve(' ')).rejects.toMatchObject({ code: 'invalid_input' });
  });
});

describe('row-level security', () => {
  it('tenant A’s edges, unassigned items and tags are invisible to tenant B under the runtime role', async () => {
    const a = await newTenant(db.runtime, 'A');
    const b = await newTenant(db.runtime, 'B');
    const run = await beginRun(db.runtime, a, ALL);
    await upsert(a, run.id, [
      withEdges('deviceConfiguration', 'cfg', [included('a1', GROUP, { id: FILTER, type: 'include' })]),
      withEdges('deviceConfiguration', 'empty', []),
      item('roleScopeTag', '5', { displayName: 'Paris' }),
    ]);
    expect(await all(a, listAssignmentsByGroup, GROUP)).toHaveLength(1);
    expect(await all(b, listAssignmentsByGroup, GROUP)).toEqual([]);
    expect(await all(b, listAssignmentsByFilter, FILTER)).toEqual([]);
    // Even naming A's tenant id in B's scope finds nothing: the policy reads the scope, not the argument.
    expect(
      await withTenant(db.runtime, b, (tx) => listAssignmentsByGroup(tx, a, GROUP, { limit: 10 })),
    ).toEqual({ assignments: [], nextCursor: null });
    expect(
      await withTenant(db.runtime, b, (tx) => getItemAssignments(tx, a, 'deviceConfiguration', 'cfg')),
    ).toBeNull();
    const unassigned = await withTenant(db.runtime, b, (tx) =>
      listItems(tx, a, { unassigned: true, limit: 10 }),
    );
    expect(unassigned.items).toEqual([]);
    await expect(withTenant(db.runtime, b, (tx) => resolveScopeTag(tx, a, 'Paris'))).rejects.toMatchObject({
      code: 'invalid_input',
    });
    // B cannot write a group name into A's directory either.
    await expect(
      withTenant(db.runtime, b, (tx) =>
        queryRows(
          tx,
          `INSERT INTO directory_groups (tenant_id, group_id, display_name, observed_at) VALUES ($1, $2, 'x', now())`,
          [a, randomUUID()],
        ),
      ),
    ).rejects.toMatchObject({ driverError: { code: '42501' } });
  });
});
