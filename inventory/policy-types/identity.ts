/**
 * Registry entries of category `identity`: Entra Conditional Access, which every MSP baseline
 * includes beside Intune. Its conditions and controls are the policy itself and are never kept.
 */
import { type PolicyTypeDefinition } from './definition';

export const IDENTITY_TYPES = {
  conditionalAccessPolicy: {
    label: 'Conditional Access policies',
    category: 'identity',
    collectionPath: '/identity/conditionalAccess/policies',
    entityType: 'conditionalAccessPolicy',
    permission: 'Policy.Read.All', // graph/api/conditionalaccessroot-list-policies?view=graph-rest-beta
    apiVersion: 'beta',
    nameField: 'displayName',
    platform: { from: 'none' },
    metaKeys: ['description', 'createdDateTime', 'modifiedDateTime', 'state'],
    // "Identity protection and conditional access service limits": about 1 request per second per
    // tenant, often without Retry-After (learn.microsoft.com/graph/throttling-limits; REFERENCE.md).
    requestsPerSecond: 1,
  },
} as const satisfies Record<string, PolicyTypeDefinition>;
