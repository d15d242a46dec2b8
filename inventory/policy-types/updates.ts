/** Registry entries of category `updates`: Windows update profiles and policies. */
import { type PolicyTypeDefinition } from './definition';

export const UPDATE_TYPES = {
  windowsFeatureUpdateProfile: {
    label: 'Windows feature update profiles',
    category: 'updates',
    collectionPath: '/deviceManagement/windowsFeatureUpdateProfiles',
    entityType: 'windowsFeatureUpdateProfile',
    assignments: 'perItem',
    permission: 'DeviceManagementConfiguration.Read.All', // graph/api/intune-softwareupdate-windowsfeatureupdateprofile-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { fixed: 'windows' },
    metaKeys: [
      'description',
      'createdDateTime',
      'lastModifiedDateTime',
      'roleScopeTagIds',
      'featureUpdateVersion',
      'deployableContentDisplayName',
      'endOfSupportDate',
    ],
  },
  windowsQualityUpdateProfile: {
    label: 'Windows quality update profiles (expedited)',
    category: 'updates',
    collectionPath: '/deviceManagement/windowsQualityUpdateProfiles',
    entityType: 'windowsQualityUpdateProfile',
    assignments: 'perItem',
    permission: 'DeviceManagementConfiguration.Read.All', // graph/api/intune-softwareupdate-windowsqualityupdateprofile-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { fixed: 'windows' },
    metaKeys: [
      'description',
      'createdDateTime',
      'lastModifiedDateTime',
      'roleScopeTagIds',
      'releaseDateDisplayName',
      'deployableContentDisplayName',
    ],
  },
  windowsDriverUpdateProfile: {
    label: 'Windows driver update profiles',
    category: 'updates',
    collectionPath: '/deviceManagement/windowsDriverUpdateProfiles',
    entityType: 'windowsDriverUpdateProfile',
    assignments: 'perItem',
    permission: 'DeviceManagementConfiguration.Read.All', // graph/api/intune-softwareupdate-windowsdriverupdateprofile-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { fixed: 'windows' },
    metaKeys: [
      'description',
      'createdDateTime',
      'lastModifiedDateTime',
      'roleScopeTagIds',
      'approvalType',
      'deploymentDeferralInDays',
      'newUpdates',
      'deviceReporting',
    ],
  },
  windowsQualityUpdatePolicy: {
    label: 'Windows quality update policies',
    category: 'updates',
    collectionPath: '/deviceManagement/windowsQualityUpdatePolicies',
    entityType: 'windowsQualityUpdatePolicy',
    assignments: 'perItem',
    permission: 'DeviceManagementConfiguration.Read.All', // graph/api/intune-softwareupdate-windowsqualityupdatepolicy-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { fixed: 'windows' },
    metaKeys: [
      'description',
      'createdDateTime',
      'lastModifiedDateTime',
      'roleScopeTagIds',
      'hotpatchEnabled',
    ],
  },
} as const satisfies Record<string, PolicyTypeDefinition>;
