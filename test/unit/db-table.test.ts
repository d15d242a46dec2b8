/** Table declarations (db/table.ts): the column list, row type and mapper derived from one declaration. */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { column, defineTable, type RowOf } from '../../db/table';

const RUNS = defineTable('runs', {
  id: column<string>('id'),
  tenantId: column<string>('tenant_id'),
  finishedAt: column<Date | null>('finished_at'),
  meta: column<Record<string, unknown>>('meta_jsonb'),
});

describe('defineTable', () => {
  it('lists the SQL column names in declaration order', () => {
    expect(RUNS.columnList).toBe('id, tenant_id, finished_at, meta_jsonb');
  });

  it('maps a driver row to the declared fields, values unchanged and other keys dropped', () => {
    const finishedAt = new Date('2026-01-02T03:04:05Z');
    const meta = { version: 3 };
    const row = RUNS.fromDb({
      id: 'r1',
      tenant_id: 't1',
      finished_at: finishedAt,
      meta_jsonb: meta,
      cursor_created_at: '2026-01-02T03:04:05.000000Z',
    });
    expect(row).toStrictEqual({ id: 'r1', tenantId: 't1', finishedAt, meta });
    expect(row.meta).toBe(meta);
    expect(Object.keys(row)).toEqual(['id', 'tenantId', 'finishedAt', 'meta']);
  });

  it('keeps a null value, but refuses a row that lacks a declared column', () => {
    expect(
      RUNS.fromDb({ id: 'r1', tenant_id: 't1', finished_at: null, meta_jsonb: {} }).finishedAt,
    ).toBeNull();
    expect(() => RUNS.fromDb({ id: 'r1', tenant_id: 't1', meta_jsonb: {} })).toThrow(
      'a runs row without its column finished_at',
    );
  });

  it('picks a subset with its own column list and mapper', () => {
    const picked = RUNS.pick('finishedAt', 'id');
    expect(picked.columnList).toBe('finished_at, id');
    expect(picked.fromDb({ id: 'r1', finished_at: null, tenant_id: 'ignored' })).toStrictEqual({
      finishedAt: null,
      id: 'r1',
    });
    expectTypeOf<RowOf<typeof picked>>().toEqualTypeOf<{ finishedAt: Date | null; id: string }>();
  });

  it('types the row by the declared fields', () => {
    expectTypeOf<RowOf<typeof RUNS>>().toEqualTypeOf<{
      id: string;
      tenantId: string;
      finishedAt: Date | null;
      meta: Record<string, unknown>;
    }>();
  });
});
