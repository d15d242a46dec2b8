/** Missing items, derived per latest completed run of exactly one selection, against real PostgreSQL. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMissing, missingItemsStatement, type MissingResult } from '../../db/repositories/missing';
import { recordSkippedRun, type RunTypeOutcome } from '../../db/repositories/sync-runs';
import { type TypeOutcome } from '../../db/repositories/sync-run-types';
import { type PolicyType } from '../../inventory/policy-types';
import { upsertItems } from '../../db/repositories/inventory-items';
import { queryRows } from '../../db/sql';
import { withTenant } from '../../db/tenant-scope';
import { type NormalizedItem } from '../../inventory/item';
import { selectionScope, type Selection } from '../../inventory/selection';
import { selectionHash } from '../../inventory/selection-hash';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { beginRun, endRun, item, items, newTenant, selectionOf } from './fixtures';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const both = selectionOf({ policy_types: ['deviceConfiguration', 'deviceCompliancePolicy'] });
const configsOnly = selectionOf({ policy_types: ['deviceConfiguration'] });

/** One complete run of `selection` that saw exactly `seen`. */
async function sync(
  tenantId: string,
  selection: Selection,
  seen: NormalizedItem[],
  result: Parameters<typeof endRun>[2] = {},
) {
  const run = await beginRun(db.runtime, tenantId, selection);
  if (seen.length > 0) {
    await withTenant(db.runtime, tenantId, (manager) => upsertItems(manager, tenantId, run.id, seen));
  }
  return endRun(db.runtime, run, result);
}

/** listMissing as the client calls it: in a transaction scoped to the tenant. */
function listMissingAs(tenantId: string, selection: Selection, options: { limit: number; after?: string }) {
  return withTenant(db.runtime, tenantId, (tx) => listMissing(tx, tenantId, selection, options));
}

async function missingIds(tenantId: string, selection: Selection): Promise<string[]> {
  const result = await listMissingAs(tenantId, selection, { limit: 1000 });
  if (result.basis === null) throw new Error('expected a basis');
  return result.items.map((row) => row.externalId).sort();
}

const x = item('deviceConfiguration', 'x');
const y = item('deviceCompliancePolicy', 'y');
const z = item('deviceConfiguration', 'z');

describe('listMissing', () => {
  it('has no basis before the selection completed a run, whatever other runs exist', async () => {
    const tenantId = await newTenant(db.runtime);
    expect(await listMissingAs(tenantId, both, { limit: 10 })).toEqual({ basis: null });

    await sync(tenantId, configsOnly, [x]);
    await beginRun(db.runtime, tenantId, both);
    expect(await listMissingAs(tenantId, both, { limit: 10 })).toEqual({ basis: null });
  });

  it('lists in-scope items last seen before the latest completed run started', async () => {
    const tenantId = await newTenant(db.runtime);
    await sync(tenantId, both, [x, y, z]);
    expect(await missingIds(tenantId, both)).toEqual([]);

    const latest = await sync(tenantId, both, [y]);
    const result = await listMissingAs(tenantId, both, { limit: 10 });
    expect(result).toMatchObject({
      basis: {
        runId: latest.id,
        status: 'success',
        hadErrors: false,
        startedAt: latest.startedAt,
        finishedAt: latest.finishedAt,
      },
      confidence: 'high',
      nextCursor: null,
    });
    expect((result as Extract<MissingResult, { items: unknown }>).items.map((row) => row.externalId)).toEqual(
      ['x', 'z'],
    );
  });

  it('keeps an item present when a later run of an overlapping selection saw it', async () => {
    const tenantId = await newTenant(db.runtime);
    await sync(tenantId, both, [x, y]);
    await sync(tenantId, both, [y]);
    expect(await missingIds(tenantId, both)).toEqual(['x']);

    // deviceConfiguration-only run sees x again: x is no longer missing for `both`.
    await sync(tenantId, configsOnly, [x]);
    expect(await missingIds(tenantId, both)).toEqual([]);
  });

  it('never lets runs of another selection make an item missing here', async () => {
    const tenantId = await newTenant(db.runtime);
    await sync(tenantId, both, [x, y]);
    // A later deviceConfiguration-only run that does not see x makes x missing for that selection only.
    await sync(tenantId, configsOnly, []);
    expect(await missingIds(tenantId, configsOnly)).toEqual(['x']);
    expect(await missingIds(tenantId, both)).toEqual([]);
    // And y (out of that selection's scope) is never listed for it.
    await sync(tenantId, both, [x]);
    expect(await missingIds(tenantId, both)).toEqual(['y']);
    expect(await missingIds(tenantId, configsOnly)).toEqual([]);
  });

  it('ignores skipped and live runs when choosing the basis', async () => {
    const tenantId = await newTenant(db.runtime);
    await sync(tenantId, both, [x, y]);
    const basis = await sync(tenantId, both, [y]);
    await withTenant(db.runtime, tenantId, (tx) =>
      recordSkippedRun(tx, {
        tenantId,
        selection: both,
        selectionHash: selectionHash(both),
        correlationId: `skip:${basis.id}`,
        code: 'concurrency_limit_global',
      }),
    );
    await beginRun(db.runtime, tenantId, both);
    const result = await listMissingAs(tenantId, both, { limit: 10 });
    expect(result.basis?.runId).toBe(basis.id);
    expect(await missingIds(tenantId, both)).toEqual(['x']);
  });

  it.each([
    ['partial', { status: 'partial' as const, hadErrors: true }],
    ['failed', { status: 'failed' as const, hadErrors: true }],
    ['success with errors', { status: 'success' as const, hadErrors: true }],
  ])('answers with low confidence when the basis run is %s', async (_, result) => {
    const tenantId = await newTenant(db.runtime);
    await sync(tenantId, both, [x, y]);
    const basis = await sync(tenantId, both, [y], result);
    const missing = await listMissingAs(tenantId, both, { limit: 10 });
    expect(missing).toMatchObject({ basis: { runId: basis.id, status: result.status }, confidence: 'low' });
    expect(await missingIds(tenantId, both)).toEqual(['x']);
  });

  it('walks every missing item exactly once across pages, in index order', async () => {
    const tenantId = await newTenant(db.runtime);
    const scope = selectionOf({ categories: ['configuration', 'compliance'] });
    const everything = [
      ...items('deviceConfiguration', 9, 'c'),
      ...items('deviceCompliancePolicy', 7, 'p'),
      ...items('settingsCatalogPolicy', 8, 's'),
    ];
    // Two batches, so last_seen_at differs within a type as well as ties inside a batch.
    const run = await beginRun(db.runtime, tenantId, scope);
    await withTenant(db.runtime, tenantId, (m) => upsertItems(m, tenantId, run.id, everything.slice(0, 12)));
    await withTenant(db.runtime, tenantId, (m) => upsertItems(m, tenantId, run.id, everything.slice(12)));
    await endRun(db.runtime, run);
    const keep = everything.filter((_, i) => i % 5 === 0);
    await sync(tenantId, scope, keep);

    const walked: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await listMissingAs(tenantId, scope, { limit: 4, ...(after && { after }) });
      if (page.basis === null) throw new Error('expected a basis');
      walked.push(...page.items.map((row) => `${row.policyType}/${row.externalId}`));
      after = page.nextCursor ?? undefined;
      pages++;
    } while (after);

    const expected = everything.filter((_, i) => i % 5 !== 0).map((i) => `${i.policy_type}/${i.external_id}`);
    expect(walked).toHaveLength(expected.length);
    expect(new Set(walked)).toEqual(new Set(expected));
    expect(pages).toBe(Math.ceil(expected.length / 4));
    const types = walked.map((key) => key.split('/')[0]!);
    expect(types).toEqual([...types].sort());
  });

  it('keeps a listing on its basis run when a newer run completes between pages', async () => {
    const tenantId = await newTenant(db.runtime);
    await sync(tenantId, both, items('deviceConfiguration', 6, 'k'));
    const basis = await sync(tenantId, both, []);
    const first = await listMissingAs(tenantId, both, { limit: 3 });
    await sync(tenantId, both, items('deviceConfiguration', 6, 'k'));
    const second = await listMissingAs(tenantId, both, {
      limit: 3,
      after: (first as Extract<MissingResult, { items: unknown }>).nextCursor!,
    });
    expect(second.basis?.runId).toBe(basis.id);
  });

  it('refuses a cursor of another selection', async () => {
    const tenantId = await newTenant(db.runtime);
    await sync(tenantId, both, items('deviceConfiguration', 3));
    await sync(tenantId, both, []);
    const page = (await listMissingAs(tenantId, both, { limit: 1 })) as Extract<
      MissingResult,
      { items: unknown }
    >;
    await expect(
      listMissingAs(tenantId, configsOnly, { limit: 1, after: page.nextCursor! }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
  });
});

/** The per-type rows of a run whose types ended as `outcomes` say. */
function typeRows(outcomes: Partial<Record<PolicyType, TypeOutcome>>): RunTypeOutcome[] {
  return Object.entries(outcomes).map(([policyType, outcome]) => ({
    policyType: policyType as PolicyType,
    outcome,
    errorCode:
      outcome === 'complete' ? null : outcome === 'forbidden' ? 'graph_forbidden' : 'graph_unavailable',
    pagesCount: 1,
    itemsObservedCount: 0,
    itemsNewCount: 0,
    itemsChangedCount: 0,
    itemsUnchangedCount: 0,
    finishedAt: new Date().toISOString(),
  }));
}

type Listed = Extract<MissingResult, { items: unknown }>;

describe('listMissing per type', () => {
  it('marks each item by whether the basis enumerated its type completely; confidence stays the run rule', async () => {
    const tenantId = await newTenant(db.runtime);
    await sync(tenantId, both, [x, y, z]);
    const basis = await sync(tenantId, both, [z], {
      status: 'partial',
      hadErrors: true,
      errorCodes: ['graph_forbidden'],
      types: typeRows({ deviceConfiguration: 'complete', deviceCompliancePolicy: 'forbidden' }),
    });
    const result = (await listMissingAs(tenantId, both, { limit: 10 })) as Listed;
    expect(result).toMatchObject({
      basis: { runId: basis.id, status: 'partial', hadErrors: true },
      confidence: 'low',
      unverifiedTypes: ['deviceCompliancePolicy'],
      omittedUnverifiedCount: 0,
    });
    expect(result.items.map((row) => [row.externalId, row.typeComplete])).toEqual([
      ['y', false],
      ['x', true],
    ]);

    const verified = (await withTenant(db.runtime, tenantId, (tx) =>
      listMissing(tx, tenantId, both, { limit: 10, includeUnverified: false }),
    )) as Listed;
    expect(verified.items.map((row) => row.externalId)).toEqual(['x']);
    expect(verified).toMatchObject({ confidence: 'low', omittedUnverifiedCount: 1 });
  });

  it('keeps high confidence and every type complete for a clean run', async () => {
    const tenantId = await newTenant(db.runtime);
    await sync(tenantId, both, [x, y]);
    await sync(tenantId, both, [], {
      types: typeRows({ deviceConfiguration: 'complete', deviceCompliancePolicy: 'complete' }),
    });
    const result = (await listMissingAs(tenantId, both, { limit: 10 })) as Listed;
    expect(result).toMatchObject({ confidence: 'high', unverifiedTypes: [] });
    expect(result.items.every((row) => row.typeComplete)).toBe(true);
  });

  it.each([
    ['success', { status: 'success' as const }, [] as string[]],
    [
      'partial, the failed type in its error context',
      {
        status: 'partial' as const,
        hadErrors: true,
        errorCodes: ['graph_forbidden' as const],
        errorContext: { types: { deviceCompliancePolicy: { code: 'graph_forbidden' } } },
      },
      ['deviceCompliancePolicy'],
    ],
    [
      'cancelled: types cut short were not listed',
      {
        status: 'failed' as const,
        hadErrors: true,
        errorCodes: ['run_cancelled' as const],
        errorContext: {},
      },
      ['deviceCompliancePolicy', 'deviceConfiguration'],
    ],
    [
      'partial with a truncated error context',
      {
        status: 'partial' as const,
        hadErrors: true,
        errorCodes: ['graph_forbidden' as const],
        errorContext: { types: {}, truncated: true },
      },
      ['deviceCompliancePolicy', 'deviceConfiguration'],
    ],
  ])('derives completeness of a basis without per-type rows (%s)', async (_name, result, unverified) => {
    const tenantId = await newTenant(db.runtime);
    await sync(tenantId, both, [x, y]);
    await sync(tenantId, both, [], result);
    const listed = (await listMissingAs(tenantId, both, { limit: 10 })) as Listed;
    expect(listed.unverifiedTypes).toEqual(unverified);
    expect(listed.items.map((row) => [row.externalId, row.typeComplete])).toEqual([
      ['y', !unverified.includes('deviceCompliancePolicy')],
      ['x', !unverified.includes('deviceConfiguration')],
    ]);
  });

  it('counts a type of the selection without a per-type row as unverified', async () => {
    const tenantId = await newTenant(db.runtime);
    await sync(tenantId, both, [x, y]);
    await sync(tenantId, both, [], { types: typeRows({ deviceConfiguration: 'complete' }) });
    const listed = (await listMissingAs(tenantId, both, { limit: 10 })) as Listed;
    expect(listed.unverifiedTypes).toEqual(['deviceCompliancePolicy']);
  });
});

describe('the missing query plan', () => {
  it('reads only the tenant’s index range of inventory_items_missing_idx, without sorting', async () => {
    const tenants = [await newTenant(db.runtime), await newTenant(db.runtime)];
    const scope = selectionOf({ categories: ['configuration', 'compliance'] });
    let basisRunId = '';
    for (const tenantId of tenants) {
      const types = selectionScope(scope);
      const all = types.flatMap((type) => items(type, 1500, tenantId.slice(0, 8)));
      await sync(tenantId, scope, all);
      basisRunId = (
        await sync(
          tenantId,
          scope,
          all.filter((_, i) => i % 3 === 0),
        )
      ).id;
    }
    await db.admin.query('ANALYZE inventory_items');
    await db.admin.query('ANALYZE inventory_sync_runs');
    const tenantId = tenants[1]!;

    const plans = await withTenant(db.runtime, tenantId, async (manager) => {
      const out: string[] = [];
      for (const after of [
        null,
        { policyType: 'deviceConfiguration', lastSeenAt: '2000-01-01T00:00:00.000000Z', externalId: 'a' },
      ]) {
        const statement = missingItemsStatement({
          tenantId,
          scope: selectionScope(scope),
          completeTypes: selectionScope(scope),
          basisRunId,
          after,
          limit: 51,
        });
        const rows = await queryRows<{ 'QUERY PLAN': string }>(
          manager,
          `EXPLAIN ${statement.sql}`,
          statement.params,
        );
        out.push(rows.map((row) => row['QUERY PLAN']).join('\n'));
      }
      return out;
    });
    for (const plan of plans) {
      expect(plan).toMatch(/Index (Only )?Scan using inventory_items_missing_idx on inventory_items/);
      expect(plan).toMatch(/Index Cond: \(\(tenant_id = .*\) AND \(policy_type = ANY.*AND \(last_seen_at < /);
      expect(plan).not.toMatch(/Seq Scan on inventory_items/);
      expect(plan).not.toMatch(/Sort/);
    }
    // The keyset position is an index condition too: later pages start where the last one ended.
    expect(plans[1]).toMatch(/Index Cond: .*ROW\(policy_type, last_seen_at, external_id\) > ROW\(/);
  });
});
