/**
 * Applies and reverts the schema as the owning role (the migration URL; in development and tests
 * the embedded cluster's superuser). Each migration runs in its own transaction, so a failure
 * leaves the database at the last migration that succeeded.
 */
import { type DataSource } from 'typeorm';
import { toDbError } from './errors';
import { createDataSource, initializeDataSource, MIGRATIONS_TABLE } from './data-source';
import { queryRows } from './sql';

// `setting` is the variable the URL came from (DATABASE_MIGRATION_URL or DATABASE_URL), named when
// connecting fails so the user fixes the right one.
async function withOwnerConnection<T>(
  ownerUrl: string,
  setting: string | undefined,
  work: (ds: DataSource) => Promise<T>,
): Promise<T> {
  const ds = await initializeDataSource(
    createDataSource({ url: ownerUrl, poolSize: 1, applicationName: 'inventory-sync-migrate' }),
    setting,
  );
  try {
    return await work(ds);
  } finally {
    await ds.destroy();
  }
}

/**
 * Applies every pending migration; returns the names applied, oldest first (empty when up to date).
 * Connecting fails as initializeDataSource does, naming `setting` (default DATABASE_URL); a
 * migration fails as `db_error`.
 */
export async function runMigrations(ownerUrl: string, setting?: string): Promise<string[]> {
  return withOwnerConnection(ownerUrl, setting, async (ds) => {
    try {
      const applied = await ds.runMigrations({ transaction: 'each' });
      return applied.map((migration) => migration.name);
    } catch (error) {
      throw toDbError(error, 'migration failed');
    }
  });
}

/**
 * Reverts the most recently applied migration; returns its name, or null when none is applied.
 * Fails as runMigrations does.
 */
export async function revertLastMigration(ownerUrl: string, setting?: string): Promise<string | null> {
  return withOwnerConnection(ownerUrl, setting, async (ds) => {
    try {
      const [table] = await queryRows<{ present: boolean }>(
        ds,
        `SELECT to_regclass($1) IS NOT NULL AS present`,
        [MIGRATIONS_TABLE],
      );
      if (!table?.present) return null;
      const [last] = await queryRows<{ name: string }>(
        ds,
        `SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY timestamp DESC, id DESC LIMIT 1`,
      );
      if (!last) return null;
      await ds.undoLastMigration({ transaction: 'each' });
      return last.name;
    } catch (error) {
      throw toDbError(error, 'reverting the last migration failed');
    }
  });
}
