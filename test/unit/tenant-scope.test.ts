/** The repository convention's guard (db/tenant-scope.ts), checked by the type checker. */
import { describe, expectTypeOf, it } from 'vitest';
import { type EntityManager } from 'typeorm';
import { getRun } from '../../db/repositories/sync-runs';
import { getTenant } from '../../db/repositories/tenants';
import { type TenantManager } from '../../db/tenant-scope';

describe('TenantManager', () => {
  it('is what functions on tenant rows take, and a plain manager is not one', () => {
    expectTypeOf<EntityManager>().not.toExtend<TenantManager>();
    expectTypeOf(getRun).parameter(0).toEqualTypeOf<TenantManager>();
  });

  it('still serves the functions that take any manager', () => {
    expectTypeOf<TenantManager>().toExtend<EntityManager>();
    expectTypeOf(getTenant).parameter(0).toEqualTypeOf<EntityManager>();
  });
});
