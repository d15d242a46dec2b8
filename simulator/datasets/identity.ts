/**
 * Simulator datasets of Entra: Conditional Access policies. Their `conditions`, `grantControls`
 * and `sessionControls` are the policy itself: the inventory must never store them.
 */
import { pick, seededGuid } from '../random';
import { dayAfterBase, SCOPES, type Dataset } from './shared';

export const IDENTITY_DATASETS = {
  conditionalAccessPolicy: {
    collectionPath: '/identity/conditionalAccess/policies',
    // graph/api/conditionalaccessroot-list-policies?view=graph-rest-1.0
    inV1: true,
    service: 'entra',
    nameProperty: 'displayName',
    scopes: SCOPES.conditionalAccess,
    noun: 'Conditional Access policy',
    odataTypes: null,
    make(rng) {
      return {
        state: pick(rng, ['enabled', 'enabled', 'disabled', 'enabledForReportingButNotEnforced']),
        modifiedDateTime: rng() < 0.3 ? null : dayAfterBase(rng, 100, 800),
        conditions: {
          users: {
            includeUsers: ['All'],
            excludeUsers: [seededGuid(rng)],
            includeGroups: [],
            excludeGroups: [],
          },
          applications: { includeApplications: ['All'], excludeApplications: [] },
          clientAppTypes: ['all'],
        },
        grantControls: {
          operator: 'OR',
          builtInControls: [pick(rng, ['mfa', 'compliantDevice', 'block'])],
          customAuthenticationFactors: [],
          termsOfUse: [],
        },
        sessionControls: null,
      };
    },
  },
} satisfies Record<string, Dataset>;
