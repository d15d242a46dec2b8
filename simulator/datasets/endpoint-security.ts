/** Simulator datasets of endpoint security. */
import { seededGuid } from '../random';
import { SCOPES, type Dataset } from './shared';

export const ENDPOINT_SECURITY_DATASETS = {
  endpointSecurityIntent: {
    collectionPath: '/deviceManagement/intents',
    assignments: { entityType: 'deviceManagementIntentAssignment', expand: 'empty', targets: 'intune' },
    inV1: false,
    service: 'intune',
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
} satisfies Record<string, Dataset>;
