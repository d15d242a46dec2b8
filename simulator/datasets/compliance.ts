/** Simulator datasets of compliance: device compliance policies and settings-catalog compliance. */
import { intBetween, pick, seededGuid } from '../random';
import { SCOPES, type Dataset } from './shared';

export const COMPLIANCE_DATASETS = {
  deviceCompliancePolicy: {
    collectionPath: '/deviceManagement/deviceCompliancePolicies',
    assignments: { entityType: 'deviceCompliancePolicyAssignment', expand: 'served', targets: 'intune' },
    inV1: true,
    service: 'intune',
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
  compliancePolicy: {
    collectionPath: '/deviceManagement/compliancePolicies',
    assignments: { entityType: 'deviceManagementConfigurationPolicyAssignment', targets: 'intune' },
    inV1: false,
    service: 'intune',
    nameProperty: 'name',
    scopes: SCOPES.configuration,
    noun: 'compliance policy (settings catalog)',
    odataTypes: null,
    make(rng) {
      const settingCount = intBetween(rng, 1, 25);
      return {
        platforms: pick(rng, ['windows10', 'windows10', 'macOS', 'iOS', 'android', 'linux']),
        technologies: pick(rng, ['mdm', 'linuxMdm', 'mdm,microsoftSense']),
        settingCount,
        isAssigned: rng() < 0.7,
        creationSource: null,
        // `settings` is a navigation property: what an `$expand=settings` would bring.
        settings: Array.from({ length: Math.min(settingCount, 10) }, (_, i) => ({
          id: String(i),
          settingInstance: {
            '@odata.type': '#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance',
            settingDefinitionId: `linux_customcompliance_rule_${i}`,
            simpleSettingValue: { value: `expected-${seededGuid(rng)}` },
          },
        })),
      };
    },
  },
} satisfies Record<string, Dataset>;
