/**
 * What the fleet scenario's inputs alone allow: Graph's latency as the simulator draws it, and
 * the least time a sweep can take under the caps when orchestration, CPU and the database cost
 * nothing (BENCHMARKS.md "Fleet sweep" states the formula).
 */
import { MAX_BATCH_REQUESTS } from '../graph/batch';
import { STRICT_HEADROOM } from '../graph/request-pacing';
import { POLICY_TYPE_KEYS, policyType, type PolicyType } from '../inventory/policy-types';
import { type FaultRule } from '../simulator/types';

/** Every Graph request waits at least this long in the simulator … */
const LATENCY_BASE_MS = 150;
/** … plus this much for each of LATENCY_STEPS coins that come up heads: 150–350 ms, mean 250. */
const LATENCY_STEP_MS = 50;
const LATENCY_STEPS = 4;
export const LATENCY_MEAN_MS = LATENCY_BASE_MS + (LATENCY_STEP_MS * LATENCY_STEPS) / 2;

/**
 * The simulator's rules for Graph's latency, drawn per request from the tenant's seeded RNG
 * (binomial around 250 ms). Requests inside one JSON batch are served side by side, so a batch
 * takes as long as its slowest request.
 */
export const LATENCY_RULES: FaultRule[] = [
  { kind: 'latency', ms: LATENCY_BASE_MS },
  ...Array.from({ length: LATENCY_STEPS }, () => ({
    kind: 'latency' as const,
    ms: LATENCY_STEP_MS,
    probability: 0.5,
  })),
];

function binomial(n: number, k: number): number {
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - i + 1)) / i;
  return result;
}

/** Expected latency (ms) of a round trip carrying `requests` requests: the mean of the largest draw. */
export function expectedLatencyMs(requests: number): number {
  // P(one draw ≤ step s) as a cumulative binomial; E[max] = Σ over values of P(max ≥ value) steps.
  const cdf: number[] = [];
  let cumulative = 0;
  for (let s = 0; s <= LATENCY_STEPS; s++) {
    cumulative += binomial(LATENCY_STEPS, s) / 2 ** LATENCY_STEPS;
    cdf.push(cumulative);
  }
  let expected = LATENCY_BASE_MS;
  for (let s = 1; s <= LATENCY_STEPS; s++) expected += LATENCY_STEP_MS * (1 - cdf[s - 1]! ** requests);
  return expected;
}

export interface SweepCaps {
  globalCap: number;
  typeConcurrency: number;
  /** GRAPH_QUEUE_RPS: page activities per second for the whole Graph queue. */
  queueRps: number;
  /** GRAPH_TENANT_RPS: Graph requests per second per tenant (a batch's requests each count). */
  tenantRps: number;
}

export interface TenantInput {
  counts: Record<PolicyType, number>;
  pageSizes: Record<PolicyType, number>;
  /** `GET /groups/{id}` the tenant's sync reads (20 to a batch), as measured. */
  groupRequests: number;
}

export interface TenantBound {
  /** List requests (pages), one per page of every type, an empty type still one. */
  pages: number;
  /** Graph requests as Graph counts them: pages, per-item assignment reads, group reads. */
  graphRequests: number;
  /** HTTP round trips: pages, batches of per-item reads, group-name batches. */
  roundTrips: number;
  /** Least time of the run: latency on its lanes, or its request budget, whichever is longer. */
  ms: number;
}

/**
 * One run's least time (ms). Each type is a chain of round trips, each at its expected latency:
 * per page the list request and then ⌈items ÷ 20⌉ batches of per-item assignment reads, one
 * after the other; a type with its own documented rate also needs (pages − 1) of its spacing.
 * The chains run on `typeConcurrency` lanes (at least the longest chain and the sum ÷ lanes),
 * then the group-name batches follow. The request budget allows GRAPH_TENANT_RPS with the
 * worker's 1 s burst: (requests − rps) ÷ rps.
 */
export function tenantBound(tenant: TenantInput, caps: SweepCaps): TenantBound {
  let pages = 0;
  let graphRequests = tenant.groupRequests;
  let roundTrips = 0;
  const chains: number[] = [];
  for (const type of POLICY_TYPE_KEYS) {
    const def = policyType(type);
    const count = tenant.counts[type];
    const size = tenant.pageSizes[type];
    const typePages = Math.max(1, Math.ceil(count / size));
    let chainMs = 0;
    for (let page = 0; page < typePages; page++) {
      const items = Math.min(size, count - page * size);
      chainMs += expectedLatencyMs(1);
      roundTrips += 1;
      if (def.assignments !== 'perItem' || items <= 0) continue;
      graphRequests += items;
      for (let left = items; left > 0; left -= MAX_BATCH_REQUESTS) {
        chainMs += expectedLatencyMs(Math.min(left, MAX_BATCH_REQUESTS));
        roundTrips += 1;
      }
    }
    if (def.requestsPerSecond !== undefined) {
      chainMs = Math.max(chainMs, ((typePages - 1) * 1_000 * STRICT_HEADROOM) / def.requestsPerSecond);
    }
    pages += typePages;
    graphRequests += typePages;
    chains.push(chainMs);
  }
  let groupsMs = 0;
  for (let left = tenant.groupRequests; left > 0; left -= MAX_BATCH_REQUESTS) {
    groupsMs += expectedLatencyMs(Math.min(left, MAX_BATCH_REQUESTS));
    roundTrips += 1;
  }
  const lanesMs = Math.max(Math.max(...chains), chains.reduce((a, b) => a + b, 0) / caps.typeConcurrency);
  const budgetMs = (Math.max(0, graphRequests - caps.tenantRps) / caps.tenantRps) * 1_000;
  return { pages, graphRequests, roundTrips, ms: Math.max(lanesMs + groupsMs, budgetMs) };
}

export interface SweepBound {
  ms: number;
  /** The three terms; the largest is the bound. */
  terms: { globalCapMs: number; largestTenantMs: number; queueRateMs: number };
}

/**
 * The sweep's least time (ms): at least its longest run; at least the runs' total time spread
 * over `globalCap` slots (per-tenant cap 1: a tenant's run is one piece of work); at least its
 * pages at GRAPH_QUEUE_RPS.
 */
export function sweepBound(tenants: readonly TenantBound[], caps: SweepCaps): SweepBound {
  const terms = {
    globalCapMs: tenants.reduce((sum, t) => sum + t.ms, 0) / caps.globalCap,
    largestTenantMs: Math.max(...tenants.map((t) => t.ms)),
    queueRateMs: (tenants.reduce((sum, t) => sum + t.pages, 0) / caps.queueRps) * 1_000,
  };
  return { ms: Math.max(...Object.values(terms)), terms };
}
