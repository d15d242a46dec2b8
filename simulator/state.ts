/**
 * Everything the simulator holds in memory: registered clients, tenants with their items, fault
 * rules, token serials and request statistics. The admin API (in-process and over HTTPS) and the
 * request handlers all go through this class, so both kinds of admin client see the same rules.
 */
import { z } from 'zod';
import { POLICY_TYPE_KEYS, type PolicyType } from '../inventory/policy-types';
import {
  generateAssignments,
  undeclaredKeys,
  type AssignmentContext,
  type RawAssignment,
} from './assignments';
import { dataset, generateItem, type RawItem } from './data';
import { generateGroups, type DirectoryGroup } from './directory';
import { type GraphCloud } from '../graph/clouds';
import { type AssignmentFacts } from './datasets/shared';
import { FaultSet } from './faults';
import { deriveSeed, intBetween, seededRng, type Rng } from './random';
import { registerCertificate, type RegisteredCertificate } from './tokens';
import {
  SimulatorAdminError,
  faultRuleSchema,
  oneLineIssues,
  tenantSpecSchema,
  type ClientRegistration,
  type FaultRule,
  type ItemSummary,
  type SimulatorStats,
  type TenantSpec,
  type TenantStats,
  type TenantSummary,
} from './types';

const DEFAULT_PAGE_SIZE = 100;
/**
 * Graph pages configurationPolicies by 25 (REFERENCE.md), and compliancePolicies, served by the
 * same settings catalog service, are taken to page alike; other collections by 100.
 */
const DEFAULT_PAGE_SIZES: Partial<Record<PolicyType, number>> = {
  settingsCatalogPolicy: 25,
  compliancePolicy: 25,
};
const DEFAULT_COUNT_RANGE = [5, 40] as const;

interface TypeData {
  items: RawItem[];
  /** The same items by id: per-item requests must not scan a type of 100,000 items. */
  byId: Map<string, RawItem>;
  /**
   * Assignments by item id, generated on first use from a seed of the tenant, type and item (so
   * they do not depend on the order of requests) or set through the admin API.
   */
  assignments: Map<string, RawAssignment[]>;
  /** Continues the type's seeded stream, so generated additions are reproducible too. */
  rng: Rng;
  nextIndex: number;
}

export interface TenantState {
  readonly tenantId: string;
  readonly seed: number;
  readonly data: Map<PolicyType, TypeData>;
  readonly pageSizes: Partial<Record<PolicyType, number>>;
  readonly consentedClients: ReadonlySet<string> | null;
  /** False: the tenant has no usable Intune (TenantSpec.intuneProvisioned). */
  readonly intuneProvisioned: boolean;
  readonly forbiddenTypes: ReadonlySet<PolicyType>;
  readonly unlicensedTypes: ReadonlySet<PolicyType>;
  readonly disabledClients: ReadonlySet<string>;
  /** null: the simulator's own cloud. */
  readonly cloud: GraphCloud | null;
  readonly faults: FaultSet;
  /** The tenant's Entra groups, in creation order, and by id. */
  readonly groups: readonly DirectoryGroup[];
  readonly groupsById: ReadonlyMap<string, DirectoryGroup>;
  /** False: the app may not read groups (TenantSpec.groupsReadable). */
  readonly groupsReadable: boolean;
  /** Filters and policy sets as the tenant was created: what generated assignments refer to. */
  readonly assignmentContext: AssignmentContext;
  /** Shuffles $batch answers, reproducibly. */
  readonly batchRng: Rng;
  tokenSerial: number;
  revokedThroughSerial: number;
}

export interface ClientState {
  readonly clientId: string;
  readonly clientSecret: string | null;
  readonly clientSecretExpired: boolean;
  readonly certificates: readonly RegisteredCertificate[];
}

function emptyStats(): TenantStats {
  return {
    graphRequests: 0,
    tokenRequests: 0,
    byStatus: {},
    tokenByStatus: {},
    tokenScopes: {},
    byType: {},
    peakRequestsPerSecond: {},
    batchRequests: 0,
    batchedRequests: 0,
    batchedByType: {},
  };
}

const RATE_WINDOW_MS = 1_000;

function increment(record: Record<string, number>, key: string): void {
  record[key] = (record[key] ?? 0) + 1;
}

export class SimulatorState {
  readonly tenants = new Map<string, TenantState>();
  readonly clients = new Map<string, ClientState>();
  private tenantStats = new Map<string, TenantStats>();
  /** Arrival times (ms) of each tenant's and type's requests within the last RATE_WINDOW_MS. */
  private recentRequests = new Map<string, number[]>();
  private requestsByHost: Record<string, number> = {};
  private unattributedGraphRequests = 0;

  constructor(
    private readonly options: {
      seed: number;
      pageSizes: Partial<Record<PolicyType, number>>;
    },
  ) {}

  registerClient(client: ClientRegistration): void {
    this.clients.set(client.clientId, {
      clientId: client.clientId,
      clientSecret: client.clientSecret ?? null,
      clientSecretExpired: client.clientSecretExpired ?? false,
      certificates: client.certificatePem === undefined ? [] : [registerCertificate(client.certificatePem)],
    });
  }

  upsertTenant(input: TenantSpec): TenantSummary {
    const parsed = tenantSpecSchema.safeParse(input);
    if (!parsed.success)
      throw new SimulatorAdminError(400, `invalid tenant spec: ${oneLineIssues(parsed.error)}`);
    const spec = parsed.data;
    const seed = spec.seed ?? deriveSeed(this.options.seed, spec.tenantId);
    const countRng = seededRng(deriveSeed(seed, 'counts'));
    const data = new Map<PolicyType, TypeData>();
    for (const type of POLICY_TYPE_KEYS) {
      const defaultCount = intBetween(countRng, ...DEFAULT_COUNT_RANGE);
      const typeData: TypeData = {
        items: [],
        byId: new Map(),
        assignments: new Map(),
        rng: seededRng(deriveSeed(seed, type)),
        nextIndex: 0,
      };
      const count = spec.counts?.[type] ?? defaultCount;
      for (let i = 0; i < count; i++) {
        const item = generateItem(type, typeData.rng, typeData.nextIndex++);
        typeData.items.push(item);
        typeData.byId.set(item.id, item);
      }
      data.set(type, typeData);
    }
    const groups = generateGroups(seededRng(deriveSeed(seed, 'groups')));
    const idsOf = (type: PolicyType) => data.get(type)?.items.map((item) => item.id) ?? [];
    const previous = this.tenants.get(spec.tenantId);
    const tenant: TenantState = {
      tenantId: spec.tenantId,
      seed,
      data,
      pageSizes: spec.pageSizes ?? {},
      consentedClients: spec.consentedClients === undefined ? null : new Set(spec.consentedClients),
      intuneProvisioned: spec.intuneProvisioned ?? true,
      forbiddenTypes: new Set(spec.forbiddenTypes),
      unlicensedTypes: new Set(spec.unlicensedTypes),
      disabledClients: new Set(spec.disabledClients ?? []),
      cloud: spec.cloud ?? null,
      faults: new FaultSet(seededRng(deriveSeed(seed, 'faults'))),
      groups,
      groupsById: new Map(groups.map((group) => [group.id, group])),
      groupsReadable: spec.groupsReadable ?? true,
      assignmentContext: { groups, filterIds: idsOf('assignmentFilter'), policySetIds: idsOf('policySet') },
      batchRng: seededRng(deriveSeed(seed, 'batch')),
      // Tokens issued before a re-creation stay valid, as the tenant is the same directory.
      tokenSerial: previous?.tokenSerial ?? 0,
      revokedThroughSerial: previous?.revokedThroughSerial ?? 0,
    };
    tenant.faults.replace(spec.faults ?? []);
    this.tenants.set(spec.tenantId, tenant);
    return this.summary(tenant);
  }

  listTenants(): TenantSummary[] {
    return [...this.tenants.values()].map((t) => this.summary(t));
  }

  tenant(tenantId: string): TenantState {
    const tenant = this.tenants.get(tenantId);
    if (tenant === undefined) throw new SimulatorAdminError(404, `unknown tenant ${tenantId}`);
    return tenant;
  }

  items(tenantId: string, type: PolicyType): RawItem[] {
    return this.typeData(this.tenant(tenantId), type).items;
  }

  pageSize(tenant: TenantState, type: PolicyType): number {
    return (
      tenant.pageSizes[type] ?? this.options.pageSizes[type] ?? DEFAULT_PAGE_SIZES[type] ?? DEFAULT_PAGE_SIZE
    );
  }

  addItems(
    tenantId: string,
    type: PolicyType,
    items: ReadonlyArray<Partial<RawItem>> | number,
  ): ItemSummary[] {
    const typeData = this.typeData(this.tenant(tenantId), type);
    const additions: ReadonlyArray<Partial<RawItem>> =
      typeof items === 'number' ? Array.from({ length: items }, () => ({})) : items;
    const now = new Date().toISOString();
    const created = additions.map((fields) => {
      const generated = generateItem(type, typeData.rng, typeData.nextIndex++);
      return {
        ...generated,
        createdDateTime: now,
        lastModifiedDateTime: now,
        ...fields,
        id: fields.id ?? generated.id,
      };
    });
    typeData.items.push(...created);
    for (const item of created) typeData.byId.set(item.id, item);
    return created.map((item) => summarize(type, item));
  }

  /** The item of `type` with this id, or null. */
  findItem(tenant: TenantState, type: PolicyType, id: string): RawItem | null {
    return this.typeData(tenant, type).byId.get(id) ?? null;
  }

  renameItem(tenantId: string, type: PolicyType, id: string, newName: string): void {
    const item = this.existingItem(tenantId, type, id);
    item[dataset(type).nameProperty] = newName;
    item.lastModifiedDateTime = new Date().toISOString();
    if (typeof item.version === 'number') item.version += 1;
  }

  deleteItems(tenantId: string, type: PolicyType, ids: readonly string[]): number {
    const typeData = this.typeData(this.tenant(tenantId), type);
    const doomed = new Set(ids);
    const before = typeData.items.length;
    typeData.items = typeData.items.filter((item) => !doomed.has(item.id));
    for (const id of doomed) {
      typeData.byId.delete(id);
      typeData.assignments.delete(id);
    }
    return before - typeData.items.length;
  }

  /**
   * The ground truth: the assignments Graph serves for item `itemId` of `type` (generated on first
   * use, or as last set). Admin errors: unknown tenant or item (404), a type whose element type has
   * no `assignments` (400).
   */
  assignments(tenantId: string, type: PolicyType, itemId: string): RawAssignment[] {
    return this.assignmentsOf(this.tenant(tenantId), type, this.existingItem(tenantId, type, itemId));
  }

  /** The assignments of an existing item of a type that has them (request handlers' path: no checks). */
  assignmentsOf(tenant: TenantState, type: PolicyType, item: RawItem): RawAssignment[] {
    const typeData = this.typeData(tenant, type);
    let assignments = typeData.assignments.get(item.id);
    if (assignments === undefined) {
      const facts = assignmentFactsOf(type);
      const rng = seededRng(deriveSeed(tenant.seed, 'assignments', type, item.id));
      assignments = generateAssignments(facts, item, rng, tenant.assignmentContext);
      typeData.assignments.set(item.id, assignments);
    }
    return assignments;
  }

  /**
   * Replaces one item's assignments (what the next read serves). Each needs an `id` and a `target`
   * and only properties its type declares in Graph's metadata; else a 400 admin error.
   */
  setAssignments(
    tenantId: string,
    type: PolicyType,
    itemId: string,
    assignments: readonly RawAssignment[],
  ): void {
    const tenant = this.tenant(tenantId);
    this.existingItem(tenantId, type, itemId);
    const { entityType } = assignmentFactsOf(type);
    for (const assignment of assignments) {
      const undeclared = undeclaredKeys(entityType, assignment);
      if (undeclared.length > 0)
        throw new SimulatorAdminError(400, `${entityType} does not declare ${undeclared.join(', ')}`);
    }
    this.typeData(tenant, type).assignments.set(itemId, structuredClone([...assignments]));
  }

  /** The tenant's Entra groups (ids and names), in creation order. */
  groups(tenantId: string): DirectoryGroup[] {
    return [...this.tenant(tenantId).groups];
  }

  listItems(tenantId: string, type: PolicyType): ItemSummary[] {
    return this.items(tenantId, type).map((item) => summarize(type, item));
  }

  setFaults(tenantId: string, faults: readonly FaultRule[]): void {
    const parsed = z.array(faultRuleSchema).safeParse(faults);
    if (!parsed.success)
      throw new SimulatorAdminError(400, `invalid fault rules: ${oneLineIssues(parsed.error)}`);
    this.tenant(tenantId).faults.replace(parsed.data);
  }

  clearFaults(tenantId?: string): void {
    if (tenantId !== undefined) this.tenant(tenantId).faults.clear();
    else for (const tenant of this.tenants.values()) tenant.faults.clear();
  }

  revokeTokens(tenantId: string): void {
    const tenant = this.tenant(tenantId);
    tenant.revokedThroughSerial = tenant.tokenSerial;
  }

  recordHost(host: string): void {
    increment(this.requestsByHost, host);
  }

  /**
   * One Graph request and its outcome; a request inside a JSON batch (`batched`) counts like a
   * direct one, and also as batched.
   */
  recordGraph(tenantId: string | null, type: PolicyType | null, outcome: string, batched = false): void {
    if (tenantId === null) {
      this.unattributedGraphRequests += 1;
      return;
    }
    const stats = this.statsOf(tenantId);
    stats.graphRequests += 1;
    increment(stats.byStatus, outcome);
    if (batched) stats.batchedRequests += 1;
    if (type === null) return;
    increment(stats.byType, type);
    if (batched) increment(stats.batchedByType, type);
    const key = `${tenantId}\u0000${type}`;
    const now = Date.now();
    const recent = (this.recentRequests.get(key) ?? []).filter((at) => at > now - RATE_WINDOW_MS);
    recent.push(now);
    this.recentRequests.set(key, recent);
    stats.peakRequestsPerSecond[type] = Math.max(stats.peakRequestsPerSecond[type] ?? 0, recent.length);
  }

  /** One `POST /$batch` HTTP request (its sub-requests are recorded one by one). */
  recordBatch(tenantId: string | null): void {
    if (tenantId === null) this.unattributedGraphRequests += 1;
    else this.statsOf(tenantId).batchRequests += 1;
  }

  /** One token request, its outcome and the scope it asked for (null: none was read). */
  recordToken(tenantId: string, outcome: string, scope: string | null): void {
    const stats = this.statsOf(tenantId);
    stats.tokenRequests += 1;
    increment(stats.tokenByStatus, outcome);
    if (scope !== null) increment(stats.tokenScopes, scope);
  }

  stats(): SimulatorStats {
    return structuredClone({
      tenants: Object.fromEntries(this.tenantStats),
      requestsByHost: this.requestsByHost,
      unattributedGraphRequests: this.unattributedGraphRequests,
    });
  }

  resetStats(): void {
    this.tenantStats = new Map();
    this.recentRequests = new Map();
    this.requestsByHost = {};
    this.unattributedGraphRequests = 0;
  }

  private statsOf(tenantId: string): TenantStats {
    let stats = this.tenantStats.get(tenantId);
    if (stats === undefined) {
      stats = emptyStats();
      this.tenantStats.set(tenantId, stats);
    }
    return stats;
  }

  private typeData(tenant: TenantState, type: PolicyType): TypeData {
    const typeData = tenant.data.get(type);
    if (typeData === undefined) throw new SimulatorAdminError(400, `unknown policy type ${String(type)}`);
    return typeData;
  }

  private existingItem(tenantId: string, type: PolicyType, id: string): RawItem {
    const item = this.findItem(this.tenant(tenantId), type, id);
    if (item === null) throw new SimulatorAdminError(404, `no ${type} item ${id} in tenant ${tenantId}`);
    return item;
  }

  private summary(tenant: TenantState): TenantSummary {
    const counts = Object.fromEntries(
      POLICY_TYPE_KEYS.map((type) => [type, tenant.data.get(type)?.items.length ?? 0]),
    ) as Record<PolicyType, number>;
    return { tenantId: tenant.tenantId, seed: tenant.seed, counts };
  }
}

function assignmentFactsOf(type: PolicyType): AssignmentFacts {
  const facts = dataset(type).assignments;
  if (facts === undefined) throw new SimulatorAdminError(400, `${type} items have no assignments in Graph`);
  return facts;
}

function summarize(type: PolicyType, item: RawItem): ItemSummary {
  const name = item[dataset(type).nameProperty];
  return { id: item.id, name: typeof name === 'string' ? name : '' };
}
