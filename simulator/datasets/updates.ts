/** Simulator datasets of Windows updates: feature, quality (expedited), driver and quality policies. */
import { intBetween, pick } from '../random';
import { dayAfterBase, SCOPES, type Dataset } from './shared';

export const UPDATE_DATASETS = {
  windowsFeatureUpdateProfile: {
    collectionPath: '/deviceManagement/windowsFeatureUpdateProfiles',
    assignments: { entityType: 'windowsFeatureUpdateProfileAssignment', targets: 'groups' },
    inV1: false,
    service: 'intune',
    nameProperty: 'displayName',
    scopes: SCOPES.configuration,
    noun: 'feature update profile',
    odataTypes: null,
    make(rng) {
      const release = pick(rng, [
        ['Windows 11, version 24H2', '2026-10-13T00:00:00Z'],
        ['Windows 11, version 23H2', '2025-11-11T00:00:00Z'],
        ['Windows 10, version 22H2', '2025-10-14T00:00:00Z'],
      ] as const);
      return {
        featureUpdateVersion: release[0],
        deployableContentDisplayName: release[0],
        endOfSupportDate: release[1],
        installFeatureUpdatesOptional: false,
        rolloutSettings: {
          offerStartDateTimeInUTC: null,
          offerEndDateTimeInUTC: null,
          offerIntervalInDays: null,
        },
      };
    },
  },
  windowsQualityUpdateProfile: {
    collectionPath: '/deviceManagement/windowsQualityUpdateProfiles',
    assignments: { entityType: 'windowsQualityUpdateProfileAssignment', targets: 'groups' },
    inV1: false,
    service: 'intune',
    nameProperty: 'displayName',
    scopes: SCOPES.configuration,
    noun: 'quality update profile',
    odataTypes: null,
    make(rng) {
      const month = pick(rng, ['January', 'February', 'March', 'April', 'May', 'June']);
      return {
        releaseDateDisplayName: `${month} 2025`,
        deployableContentDisplayName: `${month} 2025 security update`,
        expeditedUpdateSettings: {
          qualityUpdateRelease: '2025-03-11T00:00:00Z',
          daysUntilForcedReboot: intBetween(rng, 0, 2),
        },
      };
    },
  },
  windowsDriverUpdateProfile: {
    collectionPath: '/deviceManagement/windowsDriverUpdateProfiles',
    assignments: { entityType: 'windowsDriverUpdateProfileAssignment', targets: 'groups' },
    inV1: false,
    service: 'intune',
    nameProperty: 'displayName',
    scopes: SCOPES.configuration,
    noun: 'driver update profile',
    odataTypes: null,
    make(rng) {
      const automatic = rng() < 0.5;
      return {
        approvalType: automatic ? 'automatic' : 'manual',
        deploymentDeferralInDays: automatic ? intBetween(rng, 0, 30) : null,
        newUpdates: intBetween(rng, 0, 20),
        deviceReporting: intBetween(rng, 0, 500),
        inventorySyncStatus: {
          lastSuccessfulSyncDateTime: dayAfterBase(rng, 600, 700),
          driverInventorySyncState: pick(rng, ['success', 'success', 'failure']),
        },
      };
    },
  },
  windowsQualityUpdatePolicy: {
    collectionPath: '/deviceManagement/windowsQualityUpdatePolicies',
    assignments: { entityType: 'windowsQualityUpdatePolicyAssignment', targets: 'groups' },
    inV1: false,
    service: 'intune',
    nameProperty: 'displayName',
    scopes: SCOPES.configuration,
    noun: 'quality update policy',
    odataTypes: null,
    make(rng) {
      return {
        hotpatchEnabled: rng() < 0.5,
        approvalSettings: [
          {
            windowsQualityUpdateCadence: 'monthly',
            windowsQualityUpdateCategory: 'security',
            approvalMethodType: 'automatic',
            deferredDeploymentInDay: intBetween(rng, 0, 14),
          },
        ],
      };
    },
  },
} satisfies Record<string, Dataset>;
