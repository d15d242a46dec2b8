/**
 * Registry entries of category `enrollment`. Apple enrollment program tokens keep their expiry
 * date (`tokenExpirationDateTime`), never anything of the token itself; terms and conditions keep
 * their title, not their text.
 */
import { COMMON_META, type PolicyTypeDefinition } from './definition';

export const ENROLLMENT_TYPES = {
  windowsAutopilotDeploymentProfile: {
    label: 'Windows Autopilot deployment profiles',
    category: 'enrollment',
    collectionPath: '/deviceManagement/windowsAutopilotDeploymentProfiles',
    entityType: 'windowsAutopilotDeploymentProfile',
    assignments: 'perItem',
    permission: 'DeviceManagementServiceConfig.Read.All', // graph/api/intune-enrollment-windowsautopilotdeploymentprofile-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { fixed: 'windows' },
    metaKeys: [
      '@odata.type',
      'description',
      'createdDateTime',
      'lastModifiedDateTime',
      'roleScopeTagIds',
      'language',
      'deviceType',
      'deviceNameTemplate',
      'enableWhiteGlove',
      'extractHardwareHash',
    ],
  },
  enrollmentConfiguration: {
    label: 'Enrollment configurations',
    category: 'enrollment',
    collectionPath: '/deviceManagement/deviceEnrollmentConfigurations',
    entityType: 'deviceEnrollmentConfiguration',
    assignments: 'perItem',
    permission: 'DeviceManagementServiceConfig.Read.All', // graph/api/intune-onboarding-deviceenrollmentconfiguration-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { from: 'odataType' },
    metaKeys: [...COMMON_META, 'priority', 'deviceEnrollmentConfigurationType'],
  },
  depOnboardingSetting: {
    label: 'Apple enrollment program tokens',
    category: 'enrollment',
    collectionPath: '/deviceManagement/depOnboardingSettings',
    entityType: 'depOnboardingSetting',
    permission: 'DeviceManagementServiceConfig.Read.All', // graph/api/intune-enrollment-deponboardingsetting-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'tokenName',
    // Automated Device Enrollment serves iOS/iPadOS, macOS, tvOS and visionOS from one token.
    platform: { from: 'none' },
    metaKeys: [
      'lastModifiedDateTime',
      'roleScopeTagIds',
      'appleIdentifier',
      'tokenType',
      'tokenExpirationDateTime',
      'lastSuccessfulSyncDateTime',
      'lastSyncTriggeredDateTime',
      'lastSyncErrorCode',
      'syncedDeviceCount',
      'dataSharingConsentGranted',
      'shareTokenWithSchoolDataSyncService',
    ],
  },
  appleUserInitiatedEnrollmentProfile: {
    label: 'Apple user-initiated enrollment profiles',
    category: 'enrollment',
    collectionPath: '/deviceManagement/appleUserInitiatedEnrollmentProfiles',
    entityType: 'appleUserInitiatedEnrollmentProfile',
    assignments: 'perItem',
    permission: 'DeviceManagementServiceConfig.Read.All', // graph/api/intune-enrollment-appleuserinitiatedenrollmentprofile-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { from: 'field', field: 'platform' },
    // The type declares no scope tags.
    metaKeys: [
      'description',
      'createdDateTime',
      'lastModifiedDateTime',
      'platform',
      'priority',
      'defaultEnrollmentType',
    ],
  },
  deviceCategory: {
    label: 'Device categories',
    category: 'enrollment',
    collectionPath: '/deviceManagement/deviceCategories',
    entityType: 'deviceCategory',
    // The list page names DeviceManagementConfiguration.Read.All first, then the managed devices permissions.
    permission: 'DeviceManagementConfiguration.Read.All', // graph/api/intune-onboarding-devicecategory-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { from: 'none' },
    metaKeys: ['description', 'roleScopeTagIds'],
  },
  termsAndConditions: {
    label: 'Terms and conditions',
    category: 'enrollment',
    collectionPath: '/deviceManagement/termsAndConditions',
    entityType: 'termsAndConditions',
    assignments: 'perItem',
    permission: 'DeviceManagementServiceConfig.Read.All', // graph/api/intune-companyterms-termsandconditions-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { from: 'none' },
    // Not `bodyText` nor `acceptanceStatement`: the terms themselves, unbounded text.
    metaKeys: [
      'description',
      'createdDateTime',
      'lastModifiedDateTime',
      'version',
      'roleScopeTagIds',
      'title',
    ],
  },
} as const satisfies Record<string, PolicyTypeDefinition>;
