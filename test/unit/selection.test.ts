import { describe, expect, it } from 'vitest';
import {
  SelectionError,
  canonicalSelectionJson,
  parseSelection,
  selectionScope,
} from '../../inventory/selection';
import { selectionHash } from '../../inventory/selection-hash';
import { CATEGORIES, POLICY_TYPE_KEYS } from '../../inventory/policy-types';

describe('selection hash', () => {
  // Fixed vectors: sha256 of the exact canonical strings, computed independently with sha256sum.
  it.each([
    [
      { policy_types: ['deviceConfiguration', 'deviceCompliancePolicy'] },
      '{"categories":[],"policy_types":["deviceCompliancePolicy","deviceConfiguration"]}',
      '0b1e890b43056bc8b98d55f3f4967dc667984b20fb08c11d72e6d878bdb5410a',
    ],
    [
      { categories: ['apps'] },
      '{"categories":["apps"],"policy_types":[]}',
      '0f7e564b00ee9ce8b8e7f2d7cf00e9aefe5373e236e9d128e6a9e9fb84f15cf0',
    ],
    // Categories added by issue 11 hash like any other: the canonical form did not change.
    [
      { categories: ['windows365', 'tenantAdministration'], policy_types: ['conditionalAccessPolicy'] },
      '{"categories":["tenantAdministration","windows365"],"policy_types":["conditionalAccessPolicy"]}',
      '3923d7d465a67435d46a1d705a6fb48d7ba0f77951af254180d2c3aab550d9f3',
    ],
  ])('matches the fixed vector for %j', (input, canonical, hash) => {
    const selection = parseSelection(input);
    expect(canonicalSelectionJson(selection)).toBe(canonical);
    expect(selectionHash(selection)).toBe(hash);
  });

  it('is independent of array order, duplicates and key order', () => {
    const a = parseSelection({ policy_types: ['mobileApp', 'deviceConfiguration'], categories: ['updates'] });
    const b = parseSelection({
      categories: ['updates', 'updates'],
      policy_types: ['deviceConfiguration', 'mobileApp', 'deviceConfiguration'],
    });
    expect(selectionHash(a)).toBe(selectionHash(b));
    expect(canonicalSelectionJson(b)).toBe(
      '{"categories":["updates"],"policy_types":["deviceConfiguration","mobileApp"]}',
    );
  });

  it('differs when the selection differs', () => {
    expect(selectionHash(parseSelection({ policy_types: ['mobileApp'] }))).not.toBe(
      selectionHash(parseSelection({ categories: ['apps'] })),
    );
  });

  it('is lowercase hex of 64 characters', () => {
    expect(selectionHash(parseSelection({ categories: ['compliance'] }))).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('selection validation', () => {
  it('rejects unknown policy types, says where the valid ones are, and catches a wrong case', () => {
    expect(() => parseSelection({ policy_types: ['nope'] })).toThrow(SelectionError);
    expect(() => parseSelection({ policy_types: ['nope'] })).toThrow(
      new RegExp(
        `^unknown policy type\\(s\\) nope; valid: the ${POLICY_TYPE_KEYS.length} types \`inventory policy-types\` lists$`,
      ),
    );
    expect(() => parseSelection({ policy_types: ['DeviceConfiguration'] })).toThrow(
      /^unknown policy type\(s\) DeviceConfiguration \(did you mean deviceConfiguration\?\); valid: /,
    );
  });

  it('rejects unknown categories and lists the valid ones', () => {
    expect(() => parseSelection({ categories: ['x'] })).toThrow(/unknown category x; valid: apps, /);
  });

  it('rejects unknown keys', () => {
    expect(() => parseSelection({ policy_types: ['mobileApp'], extra: 1 })).toThrow(
      /unknown selection key\(s\) extra/,
    );
  });

  it('rejects an empty selection', () => {
    expect(() => parseSelection({})).toThrow(/at least one policy type or category/);
    expect(() => parseSelection({ policy_types: [], categories: [] })).toThrow(SelectionError);
  });

  it('rejects values of the wrong shape', () => {
    expect(() => parseSelection({ policy_types: 'mobileApp' })).toThrow(SelectionError);
    expect(() => parseSelection(null)).toThrow(SelectionError);
  });
});

describe('selection scope', () => {
  it('is the union of named types and the types of named categories', () => {
    const scope = selectionScope(
      parseSelection({ policy_types: ['assignmentFilter'], categories: ['updates'] }),
    );
    expect(scope).toEqual([
      'assignmentFilter',
      'windowsDriverUpdateProfile',
      'windowsFeatureUpdateProfile',
      'windowsQualityUpdatePolicy',
      'windowsQualityUpdateProfile',
    ]);
  });

  it('does not repeat a type named twice', () => {
    const scope = selectionScope(parseSelection({ policy_types: ['mobileApp'], categories: ['identity'] }));
    expect(scope).toEqual(['conditionalAccessPolicy', 'mobileApp']);
    const apps = selectionScope(parseSelection({ policy_types: ['mobileApp'], categories: ['apps'] }));
    expect(apps.filter((type) => type === 'mobileApp')).toHaveLength(1);
  });

  it('covers every registry type when every category is named', () => {
    const scope = selectionScope(parseSelection({ categories: [...CATEGORIES] }));
    expect(scope).toEqual([...POLICY_TYPE_KEYS]);
  });
});
