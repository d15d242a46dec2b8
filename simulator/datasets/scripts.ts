/**
 * Simulator datasets of scripts. Every item carries its script body (`scriptContent`,
 * `detectionScriptContent`, `remediationScriptContent`), which embeds a credential: the inventory
 * must never store it.
 */
import { intBetween, pick, seededGuid } from '../random';
import { SCOPES, secretScript, type Dataset } from './shared';

export const SCRIPT_DATASETS = {
  deviceManagementScript: {
    collectionPath: '/deviceManagement/deviceManagementScripts',
    assignments: { entityType: 'deviceManagementScriptAssignment', expand: 'served', targets: 'intune' },
    inV1: false,
    service: 'intune',
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
  deviceHealthScript: {
    collectionPath: '/deviceManagement/deviceHealthScripts',
    assignments: { entityType: 'deviceHealthScriptAssignment', expand: 'served', targets: 'intune' },
    inV1: false,
    service: 'intune',
    nameProperty: 'displayName',
    scopes: SCOPES.scripts,
    noun: 'remediation',
    odataTypes: null,
    make(rng) {
      return {
        publisher: pick(rng, ['Contoso IT', 'Microsoft', 'Fabrikam Managed Services']),
        version: String(intBetween(rng, 1, 9)),
        runAsAccount: pick(rng, ['system', 'user']),
        runAs32Bit: rng() < 0.2,
        enforceSignatureCheck: rng() < 0.3,
        deviceHealthScriptType: pick(rng, [
          'deviceHealthScript',
          'deviceHealthScript',
          'managedInstallerScript',
        ]),
        isGlobalScript: rng() < 0.1,
        highestAvailableVersion: rng() < 0.1 ? String(intBetween(rng, 2, 9)) : null,
        detectionScriptContent: secretScript(rng, 'powershell'),
        remediationScriptContent: secretScript(rng, 'powershell'),
        detectionScriptParameters: [
          {
            '@odata.type': '#microsoft.graph.deviceHealthScriptStringParameter',
            name: 'ApiKey',
            description: '',
            isRequired: true,
            applyDefaultValueWhenNotAssigned: false,
            defaultValue: `key-${seededGuid(rng)}`,
          },
        ],
        remediationScriptParameters: [],
      };
    },
  },
  deviceComplianceScript: {
    collectionPath: '/deviceManagement/deviceComplianceScripts',
    assignments: { entityType: 'deviceHealthScriptAssignment', targets: 'intune' },
    inV1: false,
    service: 'intune',
    nameProperty: 'displayName',
    scopes: SCOPES.scripts,
    noun: 'compliance script',
    odataTypes: null,
    make(rng) {
      return {
        publisher: pick(rng, ['Contoso IT', 'Fabrikam Managed Services']),
        version: String(intBetween(rng, 1, 5)),
        runAsAccount: pick(rng, ['system', 'user']),
        runAs32Bit: rng() < 0.2,
        enforceSignatureCheck: rng() < 0.3,
        detectionScriptContent: secretScript(rng, 'powershell'),
      };
    },
  },
  deviceShellScript: {
    collectionPath: '/deviceManagement/deviceShellScripts',
    assignments: { entityType: 'deviceManagementScriptAssignment', targets: 'intune' },
    inV1: false,
    service: 'intune',
    nameProperty: 'displayName',
    scopes: SCOPES.scripts,
    noun: 'macOS shell script',
    odataTypes: null,
    make(rng) {
      return {
        runAsAccount: pick(rng, ['system', 'user']),
        fileName: `configure-${intBetween(rng, 1, 999)}.sh`,
        executionFrequency: pick(rng, ['PT0S', 'PT15M', 'PT1H', 'P1D', 'P7D']),
        retryCount: intBetween(rng, 0, 3),
        blockExecutionNotifications: rng() < 0.5,
        scriptContent: secretScript(rng, 'sh'),
      };
    },
  },
  deviceCustomAttributeShellScript: {
    collectionPath: '/deviceManagement/deviceCustomAttributeShellScripts',
    assignments: { entityType: 'deviceManagementScriptAssignment', targets: 'intune' },
    inV1: false,
    service: 'intune',
    nameProperty: 'displayName',
    scopes: SCOPES.scripts,
    noun: 'custom attribute',
    odataTypes: null,
    make(rng) {
      return {
        runAsAccount: pick(rng, ['system', 'user']),
        fileName: `attribute-${intBetween(rng, 1, 999)}.sh`,
        customAttributeName: pick(rng, [
          'FileVaultStatus',
          'BatteryCycleCount',
          'LastBackup',
          'XProtectVersion',
        ]),
        customAttributeType: pick(rng, ['string', 'integer', 'dateTime']),
        scriptContent: secretScript(rng, 'sh'),
      };
    },
  },
} satisfies Record<string, Dataset>;
