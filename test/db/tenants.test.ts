/** Tenant registration against real PostgreSQL. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTenant, listTenants, registerTenant, setTenantEnabled } from '../../db/repositories/tenants';
import { createTestDatabase, type TestDatabase } from '../support/database';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe('tenants', () => {
  it('registers idempotently: re-registering renames and keeps the enabled flag', async () => {
    const id = randomUUID().toUpperCase();
    const first = await registerTenant(db.runtime.manager, { id, displayName: '  Contoso  ' });
    expect(first.created).toBe(true);
    expect(first.tenant).toMatchObject({ id: id.toLowerCase(), displayName: 'Contoso', enabled: true });

    await setTenantEnabled(db.runtime.manager, id, false);
    const same = await registerTenant(db.runtime.manager, { id, displayName: 'Contoso' });
    expect(same.created).toBe(false);
    expect(same.tenant.enabled).toBe(false);

    const renamed = await registerTenant(db.runtime.manager, { id, displayName: 'Contoso Ltd' });
    expect(renamed.tenant).toMatchObject({
      displayName: 'Contoso Ltd',
      enabled: false,
      createdAt: first.tenant.createdAt,
    });
    expect(renamed.tenant.updatedAt.getTime()).toBeGreaterThan(first.tenant.updatedAt.getTime());
    expect(await getTenant(db.runtime.manager, id)).toEqual(renamed.tenant);
  });

  it('enables and disables, answering null for an unknown tenant', async () => {
    const { tenant } = await registerTenant(db.runtime.manager, {
      id: randomUUID(),
      displayName: 'Fabrikam',
    });
    expect((await setTenantEnabled(db.runtime.manager, tenant.id, false))?.enabled).toBe(false);
    expect((await setTenantEnabled(db.runtime.manager, tenant.id, true))?.enabled).toBe(true);
    expect(await setTenantEnabled(db.runtime.manager, randomUUID(), true)).toBeNull();
    expect(await getTenant(db.runtime.manager, randomUUID())).toBeNull();
  });

  it('lists tenants by display name', async () => {
    const names = ['Zeta', 'Alpha', 'Mu'];
    for (const displayName of names)
      await registerTenant(db.runtime.manager, { id: randomUUID(), displayName });
    const listed = (await listTenants(db.runtime.manager)).map((t) => t.displayName);
    expect(listed.filter((name) => names.includes(name))).toEqual(['Alpha', 'Mu', 'Zeta']);
  });

  it('rejects ids that are not GUIDs and empty names', async () => {
    await expect(
      registerTenant(db.runtime.manager, { id: 'contoso', displayName: 'x' }),
    ).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await expect(
      registerTenant(db.runtime.manager, { id: randomUUID(), displayName: ' \u0000 ' }),
    ).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });
});
