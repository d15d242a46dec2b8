/**
 * missing-query: the derived "missing" listing at catalog scale. 100 tenants × 10,000 items
 * (1,000,000 rows) over ten policy types, each tenant with a history of hourly runs of the
 * benchmark selection (five of the types) and a few runs of another selection (the other five);
 * 10 % of the items were last seen by an earlier run than their selection's latest one, so they are
 * missing. The data is loaded set-based as the owner, then listed as the service does:
 * `listMissing` on the runtime connection (row-level security applies), first page and a full
 * walk along nextCursor. Why: the listing must stay interactive however large the table grows,
 * which holds only if the plan reads one tenant's index range and never the table; EXPLAIN
 * ANALYZE of the page statement checks exactly that.
 */
import { performance } from 'node:perf_hooks';
import { listMissing, missingItemsStatement, type MissingResult } from '../../db/repositories/missing';
import { queryRows } from '../../db/sql';
import { withTenant } from '../../db/tenant-scope';
import { POLICY_TYPE_KEYS, policyType } from '../../inventory/policy-types';
import { canonicalSelectionJson, selectionScope } from '../../inventory/selection';
import { selectionHash } from '../../inventory/selection-hash';
import { check, median, percentile, row } from '../report';
import { type Scenario } from '../scenario';
import { type BenchStack } from '../stack';
import { selectionOf } from '../sync-runs';

const TYPES = POLICY_TYPE_KEYS.slice(0, 10);
/** Every other type, so in-scope and out-of-scope types interleave in the index. */
const SELECTION = selectionOf(TYPES.filter((_, i) => i % 2 === 0));
const OTHER_SELECTION = selectionOf(TYPES.filter((_, i) => i % 2 === 1));
/** Run histories: 20 hourly runs of the benchmark selection, 4 runs of the other every 5 hours. */
const HISTORIES = [
  { selection: SELECTION, runs: 20, everyMinutes: 60, offsetMinutes: 0 },
  { selection: OTHER_SELECTION, runs: 4, everyMinutes: 300, offsetMinutes: 30 },
];
const PAGE_LIMIT = 100;
const MISSING_INDEX = 'inventory_items_missing_idx';
/** Tenants per item INSERT: a handful of statements, each a progress line. */
const TENANTS_PER_STATEMENT = 10;

/**
 * Tenants, then every tenant's run history, in one statement. All runs are completed ('success'
 * with finished_at), so none counts against the live-run limits of scenarios that run later.
 */
const TENANTS_AND_RUNS_SQL = `
  WITH new_tenants AS (
    INSERT INTO tenants (id, display_name)
    SELECT gen_random_uuid(), format('bench missing-query %s', n) FROM generate_series(1, $1::int) AS n
    RETURNING id
  ), new_runs AS (
    INSERT INTO inventory_sync_runs
      (tenant_id, selection_hash, selection_payload, status, started_at, finished_at, created_at)
    SELECT t.id, h.hash, h.payload::jsonb, 'success', s.started, s.started + interval '10 minutes', s.started
    FROM new_tenants AS t
    CROSS JOIN unnest($2::text[], $3::text[], $4::int[], $5::int[], $6::int[])
      AS h (hash, payload, runs, every_minutes, offset_minutes)
    CROSS JOIN LATERAL generate_series(0, h.runs - 1) AS k
    CROSS JOIN LATERAL (
      SELECT date_trunc('hour', now()) - interval '1 day' + make_interval(mins => h.offset_minutes + k * h.every_minutes)
    ) AS s (started)
  )
  SELECT id FROM new_tenants`;

/**
 * Items of a group of tenants. Item i has type i % 10; it is missing when (i / 10) % 10 = 0 (10 % of
 * every type), and then was last seen by one of the earlier runs of its type's selection, else by
 * that selection's latest run, a few seconds into it. Both satisfy the composite foreign key.
 */
const ITEMS_SQL = `
  WITH types AS (
    SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::int[]) WITH ORDINALITY
      AS ty (key, category, hash, runs, ord)
  ), runs AS (
    SELECT tenant_id, selection_hash, id, started_at,
           row_number() OVER (PARTITION BY tenant_id, selection_hash ORDER BY started_at) - 1 AS k
    FROM inventory_sync_runs WHERE tenant_id = ANY($1::uuid[])
  )
  INSERT INTO inventory_items
    (tenant_id, policy_type, external_id, display_name, platform, category, meta_jsonb, last_seen_at, last_seen_run_id)
  SELECT t.id, ty.key, gen_random_uuid()::text, format('Bench policy %s', i), 'windows', ty.category,
         jsonb_build_object('@odata.type', '#microsoft.graph.' || ty.key, 'description', 'benchmark item',
                            'version', i % 7, 'roleScopeTagIds', jsonb_build_array('0')),
         r.started_at + make_interval(secs => i % 300), r.id
  FROM unnest($1::uuid[]) AS t (id)
  CROSS JOIN generate_series(0, $6::int - 1) AS i
  JOIN types AS ty ON ty.ord = i % 10 + 1
  JOIN runs AS r ON r.tenant_id = t.id AND r.selection_hash = ty.hash
    AND r.k = CASE WHEN (i / 10) % 10 = 0 THEN (i / 100) % (ty.runs - 1) ELSE ty.runs - 1 END`;

/** What an independent COUNT says listMissing must return, per tenant, and the tenant's size. */
const EXPECTED_SQL = `
  SELECT b.tenant_id,
         (SELECT count(*) FROM inventory_items AS i
          WHERE i.tenant_id = b.tenant_id AND i.policy_type = ANY($2::text[]) AND i.last_seen_at < b.started_at)::int
           AS missing,
         (SELECT count(*) FROM inventory_items AS i WHERE i.tenant_id = b.tenant_id)::int AS total
  FROM (
    SELECT DISTINCT ON (tenant_id) tenant_id, started_at FROM inventory_sync_runs
    WHERE tenant_id = ANY($1::uuid[]) AND selection_hash = $3 AND status IN ('success', 'partial', 'failed')
    ORDER BY tenant_id, started_at DESC
  ) AS b`;

interface LoadTimes {
  tenantsAndRunsMs: number;
  itemsMs: number;
  vacuumAnalyzeMs: number;
  totalMs: number;
}

/** Loads the tenants, runs and items; returns the tenant ids and the phase timings. */
async function load(
  stack: BenchStack,
  tenantCount: number,
  itemsPerTenant: number,
  say: (line: string) => void,
): Promise<{ tenants: string[]; ms: LoadTimes }> {
  // The load crosses tenants, which only an owner that bypasses row-level security may do.
  const [role] = await queryRows<{ bypass: boolean }>(
    stack.owner,
    'SELECT rolsuper OR rolbypassrls AS bypass FROM pg_roles WHERE rolname = current_user',
  );
  if (!role?.bypass) throw new Error('the owner connection must bypass row-level security to load');

  let started = performance.now();
  const tenants = (
    await queryRows<{ id: string }>(stack.owner, TENANTS_AND_RUNS_SQL, [
      tenantCount,
      HISTORIES.map((h) => selectionHash(h.selection)),
      HISTORIES.map((h) => canonicalSelectionJson(h.selection)),
      HISTORIES.map((h) => h.runs),
      HISTORIES.map((h) => h.everyMinutes),
      HISTORIES.map((h) => h.offsetMinutes),
    ])
  ).map((t) => t.id);
  const tenantsAndRunsMs = performance.now() - started;

  started = performance.now();
  const history = (type: string) =>
    HISTORIES.find((h) => selectionScope(h.selection).some((t) => t === type))!;
  for (let first = 0; first < tenants.length; first += TENANTS_PER_STATEMENT) {
    await stack.owner.query(ITEMS_SQL, [
      tenants.slice(first, first + TENANTS_PER_STATEMENT),
      TYPES,
      TYPES.map((type) => policyType(type).category),
      TYPES.map((type) => selectionHash(history(type).selection)),
      TYPES.map((type) => history(type).runs),
      itemsPerTenant,
    ]);
    const done = Math.min(first + TENANTS_PER_STATEMENT, tenants.length) * itemsPerTenant;
    say(`  items: ${done.toLocaleString('en')} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  const itemsMs = performance.now() - started;

  // What autovacuum does after a bulk insert: statistics, plus the visibility map and hint bits,
  // so the first measured queries do not pay for the load.
  started = performance.now();
  for (const table of ['tenants', 'inventory_sync_runs', 'inventory_items']) {
    await stack.owner.query(`VACUUM (ANALYZE) ${table}`);
  }
  const vacuumAnalyzeMs = performance.now() - started;
  return {
    tenants,
    ms: { tenantsAndRunsMs, itemsMs, vacuumAnalyzeMs, totalMs: tenantsAndRunsMs + itemsMs + vacuumAnalyzeMs },
  };
}

type Listed = Extract<MissingResult, { items: unknown }>;

async function firstPage(stack: BenchStack, tenantId: string): Promise<Listed> {
  const page = await withTenant(stack.runtime, tenantId, (tx) =>
    listMissing(tx, tenantId, SELECTION, { limit: PAGE_LIMIT }),
  );
  if (page.basis === null) throw new Error(`tenant ${tenantId} has no basis run`);
  return page;
}

/** Every missing item of the tenant, page by page along nextCursor. */
async function walk(
  stack: BenchStack,
  tenantId: string,
): Promise<{ rows: number; distinct: number; pages: number }> {
  const keys = new Set<string>();
  let rows = 0;
  let pages = 0;
  let after: string | undefined;
  do {
    const page = await withTenant(stack.runtime, tenantId, (tx) =>
      listMissing(tx, tenantId, SELECTION, {
        limit: PAGE_LIMIT,
        ...(after && { after }),
      }),
    );
    if (page.basis === null) throw new Error(`tenant ${tenantId} has no basis run`);
    for (const item of page.items) keys.add(`${item.policyType}/${item.externalId}`);
    rows += page.items.length;
    pages++;
    after = page.nextCursor ?? undefined;
  } while (after);
  return { rows, distinct: keys.size, pages };
}

/** One node of `EXPLAIN (FORMAT JSON)` output, with the fields read here. */
interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  'Shared Hit Blocks': number;
  'Shared Read Blocks': number;
  Plans?: PlanNode[];
}

function planNodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(planNodes)];
}

/** EXPLAIN ANALYZE of the first page statement, as the tenant on the runtime connection. */
async function explainFirstPage(stack: BenchStack, tenantId: string, basisRunId: string) {
  const statement = missingItemsStatement({
    tenantId,
    scope: selectionScope(SELECTION),
    completeTypes: selectionScope(SELECTION),
    basisRunId,
    after: null,
    limit: PAGE_LIMIT + 1,
  });
  const [output] = await withTenant(stack.runtime, tenantId, async (manager) => {
    const [result] = await queryRows<{
      'QUERY PLAN': Array<{ Plan: PlanNode; 'Planning Time': number; 'Execution Time': number }>;
    }>(manager, `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${statement.sql}`, statement.params);
    return result!['QUERY PLAN'];
  });
  const nodes = planNodes(output!.Plan);
  const itemScans = nodes.filter((node) => node['Relation Name'] === 'inventory_items');
  return {
    nodes: nodes.map(
      (node) =>
        node['Node Type'] +
        (node['Index Name'] ? ` using ${node['Index Name']}` : '') +
        (node['Relation Name'] ? ` on ${node['Relation Name']}` : ''),
    ),
    usesMissingIndex: itemScans.some(
      (node) =>
        (node['Node Type'] === 'Index Scan' || node['Node Type'] === 'Index Only Scan') &&
        node['Index Name'] === MISSING_INDEX,
    ),
    seqScan: itemScans.some((node) => node['Node Type'] === 'Seq Scan'),
    // Per-loop averages in EXPLAIN, hence × loops.
    itemRowsTouched: itemScans.reduce(
      (sum, node) =>
        sum +
        (node['Actual Rows'] +
          (node['Rows Removed by Filter'] ?? 0) +
          (node['Rows Removed by Index Recheck'] ?? 0)) *
          node['Actual Loops'],
      0,
    ),
    sharedHitBlocks: output!.Plan['Shared Hit Blocks'],
    sharedReadBlocks: output!.Plan['Shared Read Blocks'],
    planningMs: output!['Planning Time'],
    executionMs: output!['Execution Time'],
  };
}

export const missingQuery: Scenario = {
  name: 'missing-query',
  summary: 'derived-missing query over 1,000,000 rows',
  async run({ stack, quick, say }) {
    const tenantCount = quick ? 10 : 100;
    const itemsPerTenant = quick ? 2_000 : 10_000;
    const measurements = quick ? 10 : 50;

    say(`  loading ${tenantCount} tenants × ${itemsPerTenant.toLocaleString('en')} items …`);
    const { tenants, ms: loadMs } = await load(stack, tenantCount, itemsPerTenant, say);
    say(`  loaded in ${(loadMs.totalMs / 1000).toFixed(1)} s`);
    const expected = new Map(
      (
        await queryRows<{ tenant_id: string; missing: number; total: number }>(stack.owner, EXPECTED_SQL, [
          tenants,
          selectionScope(SELECTION),
          selectionHash(SELECTION),
        ])
      ).map((r) => [r.tenant_id, r]),
    );

    // Warm-up: JIT and the runtime pool's connections.
    for (const tenantId of tenants.slice(0, 3)) await walk(stack, tenantId);

    // Round-robin over the tenants, so consecutive listings read different index ranges.
    const firstPageMs: number[] = [];
    let firstPagesNonEmpty = true;
    let basisRunId = '';
    for (let n = 0; n < measurements; n++) {
      const tenantId = tenants[n % tenants.length]!;
      const began = performance.now();
      const page = await firstPage(stack, tenantId);
      firstPageMs.push(performance.now() - began);
      firstPagesNonEmpty &&= page.items.length > 0;
      if (n === 0) basisRunId = page.basis.runId;
    }
    say(
      `  first page: p50 ${median(firstPageMs).toFixed(1)} ms, p95 ${percentile(firstPageMs, 95).toFixed(1)} ms`,
    );

    const walkMs: number[] = [];
    const walkRows: number[] = [];
    const walkPages: number[] = [];
    let walksExact = true;
    for (let n = 0; n < measurements; n++) {
      const tenantId = tenants[n % tenants.length]!;
      const began = performance.now();
      const walked = await walk(stack, tenantId);
      walkMs.push(performance.now() - began);
      walkRows.push(walked.rows);
      walkPages.push(walked.pages);
      const want = expected.get(tenantId)?.missing;
      walksExact &&= walked.rows === want && walked.distinct === want;
    }
    say(`  full walk: p50 ${median(walkMs).toFixed(1)} ms, p95 ${percentile(walkMs, 95).toFixed(1)} ms`);

    const explainedTenant = tenants[0]!;
    const tenantRows = expected.get(explainedTenant)?.total ?? 0;
    const plan = await explainFirstPage(stack, explainedTenant, basisRunId);
    const planOk = plan.usesMissingIndex && !plan.seqScan && plan.itemRowsTouched <= tenantRows;
    say(`  plan: ${plan.nodes.join(' > ')}; ${plan.itemRowsTouched} item rows touched`);

    const expectedMissing = [...expected.values()].map((e) => e.missing);
    const note = `${measurements} runs, ${tenantCount} tenants, ${(tenantCount * itemsPerTenant).toLocaleString('en')} rows`;
    return {
      rows: [
        row({ scenario: 'missing-query', metric: 'first page p50', value: median(firstPageMs), unit: 'ms' }),
        row({
          scenario: 'missing-query',
          metric: 'first page p95',
          value: percentile(firstPageMs, 95),
          unit: 'ms',
          target: { kind: 'max', limit: 50 },
          note,
        }),
        row({ scenario: 'missing-query', metric: 'full walk p50', value: median(walkMs), unit: 'ms' }),
        row({
          scenario: 'missing-query',
          metric: 'full walk p95',
          value: percentile(walkMs, 95),
          unit: 'ms',
        }),
        row({
          scenario: 'missing-query',
          metric: 'rows per walk',
          value: median(walkRows),
          unit: 'rows',
          note: `${median(walkPages)} pages of ${PAGE_LIMIT}`,
        }),
        check(
          'missing-query',
          'walk exact',
          firstPagesNonEmpty && walksExact,
          `first pages non-empty; every walk = COUNT (${Math.min(...expectedMissing)}–${Math.max(...expectedMissing)} per tenant), no repeats`,
        ),
        check(
          'missing-query',
          'plan: tenant index range',
          planOk,
          `${plan.usesMissingIndex ? MISSING_INDEX : `not ${MISSING_INDEX}`}${plan.seqScan ? ', Seq Scan' : ''}; ` +
            `${plan.itemRowsTouched} of ${tenantRows} tenant rows touched`,
        ),
      ],
      details: {
        tenants: tenantCount,
        itemsPerTenant,
        totalItems: tenantCount * itemsPerTenant,
        types: TYPES,
        selection: SELECTION,
        expectedMissingPerTenant: { min: Math.min(...expectedMissing), max: Math.max(...expectedMissing) },
        loadMs,
        firstPageMs,
        walkMs,
        walkRows,
        walkPages,
        plan: { tenantId: explainedTenant, tenantRows, ...plan },
      },
    };
  },
};
