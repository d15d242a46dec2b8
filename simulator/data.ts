/**
 * The simulator's datasets: per collection it serves, its own facts (collection path, name
 * property, whether Graph also has it under v1.0, the scopes Graph's 403 names) and synthetic
 * Intune objects shaped like what Graph beta returns: realistic `@odata.type`s (only on
 * polymorphic collections, as in Graph), GUID ids, unicode names, varying sizes, and the payload
 * keys that must never be stored (`scriptContent`, `omaSettings[].value`, `secretReferenceValueId`,
 * `settings`, `preSharedKey`, …). Nothing here comes from the policy type registry: a registry
 * entry with a wrong path or field must fail against these datasets as it fails against Graph.
 * Which properties an item may carry is Graph's metadata (simulator/graph-metadata.ts; checked by
 * test/unit/simulator-datasets.test.ts). Everything is drawn from a seeded RNG, so a tenant's data
 * is reproducible from its seed.
 */
import { type PolicyType } from '../inventory/policy-types';
import { elementTypeOf, selectableProperties } from './graph-metadata';
import { intBetween, pick, seededGuid, type Rng } from './random';

export type RawItem = Record<string, unknown> & { id: string };

/**
 * A dataset's name: the registry key strings, because fault rules, tenant specs and the admin API
 * address datasets by them. The name is all the simulator shares with the registry.
 */
export type DatasetName = PolicyType;

/** Scopes Graph lists in its 403 for each family of Intune collections. */
const SCOPES = {
  // srozemuller/IntuneAssistant#6, jseerden/IntuneBackupAndRestore#55.
  configuration: ['DeviceManagementConfiguration.Read.All', 'DeviceManagementConfiguration.ReadWrite.All'],
  // Microsoft365DSC/Microsoft365DSC#6567 (apps).
  apps: ['DeviceManagementApps.Read.All', 'DeviceManagementApps.ReadWrite.All'],
  // maester365/maester#1395 and dotraphael/RFL.Microsoft.Intune#1, verbatim, old names included.
  serviceConfig: [
    'DeviceManagementServiceConfiguration.Read.All',
    'DeviceManagementServiceConfig.Read.All',
    'DeviceManagementServiceConfiguration.ReadWrite.All',
    'DeviceManagementServiceConfig.ReadWrite.All',
  ],
  // Required since mid-2025 (REFERENCE.md "Permissions"); the application row of
  // learn.microsoft.com/graph/api/intune-shared-devicemanagementscript-list?view=graph-rest-beta.
  scripts: ['DeviceManagementScripts.Read.All', 'DeviceManagementScripts.ReadWrite.All'],
} as const;

export interface Dataset {
  /** Collection path below the API version; must exist in Graph's beta metadata. */
  readonly collectionPath: string;
  /** Whether Graph also serves the collection under /v1.0 (REFERENCE.md); else beta only. */
  readonly inV1: boolean;
  /** The property holding an item's human name. */
  readonly nameProperty: string;
  /** What Graph's 403 lists after "Application must have one of the following scopes:". */
  readonly scopes: readonly string[];
  /** Derived types served by the collection; null for collections Graph returns without `@odata.type`. */
  readonly odataTypes: readonly string[] | null;
  /** Word used in generated names. */
  readonly noun: string;
  /** Type-specific properties for one item; `odataType` is the chosen derived type, if any. */
  make(rng: Rng, odataType: string | null): Record<string, unknown>;
}

const NAME_PREFIXES = [
  'Contoso',
  'Fabrikam',
  'Müller GmbH',
  'Société Générale',
  'Zürich Büro',
  'Tōkyō 東京',
  'Ærøskøbing',
  'Αθήνα',
  'Москва',
  '北京办公室',
  'São Paulo',
  'Kraków – Łódź',
  'Secure 🛡️',
  'İstanbul',
] as const;

const LOREM =
  'Managed by the endpoint team. Applies the corporate baseline to enrolled devices; review quarterly. ' +
  'Änderungen nur nach Freigabe. Ne pas modifier sans ticket. 変更は承認後に行うこと。 ';

const BASE_TIME = Date.UTC(2023, 0, 1);
const DAY_MS = 86_400_000;

function isoDate(ms: number): string {
  return new Date(ms).toISOString();
}

function description(rng: Rng): string {
  const roll = rng();
  if (roll < 0.2) return '';
  // A few long descriptions, beyond what the catalog stores, exercise bounding.
  const length = roll > 0.95 ? intBetween(rng, 1_200, 3_000) : intBetween(rng, 10, 300);
  return LOREM.repeat(Math.ceil(length / LOREM.length)).slice(0, length);
}

function base64Blob(rng: Rng, minBytes: number, maxBytes: number): string {
  const bytes = Buffer.alloc(intBetween(rng, minBytes, maxBytes));
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(rng() * 256);
  return bytes.toString('base64');
}

function scopeTags(rng: Rng): string[] {
  return rng() < 0.7 ? ['0'] : ['0', String(intBetween(rng, 1, 9))];
}

const DATASETS: Record<DatasetName, Dataset> = {
  deviceConfiguration: {
    collectionPath: '/deviceManagement/deviceConfigurations',
    inV1: true,
    nameProperty: 'displayName',
    scopes: SCOPES.configuration,
    noun: 'configuration profile',
    odataTypes: [
      '#microsoft.graph.windows10GeneralConfiguration',
      '#microsoft.graph.windows10EndpointProtectionConfiguration',
      '#microsoft.graph.windows10CustomConfiguration',
      '#microsoft.graph.windowsWifiConfiguration',
      '#microsoft.graph.iosGeneralDeviceConfiguration',
      '#microsoft.graph.iosDeviceFeaturesConfiguration',
      '#microsoft.graph.macOSGeneralDeviceConfiguration',
      '#microsoft.graph.macOSCustomConfiguration',
      '#microsoft.graph.androidWorkProfileGeneralDeviceConfiguration',
    ],
    make(rng, odataType) {
      const extra: Record<string, unknown> = {
        version: intBetween(rng, 1, 12),
        supportsScopeTags: true,
        deviceManagementApplicabilityRuleOsEdition: null,
      };
      if (odataType?.endsWith('windows10CustomConfiguration')) {
        extra.omaSettings = Array.from({ length: intBetween(rng, 1, 30) }, (_, i) => ({
          '@odata.type': '#microsoft.graph.omaSettingString',
          displayName: `Setting ${i + 1}`,
          omaUri: `./Device/Vendor/MSFT/Policy/Config/Custom/Setting${i + 1}`,
          value: `secret-value-${seededGuid(rng)}`,
          secretReferenceValueId: seededGuid(rng),
          isEncrypted: true,
        }));
      } else if (odataType?.endsWith('windowsWifiConfiguration')) {
        extra.ssid = `corp-${intBetween(rng, 1, 99)}`;
        extra.preSharedKey = `psk-${seededGuid(rng)}`;
      } else if (odataType?.endsWith('macOSCustomConfiguration')) {
        extra.payloadFileName = 'profile.mobileconfig';
        extra.payload = base64Blob(rng, 512, 8_192);
      } else if (odataType?.endsWith('iosGeneralDeviceConfiguration')) {
        extra.passcodeRequired = rng() < 0.8;
      } else if (odataType?.endsWith('iosDeviceFeaturesConfiguration')) {
        extra.lockScreenFootnote = rng() < 0.8 ? 'Property of Contoso' : null;
      } else if (odataType?.endsWith('EndpointProtectionConfiguration')) {
        extra.firewallBlockStatefulFTP = rng() < 0.5;
      } else if (odataType?.endsWith('androidWorkProfileGeneralDeviceConfiguration')) {
        extra.passwordRequiredType = rng() < 0.8 ? 'atLeastNumeric' : 'deviceDefault';
      } else {
        extra.passwordRequired = rng() < 0.8;
      }
      return extra;
    },
  },
  deviceCompliancePolicy: {
    collectionPath: '/deviceManagement/deviceCompliancePolicies',
    inV1: true,
    nameProperty: 'displayName',
    scopes: SCOPES.configuration,
    noun: 'compliance policy',
    odataTypes: [
      '#microsoft.graph.windows10CompliancePolicy',
      '#microsoft.graph.iosCompliancePolicy',
      '#microsoft.graph.macOSCompliancePolicy',
      '#microsoft.graph.androidWorkProfileCompliancePolicy',
      '#microsoft.graph.androidDeviceOwnerCompliancePolicy',
      '#microsoft.graph.aospDeviceOwnerCompliancePolicy',
    ],
    make(rng, odataType) {
      return {
        version: intBetween(rng, 1, 8),
        // iOS calls it a passcode.
        [odataType?.endsWith('iosCompliancePolicy') ? 'passcodeRequired' : 'passwordRequired']: rng() < 0.9,
        osMinimumVersion: pick(rng, ['10.0.19045', '17.0', '14.0', '13.0', null]),
      };
    },
  },
  settingsCatalogPolicy: {
    collectionPath: '/deviceManagement/configurationPolicies',
    inV1: false,
    nameProperty: 'name',
    scopes: SCOPES.configuration,
    noun: 'settings catalog policy',
    odataTypes: null,
    make(rng) {
      const family = pick(rng, [
        'none',
        'none',
        'none',
        'baseline',
        'endpointSecurityAntivirus',
        'endpointSecurityFirewall',
        'endpointSecurityEndpointDetectionAndResponse',
      ]);
      const settingCount = intBetween(rng, 1, 60);
      return {
        platforms: pick(rng, [
          'windows10',
          'windows10',
          'macOS',
          'iOS',
          'android',
          'linux',
          'windows10,macOS',
        ]),
        technologies: pick(rng, ['mdm', 'mdm,microsoftSense', 'linuxMdm', 'mdm,appleRemoteManagement']),
        settingCount,
        creationSource: null,
        isAssigned: rng() < 0.6,
        priorityMetaData: null,
        templateReference: {
          templateId: family === 'none' ? '' : `${seededGuid(rng)}_1`,
          templateFamily: family,
          templateDisplayName: family === 'none' ? null : `${family} template`,
          templateDisplayVersion: family === 'none' ? null : `Version ${intBetween(rng, 1, 4)}`,
        },
        settings: Array.from({ length: Math.min(settingCount, 20) }, (_, i) => ({
          id: String(i),
          settingInstance: {
            '@odata.type': '#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance',
            settingDefinitionId: `device_vendor_msft_policy_config_setting_${i}`,
            simpleSettingValue: { value: `value-${seededGuid(rng)}` },
          },
        })),
      };
    },
  },
  groupPolicyConfiguration: {
    collectionPath: '/deviceManagement/groupPolicyConfigurations',
    inV1: false,
    nameProperty: 'displayName',
    scopes: SCOPES.configuration,
    noun: 'administrative template',
    odataTypes: null,
    make(rng) {
      return { policyConfigurationIngestionType: pick(rng, ['builtIn', 'custom', 'mixed', 'unknown']) };
    },
  },
  deviceManagementScript: {
    collectionPath: '/deviceManagement/deviceManagementScripts',
    inV1: false,
    nameProperty: 'displayName',
    scopes: SCOPES.scripts,
    noun: 'PowerShell script',
    odataTypes: null,
    make(rng) {
      const script =
        `# remediation script\n$password = "P@ss-${seededGuid(rng)}"\n` +
        'Write-Output "configured"\n'.repeat(intBetween(rng, 1, 200));
      return {
        scriptContent: Buffer.from(script, 'utf8').toString('base64'),
        runAsAccount: pick(rng, ['system', 'user']),
        enforceSignatureCheck: rng() < 0.3,
        fileName: `script-${intBetween(rng, 1, 999)}.ps1`,
        runAs32Bit: rng() < 0.2,
      };
    },
  },
  windowsAutopilotDeploymentProfile: {
    collectionPath: '/deviceManagement/windowsAutopilotDeploymentProfiles',
    inV1: false,
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
  mobileApp: {
    collectionPath: '/deviceAppManagement/mobileApps',
    inV1: true,
    nameProperty: 'displayName',
    scopes: SCOPES.apps,
    noun: 'app',
    odataTypes: [
      '#microsoft.graph.win32LobApp',
      '#microsoft.graph.winGetApp',
      '#microsoft.graph.officeSuiteApp',
      '#microsoft.graph.iosStoreApp',
      '#microsoft.graph.iosVppApp',
      '#microsoft.graph.androidManagedStoreApp',
      '#microsoft.graph.macOSLobApp',
      '#microsoft.graph.webApp',
    ],
    make(rng, odataType) {
      const extra: Record<string, unknown> = {
        publisher: pick(rng, ['Microsoft Corporation', 'Contoso Ltd.', 'Adobe', 'Mozilla', 'Zoom Video']),
        isFeatured: rng() < 0.1,
        privacyInformationUrl: null,
        informationUrl: null,
        owner: '',
        developer: '',
        notes: '',
        uploadState: 1,
        publishingState: pick(rng, ['published', 'published', 'processing', 'notPublished']),
        isAssigned: rng() < 0.7,
        dependentAppCount: 0,
        supersedingAppCount: 0,
        supersededAppCount: 0,
        // Icons make app pages much larger than other collections, as in real tenants.
        largeIcon: rng() < 0.6 ? { type: 'image/png', value: base64Blob(rng, 1_024, 12_288) } : null,
      };
      if (odataType?.endsWith('win32LobApp')) {
        extra.installCommandLine = 'setup.exe /quiet /norestart';
        extra.uninstallCommandLine = 'setup.exe /uninstall /quiet';
        extra.fileName = `package-${intBetween(rng, 1, 999)}.intunewin`;
        extra.size = intBetween(rng, 1_000_000, 900_000_000);
      } else if (odataType?.includes('ios')) {
        extra.bundleId = `com.contoso.app${intBetween(rng, 1, 999)}`;
      } else if (odataType?.endsWith('webApp')) {
        extra.appUrl = `https://apps.contoso.example/${intBetween(rng, 1, 999)}`;
      }
      return extra;
    },
  },
  appProtectionPolicy: {
    collectionPath: '/deviceAppManagement/managedAppPolicies',
    inV1: true,
    nameProperty: 'displayName',
    scopes: SCOPES.apps,
    noun: 'app protection policy',
    odataTypes: [
      '#microsoft.graph.iosManagedAppProtection',
      '#microsoft.graph.androidManagedAppProtection',
      '#microsoft.graph.windowsManagedAppProtection',
      '#microsoft.graph.mdmWindowsInformationProtectionPolicy',
      '#microsoft.graph.targetedManagedAppConfiguration',
    ],
    make(rng, odataType) {
      const pinRequired = rng() < 0.5;
      return {
        version: `"${intBetween(rng, 1, 30)}"`,
        isAssigned: rng() < 0.7,
        // Only the targetedManagedAppProtection family (iOS, Android) has a PIN setting.
        ...(/#microsoft\.graph\.(ios|android)ManagedAppProtection$/.test(odataType ?? '') && { pinRequired }),
      };
    },
  },
  endpointSecurityIntent: {
    collectionPath: '/deviceManagement/intents',
    inV1: false,
    nameProperty: 'displayName',
    scopes: SCOPES.configuration,
    noun: 'endpoint security policy',
    odataTypes: null,
    make(rng) {
      return {
        templateId: seededGuid(rng),
        isAssigned: rng() < 0.6,
        isMigratingToConfigurationPolicy: rng() < 0.1,
      };
    },
  },
  windowsFeatureUpdateProfile: {
    collectionPath: '/deviceManagement/windowsFeatureUpdateProfiles',
    inV1: false,
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
    inV1: false,
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
  enrollmentConfiguration: {
    collectionPath: '/deviceManagement/deviceEnrollmentConfigurations',
    inV1: true,
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
  assignmentFilter: {
    collectionPath: '/deviceManagement/assignmentFilters',
    inV1: false,
    nameProperty: 'displayName',
    scopes: SCOPES.configuration,
    noun: 'assignment filter',
    odataTypes: null,
    make(rng) {
      return {
        platform: pick(rng, [
          'windows10AndLater',
          'iOS',
          'macOS',
          'android',
          'androidForWork',
          'androidAOSP',
        ]),
        rule: pick(rng, [
          '(device.osVersion -startsWith "10.0.22")',
          '(device.manufacturer -eq "Microsoft")',
          '(device.deviceOwnership -eq "Corporate")',
        ]),
        assignmentFilterManagementType: pick(rng, ['devices', 'apps']),
        payloads: [],
      };
    },
  },
};

/** The dataset named `name`. */
export function dataset(name: DatasetName): Dataset {
  return DATASETS[name];
}

/** Every dataset with its name. */
export function datasets(): Array<[DatasetName, Dataset]> {
  return Object.entries(DATASETS) as Array<[DatasetName, Dataset]>;
}

/**
 * Generates one item of dataset `name`; `index` (0-based) only shapes the name, the RNG shapes
 * everything else. Common properties are set only where the item's type declares them in Graph's
 * metadata (intents have no `createdDateTime`; assignment filters name their scope tags
 * `roleScopeTags`), the RNG draws staying the same either way.
 */
export function generateItem(name: DatasetName, rng: Rng, index: number): RawItem {
  const shape = DATASETS[name];
  const id = seededGuid(rng);
  const odataType = shape.odataTypes === null ? null : pick(rng, shape.odataTypes);
  const declared = new Set(
    selectableProperties(odataType?.replace('#microsoft.graph.', '') ?? elementTypeOf(shape.collectionPath)),
  );
  const created = BASE_TIME + Math.floor(rng() * 700 * DAY_MS);
  const modified = created + Math.floor(rng() * 90 * DAY_MS);
  const itemName = `${pick(rng, NAME_PREFIXES)} – ${shape.noun} ${index + 1}`;
  const common: Record<string, unknown> = {
    description: description(rng),
    createdDateTime: isoDate(created),
    lastModifiedDateTime: isoDate(modified),
  };
  const tags = scopeTags(rng);
  common[declared.has('roleScopeTags') ? 'roleScopeTags' : 'roleScopeTagIds'] = tags;
  const item: RawItem = {
    ...(odataType !== null && { '@odata.type': odataType }),
    id,
    [shape.nameProperty]: itemName,
    ...Object.fromEntries(Object.entries(common).filter(([key]) => declared.has(key))),
  };
  return { ...item, ...shape.make(rng, odataType) };
}
