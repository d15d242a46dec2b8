/**
 * inventory/assignment.ts: Graph assignments (learn.microsoft.com/graph/api/resources/
 * intune-shared-deviceandappmanagementassignmenttarget?view=graph-rest-beta) to edges.
 */
import { describe, expect, it } from 'vitest';
import { MAX_ASSIGNMENT_TEXT, normalizeAssignment } from '../../inventory/assignment';

const GROUP = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
const FILTER = '9a5b2f1c-0000-4000-8000-000000000001';

function edge(raw: unknown) {
  const result = normalizeAssignment(raw);
  if (!result.ok) throw new Error(result.reason);
  return result.assignment;
}

describe('normalizeAssignment', () => {
  it('keeps an app assignment’s group, filter, intent and source', () => {
    expect(
      edge({
        id: `${GROUP}_0_0`,
        intent: 'required',
        source: 'direct',
        sourceId: null,
        settings: { notifications: 'showAll' },
        target: {
          '@odata.type': '#microsoft.graph.groupAssignmentTarget',
          groupId: GROUP,
          deviceAndAppManagementAssignmentFilterId: FILTER,
          deviceAndAppManagementAssignmentFilterType: 'include',
        },
      }),
    ).toEqual({
      assignment_id: `${GROUP}_0_0`,
      target_kind: 'group',
      target_type: '#microsoft.graph.groupAssignmentTarget',
      group_id: GROUP,
      filter_id: FILTER,
      filter_type: 'include',
      intent: 'required',
      source: 'direct',
      source_id: null,
    });
  });

  it.each([
    ['#microsoft.graph.exclusionGroupAssignmentTarget', 'exclusionGroup'],
    ['#microsoft.graph.allDevicesAssignmentTarget', 'allDevices'],
    ['#microsoft.graph.allLicensedUsersAssignmentTarget', 'allLicensedUsers'],
    ['#microsoft.graph.cloudPcManagementGroupAssignmentTarget', 'group'],
    [
      '#microsoft.graph.configurationManagerCollectionAssignmentTarget',
      'configurationManagerCollectionAssignmentTarget',
    ],
  ])('names the target %s as %s', (type, kind) => {
    expect(edge({ id: 'a', target: { '@odata.type': type } }).target_kind).toBe(kind);
  });

  it('says none for a filter type without a filter id, and for an unknown filter type', () => {
    const none = edge({
      id: 'a',
      target: { groupId: GROUP, deviceAndAppManagementAssignmentFilterType: 'include' },
    });
    expect(none).toMatchObject({ target_kind: 'group', filter_id: null, filter_type: 'none' });
    const odd = edge({
      id: 'b',
      target: {
        deviceAndAppManagementAssignmentFilterId: FILTER,
        deviceAndAppManagementAssignmentFilterType: 'sometimes',
      },
    });
    expect(odd).toMatchObject({ filter_id: FILTER, filter_type: 'none', target_kind: 'unknown' });
  });

  it('writes group and filter GUIDs in lower case, as lookups expect', () => {
    const upper = edge({
      id: 'a',
      target: {
        groupId: GROUP.toUpperCase(),
        deviceAndAppManagementAssignmentFilterId: FILTER.toUpperCase(),
      },
    });
    expect(upper).toMatchObject({ group_id: GROUP, filter_id: FILTER });
  });

  it('derives a stable id from the target when Graph gave none, and bounds text', () => {
    const raw = { target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: GROUP } };
    expect(edge(raw).assignment_id).toBe(edge(structuredClone(raw)).assignment_id);
    expect(edge({ id: 'x'.repeat(1_000), target: {} }).assignment_id).toHaveLength(MAX_ASSIGNMENT_TEXT);
  });

  it('refuses what is not an assignment, with a reason', () => {
    expect(normalizeAssignment(null)).toEqual({ ok: false, reason: 'assignment is not an object' });
    expect(normalizeAssignment({ id: 'a' })).toEqual({ ok: false, reason: 'assignment has no target' });
  });
});
