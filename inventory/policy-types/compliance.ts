/** Registry entries of category `compliance`. */
import { COMMON_META, type PolicyTypeDefinition } from './definition';

export const COMPLIANCE_TYPES = {
  deviceCompliancePolicy: {
    label: 'Device compliance policies',
    category: 'compliance',
    collectionPath: '/deviceManagement/deviceCompliancePolicies',
    entityType: 'deviceCompliancePolicy',
    assignments: 'expand',
    permission: 'DeviceManagementConfiguration.Read.All', // graph/api/intune-deviceconfig-devicecompliancepolicy-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { from: 'odataType' },
    metaKeys: COMMON_META,
  },
  compliancePolicy: {
    label: 'Compliance policies (settings catalog)',
    category: 'compliance',
    collectionPath: '/deviceManagement/compliancePolicies',
    entityType: 'deviceManagementCompliancePolicy',
    assignments: 'perItem',
    permission: 'DeviceManagementConfiguration.Read.All', // graph/api/intune-deviceconfigv2-devicemanagementcompliancepolicy-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'name',
    platform: { from: 'field', field: 'platforms' },
    // Not `settings` (the rules themselves) nor `scheduledActionsForRule`.
    metaKeys: [
      'description',
      'createdDateTime',
      'lastModifiedDateTime',
      'roleScopeTagIds',
      'platforms',
      'technologies',
      'settingCount',
      'isAssigned',
      'creationSource',
    ],
  },
} as const satisfies Record<string, PolicyTypeDefinition>;
