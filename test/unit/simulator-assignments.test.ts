/**
 * The simulator's ground-truth assignments and groups against Microsoft's Graph metadata: which
 * datasets have assignments follows the `assignments` navigation property of their element type,
 * each names an assignment entity type Graph declares, generated assignments carry only what that
 * type declares, and their targets refer to the tenant's own groups and filters.
 */
import { describe, expect, it } from 'vitest';
import {
  assignmentForVersion,
  generateAssignments,
  undeclaredKeys,
  type AssignmentContext,
} from '../../simulator/assignments';
import { datasets, generateItem } from '../../simulator/data';
import { generateGroups } from '../../simulator/directory';
import {
  derivesFrom,
  elementTypeOf,
  hasEntityType,
  navigationProperties,
  selectableProperties,
} from '../../simulator/graph-metadata';
import { seededGuid, seededRng } from '../../simulator/random';

const ITEMS_PER_DATASET = 300;

const rng = seededRng(11);
const context: AssignmentContext = {
  groups: generateGroups(rng),
  filterIds: Array.from({ length: 5 }, () => seededGuid(rng)),
  policySetIds: Array.from({ length: 2 }, () => seededGuid(rng)),
};

const INTUNE_TARGETS = new Set([
  '#microsoft.graph.groupAssignmentTarget',
  '#microsoft.graph.exclusionGroupAssignmentTarget',
  '#microsoft.graph.allDevicesAssignmentTarget',
  '#microsoft.graph.allLicensedUsersAssignmentTarget',
  '#microsoft.graph.configurationManagerCollectionAssignmentTarget',
]);

const withAssignments = datasets().filter(([, d]) => d.assignments !== undefined);

describe('datasets with assignments', () => {
  it.each(datasets())('%s declares assignments exactly when its element type has them', (_, dataset) => {
    const hasNavigation = navigationProperties(elementTypeOf(dataset.collectionPath)).includes('assignments');
    expect(dataset.assignments !== undefined).toBe(hasNavigation);
  });

  it.each(withAssignments)('%s names an assignment entity type of Graph’s metadata', (_, dataset) => {
    const entityType = dataset.assignments!.entityType;
    expect(hasEntityType(entityType), entityType).toBe(true);
    expect(derivesFrom(entityType, 'entity')).toBe(true);
    expect(selectableProperties(entityType)).toEqual(expect.arrayContaining(['id', 'target']));
  });

  it('serve $expand=assignments where REFERENCE.md says Intune does, empty on intents (explorer-v4#2051)', () => {
    const expand = Object.fromEntries(
      withAssignments.flatMap(([, d]) =>
        d.assignments!.expand ? [[d.collectionPath, d.assignments!.expand]] : [],
      ),
    );
    expect(expand).toEqual({
      '/deviceManagement/deviceConfigurations': 'served',
      '/deviceManagement/deviceCompliancePolicies': 'served',
      '/deviceManagement/configurationPolicies': 'served',
      '/deviceAppManagement/mobileApps': 'served',
      '/deviceManagement/deviceHealthScripts': 'served',
      '/deviceManagement/deviceManagementScripts': 'served',
      '/deviceManagement/groupPolicyConfigurations': 'served',
      '/deviceManagement/intents': 'empty',
    });
  });

  describe.each(withAssignments)('%s', (name, dataset) => {
    const facts = dataset.assignments!;
    const itemRng = seededRng(5);
    const lists = Array.from({ length: ITEMS_PER_DATASET }, (_, i) =>
      generateAssignments(facts, generateItem(name, itemRng, i), itemRng, context),
    );
    const all = lists.flat();

    it('generates only properties the assignment type declares, id and target always', () => {
      for (const assignment of all) {
        expect(undeclaredKeys(facts.entityType, assignment)).toEqual([]);
        expect(assignment.id).toMatch(/\S/);
        expect(assignment.target['@odata.type']).toMatch(/^#microsoft\.graph\.\w+AssignmentTarget$/);
      }
    });

    it('gives about a quarter of items none, most 1–4, none more than 10, with unique ids', () => {
      const empty = lists.filter((list) => list.length === 0).length / lists.length;
      expect(empty).toBeGreaterThan(0.15);
      expect(empty).toBeLessThan(0.35);
      expect(lists.filter((list) => list.length >= 1 && list.length <= 4).length).toBeGreaterThan(
        lists.length / 2,
      );
      expect(Math.max(...lists.map((list) => list.length))).toBeLessThanOrEqual(10);
      for (const list of lists) expect(new Set(list.map((a) => a.id)).size).toBe(list.length);
    });

    it('targets the tenant’s own groups and filters', () => {
      const groupIds = new Set(context.groups.map((g) => g.id));
      for (const { target } of all) {
        if ('groupId' in target) expect(groupIds.has(String(target.groupId))).toBe(true);
        if (facts.targets === 'cloudPc') {
          expect(Object.keys(target).sort()).toEqual(['@odata.type', 'groupId']);
          expect(target['@odata.type']).toBe('#microsoft.graph.cloudPcManagementGroupAssignmentTarget');
          continue;
        }
        expect(INTUNE_TARGETS.has(String(target['@odata.type']))).toBe(true);
        const filterId = target.deviceAndAppManagementAssignmentFilterId;
        const filterType = target.deviceAndAppManagementAssignmentFilterType;
        if (filterId === null) expect(filterType).toBe('none');
        else {
          expect(context.filterIds).toContain(filterId);
          expect(['include', 'exclude']).toContain(filterType);
        }
      }
    });
  });

  it('app assignments carry Graph’s intents and ids built from the target group and intent', () => {
    const itemRng = seededRng(3);
    const facts = datasets().find(([name]) => name === 'mobileApp')![1].assignments!;
    const all = Array.from({ length: 200 }, (_, i) =>
      generateAssignments(facts, generateItem('mobileApp', itemRng, i), itemRng, context),
    ).flat();
    const intents = new Set(all.map((a) => a.intent));
    expect([...intents].sort()).toEqual(['available', 'availableWithoutEnrollment', 'required', 'uninstall']);
    for (const assignment of all) {
      const key = typeof assignment.target.groupId === 'string' ? assignment.target.groupId : '';
      expect(assignment.id).toMatch(/^[0-9a-f-]{36}_[0-3]_[01]$/);
      if (key !== '') expect(assignment.id.startsWith(key)).toBe(true);
    }
    expect(
      all.some((a) => a.source === 'policySets' && context.policySetIds.includes(String(a.sourceId))),
    ).toBe(true);
  });

  it('drops under v1.0 what the v1.0 assignment type does not declare', () => {
    const assignment = {
      id: 'a',
      intent: 'apply',
      source: 'direct',
      sourceId: null,
      target: { '@odata.type': '#microsoft.graph.allDevicesAssignmentTarget' },
    };
    expect(assignmentForVersion('deviceConfigurationAssignment', 'v1.0', assignment)).toEqual({
      id: 'a',
      target: assignment.target,
    });
    expect(assignmentForVersion('deviceConfigurationAssignment', 'beta', assignment)).toBe(assignment);
  });

  it('would catch an undeclared property or one the simulator cannot fill (the checks can fail)', () => {
    expect(
      undeclaredKeys('deviceCompliancePolicyAssignment', { id: 'x', target: {}, intent: 'apply' }),
    ).toEqual(['intent']);
    expect(() =>
      generateAssignments(
        { entityType: 'accessPackageAssignment', targets: 'intune' },
        { id: 'x' },
        // The first draw decides the count: 0.5 asks for assignments.
        () => 0.5,
        context,
      ),
    ).toThrow(/accessPackageAssignment declares/);
  });
});

describe('the tenant’s groups', () => {
  it('are 12 to 40, with unique ids and only properties Graph’s group declares', () => {
    const groupRng = seededRng(1);
    for (let i = 0; i < 20; i++) {
      const groups = generateGroups(groupRng);
      expect(groups.length).toBeGreaterThanOrEqual(12);
      expect(groups.length).toBeLessThanOrEqual(40);
      expect(new Set(groups.map((g) => g.id)).size).toBe(groups.length);
      const declared = new Set(selectableProperties('group'));
      for (const group of groups)
        for (const key of Object.keys(group)) expect(declared.has(key), key).toBe(true);
    }
  });
});
