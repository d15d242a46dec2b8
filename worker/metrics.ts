/**
 * The service's Prometheus metrics (prom-client), one registry per worker process: what the
 * engine reports through its observers (graph/client.ts GraphObserver, graph/credentials.ts
 * TokenObserver, activities' RunObserver and PageObserver) becomes counters and histograms here.
 * The gauges read from the database at scrape time live in metrics-gauges.ts. Names, labels and
 * buckets are the catalogue the dashboard and alert rules under deploy/ are written against
 * (README "Operations"); change them only together.
 *
 * Pages are hot: each event costs one Map lookup of its policy type's cached label children and
 * prom-client's own label hash, nothing more.
 */
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { type PageObserver, type RunObserver } from '../activities';
import { type GraphObserver } from '../graph/client';
import { type TokenObserver } from '../graph/credentials';

/** Seconds, from a page-sized run to a fleet-sized one. */
export const RUN_DURATION_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200];
/** Seconds, one Graph exchange: Graph answers in tens of ms to seconds; GRAPH_REQUEST_TIMEOUT ≤ 2 min. */
export const GRAPH_REQUEST_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

const FINAL_STATUSES = ['success', 'partial', 'failed', 'skipped'] as const;
const STATUS_CLASSES = ['network', '2xx', '3xx', '4xx', '5xx'] as const;
type StatusClass = (typeof STATUS_CLASSES)[number];

/** `status_class` of an HTTP status; null (no answer) is `network`. */
export function statusClass(status: number | null): StatusClass {
  if (status === null || status < 200 || status > 599) return 'network';
  return `${Math.floor(status / 100)}xx` as StatusClass;
}

/** Graph's throttling answers (learn.microsoft.com/graph/throttling): 429, and 503 treated alike. */
function isThrottled(status: number | null): boolean {
  return status === 429 || status === 503;
}

export interface ServiceMetrics {
  registry: Registry;
  graph: GraphObserver;
  tokens: TokenObserver;
  runs: RunObserver;
  pages: PageObserver;
}

/** Label children of one policy type ("" for group-name reads), created on its first event. */
interface TypeChildren {
  requests: Record<StatusClass, Counter.Internal>;
  throttled: Counter.Internal;
  retryAfter: Counter.Internal;
  duration: Histogram.Internal<'policy_type'>;
  observed: Counter.Internal;
  written: { new: Counter.Internal; changed: Counter.Internal; unchanged: Counter.Internal };
}

/**
 * A new registry with the service's counters and histograms (and Node's process metrics prefixed
 * `inventory_worker_`), and the observers that feed them.
 */
export function createServiceMetrics(): ServiceMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'inventory_worker_' });
  // Gauges prom-client names `_total`, against Prometheus's naming rules (`promtool check metrics`
  // refuses them); what they count is of little use to operators.
  for (const name of ['active_handles_total', 'active_requests_total', 'active_resources_total']) {
    registry.removeSingleMetric(`inventory_worker_nodejs_${name}`);
  }
  const registers = [registry];

  const runsFinished = new Counter({
    name: 'inventory_sync_runs_finished_total',
    help: 'Sync runs that became final (finalized, skipped, or marked abandoned), by status.',
    labelNames: ['status'],
    registers,
  });
  const runErrors = new Counter({
    name: 'inventory_sync_run_errors_total',
    help: 'Stable error codes of runs that became final, one per code per run.',
    labelNames: ['error_code'],
    registers,
  });
  const runDuration = new Histogram({
    name: 'inventory_sync_run_duration_seconds',
    help: 'Time from start to finish of finalized and skipped runs, by status.',
    labelNames: ['status'],
    buckets: RUN_DURATION_BUCKETS,
    registers,
  });
  const itemsObserved = new Counter({
    name: 'inventory_items_observed_total',
    help: 'Items observed and stored by page activities, by policy type.',
    labelNames: ['policy_type'],
    registers,
  });
  const itemsWritten = new Counter({
    name: 'inventory_items_written_total',
    help: 'Rows the page upserts wrote, by policy type and whether the item was new, changed or unchanged.',
    labelNames: ['policy_type', 'change'],
    registers,
  });
  const graphRequests = new Counter({
    name: 'inventory_graph_requests_total',
    help: 'Graph requests as Graph counts them (each request inside a JSON batch), by policy type and status class.',
    labelNames: ['policy_type', 'status_class'],
    registers,
  });
  const graphThrottled = new Counter({
    name: 'inventory_graph_throttled_total',
    help: 'Graph answers 429 or 503, requests inside batches included, by policy type.',
    labelNames: ['policy_type'],
    registers,
  });
  const retryAfter = new Counter({
    name: 'inventory_graph_retry_after_seconds_total',
    help: 'Seconds requests waited to be sent again after Graph throttled them (Retry-After, or backoff without it).',
    labelNames: ['policy_type'],
    registers,
  });
  const graphDuration = new Histogram({
    name: 'inventory_graph_request_duration_seconds',
    help: 'One HTTP exchange with Graph (a page request or a batch envelope), send to body read, by policy type.',
    labelNames: ['policy_type'],
    buckets: GRAPH_REQUEST_BUCKETS,
    registers,
  });
  const tokenRequests = new Counter({
    name: 'inventory_token_requests_total',
    help: 'Access tokens Entra issued (success) or refused or failed to issue (failure); cache hits not counted.',
    labelNames: ['outcome'],
    registers,
  });
  const slotWaits = new Counter({
    name: 'inventory_sync_slot_waits_total',
    help: 'Runs that found no free concurrency slot and waited for one, by the cap that was full.',
    labelNames: ['scope'],
    registers,
  });

  const byType = new Map<string, TypeChildren>();
  function children(policyType: string | null): TypeChildren {
    const key = policyType ?? '';
    let found = byType.get(key);
    if (found === undefined) {
      found = {
        requests: Object.fromEntries(STATUS_CLASSES.map((c) => [c, graphRequests.labels(key, c)])) as Record<
          StatusClass,
          Counter.Internal
        >,
        throttled: graphThrottled.labels(key),
        retryAfter: retryAfter.labels(key),
        duration: graphDuration.labels(key),
        observed: itemsObserved.labels(key),
        written: {
          new: itemsWritten.labels(key, 'new'),
          changed: itemsWritten.labels(key, 'changed'),
          unchanged: itemsWritten.labels(key, 'unchanged'),
        },
      };
      byType.set(key, found);
    }
    return found;
  }
  const tokenOutcomes = {
    success: tokenRequests.labels('success'),
    failure: tokenRequests.labels('failure'),
  };
  const slotScopes = { global: slotWaits.labels('global'), tenant: slotWaits.labels('tenant') };
  // Series of fixed label sets exist from the start at 0, so ratios and rate() need no `or vector(0)`.
  for (const status of FINAL_STATUSES) runsFinished.labels(status).inc(0);
  for (const child of [...Object.values(tokenOutcomes), ...Object.values(slotScopes)]) child.inc(0);

  const throttleWait = (policyType: string | null, seconds: number) => {
    if (seconds > 0) children(policyType).retryAfter.inc(seconds);
  };

  return {
    registry,
    graph: {
      onRequests(policyType, status, count) {
        const c = children(policyType);
        c.requests[statusClass(status)].inc(count);
        if (isThrottled(status)) c.throttled.inc(count);
      },
      onExchange(policyType, seconds) {
        children(policyType).duration.observe(seconds);
      },
      onThrottleWait: throttleWait,
    },
    tokens: {
      onTokenRequest(outcome) {
        tokenOutcomes[outcome].inc();
      },
    },
    runs: {
      onRunFinished({ status, errorCodes, durationSeconds }) {
        runsFinished.labels(status).inc();
        for (const code of errorCodes) runErrors.labels(code).inc();
        if (durationSeconds !== null) runDuration.labels(status).observe(Math.max(0, durationSeconds));
      },
      onSlotWait(scope) {
        slotScopes[scope].inc();
      },
    },
    pages: {
      onPageStored(policyType, counts) {
        const c = children(policyType);
        c.observed.inc(counts.observed);
        c.written.new.inc(counts.new);
        c.written.changed.inc(counts.changed);
        c.written.unchanged.inc(counts.unchanged);
      },
      onThrottleWait: throttleWait,
    },
  };
}
