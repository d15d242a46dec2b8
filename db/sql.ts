/**
 * Runs one parameterised statement and returns its rows. TypeORM's `query()` returns
 * `[rows, count]` for UPDATE and DELETE but plain rows otherwise; going through the query
 * runner's structured result gives every repository the same shape whatever the command.
 */
import { EntityManager, type DataSource, type QueryResult } from 'typeorm';

export type Queryable = DataSource | EntityManager;

/**
 * The rows of `sql` with `$1…` bound to `params`, inside `db`'s transaction when it is one. Driver
 * errors pass through unchanged: callers wrap them (orDbError).
 */
export async function queryRows<T>(
  db: Queryable,
  sql: string,
  params: readonly unknown[] = [],
): Promise<T[]> {
  const manager = db instanceof EntityManager ? db : db.manager;
  // A transaction's manager carries its runner; otherwise borrow a pooled connection for one statement.
  const runner = manager.queryRunner ?? manager.dataSource.createQueryRunner();
  try {
    const result = (await runner.query(sql, [...params], true)) as QueryResult<T>;
    return result.records;
  } finally {
    if (runner !== manager.queryRunner) await runner.release();
  }
}
