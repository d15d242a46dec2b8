/**
 * Registry entries of category `apps`. App configuration payloads (`settings`, `encodedSettingXml`,
 * `payloadJson`, `customSettings`) and the VPP token itself (`token`) are never kept.
 */
import { COMMON_META, type PolicyTypeDefinition } from './definition';

export const APP_TYPES = {
  mobileApp: {
    label: 'Apps',
    category: 'apps',
    collectionPath: '/deviceAppManagement/mobileApps',
    entityType: 'mobileApp',
    assignments: 'expand',
    permission: 'DeviceManagementApps.Read.All', // graph/api/intune-apps-mobileapp-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { from: 'odataType' },
    // Not `appAvailability`: the vendored beta metadata does not declare it on mobileApp, and Graph
    // refuses a `$select` of a property the element type lacks.
    metaKeys: [
      '@odata.type',
      'description',
      'createdDateTime',
      'lastModifiedDateTime',
      'roleScopeTagIds',
      'publisher',
      'publishingState',
      'isAssigned',
      'isFeatured',
    ],
  },
  appProtectionPolicy: {
    label: 'App protection policies',
    category: 'apps',
    collectionPath: '/deviceAppManagement/managedAppPolicies',
    entityType: 'managedAppPolicy',
    permission: 'DeviceManagementApps.Read.All', // graph/api/intune-mam-managedapppolicy-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { from: 'odataType' },
    // Not `isAssigned`: it belongs to the targetedManagedAppProtection subtype, and selecting a
    // subtype property on the managedAppPolicy collection is refused by Graph.
    metaKeys: COMMON_META,
  },
  mobileAppConfiguration: {
    label: 'App configuration policies (managed devices)',
    category: 'apps',
    collectionPath: '/deviceAppManagement/mobileAppConfigurations',
    entityType: 'managedDeviceMobileAppConfiguration',
    assignments: 'perItem',
    permission: 'DeviceManagementApps.Read.All', // graph/api/intune-apps-manageddevicemobileappconfiguration-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { from: 'odataType' },
    metaKeys: [...COMMON_META, 'targetedMobileApps'],
  },
  targetedManagedAppConfiguration: {
    label: 'App configuration policies (managed apps)',
    category: 'apps',
    collectionPath: '/deviceAppManagement/targetedManagedAppConfigurations',
    entityType: 'targetedManagedAppConfiguration',
    assignments: 'perItem',
    permission: 'DeviceManagementApps.Read.All', // graph/api/intune-mam-targetedmanagedappconfiguration-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    // One policy targets apps on iOS and Android alike.
    platform: { from: 'none' },
    metaKeys: [
      'description',
      'createdDateTime',
      'lastModifiedDateTime',
      'version',
      'roleScopeTagIds',
      'isAssigned',
      'deployedAppCount',
      'appGroupType',
      'targetedAppManagementLevels',
    ],
  },
  mobileAppCategory: {
    label: 'App categories',
    category: 'apps',
    collectionPath: '/deviceAppManagement/mobileAppCategories',
    entityType: 'mobileAppCategory',
    permission: 'DeviceManagementApps.Read.All', // graph/api/intune-apps-mobileappcategory-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { from: 'none' },
    metaKeys: ['lastModifiedDateTime'],
  },
  policySet: {
    label: 'Policy sets',
    category: 'apps',
    collectionPath: '/deviceAppManagement/policySets',
    entityType: 'policySet',
    assignments: 'perItem',
    // The list page names DeviceManagementConfiguration.Read.All, not the apps permission, although
    // the collection lives below deviceAppManagement.
    permission: 'DeviceManagementConfiguration.Read.All', // graph/api/intune-policyset-policyset-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { from: 'none' },
    // policySet declares `roleScopeTags`, not `roleScopeTagIds` (REFERENCE.md, turn 2).
    metaKeys: [
      'description',
      'createdDateTime',
      'lastModifiedDateTime',
      'roleScopeTags',
      'status',
      'errorCode',
      'guidedDeploymentTags',
    ],
  },
  vppToken: {
    label: 'Apple VPP tokens',
    category: 'apps',
    collectionPath: '/deviceAppManagement/vppTokens',
    entityType: 'vppToken',
    permission: 'DeviceManagementApps.Read.All', // graph/api/intune-onboarding-vpptoken-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    // Apple's volume purchase tokens serve iOS/iPadOS and macOS alike.
    platform: { from: 'none' },
    // The expiry date, never the token (`token`) nor its action results.
    metaKeys: [
      'lastModifiedDateTime',
      'roleScopeTagIds',
      'organizationName',
      'appleId',
      'vppTokenAccountType',
      'countryOrRegion',
      'locationName',
      'state',
      'expirationDateTime',
      'lastSyncDateTime',
      'lastSyncStatus',
      'automaticallyUpdateApps',
    ],
  },
} as const satisfies Record<string, PolicyTypeDefinition>;
