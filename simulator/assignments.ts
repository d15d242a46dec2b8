/**
 * Ground-truth assignments of one item, shaped like Graph's assignment entities: `id`, a `target`
 * (learn.microsoft.com/graph/api/resources/intune-shared-deviceandappmanagementassignmenttarget?view=graph-rest-beta)
 * and only the other properties the dataset's assignment entity type declares in Graph's metadata
 * (`intent` on mobileAppAssignment and deviceConfigurationAssignment, `source`/`sourceId` where
 * declared, …). A property the metadata declares but this module cannot fill throws, so new
 * metadata fails test/unit/simulator-assignments.test.ts instead of serving an invented shape.
 */
import { type AssignmentFacts, type TargetProfile } from './datasets/shared';
import { type DirectoryGroup } from './directory';
import { selectableProperties, v1Properties } from './graph-metadata';
import { intBetween, pick, seededGuid, type Rng } from './random';

export type RawAssignment = Record<string, unknown> & { id: string; target: Record<string, unknown> };

/** What an item's assignments may refer to: the tenant's groups, assignment filters and policy sets. */
export interface AssignmentContext {
  readonly groups: readonly DirectoryGroup[];
  readonly filterIds: readonly string[];
  readonly policySetIds: readonly string[];
}

const GRAPH = '#microsoft.graph.';

/**
 * Intune's virtual groups behind "all devices" and "all licensed users": app assignment ids are
 * built from them as from a group id (e.g. `adadadad-808e-44e2-905a-0b7873a8a531_1_0`).
 */
const ALL_DEVICES_ID = 'adadadad-808e-44e2-905a-0b7873a8a531';
const ALL_USERS_ID = 'acacacac-9df4-4c7d-9d50-4ef0226f57a9';

/** Graph's `installIntent` enum in its declared order, which app assignment ids number. */
const APP_INTENTS = ['available', 'required', 'uninstall', 'availableWithoutEnrollment'] as const;

/** `intent` values per assignment type that declares one (beta `installIntent`, `deviceConfigAssignmentIntent`). */
const INTENTS: Readonly<Record<string, readonly string[]>> = {
  mobileAppAssignment: [
    'required',
    'required',
    'available',
    'available',
    'uninstall',
    'availableWithoutEnrollment',
  ],
  deviceConfigurationAssignment: ['apply', 'apply', 'apply', 'remove'],
};

type TargetKind =
  'group' | 'exclusionGroup' | 'allDevices' | 'allLicensedUsers' | 'collection' | 'cloudPcGroup';

/** Cumulative weights of target kinds per profile. */
const KIND_WEIGHTS: Readonly<Record<TargetProfile, ReadonlyArray<readonly [TargetKind, number]>>> = {
  intune: [
    ['group', 0.55],
    ['exclusionGroup', 0.75],
    ['allDevices', 0.85],
    ['allLicensedUsers', 1],
  ],
  intuneAndCollections: [
    ['group', 0.5],
    ['collection', 0.55],
    ['exclusionGroup', 0.75],
    ['allDevices', 0.85],
    ['allLicensedUsers', 1],
  ],
  groups: [
    ['group', 0.75],
    ['exclusionGroup', 1],
  ],
  includedGroups: [['group', 1]],
  cloudPc: [['cloudPcGroup', 1]],
};

const FILTER_SHARE = 0.3;

function drawCount(rng: Rng): number {
  const roll = rng();
  if (roll < 0.25) return 0;
  if (roll < 0.9) return intBetween(rng, 1, 4);
  return intBetween(rng, 5, 10);
}

function drawKind(rng: Rng, profile: TargetProfile): TargetKind {
  const roll = rng();
  return KIND_WEIGHTS[profile].find(([, upTo]) => roll < upTo)![0];
}

/** A target of `kind`; Intune targets carry the filter pair, Windows 365's has only its group. */
function target(
  kind: TargetKind,
  rng: Rng,
  key: string,
  context: AssignmentContext,
): Record<string, unknown> {
  if (kind === 'cloudPcGroup')
    return { '@odata.type': `${GRAPH}cloudPcManagementGroupAssignmentTarget`, groupId: key };
  // Intune refuses filters on excluded groups and on Configuration Manager collections.
  const filterable = kind !== 'exclusionGroup' && kind !== 'collection';
  const filterId =
    filterable && context.filterIds.length > 0 && rng() < FILTER_SHARE ? pick(rng, context.filterIds) : null;
  const filter = {
    deviceAndAppManagementAssignmentFilterId: filterId,
    deviceAndAppManagementAssignmentFilterType:
      filterId === null ? 'none' : rng() < 0.7 ? 'include' : 'exclude',
  };
  switch (kind) {
    case 'group':
    case 'exclusionGroup':
      return { '@odata.type': `${GRAPH}${kind}AssignmentTarget`, ...filter, groupId: key };
    case 'allDevices':
    case 'allLicensedUsers':
      return { '@odata.type': `${GRAPH}${kind}AssignmentTarget`, ...filter };
    case 'collection':
      return {
        '@odata.type': `${GRAPH}configurationManagerCollectionAssignmentTarget`,
        ...filter,
        collectionId: key,
      };
  }
}

/** The value of a declared property other than `id` and `target`; throws for one it cannot fill. */
function propertyValue(
  entityType: string,
  property: string,
  rng: Rng,
  context: AssignmentContext,
  item: { '@odata.type'?: unknown },
): unknown {
  switch (property) {
    case 'intent': {
      const intents = INTENTS[entityType];
      if (intents === undefined) throw new Error(`no intent values known for ${entityType}`);
      return pick(rng, intents);
    }
    case 'source':
      return context.policySetIds.length > 0 && rng() < 0.1 ? 'policySets' : 'direct';
    case 'sourceId':
      return null;
    case 'settings':
      // Win32 apps carry install settings (never stored by the inventory); other apps none.
      return item['@odata.type'] === `${GRAPH}win32LobApp`
        ? {
            '@odata.type': `${GRAPH}win32LobAppAssignmentSettings`,
            notifications: pick(rng, ['showAll', 'showReboot', 'hideAll']),
            deliveryOptimizationPriority: 'notConfigured',
          }
        : null;
    case 'createdDateTime':
    case 'lastModifiedDateTime':
      return new Date(Date.UTC(2025, 0, 1) + intBetween(rng, 0, 300) * 86_400_000).toISOString();
    case 'runRemediationScript':
      return rng() < 0.6;
    case 'runSchedule':
      return {
        '@odata.type': `${GRAPH}deviceHealthScriptDailySchedule`,
        interval: 1,
        time: `0${intBetween(rng, 1, 9)}:00:00`,
        useUtc: false,
      };
    default:
      throw new Error(`${entityType} declares ${property}, which the simulator does not generate`);
  }
}

/**
 * The assignments of `item`, drawn from `rng`: none for about a quarter of items, 1–4 for most, up
 * to 10 for a few; distinct targets; group ids from the tenant's groups, filter ids from its own
 * assignment filters. App assignment ids are `{group or virtual group id}_{intent number}_{0|1 excluded}`
 * as Intune writes them; other ids are GUIDs.
 */
export function generateAssignments(
  facts: AssignmentFacts,
  item: { id: string; '@odata.type'?: unknown },
  rng: Rng,
  context: AssignmentContext,
): RawAssignment[] {
  const properties = selectableProperties(facts.entityType).filter((p) => p !== 'id' && p !== 'target');
  const wanted = drawCount(rng);
  const usedKeys = new Set<string>();
  const assignments: RawAssignment[] = [];
  for (let attempt = 0; assignments.length < wanted && attempt < wanted * 4; attempt++) {
    const kind = drawKind(rng, facts.targets);
    const key = targetKey(kind, rng, context);
    if (key === null || usedKeys.has(key)) continue;
    usedKeys.add(key);
    const assignment: RawAssignment = { id: '', target: target(kind, rng, key, context) };
    for (const property of properties)
      assignment[property] = propertyValue(facts.entityType, property, rng, context, item);
    if (assignment.source === 'policySets') assignment.sourceId = pick(rng, context.policySetIds);
    assignment.id =
      facts.entityType === 'mobileAppAssignment'
        ? `${key}_${APP_INTENTS.indexOf(assignment.intent as (typeof APP_INTENTS)[number])}_${kind === 'exclusionGroup' ? 1 : 0}`
        : seededGuid(rng);
    assignments.push(assignment);
  }
  return assignments;
}

/** What distinguishes a target within one item: its group, virtual group or collection; null when none is left. */
function targetKey(kind: TargetKind, rng: Rng, context: AssignmentContext): string | null {
  switch (kind) {
    case 'allDevices':
      return ALL_DEVICES_ID;
    case 'allLicensedUsers':
      return ALL_USERS_ID;
    case 'collection':
      return `${pick(rng, ['SMS', 'P01', 'CM1'])}${intBetween(rng, 1, 0xfffff).toString(16).toUpperCase().padStart(5, '0')}`;
    default:
      return context.groups.length === 0 ? null : pick(rng, context.groups).id;
  }
}

const v1Keys = new Map<string, ReadonlySet<string> | null>();

/**
 * The assignment as Graph serves it under `version`: v1.0 types declare fewer properties
 * (v1.0 `deviceConfigurationAssignment` has only `target`), so those are dropped there.
 */
export function assignmentForVersion(
  entityType: string,
  version: string,
  assignment: RawAssignment,
): RawAssignment {
  if (version !== 'v1.0') return assignment;
  let keys = v1Keys.get(entityType);
  if (keys === undefined) {
    const declared = v1Properties(entityType);
    keys = declared === null ? null : new Set(['id', ...declared]);
    v1Keys.set(entityType, keys);
  }
  if (keys === null) return assignment;
  const allowed = keys;
  return Object.fromEntries(Object.entries(assignment).filter(([key]) => allowed.has(key))) as RawAssignment;
}

/** Keys of `assignment` its entity type does not declare in the beta metadata. */
export function undeclaredKeys(entityType: string, assignment: Record<string, unknown>): string[] {
  const declared = new Set(selectableProperties(entityType));
  return Object.keys(assignment).filter((key) => !declared.has(key));
}
