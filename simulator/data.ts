/**
 * The simulator's datasets: per collection it serves, its own facts (collection path, name
 * property, whether Graph also has it under v1.0, the service behind it, the scopes Graph's 403
 * names) and synthetic Intune, Windows 365 and Entra objects shaped like what Graph beta returns,
 * one module per category under datasets/: realistic `@odata.type`s (only on
 * polymorphic collections, as in Graph), GUID ids, unicode names, varying sizes, and the payload
 * keys that must never be stored (`scriptContent`, `detectionScriptContent`, `omaSettings[].value`,
 * `secretReferenceValueId`, `settings`, `preSharedKey`, `token`, `content`, `grantControls`, …). Nothing here comes from the policy type registry: a registry
 * entry with a wrong path or field must fail against these datasets as it fails against Graph.
 * Which properties an item may carry is Graph's metadata (simulator/graph-metadata.ts; checked by
 * test/unit/simulator-datasets.test.ts). Everything is drawn from a seeded RNG, so a tenant's data
 * is reproducible from its seed.
 */
import { type PolicyType } from '../inventory/policy-types';
import { elementTypeOf, selectableProperties } from './graph-metadata';
import { APP_DATASETS } from './datasets/apps';
import { ASSIGNMENT_FILTER_DATASETS } from './datasets/assignment-filters';
import { COMPLIANCE_DATASETS } from './datasets/compliance';
import { CONFIGURATION_DATASETS } from './datasets/configuration';
import { ENDPOINT_SECURITY_DATASETS } from './datasets/endpoint-security';
import { ENROLLMENT_DATASETS } from './datasets/enrollment';
import { IDENTITY_DATASETS } from './datasets/identity';
import { SCRIPT_DATASETS } from './datasets/scripts';
import { BASE_TIME, DAY_MS, isoDate, type Dataset } from './datasets/shared';
import { TENANT_ADMINISTRATION_DATASETS } from './datasets/tenant-administration';
import { UPDATE_DATASETS } from './datasets/updates';
import { WINDOWS365_DATASETS } from './datasets/windows365';
import { intBetween, pick, seededGuid, type Rng } from './random';

export type { Dataset };

export type RawItem = Record<string, unknown> & { id: string };

/**
 * A dataset's name: the registry key strings, because fault rules, tenant specs and the admin API
 * address datasets by them. The name is all the simulator shares with the registry.
 */
export type DatasetName = PolicyType;

const NAME_PREFIXES = [
  'Contoso',
  'Fabrikam',
  'Müller GmbH',
  'Société Générale',
  'Zürich Büro',
  'Tōkyō 東京',
  'Ærøskøbing',
  'Αθήνα',
  'Москва',
  '北京办公室',
  'São Paulo',
  'Kraków – Łódź',
  'Secure 🛡️',
  'İstanbul',
] as const;

const LOREM =
  'Managed by the endpoint team. Applies the corporate baseline to enrolled devices; review quarterly. ' +
  'Änderungen nur nach Freigabe. Ne pas modifier sans ticket. 変更は承認後に行うこと。 ';

function description(rng: Rng): string {
  const roll = rng();
  if (roll < 0.2) return '';
  // A few long descriptions, beyond what the catalog stores, exercise bounding.
  const length = roll > 0.95 ? intBetween(rng, 1_200, 3_000) : intBetween(rng, 10, 300);
  return LOREM.repeat(Math.ceil(length / LOREM.length)).slice(0, length);
}

/**
 * Scope tags an object carries: always "0" (Default), sometimes one of "1" to "3", ids the
 * tenant's roleScopeTag collection holds as soon as it has four tags (datasets/tenant-administration.ts).
 */
function scopeTags(rng: Rng): string[] {
  return rng() < 0.7 ? ['0'] : ['0', String(intBetween(rng, 1, 3))];
}

const DATASETS: Record<DatasetName, Dataset> = {
  ...APP_DATASETS,
  ...ASSIGNMENT_FILTER_DATASETS,
  ...COMPLIANCE_DATASETS,
  ...CONFIGURATION_DATASETS,
  ...ENDPOINT_SECURITY_DATASETS,
  ...ENROLLMENT_DATASETS,
  ...IDENTITY_DATASETS,
  ...SCRIPT_DATASETS,
  ...TENANT_ADMINISTRATION_DATASETS,
  ...UPDATE_DATASETS,
  ...WINDOWS365_DATASETS,
};

/** The dataset named `name`. */
export function dataset(name: DatasetName): Dataset {
  return DATASETS[name];
}

/** Every dataset with its name. */
export function datasets(): Array<[DatasetName, Dataset]> {
  return Object.entries(DATASETS) as Array<[DatasetName, Dataset]>;
}

/**
 * Generates one item of dataset `name`; `index` (0-based) only shapes the name, the RNG shapes
 * everything else. Common properties are set only where the item's type declares them in Graph's
 * metadata (intents have no `createdDateTime`; assignment filters name their scope tags
 * `roleScopeTags`), the RNG draws staying the same either way.
 */
export function generateItem(name: DatasetName, rng: Rng, index: number): RawItem {
  const shape = DATASETS[name];
  const id = seededGuid(rng);
  const odataType = shape.odataTypes === null ? null : pick(rng, shape.odataTypes);
  const declared = new Set(
    selectableProperties(odataType?.replace('#microsoft.graph.', '') ?? elementTypeOf(shape.collectionPath)),
  );
  const created = BASE_TIME + Math.floor(rng() * 700 * DAY_MS);
  const modified = created + Math.floor(rng() * 90 * DAY_MS);
  const itemName = `${pick(rng, NAME_PREFIXES)} – ${shape.noun} ${index + 1}`;
  const common: Record<string, unknown> = {
    description: description(rng),
    createdDateTime: isoDate(created),
    lastModifiedDateTime: isoDate(modified),
  };
  const tags = scopeTags(rng);
  common[declared.has('roleScopeTags') ? 'roleScopeTags' : 'roleScopeTagIds'] = tags;
  const item: RawItem = {
    ...(odataType !== null && { '@odata.type': odataType }),
    id,
    [shape.nameProperty]: itemName,
    ...Object.fromEntries(Object.entries(common).filter(([key]) => declared.has(key))),
  };
  return { ...item, ...shape.make(rng, odataType, index) };
}
