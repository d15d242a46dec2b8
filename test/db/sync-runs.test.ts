/** The run log against real PostgreSQL: start outcomes, the live-run lock, limits, finalize, abandon, history. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataSource, initializeDataSource } from '../../db/data-source';
import { sqlState } from '../../db/errors';
import {
  finalizeRun,
  getRun,
  listLiveRuns,
  START_RUN_LOCK_KEY,
  listRuns,
  markRunsAbandoned,
  recordSkippedRun,
  type RunTypeOutcome,
  type StartRunResult,
} from '../../db/repositories/sync-runs';
import { listRunTypes } from '../../db/repositories/sync-run-types';
import { setTenantEnabled } from '../../db/repositories/tenants';
import { queryRows } from '../../db/sql';
import { withTenant } from '../../db/tenant-scope';
import { InventoryError } from '../../inventory/error-codes';
import { POLICY_TYPE_KEYS } from '../../inventory/policy-types';
import { canonicalSelectionJson, type Selection } from '../../inventory/selection';
import { selectionHash } from '../../inventory/selection-hash';
import { createTestDatabase, type TestDatabase } from '../support/database';
import {
  UNLIMITED,
  beginRun,
  endRun,
  newTenant,
  selectionOf,
  startRunAsTenant,
  waitForBlockedBy,
} from './fixtures';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const configs = selectionOf({ policy_types: ['deviceConfiguration'] });

function startInput(tenantId: string, selection: Selection, correlationId = `wf:${randomUUID()}`) {
  return { tenantId, selection, selectionHash: selectionHash(selection), correlationId, limits: UNLIMITED };
}

async function countRuns(tenantId: string): Promise<number> {
  const [row] = await withTenant(db.admin, tenantId, (manager) =>
    queryRows<{ n: number }>(
      manager,
      `SELECT count(*)::int AS n FROM inventory_sync_runs WHERE tenant_id = $1`,
      [tenantId],
    ),
  );
  return row!.n;
}

describe('startRun', () => {
  it('starts a running run stamped by the database clock and resumes it for the same correlation id', async () => {
    const tenantId = await newTenant(db.runtime);
    const input = startInput(tenantId, configs);
    const [clock] = await queryRows<{ now: Date }>(db.admin, 'SELECT clock_timestamp() AS now');
    const first = await startRunAsTenant(db.runtime, input);
    expect(first.outcome).toBe('started');
    const run = (first as Extract<StartRunResult, { outcome: 'started' }>).run;
    expect(run).toMatchObject({
      tenantId,
      selectionHash: selectionHash(configs),
      selectionPayload: JSON.parse(canonicalSelectionJson(configs)) as unknown,
      status: 'running',
      hadErrors: false,
      finishedAt: null,
      errorCodes: [],
      correlationId: input.correlationId,
    });
    expect(run.startedAt.getTime()).toBeGreaterThanOrEqual(clock!.now.getTime() - 1);

    const retried = await startRunAsTenant(db.runtime, input);
    expect(retried).toEqual({ outcome: 'resumed', run });
    expect(await countRuns(tenantId)).toBe(1);
  });

  it('refuses unknown and disabled tenants without writing a row', async () => {
    const unknown = randomUUID();
    expect(await startRunAsTenant(db.runtime, startInput(unknown, configs))).toEqual({
      outcome: 'tenant_unknown',
    });
    expect(await countRuns(unknown)).toBe(0);

    const tenantId = await newTenant(db.runtime);
    await setTenantEnabled(db.runtime.manager, tenantId, false);
    expect(await startRunAsTenant(db.runtime, startInput(tenantId, configs))).toEqual({
      outcome: 'tenant_disabled',
    });
    expect(await countRuns(tenantId)).toBe(0);
  });

  it('reports the live run of the same selection as lock_held, and allows another selection', async () => {
    const tenantId = await newTenant(db.runtime);
    const holder = await beginRun(db.runtime, tenantId, configs);
    const second = await startRunAsTenant(db.runtime, startInput(tenantId, configs));
    expect(second).toEqual({
      outcome: 'lock_held',
      heldBy: { runId: holder.id, correlationId: holder.correlationId },
    });
    const other = await startRunAsTenant(
      db.runtime,
      startInput(tenantId, selectionOf({ categories: ['compliance'] })),
    );
    expect(other.outcome).toBe('started');

    await endRun(db.runtime, holder);
    expect((await startRunAsTenant(db.runtime, startInput(tenantId, configs))).outcome).toBe('started');
  });

  it('validates its input before any statement of its own', async () => {
    const tenantId = await newTenant(db.runtime);
    const wrongHash = { ...startInput(tenantId, configs), selectionHash: 'a'.repeat(64) };
    await expect(startRunAsTenant(db.runtime, wrongHash)).rejects.toMatchObject({ code: 'invalid_input' });
    const badLimit = { ...startInput(tenantId, configs), limits: { global: 0, perTenant: 1 } };
    await expect(startRunAsTenant(db.runtime, badLimit)).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(startRunAsTenant(db.runtime, startInput('not-a-tenant', configs))).rejects.toBeInstanceOf(
      InventoryError,
    );
  });
});

describe('the live-run unique index', () => {
  it('refuses a second live run of one selection even for a raw INSERT by the runtime role', async () => {
    const tenantId = await newTenant(db.runtime);
    await beginRun(db.runtime, tenantId, configs);
    const insert = withTenant(db.runtime, tenantId, (manager) =>
      manager.query(
        `INSERT INTO inventory_sync_runs (tenant_id, selection_hash, selection_payload, status)
         VALUES ($1, $2, '{}'::jsonb, 'running')`,
        [tenantId, selectionHash(configs)],
      ),
    );
    const error: unknown = await insert.catch((e: unknown) => e);
    expect(sqlState(error)).toBe('23505');
    expect(String((error as Error).message)).toContain('inventory_sync_runs_live_selection_key');
  });

  it('maps a live run inserted behind the lock into lock_held instead of failing', async () => {
    const tenantId = await newTenant(db.runtime);
    const bypass = db.runtime.createQueryRunner();
    try {
      // A writer that ignores the advisory lock inserts a live run and keeps its transaction open.
      await bypass.startTransaction();
      await bypass.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
      const [inserted] = (await bypass.query(
        `INSERT INTO inventory_sync_runs (tenant_id, selection_hash, selection_payload, status, correlation_id)
         VALUES ($1, $2, '{}'::jsonb, 'running', 'bypass') RETURNING id, pg_current_xact_id()::text AS xid`,
        [tenantId, selectionHash(configs)],
      )) as Array<{ id: string; xid: string }>;

      // startRun sees no live run (uncommitted), passes its checks and blocks on the index entry.
      const started = startRunAsTenant(db.runtime, startInput(tenantId, configs));
      await waitForBlockedBy(db.admin, inserted!.xid);
      await bypass.commitTransaction();

      expect(await started).toEqual({
        outcome: 'lock_held',
        heldBy: { runId: inserted!.id, correlationId: 'bypass' },
      });
    } finally {
      await bypass.release();
    }
  });
});

describe('concurrency limits', () => {
  it('starts exactly `global` runs out of 20 parallel starts from separate connections', async () => {
    const wide = await initializeDataSource(createDataSource({ url: db.runtimeUrl, poolSize: 20 }));
    try {
      // Other tests' live runs count towards the global limit: measure them, and stay clear of them.
      const before = (await listLiveRuns(wide.manager)).length;
      const tenants = await Promise.all(Array.from({ length: 20 }, () => newTenant(wide)));
      const limits = { global: before + 5, perTenant: 10 };
      const results = await Promise.all(
        tenants.map((tenantId) => startRunAsTenant(wide, { ...startInput(tenantId, configs), limits })),
      );
      const outcomes = results.map((r) => r.outcome);
      expect(outcomes.filter((o) => o === 'started')).toHaveLength(5);
      expect(outcomes.filter((o) => o === 'concurrency_limit_global')).toHaveLength(15);
      for (const result of results) {
        if (result.outcome === 'concurrency_limit_global') {
          expect(result).toEqual({
            outcome: 'concurrency_limit_global',
            running: before + 5,
            limit: before + 5,
          });
        }
      }
      for (const tenantId of tenants) {
        const live = await withTenant(wide, tenantId, (tx) => listRuns(tx, tenantId, { limit: 10 }));
        for (const run of live.runs) await endRun(wide, run);
      }
    } finally {
      await wide.destroy();
    }
  });

  it('dates a run from when its slot was granted, not from when it began waiting for the lock', async () => {
    const [a, b] = await Promise.all([newTenant(db.runtime), newTenant(db.runtime)]);
    const limits = { global: (await listLiveRuns(db.runtime.manager)).length + 1, perTenant: 10 };
    const first = await startRunAsTenant(db.runtime, { ...startInput(a, configs), limits });
    if (first.outcome !== 'started') throw new Error(`expected a start, got ${first.outcome}`);

    // Another transaction holds the start lock: the second start's transaction begins and waits.
    const holder = db.admin.createQueryRunner();
    await holder.startTransaction();
    try {
      await holder.query(`SELECT pg_advisory_xact_lock(${START_RUN_LOCK_KEY})`);
      const second = startRunAsTenant(db.runtime, { ...startInput(b, configs), limits });
      await expect
        .poll(async () => {
          const [row] = await queryRows<{ waiting: number }>(
            db.admin,
            `SELECT count(*)::int AS waiting FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`,
          );
          return row?.waiting;
        })
        .toBe(1);
      // The only slot frees up while the second start waits; it is granted once the lock is.
      const finished = await endRun(db.runtime, first.run);
      await holder.commitTransaction();
      const started = await second;
      if (started.outcome !== 'started') throw new Error(`expected a start, got ${started.outcome}`);
      expect(started.run.startedAt.getTime()).toBeGreaterThanOrEqual(finished.finishedAt!.getTime());
      await endRun(db.runtime, started.run);
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
    }
  });

  it('starts exactly `perTenant` runs of one tenant out of parallel starts of different selections', async () => {
    const wide = await initializeDataSource(createDataSource({ url: db.runtimeUrl, poolSize: 10 }));
    try {
      const tenantId = await newTenant(wide);
      const selections = POLICY_TYPE_KEYS.slice(0, 10).map((type) => selectionOf({ policy_types: [type] }));
      const results = await Promise.all(
        selections.map((selection) =>
          startRunAsTenant(wide, {
            ...startInput(tenantId, selection),
            limits: { global: 1000, perTenant: 3 },
          }),
        ),
      );
      const outcomes = results.map((r) => r.outcome);
      expect(outcomes.filter((o) => o === 'started')).toHaveLength(3);
      expect(results.filter((r) => r.outcome === 'concurrency_limit_tenant')).toEqual(
        Array.from({ length: 7 }, () => ({ outcome: 'concurrency_limit_tenant', running: 3, limit: 3 })),
      );
    } finally {
      await wide.destroy();
    }
  });
});

describe('recordSkippedRun', () => {
  it('records a skipped run with its code and bounded context, once per correlation id', async () => {
    const tenantId = await newTenant(db.runtime);
    const input = {
      tenantId,
      selection: configs,
      selectionHash: selectionHash(configs),
      correlationId: `wf:${randomUUID()}`,
      code: 'lock_held' as const,
      context: { heldBy: 'run-1', message: 'Authorization: Bearer abc.def.ghi', unexpected: 'dropped' },
    };
    const run = await withTenant(db.runtime, tenantId, (tx) => recordSkippedRun(tx, input));
    expect(run).toMatchObject({
      status: 'skipped',
      hadErrors: true,
      errorCodes: ['lock_held'],
      errorContext: { heldBy: 'run-1', message: 'Authorization: [REDACTED]' },
      correlationId: input.correlationId,
    });
    expect(run.finishedAt).toEqual(run.startedAt);
    expect(
      await withTenant(db.runtime, tenantId, (tx) =>
        recordSkippedRun(tx, { ...input, code: 'tenant_disabled' }),
      ),
    ).toEqual(run);
    expect(await countRuns(tenantId)).toBe(1);
  });

  it('throws tenant_unknown for an unregistered tenant', async () => {
    const input = {
      tenantId: randomUUID(),
      selection: configs,
      selectionHash: selectionHash(configs),
      correlationId: `wf:${randomUUID()}`,
      code: 'tenant_unknown' as const,
    };
    await expect(
      withTenant(db.runtime, input.tenantId, (tx) => recordSkippedRun(tx, input)),
    ).rejects.toMatchObject({ code: 'tenant_unknown' });
  });
});

describe('finalizeRun', () => {
  it('finalizes a live run once; a second finalize returns it unchanged', async () => {
    const tenantId = await newTenant(db.runtime);
    const run = await beginRun(db.runtime, tenantId, configs);
    const final = await withTenant(db.runtime, tenantId, (tx) =>
      finalizeRun(tx, tenantId, run.id, run.correlationId!, {
        status: 'partial',
        hadErrors: true,
        itemsObservedCount: 10,
        itemsUpsertedCount: 9,
        errorsCount: 3,
        errorCodes: ['graph_throttled', 'graph_forbidden', 'graph_throttled'],
        errorContext: {
          types: {
            deviceConfiguration: { code: 'graph_throttled', message: 'Bearer eyJhbGciOi.eyJzdWIi.c2ln' },
          },
          authorization: 'Bearer secret-token',
        },
      }),
    );
    expect(final).toMatchObject({
      status: 'partial',
      hadErrors: true,
      itemsObservedCount: 10,
      itemsUpsertedCount: 9,
      errorsCount: 3,
      errorCodes: ['graph_forbidden', 'graph_throttled'],
    });
    expect(final.finishedAt).toBeInstanceOf(Date);
    const stored = JSON.stringify(final.errorContext);
    expect(stored).not.toContain('eyJ');
    expect(stored).not.toContain('secret-token');
    expect(final.errorContext).toEqual({
      types: { deviceConfiguration: { code: 'graph_throttled', message: 'Bearer [REDACTED]' } },
    });

    const again = await withTenant(db.runtime, tenantId, (tx) =>
      finalizeRun(tx, tenantId, run.id, run.correlationId!, {
        status: 'success',
        hadErrors: false,
        itemsObservedCount: 99,
        itemsUpsertedCount: 99,
        errorsCount: 0,
        errorCodes: [],
      }),
    );
    expect(again).toEqual(final);
    expect(await withTenant(db.runtime, tenantId, (tx) => getRun(tx, tenantId, run.id))).toEqual(final);
  });

  it('stores error text that raw would abort the finalize: U+0000, and a cut through an emoji', async () => {
    const tenantId = await newTenant(db.runtime);
    const run = await beginRun(db.runtime, tenantId, configs);
    const final = await withTenant(db.runtime, tenantId, (tx) =>
      finalizeRun(tx, tenantId, run.id, run.correlationId!, {
        ...SUCCESS_RESULT,
        status: 'failed',
        hadErrors: true,
        errorsCount: 1,
        errorCodes: ['graph_bad_request'],
        errorContext: {
          message: 'Graph said \u0000 here',
          types: { deviceConfiguration: { code: 'graph_bad_request', message: `${'x'.repeat(499)}🔒🔒` } },
        },
      }),
    );
    expect(final.status).toBe('failed');
    expect(final.errorContext).toEqual({
      message: 'Graph said  here',
      types: { deviceConfiguration: { code: 'graph_bad_request', message: `${'x'.repeat(499)}🔒…` } },
    });
    expect(await withTenant(db.runtime, tenantId, (tx) => getRun(tx, tenantId, run.id))).toEqual(final);
  });

  it('stores warning codes apart from error codes, de-duplicated and sorted; none when absent', async () => {
    const tenantId = await newTenant(db.runtime);
    const run = await beginRun(db.runtime, tenantId, configs);
    expect(run.warningCodes).toEqual([]);
    const final = await withTenant(db.runtime, tenantId, (tx) =>
      finalizeRun(tx, tenantId, run.id, run.correlationId!, {
        ...SUCCESS_RESULT,
        warningCodes: ['graph_select_rejected', 'graph_select_rejected'],
        errorContext: {
          warnings: { assignmentFilter: { code: 'graph_select_rejected', property: 'roleScopeTagIds' } },
        },
      }),
    );
    expect(final).toMatchObject({
      status: 'success',
      hadErrors: false,
      errorCodes: [],
      warningCodes: ['graph_select_rejected'],
    });
    expect(final.errorContext).toEqual({
      warnings: { assignmentFilter: { code: 'graph_select_rejected', property: 'roleScopeTagIds' } },
    });
    await expect(
      withTenant(db.runtime, tenantId, (tx) =>
        finalizeRun(tx, tenantId, run.id, run.correlationId!, {
          ...SUCCESS_RESULT,
          warningCodes: ['nope' as 'db_error'],
        }),
      ),
    ).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('stores the new/changed/unchanged counts and one row per type in the same transaction, once', async () => {
    const tenantId = await newTenant(db.runtime);
    const two = selectionOf({ policy_types: ['deviceConfiguration', 'deviceCompliancePolicy'] });
    const run = await beginRun(db.runtime, tenantId, two);
    const types: RunTypeOutcome[] = [
      {
        policyType: 'deviceConfiguration',
        outcome: 'complete',
        errorCode: null,
        pagesCount: 2,
        itemsObservedCount: 5,
        itemsNewCount: 1,
        itemsChangedCount: 1,
        itemsUnchangedCount: 3,
        finishedAt: '2030-01-02T03:04:05.678Z',
      },
      {
        policyType: 'deviceCompliancePolicy',
        outcome: 'forbidden',
        errorCode: 'graph_forbidden',
        pagesCount: 0,
        itemsObservedCount: 0,
        itemsNewCount: 0,
        itemsChangedCount: 0,
        itemsUnchangedCount: 0,
        finishedAt: '2030-01-02T03:04:06.000Z',
      },
    ];
    const result = {
      ...SUCCESS_RESULT,
      status: 'partial' as const,
      itemsObservedCount: 5,
      itemsUpsertedCount: 5,
      itemsNewCount: 1,
      itemsChangedCount: 1,
      itemsUnchangedCount: 3,
      types,
    };
    const final = await withTenant(db.runtime, tenantId, (tx) =>
      finalizeRun(tx, tenantId, run.id, run.correlationId!, result),
    );
    expect(final).toMatchObject({ itemsNewCount: 1, itemsChangedCount: 1, itemsUnchangedCount: 3 });
    // A retried finalize with other figures changes neither the run nor its types.
    await withTenant(db.runtime, tenantId, (tx) =>
      finalizeRun(tx, tenantId, run.id, run.correlationId!, {
        ...result,
        itemsNewCount: 5,
        types: types.map((t) => ({ ...t, itemsNewCount: 5 })),
      }),
    );
    const stored = await withTenant(db.runtime, tenantId, (tx) => listRunTypes(tx, tenantId, run.id));
    expect(stored).toEqual([
      {
        ...types[1],
        tenantId,
        runId: run.id,
        finishedAt: new Date(types[1]!.finishedAt!),
      },
      {
        ...types[0],
        tenantId,
        runId: run.id,
        finishedAt: new Date(types[0]!.finishedAt!),
      },
    ]);
    expect(
      (await withTenant(db.runtime, tenantId, (tx) => getRun(tx, tenantId, run.id)))?.itemsNewCount,
    ).toBe(1);
  });

  it('refuses a type outcome with a code on complete, none otherwise, or an unknown outcome, writing nothing', async () => {
    const tenantId = await newTenant(db.runtime);
    const run = await beginRun(db.runtime, tenantId, configs);
    const base: RunTypeOutcome = {
      policyType: 'deviceConfiguration',
      outcome: 'complete',
      errorCode: null,
      pagesCount: 1,
      itemsObservedCount: 0,
      itemsNewCount: 0,
      itemsChangedCount: 0,
      itemsUnchangedCount: 0,
      finishedAt: null,
    };
    for (const bad of [
      { ...base, errorCode: 'graph_forbidden' as const },
      { ...base, outcome: 'failed' as const },
      { ...base, outcome: 'gone' as 'failed', errorCode: 'graph_not_found' as const },
      { ...base, policyType: 'nope' as 'deviceConfiguration' },
      { ...base, itemsNewCount: -1 },
    ]) {
      await expect(
        withTenant(db.runtime, tenantId, (tx) =>
          finalizeRun(tx, tenantId, run.id, run.correlationId!, { ...SUCCESS_RESULT, types: [bad] }),
        ),
      ).rejects.toMatchObject({ code: 'invalid_input' });
    }
    expect((await withTenant(db.runtime, tenantId, (tx) => getRun(tx, tenantId, run.id)))?.status).toBe(
      'running',
    );
  });

  it('throws run_not_found for a run of another tenant or none at all', async () => {
    const owner = await newTenant(db.runtime);
    const other = await newTenant(db.runtime);
    const run = await beginRun(db.runtime, owner, configs);
    await expect(
      withTenant(db.runtime, other, (tx) =>
        finalizeRun(tx, other, run.id, run.correlationId!, { ...SUCCESS_RESULT }),
      ),
    ).rejects.toMatchObject({
      code: 'run_not_found',
    });
    await expect(
      withTenant(db.runtime, owner, (tx) =>
        finalizeRun(tx, owner, randomUUID(), run.correlationId!, { ...SUCCESS_RESULT }),
      ),
    ).rejects.toMatchObject({
      code: 'run_not_found',
    });
    expect((await withTenant(db.runtime, owner, (tx) => getRun(tx, owner, run.id)))?.status).toBe('running');
  });

  it('refuses another execution chain: invalid_input, and the run stays live', async () => {
    const tenantId = await newTenant(db.runtime);
    const run = await beginRun(db.runtime, tenantId, configs);
    await expect(
      withTenant(db.runtime, tenantId, (tx) =>
        finalizeRun(tx, tenantId, run.id, 'inventory-sync:forged/other-chain', { ...SUCCESS_RESULT }),
      ),
    ).rejects.toMatchObject({ code: 'invalid_input' });
    expect((await withTenant(db.runtime, tenantId, (tx) => getRun(tx, tenantId, run.id)))?.status).toBe(
      'running',
    );
  });

  it('rejects unknown error codes and negative counts', async () => {
    const tenantId = await newTenant(db.runtime);
    const run = await beginRun(db.runtime, tenantId, configs);
    await expect(
      withTenant(db.runtime, tenantId, (tx) =>
        finalizeRun(tx, tenantId, run.id, run.correlationId!, {
          ...SUCCESS_RESULT,
          errorCodes: ['nope' as 'db_error'],
        }),
      ),
    ).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(
      withTenant(db.runtime, tenantId, (tx) =>
        finalizeRun(tx, tenantId, run.id, run.correlationId!, { ...SUCCESS_RESULT, itemsObservedCount: -1 }),
      ),
    ).rejects.toMatchObject({ code: 'invalid_input' });
  });
});

const SUCCESS_RESULT = {
  status: 'success' as const,
  hadErrors: false,
  itemsObservedCount: 0,
  itemsUpsertedCount: 0,
  errorsCount: 0,
  errorCodes: [],
};

describe('markRunsAbandoned', () => {
  it('fails live runs with run_abandoned in one statement and leaves final runs alone', async () => {
    const tenantId = await newTenant(db.runtime);
    const live1 = await beginRun(db.runtime, tenantId, configs);
    const live2 = await beginRun(db.runtime, tenantId, selectionOf({ categories: ['apps'] }));
    const done = await endRun(
      db.runtime,
      await beginRun(db.runtime, tenantId, selectionOf({ categories: ['scripts'] })),
    );

    expect(
      await withTenant(db.runtime, tenantId, (tx) =>
        markRunsAbandoned(tx, tenantId, [live1.id, live2.id, done.id]),
      ),
    ).toBe(2);
    for (const id of [live1.id, live2.id]) {
      expect(await withTenant(db.runtime, tenantId, (tx) => getRun(tx, tenantId, id))).toMatchObject({
        status: 'failed',
        hadErrors: true,
        errorCodes: ['run_abandoned'],
        finishedAt: expect.any(Date) as Date,
      });
    }
    expect(await withTenant(db.runtime, tenantId, (tx) => getRun(tx, tenantId, done.id))).toEqual(done);
    expect(await withTenant(db.runtime, tenantId, (tx) => markRunsAbandoned(tx, tenantId, [live1.id]))).toBe(
      0,
    );
    expect(await withTenant(db.runtime, tenantId, (tx) => markRunsAbandoned(tx, tenantId, []))).toBe(0);
  });
});

describe('listLiveRuns', () => {
  it('lists live runs of every tenant and no finished run', async () => {
    const a = await newTenant(db.runtime);
    const b = await newTenant(db.runtime);
    const liveA = await beginRun(db.runtime, a, configs);
    const liveB = await beginRun(db.runtime, b, configs);
    const finished = await endRun(
      db.runtime,
      await beginRun(db.runtime, b, selectionOf({ categories: ['apps'] })),
    );

    const live = await listLiveRuns(db.runtime.manager);
    const ids = live.map((run) => run.id);
    expect(ids).toEqual(expect.arrayContaining([liveA.id, liveB.id]));
    expect(ids).not.toContain(finished.id);
    expect(live.find((run) => run.id === liveB.id)).toEqual({
      id: liveB.id,
      tenantId: b,
      selectionHash: liveB.selectionHash,
      status: 'running',
      correlationId: liveB.correlationId,
      startedAt: liveB.startedAt,
      createdAt: liveB.createdAt,
    });
  });
});

describe('listRuns', () => {
  it('pages newest first with an opaque cursor, optionally by selection', async () => {
    const tenantId = await newTenant(db.runtime);
    const apps = selectionOf({ categories: ['apps'] });
    const created: string[] = [];
    for (let i = 0; i < 4; i++) {
      created.push((await endRun(db.runtime, await beginRun(db.runtime, tenantId, configs))).id);
      created.push((await endRun(db.runtime, await beginRun(db.runtime, tenantId, apps))).id);
    }
    const newestFirst = [...created].reverse();

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await withTenant(db.runtime, tenantId, (tx) =>
        listRuns(tx, tenantId, { limit: 3, ...(cursor && { before: cursor }) }),
      );
      seen.push(...page.runs.map((run) => run.id));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(seen).toEqual(newestFirst);
    expect(pages).toBe(3);

    const onlyApps = await withTenant(db.runtime, tenantId, (tx) =>
      listRuns(tx, tenantId, { limit: 10, selectionHash: selectionHash(apps) }),
    );
    expect(onlyApps.runs.map((run) => run.id)).toEqual(newestFirst.filter((_, i) => i % 2 === 0));
    expect(onlyApps.nextCursor).toBeNull();

    await expect(
      withTenant(db.runtime, tenantId, (tx) => listRuns(tx, tenantId, { limit: 3, before: 'garbage' })),
    ).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });

  it('shows nothing of another tenant', async () => {
    const a = await newTenant(db.runtime);
    const b = await newTenant(db.runtime);
    const run = await beginRun(db.runtime, a, configs);
    expect((await withTenant(db.runtime, b, (tx) => listRuns(tx, b, { limit: 10 }))).runs).toEqual([]);
    expect(await withTenant(db.runtime, b, (tx) => getRun(tx, b, run.id))).toBeNull();
  });
});
