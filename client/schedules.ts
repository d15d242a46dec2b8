/**
 * Recurring syncs as Temporal Schedules, one per tenant and selection. Each action starts a
 * trigger workflow that runs the sync as a child under the derived ID, so scheduled and manual
 * syncs share the lock.
 */
import {
  ScheduleNotFoundError as TemporalScheduleNotFoundError,
  ScheduleOverlapPolicy,
} from '@temporalio/client';
import { parseDurationInput, SCHEDULE_EVERY_RANGE, SCHEDULE_JITTER_RANGE } from '../inventory/duration';
import { parseSelection } from '../inventory/selection';
import { selectionHash } from '../inventory/selection-hash';
import { parseTenantId } from '../inventory/tenant-id';
import {
  SCHEDULED_SYNC_WORKFLOW_TYPE,
  SYNC_SCHEDULE_PREFIX,
  syncScheduleId,
} from '../inventory/workflow-ids';
import { orTemporalUnavailable } from '../temporal/errors';
import { upsertSchedule } from '../temporal/schedules';
import { orDbError } from '../db/errors';
import { requireTenant } from './tenants';
import { objectArgument, temporalIdArgument } from './arguments';
import { type InventoryClientDeps } from './client-deps';
import { InvalidInputError, ScheduleNotFoundError, ScheduleProtectedError } from './errors';
import { summarizeSchedule, type ScheduleSummary } from './schedule-summary';
import { type SelectionInput } from '../workflows/contract';

/** A sync schedule id as syncScheduleId makes it: lower-case tenant GUID and sha256 hex. */
const SYNC_SCHEDULE_ID = new RegExp(
  `^${SYNC_SCHEDULE_PREFIX}[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:[0-9a-f]{64}$`,
);

/**
 * The id of a sync schedule to act on: `invalid_input` when it is no usable id at all,
 * `schedule_protected` when it is any schedule but a sync schedule, such as the reaper
 * (`inventory-reaper:<task queue>`), which the worker owns.
 */
function parseSyncScheduleId(value: unknown): string {
  const scheduleId = temporalIdArgument(value, 'schedule id');
  // Tenant ids and hashes are lower case wherever the service writes them, so is a schedule's id.
  const canonical = scheduleId.toLowerCase();
  if (!SYNC_SCHEDULE_ID.test(canonical)) throw new ScheduleProtectedError(scheduleId);
  return canonical;
}

/** Backs `InventoryClient.createSchedule`. */
export async function createSchedule(
  deps: InventoryClientDeps,
  input: { tenantId: string; selection: SelectionInput; every: string | number; jitter?: string | number },
): Promise<{ scheduleId: string; created: boolean }> {
  const fields = objectArgument(input, 'createSchedule input');
  const tenantId = parseTenantId(fields.tenantId);
  const selection = parseSelection(fields.selection);
  const hash = selectionHash(selection);
  const everyMs = parseDurationInput('every', fields.every, SCHEDULE_EVERY_RANGE);
  const jitterMs =
    fields.jitter === undefined ? 0 : parseDurationInput('jitter', fields.jitter, SCHEDULE_JITTER_RANGE);
  if (jitterMs >= everyMs) throw new InvalidInputError('jitter must be shorter than the interval');
  await orDbError('cannot read the tenant', requireTenant(deps.db.manager, tenantId));

  const scheduleId = syncScheduleId(tenantId, hash);
  const spec = { intervals: [{ every: everyMs }], jitter: jitterMs };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: SCHEDULED_SYNC_WORKFLOW_TYPE,
    workflowId: `inventory-scheduled:${tenantId}:${hash}`,
    taskQueue: deps.taskQueue,
    args: [{ tenantId, selection, selectionHash: hash }],
  };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '10 minutes' };
  const memo = { tenantId, selection, selectionHash: hash };
  const { created } = await orTemporalUnavailable(
    upsertSchedule(deps.temporal, { scheduleId, spec, action, policies, memo }),
  );
  return { scheduleId, created };
}

/** Backs `InventoryClient.deleteSchedule`. */
export async function deleteSchedule(
  deps: InventoryClientDeps,
  input: { tenantId: string; selection: SelectionInput } | { scheduleId: string },
): Promise<void> {
  const fields = objectArgument(input, 'deleteSchedule input');
  const byId = fields.scheduleId !== undefined;
  if (byId && (fields.tenantId !== undefined || fields.selection !== undefined)) {
    throw new InvalidInputError('give either scheduleId or tenantId and selection, not both');
  }
  const scheduleId = byId
    ? parseSyncScheduleId(fields.scheduleId)
    : syncScheduleId(parseTenantId(fields.tenantId), selectionHash(parseSelection(fields.selection)));
  try {
    await orTemporalUnavailable(deps.temporal.schedule.getHandle(scheduleId).delete());
  } catch (error) {
    if (error instanceof TemporalScheduleNotFoundError) throw new ScheduleNotFoundError(scheduleId);
    throw error;
  }
}

/** Backs `InventoryClient.listSchedules`. */
export async function listSchedules(
  deps: InventoryClientDeps,
  tenantIdInput: string | undefined,
): Promise<ScheduleSummary[]> {
  const tenantId = tenantIdInput === undefined ? undefined : parseTenantId(tenantIdInput);
  const prefix = tenantId ? `${SYNC_SCHEDULE_PREFIX}${tenantId}:` : SYNC_SCHEDULE_PREFIX;
  const collect = async (): Promise<ScheduleSummary[]> => {
    const ids: string[] = [];
    for await (const listed of deps.temporal.schedule.list()) {
      if (listed.scheduleId.startsWith(prefix)) ids.push(listed.scheduleId);
    }
    // Visibility trails deletes: a listed schedule may be gone by the time it is described.
    const described = await Promise.all(
      ids.map((id) =>
        deps.temporal.schedule
          .getHandle(id)
          .describe()
          .catch((error: unknown) => {
            if (error instanceof TemporalScheduleNotFoundError) return null;
            throw error;
          }),
      ),
    );
    return described
      .flatMap((schedule) => (schedule ? [summarizeSchedule(schedule)] : []))
      .sort((a, b) => a.scheduleId.localeCompare(b.scheduleId));
  };
  return orTemporalUnavailable(collect());
}
