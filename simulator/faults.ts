/**
 * Decides which injected faults apply to one request. Rules are data (see FaultRule); this module
 * keeps their mutable state (remaining count, token buckets) and draws probabilities from the
 * tenant's seeded RNG so that a fault scenario replays identically.
 */
import { type PolicyType } from '../inventory/policy-types';
import { type Rng } from './random';
import { type FaultRule, type RetryAfterStyle } from './types';

interface ActiveFault {
  readonly rule: FaultRule;
  remaining: number | null;
  /** Epoch ms after which the rule no longer fires (its `forMs`); null: no time limit. */
  until: number | null;
  /** Token bucket of a rateLimit rule. */
  bucket: { tokens: number; updatedAt: number } | null;
}

export interface RequestScope {
  endpoint: 'graph' | 'token';
  type?: PolicyType;
  page?: number;
  /** Whether the request carries `$select`. */
  select?: boolean;
  /** Whether the request came inside a JSON batch. */
  batched?: boolean;
  /** The item a per-item request is about (`/{collection}/{id}/assignments`). */
  itemId?: string;
}

/** A fault that decides the whole answer. */
export type TerminalFault =
  | { kind: 'status'; status: number; retryAfter: string | null; message?: string }
  | { kind: 'reset' }
  | { kind: 'hang' }
  | { kind: 'malformedJson' }
  | { kind: 'echoAuthorization'; status: number };

/** Faults that alter a successful page. */
export type PageFault = Extract<
  FaultRule,
  {
    kind:
      'itemsWithoutId' | 'nulInNames' | 'oversizedStrings' | 'nextLinkLoop' | 'foreignNextLink' | 'padPage';
  }
>;

export interface FaultOutcome {
  latencyMs: number;
  terminal: TerminalFault | null;
  pageFaults: PageFault[];
}

const PAGE_FAULT_KINDS = new Set<FaultRule['kind']>([
  'itemsWithoutId',
  'nulInNames',
  'oversizedStrings',
  'nextLinkLoop',
  'foreignNextLink',
  'padPage',
]);

function isPageFault(rule: FaultRule): rule is PageFault {
  return PAGE_FAULT_KINDS.has(rule.kind);
}

/** What a non-page rule does when it fires: delay the answer, or decide it. */
type Fired = { kind: 'latency'; ms: number } | TerminalFault;

export class FaultSet {
  private faults: ActiveFault[] = [];

  constructor(private readonly rng: Rng) {}

  /** Sets the rules; `now` (epoch ms) starts the time window of rules with `forMs`. */
  replace(rules: readonly FaultRule[], now = Date.now()): void {
    this.faults = rules.map((rule) => ({
      rule,
      remaining: rule.count ?? null,
      until: rule.forMs === undefined ? null : now + rule.forMs,
      bucket: null,
    }));
  }

  clear(): void {
    this.faults = [];
  }

  /** Evaluates the rules in order for one request and consumes what fires. */
  evaluate(scope: RequestScope, now: number): FaultOutcome {
    const outcome: FaultOutcome = { latencyMs: 0, terminal: null, pageFaults: [] };
    this.faults = this.faults.filter((f) => f.until === null || now < f.until);
    const candidates = this.faults.filter((f) => f.remaining !== 0 && matches(f.rule, scope));
    for (const fault of candidates) {
      if (isPageFault(fault.rule)) continue;
      const fired = this.fire(fault, now);
      if (fired === null) continue;
      if (fired.kind === 'latency') {
        outcome.latencyMs += fired.ms;
        continue;
      }
      // The first terminal fault decides the answer; later rules stay untouched.
      outcome.terminal = fired;
      break;
    }
    if (outcome.terminal === null && scope.endpoint === 'graph') {
      for (const fault of candidates) {
        if (!isPageFault(fault.rule) || !this.draw(fault)) continue;
        consume(fault);
        outcome.pageFaults.push(fault.rule);
      }
    }
    this.faults = this.faults.filter((f) => f.remaining !== 0);
    return outcome;
  }

  private draw(fault: ActiveFault): boolean {
    const p = fault.rule.probability;
    return p === undefined || this.rng() < p;
  }

  /** What a non-page rule does for this request, or null when it does not fire. */
  private fire(fault: ActiveFault, now: number): Fired | null {
    const rule = fault.rule;
    if (rule.kind === 'rateLimit') {
      const waitSeconds = takeToken(fault, rule.requestsPerSecond, rule.burst, now);
      if (waitSeconds === 0 || !this.draw(fault)) return null;
      consume(fault);
      const seconds = rule.retryAfterSeconds ?? waitSeconds;
      return {
        kind: 'status',
        status: 429,
        retryAfter: this.retryAfter(rule.retryAfter ?? 'seconds', seconds, now),
      };
    }
    if (!this.draw(fault)) return null;
    consume(fault);
    switch (rule.kind) {
      case 'latency':
        return { kind: 'latency', ms: rule.ms };
      case 'status':
        return {
          kind: 'status',
          status: rule.status,
          retryAfter: this.retryAfter(rule.retryAfter ?? 'none', rule.retryAfterSeconds ?? 1, now),
          ...(rule.message !== undefined && { message: rule.message }),
        };
      case 'echoAuthorization':
        return { kind: 'echoAuthorization', status: rule.status ?? 400 };
      case 'reset':
      case 'hang':
      case 'malformedJson':
        return { kind: rule.kind };
      default:
        return null;
    }
  }

  private retryAfter(style: RetryAfterStyle, seconds: number, now: number): string | null {
    const resolved = style === 'mixed' ? (this.rng() < 0.5 ? 'seconds' : 'none') : style;
    switch (resolved) {
      case 'none':
        return null;
      case 'seconds':
        // Graph sends whole seconds; 0 ("now") is legal and seen in the field.
        return String(Math.max(0, Math.ceil(seconds)));
      case 'fractional':
        return Math.max(0.001, seconds).toFixed(3);
      case 'http-date':
        // HTTP-dates have whole seconds: round up so the announced moment is never too early.
        return new Date(Math.ceil((now + seconds * 1_000) / 1_000) * 1_000).toUTCString();
    }
  }
}

function matches(rule: FaultRule, scope: RequestScope): boolean {
  if ((rule.endpoint ?? 'graph') !== scope.endpoint) return false;
  if (rule.type !== undefined && rule.type !== scope.type) return false;
  if (rule.page !== undefined && rule.page !== scope.page) return false;
  if (rule.select !== undefined && rule.select !== (scope.select ?? false)) return false;
  if (rule.batched !== undefined && rule.batched !== (scope.batched ?? false)) return false;
  if (rule.itemId !== undefined && rule.itemId !== scope.itemId) return false;
  // Page faults alter collection pages; other requests (an item's assignments, a group) have none.
  if (isPageFault(rule) && scope.page === undefined) return false;
  // The first page is addressed without a skiptoken, so there is no earlier link to loop back to.
  if (rule.kind === 'nextLinkLoop' && scope.page === 1) return false;
  return true;
}

function consume(fault: ActiveFault): void {
  if (fault.remaining !== null) fault.remaining -= 1;
}

/** Takes one token from the rule's bucket; returns 0 when granted, else seconds until one is free. */
function takeToken(fault: ActiveFault, rate: number, burst: number | undefined, now: number): number {
  const capacity = burst ?? Math.max(1, Math.floor(rate));
  fault.bucket ??= { tokens: capacity, updatedAt: now };
  const bucket = fault.bucket;
  bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.updatedAt) / 1_000) * rate);
  bucket.updatedAt = now;
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return 0;
  }
  return (1 - bucket.tokens) / rate;
}
