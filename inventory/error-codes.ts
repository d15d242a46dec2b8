/**
 * The stable error code taxonomy. Codes are persisted in `inventory_sync_runs.error_codes`, used
 * as Temporal failure types and returned by the client and CLI, so they never change meaning;
 * new failures get new codes. Each code carries a one-line summary and what to do about it.
 *
 * Pure data: safe to import from workflow code.
 */
export const ERROR_CODES = {
  graph_throttled: {
    summary: 'Microsoft Graph throttled a page (429/503) for longer than GRAPH_THROTTLE_BUDGET',
    hint: 'lower GRAPH_TENANT_RPS or spread the tenant’s syncs out (or raise GRAPH_THROTTLE_BUDGET); the next run usually succeeds',
  },
  graph_unavailable: {
    summary: 'Microsoft Graph was unavailable (503/504) and retries ran out',
    hint: 'transient on Microsoft’s side; retry later',
  },
  graph_unauthorized: {
    summary: 'Microsoft Graph rejected the access token (401) even after a refresh',
    hint: 'check that the app registration is consented in this tenant and its secret or certificate is current',
  },
  graph_forbidden: {
    summary: 'the app lacks a Graph permission for this policy type (403)',
    hint: 'grant the application permission the message names (inventory policy-types lists each type’s) and consent again in the tenant',
  },
  graph_not_licensed: {
    summary: 'Microsoft Graph refused the policy type (403) without naming a missing permission',
    hint: 'the tenant most likely lacks the licence the type needs (e.g. Windows E3/E5 for update profiles); license it or leave the type out of its selection',
  },
  intune_not_provisioned: {
    summary: 'the tenant has no Intune: Graph answers "Request not applicable to target tenant" (400)',
    hint: 'license Intune and set the MDM authority in the tenant, or leave Intune types out of its selection',
  },
  graph_not_found: {
    summary: 'the collection does not exist for this tenant (404)',
    hint: 'the tenant may lack the Intune licence for this policy type; remove it from the selection',
  },
  graph_bad_request: {
    summary: 'Microsoft Graph refused the request as malformed (400)',
    hint: 'report it: the policy type registry may name a property Graph no longer accepts',
  },
  graph_invalid_response: {
    summary: 'Microsoft Graph answered with a page that is not a valid collection',
    hint: 'transient more often than not; retry, and report it if it persists',
  },
  graph_paging_loop: {
    summary: 'Microsoft Graph returned a nextLink that was already followed',
    hint: 'the enumeration stopped to avoid an endless loop; retry later',
  },
  graph_foreign_next_link: {
    summary: 'Microsoft Graph returned a nextLink to another host; it was not followed',
    hint: 'check GRAPH_BASE_URL; the bearer token is never sent to a foreign origin',
  },
  graph_network_error: {
    summary: 'the connection to Microsoft Graph failed or timed out',
    hint: 'check network access to GRAPH_BASE_URL; retries ran out',
  },
  graph_item_invalid: {
    summary: 'Microsoft Graph returned items without a usable id; they were skipped',
    hint: 'nothing to do: the other items were stored, and missing-item confidence is low for this run',
  },
  graph_page_too_large: {
    summary:
      'a Microsoft Graph page was longer than GRAPH_MAX_PAGE_BYTES; its policy type was not read further',
    hint: 'raise GRAPH_MAX_PAGE_BYTES if such pages are expected (each page in flight may hold about that much memory)',
  },
  graph_select_rejected: {
    summary: 'Microsoft Graph refused or failed the $select of a policy type; it was read without $select',
    hint: 'nothing to do for this run (the items were stored); report it so the policy type registry can be fixed',
  },
  auth_failed: {
    summary: 'no access token could be obtained for the tenant',
    hint: "the message names Entra's AADSTS code and what to do; else check AZURE_CLIENT_ID, the client secret or certificate, GRAPH_CLOUD and the tenant id",
  },
  tenant_unknown: {
    summary: 'the tenant is not registered',
    hint: 'register it first: inventory tenant add --tenant <id> --name <name>',
  },
  tenant_disabled: {
    summary: 'the tenant is disabled',
    hint: 'enable it again (inventory tenant enable --tenant <id>) to sync it',
  },
  lock_held: {
    summary: 'another run of the same tenant and selection is already live',
    hint: 'wait for it to finish; use the derived workflow ID so starts join the live run',
  },
  concurrency_limit_global: {
    summary: 'the global limit of concurrently running syncs was reached',
    hint: 'raise SYNC_MAX_CONCURRENT_GLOBAL, set SYNC_SLOT_WAIT to queue, or retry later',
  },
  concurrency_limit_tenant: {
    summary: 'the per-tenant limit of concurrently running syncs was reached',
    hint: 'raise SYNC_MAX_CONCURRENT_PER_TENANT, set SYNC_SLOT_WAIT to queue, or retry later',
  },
  run_cancelled: {
    summary: 'the run was cancelled',
    hint: 'start it again when wanted',
  },
  run_abandoned: {
    summary: 'the run’s workflow ended without finalizing it (terminated or timed out)',
    hint: 'start the sync again; check the workflow in the Temporal UI for why it ended',
  },
  invalid_selection: {
    summary: 'the selection is not valid',
    hint: 'see inventory policy-types for the valid policy types and categories',
  },
  invalid_input: {
    summary: 'an argument is not valid',
    hint: 'see --help for the expected form',
  },
  run_not_found: {
    summary: 'no such run',
    hint: 'list runs with inventory runs --tenant <id>',
  },
  item_not_found: {
    summary: 'no such item',
    hint: 'list the tenant’s items with inventory items --tenant <id> (--search finds one by name or id)',
  },
  schedule_not_found: {
    summary: 'no such schedule',
    hint: 'list schedules with inventory schedule list --tenant <id>',
  },
  schedule_protected: {
    summary: 'the schedule is not a sync schedule, so this service will not change it',
    hint: 'the reaper and other internal schedules are the worker’s; list sync schedules with inventory schedule list',
  },
  sync_not_found: {
    summary: 'no sync workflow with that id',
    hint: 'check the workflow id (inventory-sync:<tenant id>:<selection hash>); ended workflows last only for the namespace’s retention',
  },
  config_invalid: {
    summary: 'the configuration is not valid',
    hint: 'fix the named setting (an environment variable, or the command’s flag); .env.example lists the variables',
  },
  db_error: {
    summary: 'the database failed',
    hint: 'check DATABASE_URL (DATABASE_MIGRATION_URL for inventory migrate) and that migrations ran (inventory migrate)',
  },
  temporal_unavailable: {
    summary: 'the Temporal service could not be reached',
    hint: 'check TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE, or start the dev stack (inventory dev)',
  },
  dev_stack_running: {
    summary: 'a dev stack is already running from this data folder',
    hint: 'use npx inventory … from another terminal (it finds the running stack), or stop that stack with Ctrl-C first',
  },
  dev_command_unavailable: {
    summary: 'a development command was run from a production build, which leaves its tooling out',
    hint: 'run it from a source checkout (scripts/dev sets one up); production images hold the service only',
  },
  worker_unavailable: {
    summary: 'no worker polls the task queue, so work that runs on one cannot start',
    hint: 'start a worker (inventory worker) with the same TEMPORAL_NAMESPACE and INVENTORY_TASK_QUEUE',
  },
  workflow_bundle_stale: {
    summary: 'the prebuilt workflow bundle is missing or does not match the compiled code beside it',
    hint: 'run npm run build, which compiles and bundles in one step, and deploy its dist/ as a whole',
  },
  internal_error: {
    summary: 'an unexpected internal error',
    hint: 'report it with the run id; the logs have the details',
  },
} as const satisfies Record<string, { summary: string; hint: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * Codes no retry can fix: an activity failing with one is not retried, and a workflow failing
 * with one fails at once (the failure's type is the code). Used as `nonRetryableErrorTypes` of
 * every retry policy, so even a failure not marked non-retryable where it was thrown stops.
 */
export const NON_RETRYABLE_CODES = [
  'tenant_unknown',
  'invalid_selection',
  'invalid_input',
  'config_invalid',
  'run_not_found',
] as const satisfies readonly ErrorCode[];

/**
 * Narrows a string from outside (a Temporal failure type, an error's `code`) to an ErrorCode; only
 * ERROR_CODES' own keys count, so `toString` does not.
 */
export function isErrorCode(value: string): value is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_CODES, value);
}

/**
 * An expected failure: carries a stable code and a one-line message meant for people. Entry
 * points print `message` (never a stack trace) and exit non-zero.
 */
export class InventoryError extends Error {
  override readonly name: string = 'InventoryError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get hint(): string {
    return ERROR_CODES[this.code].hint;
  }
}
