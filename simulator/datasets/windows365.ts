/** Simulator datasets of Windows 365: Cloud PC provisioning policies and user settings. */
import { intBetween, pick, seededGuid } from '../random';
import { SCOPES, type Dataset } from './shared';

export const WINDOWS365_DATASETS = {
  cloudPcProvisioningPolicy: {
    collectionPath: '/deviceManagement/virtualEndpoint/provisioningPolicies',
    assignments: { entityType: 'cloudPcProvisioningPolicyAssignment', targets: 'cloudPc' },
    // graph/api/virtualendpoint-list-provisioningpolicies?view=graph-rest-1.0
    inV1: true,
    service: 'windows365',
    nameProperty: 'displayName',
    scopes: SCOPES.cloudPc,
    noun: 'provisioning policy',
    odataTypes: null,
    make(rng) {
      const gallery = rng() < 0.7;
      return {
        provisioningType: pick(rng, ['dedicated', 'dedicated', 'shared']),
        imageType: gallery ? 'gallery' : 'custom',
        imageId: gallery
          ? 'microsoftwindowsdesktop_windows-ent-cpc_win11-24h2-ent-cpc-m365'
          : seededGuid(rng),
        imageDisplayName: gallery
          ? 'Windows 11 Enterprise + Microsoft 365 Apps 24H2'
          : 'Contoso golden image',
        managedBy: 'windows365',
        enableSingleSignOn: rng() < 0.8,
        localAdminEnabled: rng() < 0.2,
        cloudPcNamingTemplate: pick(rng, ['CPC-%USERNAME:5%-%RAND:5%', 'W365-%RAND:8%']),
        userExperienceType: pick(rng, ['cloudPc', 'cloudPc', 'cloudApp']),
        gracePeriodInHours: 48,
        scopeIds: rng() < 0.7 ? ['0'] : ['0', String(intBetween(rng, 1, 9))],
        domainJoinConfigurations: [
          {
            domainJoinType: 'azureADJoin',
            onPremisesConnectionId: null,
            regionName: 'automatic',
            regionGroup: 'europeUnion',
          },
        ],
        windowsSetting: { locale: pick(rng, ['en-US', 'de-DE', 'ja-JP']) },
      };
    },
  },
  cloudPcUserSetting: {
    collectionPath: '/deviceManagement/virtualEndpoint/userSettings',
    assignments: { entityType: 'cloudPcUserSettingAssignment', targets: 'cloudPc' },
    inV1: true,
    service: 'windows365',
    nameProperty: 'displayName',
    scopes: SCOPES.cloudPc,
    noun: 'Cloud PC user setting',
    odataTypes: null,
    make(rng) {
      return {
        localAdminEnabled: rng() < 0.2,
        resetEnabled: rng() < 0.5,
        selfServiceEnabled: false,
        provisioningSourceType: pick(rng, ['image', 'snapshot']),
        restorePointSetting: {
          frequencyType: pick(rng, ['default', 'fourHours', 'twentyFourHours']),
          userRestoreEnabled: rng() < 0.5,
        },
        notificationSetting: { restartPromptsDisabled: false },
        crossRegionDisasterRecoverySetting: null,
      };
    },
  },
} satisfies Record<string, Dataset>;
