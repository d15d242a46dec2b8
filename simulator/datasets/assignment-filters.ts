/** Simulator datasets of assignment filters. */
import { pick } from '../random';
import { SCOPES, type Dataset } from './shared';

export const ASSIGNMENT_FILTER_DATASETS = {
  assignmentFilter: {
    collectionPath: '/deviceManagement/assignmentFilters',
    inV1: false,
    service: 'intune',
    nameProperty: 'displayName',
    scopes: SCOPES.configuration,
    noun: 'assignment filter',
    odataTypes: null,
    make(rng) {
      return {
        platform: pick(rng, [
          'windows10AndLater',
          'iOS',
          'macOS',
          'android',
          'androidForWork',
          'androidAOSP',
        ]),
        rule: pick(rng, [
          '(device.osVersion -startsWith "10.0.22")',
          '(device.manufacturer -eq "Microsoft")',
          '(device.deviceOwnership -eq "Corporate")',
        ]),
        assignmentFilterManagementType: pick(rng, ['devices', 'apps']),
        payloads: [],
      };
    },
  },
} satisfies Record<string, Dataset>;
