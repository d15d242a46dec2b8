/**
 * Simulator datasets of tenant administration: scope tags, roles and their assignments,
 * notification templates, multi-admin approval, reusable settings and imported ADMX files. A
 * reusable setting's `settingInstance` carries a certificate and an ADMX file its `content`: the
 * inventory must never store them.
 */
import { intBetween, pick, seededGuid } from '../random';
import { base64Blob, dayAfterBase, SCOPES, type Dataset } from './shared';

/** Names of scope tags after Default, numbered by id so a tag's name says which id it has. */
const SCOPE_TAG_NAMES = ['Finance', 'Zürich Büro', 'Kiosks – Łódź', '北京办公室', 'Field staff', 'Αθήνα'];

export const TENANT_ADMINISTRATION_DATASETS = {
  roleScopeTag: {
    collectionPath: '/deviceManagement/roleScopeTags',
    assignments: { entityType: 'roleScopeTagAutoAssignment', targets: 'includedGroups' },
    inV1: false,
    service: 'intune',
    nameProperty: 'displayName',
    scopes: SCOPES.configurationOrRbac,
    noun: 'scope tag',
    odataTypes: null,
    // Intune numbers scope tags: "0" is the built-in Default, which every object carries, then
    // "1", "2", … (graph/api/resources/intune-rbac-rolescopetag?view=graph-rest-beta), the ids
    // the other collections' roleScopeTagIds name.
    make(_rng, _odataType, index) {
      return index === 0
        ? { id: '0', displayName: 'Default', isBuiltIn: true }
        : {
            id: String(index),
            displayName: `${SCOPE_TAG_NAMES[(index - 1) % SCOPE_TAG_NAMES.length]} ${index}`,
            isBuiltIn: false,
          };
    },
  },
  roleDefinition: {
    collectionPath: '/deviceManagement/roleDefinitions',
    inV1: true,
    service: 'intune',
    nameProperty: 'displayName',
    scopes: SCOPES.rbac,
    noun: 'Intune role',
    // Intune's role definitions are served as the device-and-app-management subtype.
    odataTypes: ['#microsoft.graph.deviceAndAppManagementRoleDefinition'],
    make(rng) {
      const builtIn = rng() < 0.3;
      return {
        isBuiltIn: builtIn,
        isBuiltInRoleDefinition: builtIn,
        permissions: [],
        rolePermissions: [
          {
            resourceActions: [
              {
                allowedResourceActions: pick(rng, [
                  ['Microsoft.Intune_DeviceConfigurations_Read'],
                  ['Microsoft.Intune_MobileApps_Read', 'Microsoft.Intune_MobileApps_Assign'],
                  ['Microsoft.Intune_ManagedDevices_Read', 'Microsoft.Intune_RemoteTasks_Wipe'],
                ]),
                notAllowedResourceActions: [],
              },
            ],
          },
        ],
      };
    },
  },
  roleAssignment: {
    collectionPath: '/deviceManagement/roleAssignments',
    inV1: true,
    service: 'intune',
    nameProperty: 'displayName',
    scopes: SCOPES.rbac,
    noun: 'role assignment',
    odataTypes: null,
    make(rng) {
      return {
        scopeType: pick(rng, ['resourceScope', 'resourceScope', 'allDevices', 'allLicensedUsers']),
        members: Array.from({ length: intBetween(rng, 1, 3) }, () => seededGuid(rng)),
        resourceScopes: Array.from({ length: intBetween(rng, 0, 3) }, () => seededGuid(rng)),
        scopeMembers: [],
      };
    },
  },
  notificationMessageTemplate: {
    collectionPath: '/deviceManagement/notificationMessageTemplates',
    inV1: true,
    service: 'intune',
    nameProperty: 'displayName',
    scopes: SCOPES.configuration,
    noun: 'notification template',
    odataTypes: null,
    make(rng) {
      return {
        defaultLocale: pick(rng, ['en-us', 'de-de', 'fr-fr', 'ja-jp']),
        brandingOptions: pick(rng, [
          'none',
          'includeCompanyLogo',
          'includeCompanyLogo,includeCompanyName',
          'includeCompanyLogo,includeCompanyName,includeContactInformation',
        ]),
      };
    },
  },
  operationApprovalPolicy: {
    collectionPath: '/deviceManagement/operationApprovalPolicies',
    inV1: false,
    service: 'intune',
    nameProperty: 'displayName',
    scopes: SCOPES.configurationOrRbac,
    noun: 'approval policy',
    odataTypes: null,
    make(rng) {
      const policyType = pick(rng, [
        'deviceWipe',
        'deviceRetire',
        'app',
        'script',
        'role',
        'configurationPolicy',
      ]);
      const policyPlatform = pick(rng, [
        'notApplicable',
        'windows10AndLater',
        'iOSiPadOS',
        'macOS',
        'androidEnterprise',
      ]);
      return {
        policyType,
        policyPlatform,
        policySet: { policyType, policyPlatform },
        approverGroupIds: [seededGuid(rng)],
      };
    },
  },
  reusablePolicySetting: {
    collectionPath: '/deviceManagement/reusablePolicySettings',
    inV1: false,
    service: 'intune',
    nameProperty: 'displayName',
    scopes: SCOPES.configuration,
    noun: 'reusable setting',
    odataTypes: null,
    make(rng) {
      const settingDefinitionId = pick(rng, [
        'vendor_msft_firewall_mdmstore_firewallrules_{firewallrulename}_remoteaddressdynamickeywords',
        'device_vendor_msft_policy_config_defender_attacksurfacereductiononlyexclusions',
        'vendor_msft_certificatestore_trustedrootca_certificate',
      ]);
      return {
        settingDefinitionId,
        version: intBetween(rng, 1, 8),
        referencingConfigurationPolicyCount: intBetween(rng, 0, 6),
        settingInstance: {
          '@odata.type': '#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance',
          settingDefinitionId,
          simpleSettingValue: {
            '@odata.type': '#microsoft.graph.deviceManagementConfigurationStringSettingValue',
            // A certificate blob, as trusted-root reusable settings carry.
            value: base64Blob(rng, 512, 2_048),
          },
        },
      };
    },
  },
  groupPolicyUploadedDefinitionFile: {
    collectionPath: '/deviceManagement/groupPolicyUploadedDefinitionFiles',
    inV1: false,
    service: 'intune',
    nameProperty: 'displayName',
    scopes: SCOPES.configuration,
    noun: 'ADMX file',
    odataTypes: null,
    make(rng) {
      const prefix = pick(rng, ['contoso', 'chrome', 'firefox', 'zoom']);
      return {
        fileName: `${prefix}.admx`,
        status: pick(rng, ['available', 'available', 'uploadInProgress', 'uploadFailed']),
        uploadDateTime: dayAfterBase(rng, 0, 700),
        defaultLanguageCode: 'en-US',
        languageCodes: ['en-US', 'de-DE'],
        targetPrefix: prefix,
        targetNamespace: `${prefix}.Policies`,
        policyType: 'admxIngested',
        revision: `1.${intBetween(rng, 0, 9)}`,
        content: base64Blob(rng, 1_024, 8_192),
        groupPolicyUploadedLanguageFiles: [
          { fileName: `${prefix}.adml`, languageCode: 'en-US', content: base64Blob(rng, 512, 4_096) },
        ],
      };
    },
  },
} satisfies Record<string, Dataset>;
