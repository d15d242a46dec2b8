/**
 * The simulator's public vocabulary: tenant specs, fault rules, statistics and the admin
 * interface. Tenant specs and fault rules are zod schemas because they arrive as JSON over the
 * admin API as well as in-process; the TypeScript types are inferred from them.
 */
import { z } from 'zod';
import { POLICY_TYPE_KEYS, type PolicyType } from '../inventory/policy-types';
import { InventoryError } from '../inventory/error-codes';
import { GRAPH_CLOUD_NAMES, type GraphCloud } from '../graph/clouds';
import { type RawAssignment } from './assignments';
import { type RawItem } from './data';

export type { RawAssignment, RawItem };

const policyTypeSchema = z.enum(POLICY_TYPE_KEYS as [PolicyType, ...PolicyType[]]);
const perType = <T extends z.ZodType>(value: T) => z.partialRecord(policyTypeSchema, value);

/** How a fault's Retry-After header is written; 'mixed' sends seconds on half the answers, none on the rest. */
export const retryAfterStyleSchema = z.enum(['seconds', 'fractional', 'http-date', 'none', 'mixed']);
export type RetryAfterStyle = z.infer<typeof retryAfterStyleSchema>;

const faultScope = {
  /** Which endpoint the rule applies to: Graph collections (default) or the token endpoint. */
  endpoint: z.enum(['graph', 'token']).optional(),
  /** Only requests for this policy type (Graph only; default: every type). */
  type: policyTypeSchema.optional(),
  /** Only this page of a collection, 1 = the first page (Graph only; default: every page). */
  page: z.number().int().min(1).optional(),
  /** The rule expires after firing this many times (default: never). */
  count: z.number().int().min(1).optional(),
  /** Fires with this probability, drawn from the tenant's seeded RNG (default: always). */
  probability: z.number().min(0).max(1).optional(),
  /**
   * Fires only during the first `forMs` after the rule was set, then expires: "429 for 20 s" is
   * a throttling episode of that length whatever the client does (default: no time limit).
   */
  forMs: z.number().int().min(1).max(3_600_000).optional(),
  /**
   * Only requests that carry `$select` (true) or that do not (false); Graph has endpoints that
   * fail with `$select` and answer without it (microsoft-graph-docs #14937). Default: both.
   */
  select: z.boolean().optional(),
  /**
   * Only requests inside a JSON batch (true: each sub-request is matched on its own and answered
   * inside the batch response, e.g. its own 429 and Retry-After) or only direct ones (false).
   * Default: both. A `reset`, `hang` or `malformedJson` that fires for a sub-request spoils the
   * whole batch response, as there is no way to answer one sub-request that way.
   */
  batched: z.boolean().optional(),
  /** Only requests about this item: its `/assignments` (Graph only; default: every request). */
  itemId: z.string().min(1).optional(),
};

const retryAfter = {
  retryAfter: retryAfterStyleSchema.optional(),
  /**
   * Seconds announced in Retry-After (default 1; 'fractional' sends it with three decimals;
   * 'seconds' sends 0 as 0), or with 'http-date' seconds from now, negative for a date in the past.
   */
  retryAfterSeconds: z.number().min(-86_400).max(3_600).optional(),
};

export const faultRuleSchema = z.discriminatedUnion('kind', [
  /** Delays the answer (adds to the global latency). */
  z.strictObject({ kind: z.literal('latency'), ms: z.number().int().min(0).max(600_000), ...faultScope }),
  /**
   * A per-tenant token bucket: requests beyond `requestsPerSecond` (bursts up to `burst`, default
   * one second's worth) get 429. Retry-After defaults to the time until the bucket has a token.
   */
  z.strictObject({
    kind: z.literal('rateLimit'),
    requestsPerSecond: z.number().positive(),
    burst: z.number().int().min(1).optional(),
    ...retryAfter,
    ...faultScope,
  }),
  z.strictObject({
    kind: z.literal('status'),
    status: z.literal([400, 401, 403, 404, 429, 500, 502, 503, 504]),
    /** Graph's `error.message` to answer with (default: the status's usual one). */
    message: z.string().min(1).max(1_000).optional(),
    ...retryAfter,
    ...faultScope,
  }),
  /** Destroys the connection without answering. */
  z.strictObject({ kind: z.literal('reset'), ...faultScope }),
  /** Never answers; the client's timeout has to fire. */
  z.strictObject({ kind: z.literal('hang'), ...faultScope }),
  /** 200 with a body that is not JSON. */
  z.strictObject({ kind: z.literal('malformedJson'), ...faultScope }),
  /** Adds `n` items without an id (or with an empty one) to the page. */
  z.strictObject({ kind: z.literal('itemsWithoutId'), n: z.number().int().min(1).max(1_000), ...faultScope }),
  /** Puts U+0000 into every name on the page. */
  z.strictObject({ kind: z.literal('nulInNames'), ...faultScope }),
  /** Names and descriptions of `length` characters (default 100,000). */
  z.strictObject({
    kind: z.literal('oversizedStrings'),
    length: z.number().int().min(1).max(5_000_000).optional(),
    ...faultScope,
  }),
  /**
   * Pads a successful page's body to at least `bytes` bytes (a `@sim.padding` member the client
   * ignores), streamed so the simulator never holds it: a page larger than a client should read.
   */
  z.strictObject({
    kind: z.literal('padPage'),
    bytes: z
      .number()
      .int()
      .min(1)
      .max(8 * 1_024 ** 3),
    ...faultScope,
  }),
  /** The page's nextLink points back to the previous page (or to itself on page 2). */
  z.strictObject({ kind: z.literal('nextLinkLoop'), ...faultScope }),
  /** The page's nextLink points to another origin (default: the simulator as https://127.0.0.1:PORT). */
  z.strictObject({ kind: z.literal('foreignNextLink'), origin: z.url().optional(), ...faultScope }),
  /** An error answer (default 400) whose body quotes the request's Authorization header. */
  z.strictObject({
    kind: z.literal('echoAuthorization'),
    status: z.number().int().min(400).max(599).optional(),
    ...faultScope,
  }),
]);
export type FaultRule = z.infer<typeof faultRuleSchema>;

export const tenantSpecSchema = z.strictObject({
  tenantId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,99}$/, 'must be a GUID or a domain name'),
  /** Seed of the tenant's data; default: derived from the simulator seed and the tenant id. */
  seed: z.number().int().min(0).max(4_294_967_295).optional(),
  /** Items per policy type; unspecified types get a seeded count between 5 and 40. */
  counts: perType(z.number().int().min(0).max(1_000_000)).optional(),
  /** Page sizes for this tenant, overriding the simulator's. */
  pageSizes: perType(z.number().int().min(1).max(1_000)).optional(),
  /** Client ids consented in this tenant; default: every registered client. */
  consentedClients: z.array(z.string()).optional(),
  /**
   * false: a tenant without usable Intune (no licence, or no MDM authority): every Intune
   * collection answers 400 "Request not applicable to target tenant."; Entra's and Windows 365's
   * collections are served. Default true.
   */
  intuneProvisioned: z.boolean().optional(),
  /** Types the app lacks the permission for: 403 naming the scopes Graph lists for the collection. */
  forbiddenTypes: z.array(policyTypeSchema).optional(),
  /** Types the tenant has no licence for (e.g. Windows update profiles without Windows E3/E5): 403. */
  unlicensedTypes: z.array(policyTypeSchema).optional(),
  /**
   * Client ids whose enterprise application (service principal) an administrator disabled in this
   * tenant: Entra answers AADSTS7000112.
   */
  disabledClients: z.array(z.string()).optional(),
  /**
   * The cloud the tenant lives in; default: the simulator's. A token request for a tenant of another
   * cloud is answered AADSTS900382, as Entra answers a confidential client asking across clouds.
   */
  cloud: z.enum(GRAPH_CLOUD_NAMES).optional(),
  /**
   * false: the app holds no permission to read groups (no GroupMember.Read.All, Group.Read.All or
   * Directory.Read.All): `/groups` answers Entra's 403 Authorization_RequestDenied. Default true.
   */
  groupsReadable: z.boolean().optional(),
  faults: z.array(faultRuleSchema).optional(),
});
export type TenantSpec = z.infer<typeof tenantSpecSchema>;

export interface ClientRegistration {
  clientId: string;
  clientSecret?: string;
  /** PEM certificate whose key signs `client_assertion`s (ClientCertificateCredential). */
  certificatePem?: string;
  /** The secret is right but past its end date: Entra answers AADSTS7000222. */
  clientSecretExpired?: boolean;
}

export interface SimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Listening address; default 127.0.0.1. */
  host?: string;
  /** Where the CA and server certificate live (created on first start). */
  tlsDir: string;
  seed?: number;
  clients?: ClientRegistration[];
  tenants?: TenantSpec[];
  /** Access token lifetime; default 3599 s as Entra issues. */
  tokenLifetimeSeconds?: number;
  /** Page size per type; default 25 for settings catalog policies and 100 for everything else. */
  pageSizes?: Partial<Record<PolicyType, number>>;
  /** Added to every Graph request. */
  latencyMs?: number;
  /**
   * The national cloud the simulator plays (default global): its Graph accepts only tokens for that
   * cloud's Graph audience, and its authority refuses tenants of other clouds.
   */
  cloud?: GraphCloud;
}

export interface ItemSummary {
  id: string;
  name: string;
}

/** An Entra group of a tenant, as far as assignments and their names need it. */
export interface GroupSummary {
  id: string;
  displayName: string;
}

export interface TenantSummary {
  tenantId: string;
  seed: number;
  counts: Record<PolicyType, number>;
}

export interface TenantStats {
  graphRequests: number;
  tokenRequests: number;
  /** Graph answers by status ("200", "429", …) plus "reset" and "hang" for injected failures. */
  byStatus: Record<string, number>;
  /** Token endpoint answers by status. */
  tokenByStatus: Record<string, number>;
  /** Token requests by the `scope` they asked for. */
  tokenScopes: Record<string, number>;
  /** Graph requests per policy type. */
  byType: Partial<Record<PolicyType, number>>;
  /**
   * Per policy type, the most Graph requests that arrived within any one second (a sliding
   * 1,000 ms window): what a per-type rate limit must keep at or below its rate.
   */
  peakRequestsPerSecond: Partial<Record<PolicyType, number>>;
  /** `POST /$batch` HTTP requests; their sub-requests count in `graphRequests` like direct ones. */
  batchRequests: number;
  /** Of `graphRequests`, those that came inside a batch. */
  batchedRequests: number;
  /** Of `byType`, those that came inside a batch. */
  batchedByType: Partial<Record<PolicyType, number>>;
}

export interface SimulatorStats {
  tenants: Record<string, TenantStats>;
  /** Every request the server received (admin included), by Host header. */
  requestsByHost: Record<string, number>;
  /** Graph requests whose token could not be attributed to a tenant (missing, malformed, forged). */
  unattributedGraphRequests: number;
}

/** Control surface used by tests, benchmarks and the dev stack; in-process or over HTTPS. */
export interface SimulatorAdmin {
  /** Creates the tenant, or re-creates it (fresh data from the spec; statistics are kept). */
  upsertTenant(spec: TenantSpec): Promise<TenantSummary>;
  listTenants(): Promise<TenantSummary[]>;
  /** Appends items: generated ones (a count) or given fields merged over generated ones. */
  addItems(
    tenantId: string,
    type: PolicyType,
    items: Array<Partial<RawItem>> | number,
  ): Promise<ItemSummary[]>;
  renameItem(tenantId: string, type: PolicyType, id: string, newName: string): Promise<void>;
  /** Returns how many of the ids existed. */
  deleteItems(tenantId: string, type: PolicyType, ids: string[]): Promise<number>;
  listItems(tenantId: string, type: PolicyType): Promise<ItemSummary[]>;
  /** The item's assignments as Graph serves them under /beta (the ground truth). */
  assignments(tenantId: string, type: PolicyType, itemId: string): Promise<RawAssignment[]>;
  /**
   * Replaces the item's assignments; each needs `id` and `target` and only properties the type's
   * assignment entity declares in Graph's metadata (else SimulatorAdminError 400).
   */
  setAssignments(
    tenantId: string,
    type: PolicyType,
    itemId: string,
    assignments: RawAssignment[],
  ): Promise<void>;
  /** The tenant's Entra groups. */
  groups(tenantId: string): Promise<GroupSummary[]>;
  setFaults(tenantId: string, faults: FaultRule[]): Promise<void>;
  /** Clears one tenant's faults, or every tenant's. */
  clearFaults(tenantId?: string): Promise<void>;
  /** Every token issued so far for the tenant is rejected from now on (401). */
  revokeTokens(tenantId: string): Promise<void>;
  stats(): Promise<SimulatorStats>;
  resetStats(): Promise<void>;
}

export interface GraphSimulator {
  /** https://localhost:PORT — the name the certificate is issued for. */
  baseUrl: string;
  /** The Entra-like authority; the same origin as baseUrl. */
  authorityHost: string;
  /** The cloud it plays: its tokens carry that cloud's Graph audience. */
  cloud: GraphCloud;
  port: number;
  caCertPath: string;
  admin: SimulatorAdmin;
  close(): Promise<void>;
}

/** A refused admin request (unknown tenant or item, invalid spec); `status` is its HTTP status. */
export class SimulatorAdminError extends InventoryError {
  override readonly name = 'SimulatorAdminError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super('invalid_input', message);
  }
}

/** zod issues as one line, for admin error messages. */
export function oneLineIssues(error: z.ZodError): string {
  return z.prettifyError(error).replace(/\s*\n\s*/g, '; ');
}
