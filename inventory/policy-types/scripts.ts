/**
 * Registry entries of category `scripts`. Script bodies (`scriptContent`, `detectionScriptContent`,
 * `remediationScriptContent`) and script parameters are never kept: they are the scripts
 * themselves and may embed credentials. Microsoft has required `DeviceManagementScripts.Read.All`
 * for every script collection since mid-2025 (REFERENCE.md "Permissions": Intune what's new, week
 * of 2025-07-28).
 */
import { type PolicyTypeDefinition } from './definition';

export const SCRIPT_TYPES = {
  deviceManagementScript: {
    label: 'PowerShell scripts',
    category: 'scripts',
    collectionPath: '/deviceManagement/deviceManagementScripts',
    entityType: 'deviceManagementScript',
    assignments: 'expand',
    permission: 'DeviceManagementScripts.Read.All', // graph/api/intune-shared-devicemanagementscript-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { fixed: 'windows' },
    metaKeys: [
      'description',
      'createdDateTime',
      'lastModifiedDateTime',
      'roleScopeTagIds',
      'runAsAccount',
      'fileName',
      'enforceSignatureCheck',
      'runAs32Bit',
    ],
  },
  deviceHealthScript: {
    label: 'Remediations (device health scripts)',
    category: 'scripts',
    collectionPath: '/deviceManagement/deviceHealthScripts',
    entityType: 'deviceHealthScript',
    assignments: 'expand',
    permission: 'DeviceManagementScripts.Read.All', // graph/api/intune-devices-devicehealthscript-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { fixed: 'windows' },
    metaKeys: [
      'description',
      'createdDateTime',
      'lastModifiedDateTime',
      'version',
      'roleScopeTagIds',
      'publisher',
      'runAsAccount',
      'runAs32Bit',
      'enforceSignatureCheck',
      'deviceHealthScriptType',
      'isGlobalScript',
      'highestAvailableVersion',
    ],
  },
  deviceComplianceScript: {
    label: 'Custom compliance discovery scripts',
    category: 'scripts',
    collectionPath: '/deviceManagement/deviceComplianceScripts',
    entityType: 'deviceComplianceScript',
    assignments: 'perItem',
    permission: 'DeviceManagementScripts.Read.All', // graph/api/intune-devices-devicecompliancescript-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    // "PowerShell Compliance scripts (detection) on the enrolled windows 10 … devices"
    // (graph/api/resources/intune-devices-devicecompliancescript?view=graph-rest-beta).
    platform: { fixed: 'windows' },
    metaKeys: [
      'description',
      'createdDateTime',
      'lastModifiedDateTime',
      'version',
      'roleScopeTagIds',
      'publisher',
      'runAsAccount',
      'runAs32Bit',
      'enforceSignatureCheck',
    ],
  },
  deviceShellScript: {
    label: 'macOS shell scripts',
    category: 'scripts',
    collectionPath: '/deviceManagement/deviceShellScripts',
    entityType: 'deviceShellScript',
    assignments: 'perItem',
    permission: 'DeviceManagementScripts.Read.All', // graph/api/intune-devices-deviceshellscript-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { fixed: 'macos' },
    metaKeys: [
      'description',
      'createdDateTime',
      'lastModifiedDateTime',
      'roleScopeTagIds',
      'runAsAccount',
      'fileName',
      'executionFrequency',
      'retryCount',
      'blockExecutionNotifications',
    ],
  },
  deviceCustomAttributeShellScript: {
    label: 'macOS custom attributes',
    category: 'scripts',
    collectionPath: '/deviceManagement/deviceCustomAttributeShellScripts',
    entityType: 'deviceCustomAttributeShellScript',
    assignments: 'perItem',
    permission: 'DeviceManagementScripts.Read.All', // graph/api/intune-devices-devicecustomattributeshellscript-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { fixed: 'macos' },
    metaKeys: [
      'description',
      'createdDateTime',
      'lastModifiedDateTime',
      'roleScopeTagIds',
      'runAsAccount',
      'fileName',
      'customAttributeName',
      'customAttributeType',
    ],
  },
} as const satisfies Record<string, PolicyTypeDefinition>;
