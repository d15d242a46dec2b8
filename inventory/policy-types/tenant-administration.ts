/**
 * Registry entries of category `tenantAdministration`: Intune roles and scope tags, notification
 * templates, multi-admin approval, reusable settings and uploaded ADMX files. Role permissions,
 * setting instances (which can hold certificates) and uploaded file content are never kept.
 */
import { type PolicyTypeDefinition } from './definition';

export const TENANT_ADMINISTRATION_TYPES = {
  roleScopeTag: {
    label: 'Scope tags',
    category: 'tenantAdministration',
    collectionPath: '/deviceManagement/roleScopeTags',
    entityType: 'roleScopeTag',
    assignments: 'perItem',
    // The page names DeviceManagementConfiguration.Read.All first; DeviceManagementRBAC.Read.All
    // reads the collection too.
    permission: 'DeviceManagementConfiguration.Read.All', // graph/api/intune-rbac-rolescopetag-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { from: 'none' },
    metaKeys: ['description', 'isBuiltIn'],
  },
  roleDefinition: {
    label: 'Intune roles',
    category: 'tenantAdministration',
    collectionPath: '/deviceManagement/roleDefinitions',
    entityType: 'roleDefinition',
    permission: 'DeviceManagementRBAC.Read.All', // graph/api/intune-rbac-roledefinition-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { from: 'none' },
    // Not `rolePermissions`/`permissions`: the allowed resource actions, a payload of their own.
    metaKeys: ['description', 'roleScopeTagIds', 'isBuiltIn', 'isBuiltInRoleDefinition'],
  },
  roleAssignment: {
    label: 'Intune role assignments',
    category: 'tenantAdministration',
    collectionPath: '/deviceManagement/roleAssignments',
    entityType: 'deviceAndAppManagementRoleAssignment',
    permission: 'DeviceManagementRBAC.Read.All', // graph/api/intune-rbac-deviceandappmanagementroleassignment-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { from: 'none' },
    metaKeys: ['description', 'roleScopeTagIds', 'scopeType', 'members', 'resourceScopes'],
  },
  notificationMessageTemplate: {
    label: 'Compliance notification templates',
    category: 'tenantAdministration',
    collectionPath: '/deviceManagement/notificationMessageTemplates',
    entityType: 'notificationMessageTemplate',
    permission: 'DeviceManagementConfiguration.Read.All', // graph/api/intune-notification-notificationmessagetemplate-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { from: 'none' },
    metaKeys: ['description', 'lastModifiedDateTime', 'roleScopeTagIds', 'defaultLocale', 'brandingOptions'],
  },
  operationApprovalPolicy: {
    label: 'Multi-admin approval policies',
    category: 'tenantAdministration',
    collectionPath: '/deviceManagement/operationApprovalPolicies',
    entityType: 'operationApprovalPolicy',
    // The page names DeviceManagementConfiguration.Read.All first; DeviceManagementRBAC.Read.All
    // reads the collection too.
    permission: 'DeviceManagementConfiguration.Read.All', // graph/api/intune-rbac-operationapprovalpolicy-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { from: 'field', field: 'policyPlatform' },
    metaKeys: ['description', 'lastModifiedDateTime', 'policyType', 'policyPlatform', 'approverGroupIds'],
  },
  reusablePolicySetting: {
    label: 'Reusable policy settings',
    category: 'tenantAdministration',
    collectionPath: '/deviceManagement/reusablePolicySettings',
    entityType: 'deviceManagementReusablePolicySetting',
    permission: 'DeviceManagementConfiguration.Read.All', // graph/api/intune-deviceconfigv2-devicemanagementreusablepolicysetting-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { from: 'none' },
    // Never `settingInstance`: it holds the value itself, certificates included.
    metaKeys: [
      'description',
      'createdDateTime',
      'lastModifiedDateTime',
      'version',
      'settingDefinitionId',
      'referencingConfigurationPolicyCount',
    ],
  },
  groupPolicyUploadedDefinitionFile: {
    label: 'Imported ADMX files',
    category: 'tenantAdministration',
    collectionPath: '/deviceManagement/groupPolicyUploadedDefinitionFiles',
    entityType: 'groupPolicyUploadedDefinitionFile',
    permission: 'DeviceManagementConfiguration.Read.All', // graph/api/intune-grouppolicy-grouppolicyuploadeddefinitionfile-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { fixed: 'windows' },
    // Never `content` nor `groupPolicyUploadedLanguageFiles`: the uploaded ADMX/ADML files.
    metaKeys: [
      'description',
      'lastModifiedDateTime',
      'fileName',
      'status',
      'uploadDateTime',
      'defaultLanguageCode',
      'languageCodes',
      'targetPrefix',
      'targetNamespace',
      'policyType',
      'revision',
    ],
  },
} as const satisfies Record<string, PolicyTypeDefinition>;
