/** Registry entries of category `windows365`: Cloud PC provisioning policies and user settings. */
import { type PolicyTypeDefinition } from './definition';

export const WINDOWS365_TYPES = {
  cloudPcProvisioningPolicy: {
    label: 'Windows 365 provisioning policies',
    category: 'windows365',
    collectionPath: '/deviceManagement/virtualEndpoint/provisioningPolicies',
    entityType: 'cloudPcProvisioningPolicy',
    assignments: 'perItem',
    permission: 'CloudPC.Read.All', // graph/api/virtualendpoint-list-provisioningpolicies?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { fixed: 'windows' },
    // Cloud PC objects carry their scope tags as `scopeIds`.
    metaKeys: [
      'description',
      'createdDateTime',
      'lastModifiedDateTime',
      'scopeIds',
      'provisioningType',
      'imageType',
      'imageId',
      'imageDisplayName',
      'managedBy',
      'enableSingleSignOn',
      'localAdminEnabled',
      'cloudPcNamingTemplate',
      'userExperienceType',
      'gracePeriodInHours',
    ],
  },
  cloudPcUserSetting: {
    label: 'Windows 365 user settings',
    category: 'windows365',
    collectionPath: '/deviceManagement/virtualEndpoint/userSettings',
    entityType: 'cloudPcUserSetting',
    assignments: 'perItem',
    permission: 'CloudPC.Read.All', // graph/api/virtualendpoint-list-usersettings?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { fixed: 'windows' },
    metaKeys: [
      'createdDateTime',
      'lastModifiedDateTime',
      'localAdminEnabled',
      'resetEnabled',
      'selfServiceEnabled',
      'provisioningSourceType',
    ],
  },
} as const satisfies Record<string, PolicyTypeDefinition>;
