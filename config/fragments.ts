/**
 * Environment variables grouped by what they configure. Process schemas (config/worker.ts,
 * config/client.ts, …) spread the groups they need; every name and default lives here once.
 */
import { z } from 'zod';
import { graphQueues, graphTaskQueueOf } from '../inventory/workflow-ids';
import {
  envBoolean,
  envByteSize,
  envDurationMs,
  envDurationRangeMs,
  envHeaderToken,
  envHostPort,
  envHttpsOrigin,
  envListenAddress,
  envPositiveInt,
  envPositiveNumber,
  envPostgresUrl,
  envTokenScope,
} from './env';
import { GRAPH_CLOUD_NAMES } from '../graph/clouds';
import { DEFAULT_THROTTLE_BUDGET_MS } from '../graph/retry-budget';

export const databaseEnv = {
  /** Runtime connection: a role without BYPASSRLS. Unset in development: the embedded database. */
  DATABASE_URL: envPostgresUrl.optional(),
  /**
   * Owner connection for migrations; defaults to DATABASE_URL, whose role then owns the tables and
   * is refused by the start-up check (db/runtime-role-guard.ts).
   */
  DATABASE_MIGRATION_URL: envPostgresUrl.optional(),
  DATABASE_POOL_SIZE: envPositiveInt.default(10),
  /**
   * Explicit opt-out of the start-up check that refuses a role able to bypass row-level security
   * or to write the snapshot tables.
   */
  INVENTORY_ALLOW_RLS_BYPASS: envBoolean.default(false),
};

/** For `inventory migrate --ensure-login`: the runtime login's password, never taken from a flag. */
export const migrationEnv = {
  INVENTORY_RUNTIME_DB_PASSWORD: z.string().optional(),
};

/**
 * The longest id or name a Temporal server takes by default (its dynamic config `limit.maxIDLength`):
 * namespaces, task queues, workflow ids.
 */
const TEMPORAL_MAX_NAME_LENGTH = 1000;

/** The longest name a Graph queue adds to INVENTORY_TASK_QUEUE (`-graph`, `-graph-<type>`). */
const LONGEST_QUEUE_SUFFIX = graphQueues(graphTaskQueueOf(''), 1)
  .map((q) => q.taskQueue)
  .reduce((longest, name) => (name.length > longest.length ? name : longest));

/** So that every Graph queue's name, too, is within Temporal's limit. */
const MAX_TASK_QUEUE_LENGTH = TEMPORAL_MAX_NAME_LENGTH - LONGEST_QUEUE_SUFFIX.length;

export const temporalEnv = {
  TEMPORAL_ADDRESS: envHostPort.default('localhost:7233'),
  /** Sent as gRPC metadata, which takes ASCII only; Temporal's own rule for namespace names. */
  TEMPORAL_NAMESPACE: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/, 'must contain only ASCII letters, digits, ".", "_" and "-"')
    .max(
      TEMPORAL_MAX_NAME_LENGTH,
      `must be at most ${TEMPORAL_MAX_NAME_LENGTH} characters (Temporal's limit)`,
    )
    .default('default'),
  /** Temporal Cloud API key; implies TLS. */
  TEMPORAL_API_KEY: envHeaderToken.optional(),
  /** Client certificate and key (PEM files) for mTLS; both or neither. */
  TEMPORAL_TLS_CERT_PATH: z.string().optional(),
  TEMPORAL_TLS_KEY_PATH: z.string().optional(),
  /** Workflows and database activities. Graph activities use `${INVENTORY_TASK_QUEUE}-graph`. */
  INVENTORY_TASK_QUEUE: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/, 'must contain only letters, digits, ".", "_" and "-"')
    .max(
      MAX_TASK_QUEUE_LENGTH,
      `must be at most ${MAX_TASK_QUEUE_LENGTH} characters (Temporal's limit of ${TEMPORAL_MAX_NAME_LENGTH}, less "${LONGEST_QUEUE_SUFFIX}" for the longest Graph queue)`,
    )
    .default('inventory-sync'),
};

/** GRAPH_MAX_PAGE_BYTES unless set: 64 MiB, several times the largest page Intune serves. */
export const DEFAULT_GRAPH_MAX_PAGE_BYTES = 64 * 1_024 ** 2;

export const graphEnv = {
  /** The national cloud: its Graph origin, Entra authority and token audience (graph/clouds.ts). */
  GRAPH_CLOUD: z
    .enum(GRAPH_CLOUD_NAMES, { error: `must be one of ${GRAPH_CLOUD_NAMES.join(', ')}` })
    .default('global'),
  /** Where Graph requests go (a gateway, a private endpoint); the audience stays the cloud's. */
  GRAPH_BASE_URL: envHttpsOrigin.optional(),
  /** Where token requests go; the audience stays the cloud's. */
  AZURE_AUTHORITY_HOST: envHttpsOrigin.optional(),
  /** The token audience for the rare case that is not the cloud's Graph, `<resource>/.default`. */
  GRAPH_TOKEN_SCOPE: envTokenScope.optional(),
  /** The app registration's application (client) id, a GUID. */
  AZURE_CLIENT_ID: z
    .guid({
      error: 'must be the application (client) id, a GUID such as 00000000-0000-0000-0000-000000000000',
    })
    .optional(),
  AZURE_CLIENT_SECRET: z.string().optional(),
  AZURE_CLIENT_CERTIFICATE_PATH: z.string().optional(),
  /**
   * One Graph or token request, headers and body. Below 1 s every request would time out; above
   * 2 minutes the page activity's start-to-close timeout (3 minutes, workflows/inventory-sync.ts)
   * would fire first, with a less useful failure.
   */
  GRAPH_REQUEST_TIMEOUT: envDurationRangeMs(1_000, 120_000, 'from 1s to 2m').default(30_000),
  /**
   * The longest successful Graph page the worker reads; a longer one fails its type with
   * `graph_page_too_large` (graph/client.ts). Intune pages hold at most a few hundred items of
   * whitelisted fields, well under 10 MiB even read without `$select`; pages of about 200 MB, seen
   * in the field, took the worker from 344 MB to 3.1 GB. Each page in flight may hold about this
   * much raw, and a few times it once parsed; a running sync has up to 2 × SYNC_TYPE_CONCURRENCY
   * pages in flight (each lane stores one while it fetches the next), at most one request each.
   */
  GRAPH_MAX_PAGE_BYTES: envByteSize(64 * 1_024, 256 * 1_024 ** 2).default(DEFAULT_GRAPH_MAX_PAGE_BYTES),
  /**
   * Whether syncs read each item's assignments (`$expand=assignments` or per-item requests in JSON
   * batches; graph/item-assignments.ts). Off: items only, fewer Graph requests, edges kept as last
   * observed.
   */
  SYNC_ASSIGNMENTS: envBoolean.default(true),
};

export const limitsEnv = {
  SYNC_MAX_CONCURRENT_GLOBAL: envPositiveInt.default(10),
  SYNC_MAX_CONCURRENT_PER_TENANT: envPositiveInt.default(2),
  /**
   * Policy types of one run enumerated in parallel, each with one Graph request in flight. Runs of one
   * tenant are separate (up to SYNC_MAX_CONCURRENT_PER_TENANT), so a tenant can have up to
   * SYNC_MAX_CONCURRENT_PER_TENANT × SYNC_TYPE_CONCURRENCY requests in flight (GRAPH_TENANT_RPS still
   * caps its request rate).
   */
  SYNC_TYPE_CONCURRENCY: envPositiveInt.default(4),
  /** How long a run waits for a free slot before it is recorded as skipped; 0 skips at once. */
  SYNC_SLOT_WAIT: envDurationMs.default(0),
  /** Graph requests per second for the whole Graph task queue (all tenants, all workers). */
  GRAPH_QUEUE_RPS: envPositiveNumber.default(200),
  /** Graph requests per second per tenant (Temporal fairness key); Intune allows 50/s per app per tenant. */
  GRAPH_TENANT_RPS: envPositiveNumber.default(20),
  /**
   * Explicit opt-out: start the worker even when the server does not take GRAPH_TENANT_RPS (no
   * fairness, no permission), with only GRAPH_QUEUE_RPS. Without it the worker refuses to start.
   */
  GRAPH_TENANT_RPS_OPTIONAL: envBoolean.default(false),
  /**
   * Failed attempts per Graph page before its policy type is recorded as failed; throttling (429,
   * 503) does not count, GRAPH_THROTTLE_BUDGET bounds it (graph/retry-budget.ts).
   */
  GRAPH_MAX_ATTEMPTS: envPositiveInt.default(10),
  /**
   * How long one page may stay throttled, from its first 429/503, waiting what Graph asks and
   * backing off: Graph's throttling can outlast any attempt count (issue 10).
   */
  GRAPH_THROTTLE_BUDGET: envDurationRangeMs(1_000, 24 * 3_600_000, 'from 1s to 24h').default(
    DEFAULT_THROTTLE_BUDGET_MS,
  ),
  /** Pages one workflow execution fetches before continuing as new (bounds its history). */
  SYNC_PAGES_PER_EXECUTION: envPositiveInt.default(500),
  /**
   * Pages one Graph activity reads (all types of the run together, pipelined) before it reports
   * its progress to the workflow; it also reports every 10 s, which is what keeps progress live,
   * so this only needs to stay within SYNC_PAGES_PER_EXECUTION (a report in mid-run costs a
   * workflow task and a pause of each lane's pipeline: measured 100 made latency-bound's 104-page
   * run 0.1 s slower). 1 is the design before issue 15: an activity per page.
   */
  SYNC_PAGES_PER_ACTIVITY: envPositiveInt.default(500),
};

export const workerEnv = {
  WORKER_MAX_CONCURRENT_ACTIVITIES: envPositiveInt.default(50),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: envPositiveInt.default(20),
  /**
   * On SIGINT/SIGTERM, how long in-flight activities may finish before they are cancelled; a
   * page is one Graph request (GRAPH_REQUEST_TIMEOUT) plus its upsert.
   */
  WORKER_SHUTDOWN_GRACE: envDurationMs.default(30_000),
};

/** The worker's operations endpoints (README "Operations"). */
export const metricsEnv = {
  /** The service's metrics, `/healthz` and `/readyz` (worker/metrics-server.ts); `off`: none. */
  METRICS_ADDRESS: envListenAddress.prefault('0.0.0.0:9464'),
  /** The Temporal SDK's own worker metrics, served by its Prometheus exporter; `off`: none. */
  TEMPORAL_METRICS_ADDRESS: envListenAddress.prefault('0.0.0.0:9465'),
};
