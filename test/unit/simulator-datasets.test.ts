/**
 * The simulator's datasets against Microsoft's Graph metadata (simulator/graph-metadata/): each
 * dataset's collection exists, every `@odata.type` it serves derives from the collection's element
 * type, and generated items carry only properties their type (or the element type) declares.
 */
import { describe, expect, it } from 'vitest';
import { POLICY_TYPE_KEYS } from '../../inventory/policy-types';
import { datasets, generateItem } from '../../simulator/data';
import {
  derivesFrom,
  elementTypeOf,
  findCollection,
  navigationProperties,
  selectableProperties,
} from '../../simulator/graph-metadata';
import { seededRng } from '../../simulator/random';
import { demoTenantSpecs } from '../../simulator/demo';

const ITEMS_PER_DATASET = 300;

describe('simulator datasets', () => {
  it('are named like the registry’s policy types (fault rules and the admin API use those names)', () => {
    expect(
      datasets()
        .map(([name]) => name)
        .sort(),
    ).toEqual([...POLICY_TYPE_KEYS]);
  });

  describe.each(datasets())('%s', (name, dataset) => {
    it('is a collection of Graph’s metadata, named by a property its element type declares', () => {
      expect(findCollection(dataset.collectionPath)?.path).toBe(dataset.collectionPath);
      expect(selectableProperties(elementTypeOf(dataset.collectionPath))).toContain(dataset.nameProperty);
      expect(dataset.scopes.length).toBeGreaterThan(0);
    });

    it('serves only @odata.types derived from the element type', () => {
      const elementType = elementTypeOf(dataset.collectionPath);
      for (const odataType of dataset.odataTypes ?? []) {
        expect(odataType).toMatch(/^#microsoft\.graph\./);
        expect(derivesFrom(odataType.replace('#microsoft.graph.', ''), elementType), odataType).toBe(true);
      }
    });

    it('generates items with only the properties their type declares', () => {
      const rng = seededRng(42);
      for (let i = 0; i < ITEMS_PER_DATASET; i++) {
        const item = generateItem(name, rng, i);
        const odataType = item['@odata.type'];
        const type =
          typeof odataType === 'string'
            ? odataType.replace('#microsoft.graph.', '')
            : elementTypeOf(dataset.collectionPath);
        // Navigation properties stand for an `$expand` (settings catalog `settings`), so the
        // whitelist is tested against payloads Graph can really send.
        const declared = new Set([
          '@odata.type',
          ...selectableProperties(type),
          ...navigationProperties(type),
        ]);
        for (const key of Object.keys(item))
          expect(declared.has(key), `${type} does not declare ${key}`).toBe(true);
      }
    });
  });

  // The payloads the inventory must drop are really served, so the whitelist is exercised.
  it.each([
    ['deviceManagementScript', 'scriptContent'],
    ['deviceHealthScript', 'detectionScriptContent'],
    ['deviceHealthScript', 'remediationScriptContent'],
    ['deviceComplianceScript', 'detectionScriptContent'],
    ['deviceShellScript', 'scriptContent'],
    ['deviceCustomAttributeShellScript', 'scriptContent'],
    ['compliancePolicy', 'settings'],
    ['mobileAppConfiguration', 'payloadJson'],
    ['targetedManagedAppConfiguration', 'customSettings'],
    ['vppToken', 'token'],
    ['termsAndConditions', 'bodyText'],
    ['reusablePolicySetting', 'settingInstance'],
    ['groupPolicyUploadedDefinitionFile', 'content'],
    ['conditionalAccessPolicy', 'grantControls'],
  ] as const)('%s items carry %s', (name, key) => {
    const rng = seededRng(7);
    const items = Array.from({ length: 20 }, (_, i) => generateItem(name, rng, i));
    expect(items.some((item) => key in item)).toBe(true);
  });

  it('would catch an undeclared property (the check can fail)', () => {
    expect(selectableProperties('deviceAndAppManagementAssignmentFilter')).not.toContain('roleScopeTagIds');
    expect(derivesFrom('win32LobApp', 'deviceConfiguration')).toBe(false);
    expect(derivesFrom('win32LobApp', 'mobileApp')).toBe(true);
  });
});

describe('the demo tenants', () => {
  it('carry every type, a few hundred items each, and several pages for the big types', () => {
    const specs = demoTenantSpecs(3, 42);
    for (const spec of specs) {
      const counts = spec.counts ?? {};
      expect(Object.keys(counts).sort()).toEqual([...POLICY_TYPE_KEYS]);
      const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
      expect(total).toBeGreaterThanOrEqual(300);
      expect(total).toBeLessThanOrEqual(1_000);
      expect(Object.values(counts).every((n) => n >= 1)).toBe(true);
    }
    // Graph's page sizes: 100, and 25 for settings catalog (REFERENCE.md).
    expect(specs[0]!.counts?.mobileApp).toBeGreaterThan(100);
    expect(specs[0]!.counts?.settingsCatalogPolicy).toBeGreaterThan(50);
    expect(new Set(specs.map((spec) => spec.counts?.mobileApp)).size).toBe(3);
  });
});
