/** Registry entries of category `assignmentFilters`. */
import { type PolicyTypeDefinition } from './definition';

export const ASSIGNMENT_FILTER_TYPES = {
  assignmentFilter: {
    label: 'Assignment filters',
    category: 'assignmentFilters',
    collectionPath: '/deviceManagement/assignmentFilters',
    entityType: 'deviceAndAppManagementAssignmentFilter',
    permission: 'DeviceManagementConfiguration.Read.All', // graph/api/intune-policyset-deviceandappmanagementassignmentfilter-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { from: 'field', field: 'platform' },
    // Graph's deviceAndAppManagementAssignmentFilter declares `roleScopeTags`, not `roleScopeTagIds`:
    // selecting the latter is refused with a 400 on every request.
    metaKeys: [
      'description',
      'createdDateTime',
      'lastModifiedDateTime',
      'roleScopeTags',
      'platform',
      'assignmentFilterManagementType',
      'rule',
    ],
  },
} as const satisfies Record<string, PolicyTypeDefinition>;
