/**
 * The slot waiters (migration 1795478400009) as the runtime role meets them: registered and removed
 * only in the waiter's own tenant scope, served in order of arrival, and picked across tenants
 * only as far as the free slots of the global and per-tenant caps go; the pick waits for the start
 * lock, so a waiter registered by a start that counted a finishing run is never missed.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { Client } from 'pg';
import { connectionUrl } from '../../db/connection-url';
import { sqlState } from '../../db/errors';
import {
  nextSlotWaiters,
  registerSlotWaiter,
  removeSlotWaiter,
  type SlotCap,
} from '../../db/repositories/slot-waiters';
import { START_RUN_LOCK_KEY, type SyncRun } from '../../db/repositories/sync-runs';
import { queryRows } from '../../db/sql';
import { withTenant } from '../../db/tenant-scope';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { beginRun, endRun, newTenant, selectionOf } from './fixtures';

let db: TestDatabase;
const live: SyncRun[] = [];
const HASH = 'a'.repeat(64);

beforeAll(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  for (const run of live.splice(0)) await endRun(db.runtime, run);
  await db.admin.query('TRUNCATE inventory_sync_slot_waiters');
});
afterAll(async () => {
  await db?.drop();
});

async function liveRun(tenantId: string): Promise<void> {
  live.push(await beginRun(db.runtime, tenantId, selectionOf({ policy_types: ['deviceConfiguration'] })));
}

async function waitFor(tenantId: string, cap: SlotCap = 'global'): Promise<string> {
  const correlationId = `inventory-sync:${tenantId}:${HASH}/${randomUUID()}`;
  await withTenant(db.runtime, tenantId, (tx) =>
    registerSlotWaiter(tx, { tenantId, correlationId, selectionHash: HASH, cap }),
  );
  return correlationId;
}

function next(global: number, perTenant: number): Promise<string[]> {
  return db.runtime
    .transaction((tx) => nextSlotWaiters(tx, { global, perTenant }))
    .then((waiters) => waiters.map((w) => w.correlationId));
}

async function failure(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error === undefined) throw new Error('expected the statement to fail');
  return sqlState(error);
}

describe('slot waiters', () => {
  it('are served in order of arrival; registering again keeps the first place', async () => {
    const [t1, t2, t3] = [
      await newTenant(db.runtime),
      await newTenant(db.runtime),
      await newTenant(db.runtime),
    ];
    const first = await waitFor(t1);
    const second = await waitFor(t2);
    const third = await waitFor(t3);
    // The first waiter polls again (its fallback) and registers again, now for the tenant cap.
    await withTenant(db.runtime, t1, (tx) =>
      registerSlotWaiter(tx, { tenantId: t1, correlationId: first, selectionHash: HASH, cap: 'tenant' }),
    );
    expect(await next(10, 10)).toEqual([first, second, third]);
    const [row] = await queryRows<{ cap: string; n: number }>(
      db.admin,
      `SELECT cap, count(*) OVER ()::int AS n FROM inventory_sync_slot_waiters WHERE correlation_id = $1`,
      [first],
    );
    expect(row).toEqual({ cap: 'tenant', n: 1 });
  });

  it('pick as many as the global cap leaves free, none when it is full', async () => {
    const tenants = await Promise.all([1, 2, 3, 4].map(() => newTenant(db.runtime)));
    await liveRun(tenants[0]!);
    await liveRun(tenants[1]!);
    const waiters = [await waitFor(tenants[2]!), await waitFor(tenants[3]!), await waitFor(tenants[2]!)];
    expect(await next(2, 10)).toEqual([]);
    expect(await next(3, 10)).toEqual([waiters[0]]);
    expect(await next(4, 10)).toEqual([waiters[0], waiters[1]]);
    expect(await next(100, 10)).toEqual(waiters);
  });

  it('pass over a waiter whose tenant is at its cap, and take of a tenant only what its cap leaves', async () => {
    const [busy, idle] = [await newTenant(db.runtime), await newTenant(db.runtime)];
    await liveRun(busy);
    const blocked = await waitFor(busy, 'tenant');
    const a = await waitFor(idle);
    const b = await waitFor(idle);
    // Per-tenant cap 1: the busy tenant's waiter does not fit; of the idle tenant only its oldest.
    expect(await next(10, 1)).toEqual([a]);
    expect(await next(10, 2)).toEqual([blocked, a, b]);
    await endRun(db.runtime, live.pop()!);
    expect(await next(10, 1)).toEqual([blocked, a]);
  });

  it('are registered and removed only in their own tenant’s scope', async () => {
    const [mine, other] = [await newTenant(db.runtime), await newTenant(db.runtime)];
    const waiter = await waitFor(mine);
    const foreign = withTenant(db.runtime, other, (tx) =>
      registerSlotWaiter(tx, {
        tenantId: mine,
        correlationId: `x/${randomUUID()}`,
        selectionHash: HASH,
        cap: 'global',
      }),
    );
    expect(await failure(foreign)).toBe('42501');
    const unscoped = db.runtime.query(`SELECT inventory_slot_waiter_register($1, $2, $3, 'global')`, [
      `x/${randomUUID()}`,
      mine,
      HASH,
    ]);
    expect(await failure(unscoped)).toBe('42501');
    expect(await withTenant(db.runtime, other, (tx) => removeSlotWaiter(tx, waiter))).toBe(false);
    expect(await next(10, 10)).toEqual([waiter]);
    expect(await withTenant(db.runtime, mine, (tx) => removeSlotWaiter(tx, waiter))).toBe(true);
    expect(await withTenant(db.runtime, mine, (tx) => removeSlotWaiter(tx, waiter))).toBe(false);
    expect(await next(10, 10)).toEqual([]);
  });

  it('are reachable by the runtime only through their functions, and by nobody else', async () => {
    for (const sql of [
      'SELECT * FROM inventory_sync_slot_waiters',
      `INSERT INTO inventory_sync_slot_waiters (correlation_id, tenant_id, selection_hash, cap) VALUES ('x/y', gen_random_uuid(), '${HASH}', 'global')`,
      'DELETE FROM inventory_sync_slot_waiters',
    ]) {
      expect(await failure(db.runtime.query(sql)), sql).toBe('42501');
    }
    const outsider = `inventory_outsider_${randomBytes(4).toString('hex')}`;
    const password = randomBytes(12).toString('hex');
    await db.admin.query(`CREATE ROLE ${outsider} LOGIN PASSWORD '${password}'`);
    const client = new Client({ connectionString: connectionUrl(db.adminUrl, { user: outsider, password }) });
    try {
      await client.connect();
      for (const sql of [
        'SELECT * FROM inventory_slot_waiters_next(10, 10)',
        `SELECT inventory_slot_waiter_remove('x/y')`,
        `SELECT inventory_slot_waiter_register('x/y', gen_random_uuid(), '${HASH}', 'global')`,
      ]) {
        expect(await failure(client.query(sql)), sql).toBe('42501');
      }
    } finally {
      await client.end();
      await db.admin.query(`DROP ROLE ${outsider}`);
    }
  });

  it('are picked under the start lock: a waiter registered by a start still counting is not missed', async () => {
    const tenantId = await newTenant(db.runtime);
    const correlationId = `inventory-sync:${tenantId}:${HASH}/${randomUUID()}`;
    const start = db.runtime.createQueryRunner();
    await start.connect();
    try {
      // A start that counted a full cap, registered, and has not committed yet.
      await start.startTransaction();
      await start.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
      await start.query(`SELECT pg_advisory_xact_lock(${START_RUN_LOCK_KEY})`);
      await start.query(`SELECT inventory_slot_waiter_register($1, $2, $3, 'global')`, [
        correlationId,
        tenantId,
        HASH,
      ]);
      const picked = next(10, 10);
      await expect
        .poll(
          async () => {
            const [row] = await queryRows<{ n: number }>(
              db.admin,
              `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`,
            );
            return row!.n;
          },
          { timeout: 10_000, interval: 20 },
        )
        .toBe(1);
      await start.commitTransaction();
      expect(await picked).toEqual([correlationId]);
    } finally {
      await start.release();
    }
  });

  it('refuses caps below 1', async () => {
    await expect(next(0, 1)).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(next(1, 1.5)).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
