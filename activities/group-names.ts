/**
 * Reading a run's group names: the display names of the Entra groups its assignment edges name,
 * read from Graph in batches and stored in `directory_groups`. Used by the `refreshGroupNames`
 * activity and, at the end of a run's last `syncTypes` activity, by that activity itself (one
 * activity and one workflow task fewer per run).
 */
import { type DataSource } from 'typeorm';
import { groupIdsObservedByRun, upsertGroupNames } from '../db/repositories/directory-groups';
import { orDbError } from '../db/errors';
import { withTenant } from '../db/tenant-scope';
import { type GraphClient } from '../graph/client';

/** What refreshing a run's group names did. */
export interface GroupNamesResult {
  /** Distinct groups the run's edges name (at most MAX_GROUPS_PER_RUN). */
  groupsCount: number;
  /** Names stored; groups that no longer exist have none. */
  namesCount: number;
  /** The app may not read groups (GroupMember.Read.All or Group.Read.All not granted). */
  forbidden: boolean;
}

/** Groups named per run at most: 50 batches; the rest keep their names until a later run. */
export const MAX_GROUPS_PER_RUN = 1_000;

/**
 * `readGroupNames({ tenantId, runId }, signal): GroupNamesResult`: the names of the groups named by
 * the edges run `runId` observed (batched `GET /groups/{id}`), stored. A tenant whose app may not
 * read groups answers `forbidden`, storing nothing; other failures throw `graph_*` (GraphError) or
 * `db_error` (InventoryError); an abort of `signal` rejects with its reason.
 */
export function createGroupNamesReader({ db, graph }: { db: DataSource; graph: GraphClient }) {
  return async (
    input: { tenantId: string; runId: string },
    signal: AbortSignal,
  ): Promise<GroupNamesResult> => {
    const groupIds = await orDbError(
      'cannot read the run’s groups',
      withTenant(db, input.tenantId, (manager) =>
        groupIdsObservedByRun(manager, input.tenantId, input.runId, MAX_GROUPS_PER_RUN),
      ),
    );
    if (groupIds.length === 0) return { groupsCount: 0, namesCount: 0, forbidden: false };
    const read = await graph.fetchGroupNames(input.tenantId, groupIds, { signal });
    if (read.forbidden) return { groupsCount: groupIds.length, namesCount: 0, forbidden: true };
    const namesCount = await orDbError(
      'cannot store the group names',
      withTenant(db, input.tenantId, (manager) => upsertGroupNames(manager, input.tenantId, read.names)),
    );
    return { groupsCount: groupIds.length, namesCount, forbidden: false };
  };
}

export type ReadGroupNames = ReturnType<typeof createGroupNamesReader>;
