/**
 * The policy type registry against Microsoft's Graph metadata (simulator/graph-metadata/, see its
 * README): each collection exists with the registry's element type, and Graph declares every
 * field we `$select` on that type or its bases, so no request is refused with Graph's 400
 * "Could not find a property named …".
 */
import { describe, expect, it } from 'vitest';
import {
  GRAPH_PERMISSIONS,
  POLICY_TYPE_KEYS,
  policyType,
  selectFields,
  type PolicyTypeDefinition,
} from '../../inventory/policy-types';
import {
  findCollection,
  hasEntityType,
  navigationProperties,
  selectableProperties,
} from '../../simulator/graph-metadata';

/** What Graph's metadata has against a definition; empty when Graph would accept its requests. */
function metadataProblems(def: PolicyTypeDefinition): string[] {
  const collection = findCollection(def.collectionPath);
  if (collection === null || collection.path !== def.collectionPath)
    return [`no collection ${def.collectionPath}`];
  if (collection.elementType !== def.entityType)
    return [`${def.collectionPath} holds ${collection.elementType}, not ${def.entityType}`];
  const declared = new Set(selectableProperties(def.entityType));
  const problems = selectFields(def)
    .filter((field) => !declared.has(field))
    .map((field) => `${def.entityType} does not declare ${field}`);
  if (!declared.has(def.nameField)) problems.push(`${def.entityType} does not declare ${def.nameField}`);
  const hasAssignments = navigationProperties(def.entityType).includes('assignments');
  if (hasAssignments && def.assignments === undefined)
    problems.push(`${def.entityType} has assignments the registry does not read`);
  if (!hasAssignments && def.assignments !== undefined)
    problems.push(`${def.entityType} has no assignments to read`);
  return problems;
}

describe.each(POLICY_TYPE_KEYS)('%s against Graph metadata', (key) => {
  const def = policyType(key);

  it('names an entity type Graph has and the collection whose element type it is', () => {
    expect(hasEntityType(def.entityType)).toBe(true);
    expect(findCollection(def.collectionPath)).toEqual({
      path: def.collectionPath,
      elementType: def.entityType,
    });
  });

  it('selects only properties the element type or its bases declare, the name included', () => {
    expect(metadataProblems(def)).toEqual([]);
    expect(selectFields(key)).toContain(def.nameField);
  });

  it('names a known least-privileged read permission', () => {
    expect(GRAPH_PERMISSIONS).toContain(def.permission);
  });
});

describe('the metadata check itself', () => {
  const filter = policyType('assignmentFilter');

  it('catches the field Graph refused on assignment filters (roleScopeTagIds)', () => {
    const wrong = { ...filter, metaKeys: [...filter.metaKeys, 'roleScopeTagIds'] };
    expect(metadataProblems(wrong)).toEqual([
      'deviceAndAppManagementAssignmentFilter does not declare roleScopeTagIds',
    ]);
  });

  it('catches a property only a derived type declares, a wrong path and a wrong element type', () => {
    const apps = policyType('mobileApp');
    expect(metadataProblems({ ...apps, metaKeys: [...apps.metaKeys, 'fileName'] })).toEqual([
      'mobileApp does not declare fileName',
    ]);
    expect(metadataProblems({ ...filter, collectionPath: '/deviceManagement/assignmentFilter' })).toEqual([
      'no collection /deviceManagement/assignmentFilter',
    ]);
    expect(metadataProblems({ ...apps, assignments: undefined })).toEqual([
      'mobileApp has assignments the registry does not read',
    ]);
    expect(metadataProblems({ ...filter, assignments: 'perItem' })).toEqual([
      'deviceAndAppManagementAssignmentFilter has no assignments to read',
    ]);
    expect(metadataProblems({ ...filter, entityType: 'assignmentFilter' })).toEqual([
      '/deviceManagement/assignmentFilters holds deviceAndAppManagementAssignmentFilter, not assignmentFilter',
    ]);
  });
});
