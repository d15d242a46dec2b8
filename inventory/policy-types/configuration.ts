/** Registry entries of category `configuration`: device configuration profiles and their successors. */
import { COMMON_META, type PolicyTypeDefinition } from './definition';

export const CONFIGURATION_TYPES = {
  deviceConfiguration: {
    label: 'Device configuration profiles',
    category: 'configuration',
    collectionPath: '/deviceManagement/deviceConfigurations',
    entityType: 'deviceConfiguration',
    assignments: 'expand',
    permission: 'DeviceManagementConfiguration.Read.All', // graph/api/intune-deviceconfig-deviceconfiguration-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { from: 'odataType' },
    metaKeys: [...COMMON_META, 'supportsScopeTags'],
  },
  settingsCatalogPolicy: {
    label: 'Settings catalog policies',
    category: 'configuration',
    collectionPath: '/deviceManagement/configurationPolicies',
    entityType: 'deviceManagementConfigurationPolicy',
    assignments: 'expand',
    permission: 'DeviceManagementConfiguration.Read.All', // graph/api/intune-deviceconfigv2-devicemanagementconfigurationpolicy-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'name',
    platform: { from: 'field', field: 'platforms' },
    metaKeys: [
      'description',
      'createdDateTime',
      'lastModifiedDateTime',
      'roleScopeTagIds',
      'platforms',
      'technologies',
      'settingCount',
      'isAssigned',
      'templateReference.templateId',
      'templateReference.templateFamily',
      'templateReference.templateDisplayName',
      'templateReference.templateDisplayVersion',
    ],
  },
  groupPolicyConfiguration: {
    label: 'Administrative templates',
    category: 'configuration',
    collectionPath: '/deviceManagement/groupPolicyConfigurations',
    entityType: 'groupPolicyConfiguration',
    assignments: 'expand',
    permission: 'DeviceManagementConfiguration.Read.All', // graph/api/intune-grouppolicy-grouppolicyconfiguration-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { fixed: 'windows' },
    metaKeys: [
      'description',
      'createdDateTime',
      'lastModifiedDateTime',
      'roleScopeTagIds',
      'policyConfigurationIngestionType',
    ],
  },
} as const satisfies Record<string, PolicyTypeDefinition>;
