/**
 * A table's columns, declared once: each field of the row TypeScript sees, with its type and the
 * SQL column it is stored in. From that one declaration come the row type (`RowOf`), the column
 * list for SELECT and RETURNING (`columnList`) and the mapper from a driver row to the TypeScript
 * row (`fromDb`), so adding a column is one line. The SQL itself stays hand-written in the
 * repositories; this module only keeps the column lists and mappers from drifting apart.
 *
 *   const TENANTS = defineTable('tenants', {
 *     id: column<string>('id'),
 *     displayName: column<string>('display_name'),
 *   });
 *   type Tenant = RowOf<typeof TENANTS>;                  // { id: string; displayName: string }
 *   `SELECT ${TENANTS.columnList} FROM tenants`           // SELECT id, display_name FROM tenants
 *   TENANTS.fromDb({ id: 'a', display_name: 'Contoso' })  // { id: 'a', displayName: 'Contoso' }
 */

declare const valueType: unique symbol;

/** A column stored under the SQL name `name`, whose values the pg driver returns as `T`. */
export interface Column<T> {
  readonly name: string;
  /** Carries `T` for the type checker only; never set. */
  readonly [valueType]?: T;
}

/** A column stored as `name`; `T` is what the driver returns for it, a claim the type checker trusts. */
export function column<T>(name: string): Column<T> {
  return { name };
}

type Columns = Record<string, Column<unknown>>;

/** A result row as the pg driver returns it: values keyed by SQL column name or alias. */
export type DbRow = Record<string, unknown>;

export interface Table<C extends Columns> {
  /** The SQL column names in declaration order, `id, tenant_id, …`, for SELECT and RETURNING. */
  readonly columnList: string;
  /**
   * The TypeScript row of a driver row that selected `columnList`; other keys (cursor columns,
   * flags such as `created`) are ignored. Values pass through as the driver returns them. Throws
   * an Error naming the column when one is absent, so a statement that forgot one fails loudly
   * instead of yielding `undefined`.
   */
  readonly fromDb: (row: DbRow) => RowOf<Table<C>>;
  /** The same relation restricted to `fields`, for statements that need only those columns. */
  pick<K extends keyof C & string>(...fields: K[]): Table<Pick<C, K>>;
}

/** The row TypeScript sees: every declared field, typed by its column (documentation included). */
export type RowOf<T> =
  T extends Table<infer C> ? { [K in keyof C]: C[K] extends Column<infer V> ? V : never } : never;

/**
 * Declares the columns of relation `name` (a table, or a set-returning function such as
 * `inventory_live_runs()`; it only names the relation in errors).
 */
export function defineTable<C extends Columns>(name: string, columns: C): Table<C> {
  const fields = Object.entries(columns).map(([field, { name: sqlName }]) => ({ field, sqlName }));
  return {
    columnList: fields.map(({ sqlName }) => sqlName).join(', '),
    fromDb: (row) => {
      const result: Record<string, unknown> = {};
      for (const { field, sqlName } of fields) {
        if (!(sqlName in row)) throw new Error(`a ${name} row without its column ${sqlName}`);
        result[field] = row[sqlName];
      }
      return result as RowOf<Table<C>>;
    },
    pick: <K extends keyof C & string>(...picked: K[]) => {
      const subset = Object.fromEntries(picked.map((field) => [field, columns[field]]));
      return defineTable(name, subset as Pick<C, K>);
    },
  };
}
