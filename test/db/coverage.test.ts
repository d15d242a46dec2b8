/**
 * Coverage and fleet status against real PostgreSQL, as the runtime role (row-level security
 * applies): per-type latest complete enumeration and latest attempt, types never completely
 * enumerated, items present, one line per tenant sorted worst first, and no tenant's rows seen
 * through another tenant's scope.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCoverage, getFleetStatus, type TenantStatus } from '../../client/coverage';
import { getTenantStatus, getTypeCoverage } from '../../db/repositories/coverage';
import { upsertItems } from '../../db/repositories/inventory-items';
import { type RunTypeOutcome, type SyncRun } from '../../db/repositories/sync-runs';
import { setTenantEnabled } from '../../db/repositories/tenants';
import { withTenant } from '../../db/tenant-scope';
import { type ErrorCode } from '../../inventory/error-codes';
import { POLICY_TYPE_KEYS, type PolicyType } from '../../inventory/policy-types';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { beginRun, endRun, items, newTenant, selectionOf } from './fixtures';

let db: TestDatabase;

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-03-01T00:00:00.000Z';
const T2 = '2026-03-02T00:00:00.000Z';
const T3 = '2026-03-03T00:00:00.000Z';

type Outcome = [PolicyType, RunTypeOutcome['outcome'], ErrorCode | null, string | null];

/** One finished run of `types`, each ending as given; `partial` unless every type completed. */
async function run(tenantId: string, outcomes: Outcome[]): Promise<SyncRun> {
  const started = await beginRun(
    db.runtime,
    tenantId,
    selectionOf({ policy_types: outcomes.map(([t]) => t) }),
  );
  const complete = outcomes.every(([, outcome]) => outcome === 'complete');
  return endRun(db.runtime, started, {
    status: complete ? 'success' : 'partial',
    hadErrors: !complete,
    errorCodes: outcomes.flatMap(([, , code]) => (code ? [code] : [])),
    types: outcomes.map(([policyType, outcome, errorCode, finishedAt]) => ({
      policyType,
      outcome,
      errorCode,
      pagesCount: outcome === 'complete' ? 1 : 0,
      itemsObservedCount: 0,
      itemsNewCount: 0,
      itemsChangedCount: 0,
      itemsUnchangedCount: 0,
      finishedAt,
    })),
  });
}

let contoso: string;
let fabrikam: string;
let northwind: string;
let tailspin: string;
let woodgrove: string;
let contosoRuns: SyncRun[];
let fabrikamRun: SyncRun;

beforeAll(async () => {
  db = await createTestDatabase();
  // Contoso: mobileApp complete once, then failing; three types never complete.
  contoso = await newTenant(db.runtime, 'Contoso');
  contosoRuns = [
    await run(contoso, [
      ['mobileApp', 'complete', null, T1],
      ['deviceConfiguration', 'forbidden', 'graph_forbidden', T1],
      ['windowsFeatureUpdateProfile', 'not_licensed', 'graph_not_licensed', T1],
    ]),
    await run(contoso, [
      ['mobileApp', 'failed', 'graph_unavailable', T2],
      ['deviceConfiguration', 'forbidden', 'graph_forbidden', T2],
      ['deviceCompliancePolicy', 'forbidden', 'graph_forbidden', T2],
    ]),
  ];
  const firstRun = contosoRuns[0]!;
  await withTenant(db.runtime, contoso, (tx) => upsertItems(tx, contoso, firstRun.id, items('mobileApp', 3)));
  // Fabrikam: everything complete recently; a later cancelled attempt is not a failure.
  fabrikam = await newTenant(db.runtime, 'Fabrikam');
  fabrikamRun = await run(fabrikam, [
    ['mobileApp', 'complete', null, T3],
    ['deviceConfiguration', 'complete', null, T3],
  ]);
  await run(fabrikam, [['deviceConfiguration', 'cancelled', 'run_cancelled', null]]);
  // Northwind: registered, never synced. Tailspin: complete, but long ago.
  northwind = await newTenant(db.runtime, 'Northwind');
  tailspin = await newTenant(db.runtime, 'Tailspin');
  await run(tailspin, [['mobileApp', 'complete', null, T0]]);
  // Woodgrove: never synced either, but disabled: stale on purpose.
  woodgrove = await newTenant(db.runtime, 'Woodgrove');
  await setTenantEnabled(db.runtime.manager, woodgrove, false);
});
afterAll(async () => {
  await db?.drop();
});

describe('getCoverage', () => {
  it('covers every registry type, in key order', async () => {
    const coverage = await getCoverage(db.runtime, contoso);
    expect(coverage.map((t) => t.policyType)).toEqual(POLICY_TYPE_KEYS);
  });

  it('gives the latest complete enumeration and the latest attempt apart', async () => {
    const coverage = await getCoverage(db.runtime, contoso);
    const mobileApp = coverage.find((t) => t.policyType === 'mobileApp');
    expect(mobileApp).toEqual({
      policyType: 'mobileApp',
      category: 'apps',
      everComplete: true,
      lastComplete: { runId: contosoRuns[0]!.id, finishedAt: new Date(T1) },
      itemsPresentCount: 3,
      lastAttempt: {
        runId: contosoRuns[1]!.id,
        outcome: 'failed',
        errorCode: 'graph_unavailable',
        finishedAt: new Date(T2),
      },
    });
  });

  it('marks types never completely enumerated, attempted or not', async () => {
    const byType = new Map((await getCoverage(db.runtime, contoso)).map((t) => [t.policyType, t]));
    expect(byType.get('deviceConfiguration')).toMatchObject({
      everComplete: false,
      lastComplete: null,
      itemsPresentCount: 0,
      lastAttempt: { runId: contosoRuns[1]!.id, outcome: 'forbidden', errorCode: 'graph_forbidden' },
    });
    expect(byType.get('windowsFeatureUpdateProfile')).toMatchObject({
      everComplete: false,
      lastAttempt: { outcome: 'not_licensed', errorCode: 'graph_not_licensed' },
    });
    expect(byType.get('assignmentFilter')).toMatchObject({
      everComplete: false,
      lastComplete: null,
      lastAttempt: null,
    });
    expect([...byType.values()].filter((t) => t.everComplete).map((t) => t.policyType)).toEqual([
      'mobileApp',
    ]);
  });

  it('shows a tenant only its own runs and items', async () => {
    const coverage = await getCoverage(db.runtime, fabrikam);
    const runIds = new Set(coverage.flatMap((t) => [t.lastComplete?.runId, t.lastAttempt?.runId]));
    for (const other of contosoRuns) expect(runIds.has(other.id)).toBe(false);
    expect(coverage.find((t) => t.policyType === 'mobileApp')).toMatchObject({
      lastComplete: { runId: fabrikamRun.id },
      itemsPresentCount: 0,
    });
  });

  it('reads nothing of another tenant through a tenant’s scope (row-level security, not the filter)', async () => {
    const [coverage, status] = await withTenant(db.runtime, fabrikam, async (tx) => [
      await getTypeCoverage(tx, contoso),
      await getTenantStatus(tx, contoso),
    ]);
    expect(coverage.filter((t) => t.lastAttemptRunId !== null || t.itemsPresentCount > 0)).toEqual([]);
    expect(status).toMatchObject({ typesCount: 0, typesFailingCount: 0, dominantErrorCode: null });
  });

  it('refuses an unregistered tenant and a malformed id', async () => {
    await expect(getCoverage(db.runtime, '00000000-0000-4000-8000-000000000001')).rejects.toMatchObject({
      code: 'tenant_unknown',
    });
    await expect(getCoverage(db.runtime, 'contoso')).rejects.toMatchObject({ code: 'invalid_input' });
  });
});

describe('getFleetStatus', () => {
  let fleet: TenantStatus[];
  beforeAll(async () => {
    fleet = await getFleetStatus(db.runtime);
  });
  const line = (tenantId: string) => fleet.find((s) => s.tenantId === tenantId);

  it('sorts worst first: never complete, then the oldest complete enumeration; disabled tenants last', () => {
    expect(fleet.map((s) => s.displayName)).toEqual([
      'Contoso', // three types never complete, four failing
      'Northwind', // never synced: nothing complete either, nothing failing
      'Tailspin', // complete, in January
      'Fabrikam', // complete, in March
      'Woodgrove', // disabled
    ]);
  });

  it('counts never-complete and failing types and names the dominant code', () => {
    expect(line(contoso)).toEqual({
      tenantId: contoso,
      displayName: 'Contoso',
      enabled: true,
      lastSuccessfulSyncAt: null,
      typesCount: 4,
      neverCompleteTypesCount: 3,
      oldestCompleteEnumerationAt: null,
      typesFailingCount: 4,
      dominantErrorCode: 'graph_forbidden',
    });
  });

  it('gives the oldest latest-complete enumeration, and does not count a cancelled attempt as failing', () => {
    expect(line(fabrikam)).toMatchObject({
      typesCount: 2,
      neverCompleteTypesCount: 0,
      oldestCompleteEnumerationAt: new Date(T3),
      typesFailingCount: 0,
      dominantErrorCode: null,
    });
    expect(line(fabrikam)!.lastSuccessfulSyncAt).toEqual(fabrikamRun.finishedAt);
    expect(line(tailspin)).toMatchObject({ oldestCompleteEnumerationAt: new Date(T0) });
  });

  it('shows a tenant that never synced as never, not as healthy', () => {
    expect(line(northwind)).toMatchObject({
      typesCount: 0,
      oldestCompleteEnumerationAt: null,
      lastSuccessfulSyncAt: null,
    });
    expect(line(woodgrove)).toMatchObject({ enabled: false, typesCount: 0 });
  });
});
