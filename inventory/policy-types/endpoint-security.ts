/** Registry entries of category `endpointSecurity`. */
import { type PolicyTypeDefinition } from './definition';

export const ENDPOINT_SECURITY_TYPES = {
  endpointSecurityIntent: {
    label: 'Endpoint security policies (intents)',
    category: 'endpointSecurity',
    collectionPath: '/deviceManagement/intents',
    entityType: 'deviceManagementIntent',
    assignments: 'perItem',
    permission: 'DeviceManagementConfiguration.Read.All', // graph/api/intune-deviceintent-devicemanagementintent-list?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { fixed: 'windows' },
    metaKeys: [
      'description',
      'lastModifiedDateTime',
      'roleScopeTagIds',
      'templateId',
      'isAssigned',
      'isMigratingToConfigurationPolicy',
    ],
  },
} as const satisfies Record<string, PolicyTypeDefinition>;
