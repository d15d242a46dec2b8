/** Simulator datasets of device configuration: profiles, settings catalog, administrative templates. */
import { intBetween, pick, seededGuid } from '../random';
import { base64Blob, SCOPES, type Dataset } from './shared';

export const CONFIGURATION_DATASETS = {
  deviceConfiguration: {
    collectionPath: '/deviceManagement/deviceConfigurations',
    assignments: {
      entityType: 'deviceConfigurationAssignment',
      expand: 'served',
      targets: 'intuneAndCollections',
    },
    inV1: true,
    service: 'intune',
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
  settingsCatalogPolicy: {
    collectionPath: '/deviceManagement/configurationPolicies',
    assignments: {
      entityType: 'deviceManagementConfigurationPolicyAssignment',
      expand: 'served',
      targets: 'intuneAndCollections',
    },
    inV1: false,
    service: 'intune',
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
    assignments: { entityType: 'groupPolicyConfigurationAssignment', expand: 'served', targets: 'intune' },
    inV1: false,
    service: 'intune',
    nameProperty: 'displayName',
    scopes: SCOPES.configuration,
    noun: 'administrative template',
    odataTypes: null,
    make(rng) {
      return { policyConfigurationIngestionType: pick(rng, ['builtIn', 'custom', 'mixed', 'unknown']) };
    },
  },
} satisfies Record<string, Dataset>;
