/**
 * Errors the client throws, one class per situation a caller may want to handle, each with its
 * stable code (`error.code`) and a one-line message. All extend InventoryError, so a caller can
 * also catch that and switch on `code`.
 */
import { boundedEcho } from '../inventory/bounded-echo';
import { InventoryError, type ErrorCode } from '../inventory/error-codes';
import { SYNC_SCHEDULE_PREFIX } from '../inventory/workflow-ids';

export { InventoryError } from '../inventory/error-codes';
export { SelectionError } from '../inventory/selection';

/** `invalid_input`: an argument is malformed (a limit, run id, duration, display name). */
export class InvalidInputError extends InventoryError {
  override readonly name = 'InvalidInputError';
  constructor(message: string) {
    super('invalid_input', message);
  }
}

/** `tenant_unknown`: `tenantId` is not registered. */
export class TenantNotFoundError extends InventoryError {
  override readonly name = 'TenantNotFoundError';
  constructor(readonly tenantId: string) {
    super('tenant_unknown', `tenant ${boundedEcho(tenantId)} is not registered`);
  }
}

/**
 * `tenant_disabled`: `startSync` refuses a disabled tenant up front rather than start a run that
 * would only be recorded as skipped.
 */
export class TenantDisabledError extends InventoryError {
  override readonly name = 'TenantDisabledError';
  constructor(readonly tenantId: string) {
    super('tenant_disabled', `tenant ${boundedEcho(tenantId)} is disabled`);
  }
}

/** `run_not_found`: the tenant has no run `runId` (row-level security hides other tenants' runs alike). */
export class RunNotFoundError extends InventoryError {
  override readonly name = 'RunNotFoundError';
  constructor(readonly runId: string) {
    super('run_not_found', `run ${boundedEcho(runId)} does not exist for this tenant`);
  }
}

/**
 * `item_not_found`: the tenant has no item of `policyType` with Graph id `externalId` (never
 * observed; row-level security hides other tenants' items alike).
 */
export class ItemNotFoundError extends InventoryError {
  override readonly name = 'ItemNotFoundError';
  constructor(
    readonly policyType: string,
    readonly externalId: string,
  ) {
    super(
      'item_not_found',
      `no ${policyType} item ${boundedEcho(externalId, { max: 80 })} was observed in this tenant`,
    );
  }
}

/** `schedule_not_found`: no schedule `scheduleId` exists in the namespace. */
export class ScheduleNotFoundError extends InventoryError {
  override readonly name = 'ScheduleNotFoundError';
  constructor(readonly scheduleId: string) {
    super('schedule_not_found', `schedule ${boundedEcho(scheduleId)} does not exist`);
  }
}

/**
 * `schedule_protected`: `scheduleId` is not a sync schedule (`inventory-schedule:<tenant
 * id>:<selection hash>`), such as the reaper; the client acts on sync schedules only.
 */
export class ScheduleProtectedError extends InventoryError {
  override readonly name = 'ScheduleProtectedError';
  constructor(readonly scheduleId: string) {
    super(
      'schedule_protected',
      `schedule ${boundedEcho(scheduleId, { max: 80 })} is not a sync schedule (${SYNC_SCHEDULE_PREFIX}<tenant id>:<selection hash>); only those can be deleted here`,
    );
  }
}

/**
 * `sync_not_found`: no workflow `workflowId` exists (any more: ended ones last for the namespace's
 * retention), or it is not a sync (`actualType`, e.g. the reaper).
 */
export class SyncNotFoundError extends InventoryError {
  override readonly name = 'SyncNotFoundError';
  constructor(
    readonly workflowId: string,
    actualType?: string,
  ) {
    super(
      'sync_not_found',
      actualType === undefined
        ? `no sync workflow ${boundedEcho(workflowId, { max: 80 })} exists`
        : `workflow ${boundedEcho(workflowId, { max: 80 })} is not a sync but a ${boundedEcho(actualType, { max: 80 })} workflow`,
    );
  }
}

/** A sync workflow ended in failure (not a failed *run*, which is a normal result). */
export class SyncFailedError extends InventoryError {
  override readonly name = 'SyncFailedError';
  constructor(
    code: ErrorCode,
    message: string,
    readonly workflowId: string,
  ) {
    super(code, message);
  }
}
