/** Simulator datasets of enrollment: Autopilot, enrollment configurations, Apple tokens and profiles, categories, terms. */
import { intBetween, pick } from '../random';
import { dayAfterBase, SCOPES, type Dataset } from './shared';

const TERMS =
  'By enrolling this device you agree that Contoso may manage corporate data on it. ' +
  'Sie stimmen zu, dass Contoso Unternehmensdaten auf diesem Gerät verwaltet. ';

export const ENROLLMENT_DATASETS = {
  windowsAutopilotDeploymentProfile: {
    collectionPath: '/deviceManagement/windowsAutopilotDeploymentProfiles',
    assignments: { entityType: 'windowsAutopilotDeploymentProfileAssignment', targets: 'intune' },
    inV1: false,
    service: 'intune',
    nameProperty: 'displayName',
    scopes: SCOPES.serviceConfig,
    noun: 'Autopilot profile',
    odataTypes: [
      '#microsoft.graph.azureADWindowsAutopilotDeploymentProfile',
      '#microsoft.graph.activeDirectoryWindowsAutopilotDeploymentProfile',
    ],
    make(rng, odataType) {
      return {
        language: pick(rng, ['os-default', 'en-US', 'de-DE', 'ja-JP']),
        deviceType: pick(rng, ['windowsPc', 'windowsPc', 'surfaceHub2', 'holoLens']),
        deviceNameTemplate: pick(rng, ['', 'CORP-%SERIAL%', 'DEV-%RAND:5%']),
        enableWhiteGlove: rng() < 0.5,
        extractHardwareHash: rng() < 0.5,
        managementServiceAppId: null,
        outOfBoxExperienceSettings: {
          hidePrivacySettings: true,
          hideEULA: true,
          userType: pick(rng, ['standard', 'administrator']),
          deviceUsageType: 'singleUser',
          skipKeyboardSelectionPage: true,
        },
        ...(odataType?.includes('activeDirectory') && {
          hybridAzureADJoinSkipConnectivityCheck: rng() < 0.5,
        }),
      };
    },
  },
  enrollmentConfiguration: {
    collectionPath: '/deviceManagement/deviceEnrollmentConfigurations',
    assignments: { entityType: 'enrollmentConfigurationAssignment', targets: 'intune' },
    inV1: true,
    service: 'intune',
    nameProperty: 'displayName',
    scopes: SCOPES.serviceConfig,
    noun: 'enrollment configuration',
    odataTypes: [
      '#microsoft.graph.deviceEnrollmentLimitConfiguration',
      '#microsoft.graph.deviceEnrollmentPlatformRestrictionsConfiguration',
      '#microsoft.graph.windows10EnrollmentCompletionPageConfiguration',
      '#microsoft.graph.deviceEnrollmentWindowsHelloForBusinessConfiguration',
      '#microsoft.graph.deviceComanagementAuthorityConfiguration',
    ],
    make(rng, odataType) {
      const kind = odataType?.replace('#microsoft.graph.', '') ?? '';
      const types: Record<string, string> = {
        deviceEnrollmentLimitConfiguration: 'limit',
        deviceEnrollmentPlatformRestrictionsConfiguration: 'platformRestrictions',
        windows10EnrollmentCompletionPageConfiguration: 'windows10EnrollmentCompletionPageConfiguration',
        deviceEnrollmentWindowsHelloForBusinessConfiguration: 'windowsHelloForBusiness',
        deviceComanagementAuthorityConfiguration: 'deviceComanagementAuthorityConfiguration',
      };
      return {
        version: intBetween(rng, 1, 5),
        priority: intBetween(rng, 0, 50),
        deviceEnrollmentConfigurationType: types[kind] ?? 'unknown',
        ...(kind === 'deviceEnrollmentLimitConfiguration' && { limit: intBetween(rng, 1, 15) }),
      };
    },
  },
  depOnboardingSetting: {
    collectionPath: '/deviceManagement/depOnboardingSettings',
    inV1: false,
    service: 'intune',
    nameProperty: 'tokenName',
    scopes: SCOPES.serviceConfig,
    noun: 'enrollment program token',
    odataTypes: null,
    make(rng) {
      return {
        appleIdentifier: `ade-${intBetween(rng, 1, 99)}@contoso.example`,
        tokenType: pick(rng, ['dep', 'dep', 'appleSchoolManager']),
        tokenExpirationDateTime: dayAfterBase(rng, 600, 1_400),
        lastSuccessfulSyncDateTime: dayAfterBase(rng, 500, 900),
        lastSyncTriggeredDateTime: dayAfterBase(rng, 500, 900),
        lastSyncErrorCode: pick(rng, [0, 0, 0, 3]),
        syncedDeviceCount: intBetween(rng, 0, 5_000),
        dataSharingConsentGranted: true,
        shareTokenWithSchoolDataSyncService: false,
      };
    },
  },
  appleUserInitiatedEnrollmentProfile: {
    collectionPath: '/deviceManagement/appleUserInitiatedEnrollmentProfiles',
    assignments: { entityType: 'appleEnrollmentProfileAssignment', targets: 'groups' },
    inV1: false,
    service: 'intune',
    nameProperty: 'displayName',
    scopes: SCOPES.serviceConfig,
    noun: 'Apple enrollment profile',
    odataTypes: null,
    make(rng) {
      return {
        platform: pick(rng, ['iOS', 'iOS', 'macOS']),
        priority: intBetween(rng, 0, 20),
        defaultEnrollmentType: pick(rng, [
          'device',
          'user',
          'accountDrivenUserEnrollment',
          'webDeviceEnrollment',
        ]),
        availableEnrollmentTypeOptions: [],
      };
    },
  },
  deviceCategory: {
    collectionPath: '/deviceManagement/deviceCategories',
    inV1: true,
    service: 'intune',
    nameProperty: 'displayName',
    scopes: SCOPES.configurationOrManagedDevices,
    noun: 'device category',
    odataTypes: null,
    make() {
      return {};
    },
  },
  termsAndConditions: {
    collectionPath: '/deviceManagement/termsAndConditions',
    assignments: { entityType: 'termsAndConditionsAssignment', targets: 'groups' },
    inV1: true,
    service: 'intune',
    nameProperty: 'displayName',
    scopes: SCOPES.serviceConfig,
    noun: 'terms and conditions',
    odataTypes: null,
    make(rng) {
      return {
        title: pick(rng, ['Acceptable use', 'Nutzungsbedingungen', 'Conditions d’utilisation']),
        bodyText: TERMS.repeat(intBetween(rng, 1, 40)),
        acceptanceStatement: 'I accept the terms of use.',
        version: intBetween(rng, 1, 6),
      };
    },
  },
} satisfies Record<string, Dataset>;
