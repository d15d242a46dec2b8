/**
 * Statements for cluster-wide roles inside per-database migrations. Roles outlive any one
 * database, so creation tolerates a role that already exists (or appears concurrently, when two
 * databases migrate at once) and removal keeps a role other databases still depend on, with a
 * NOTICE instead of a failed `down()`.
 *
 * Frozen with the migrations that call it: changing these statements changes history.
 */

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

export function createGroupRoleIfAbsent(role: string): string {
  return `
    DO $$
    BEGIN
      IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = ${literal(role)}) THEN
        EXECUTE format('CREATE ROLE %I NOLOGIN', ${literal(role)});
      END IF;
    EXCEPTION WHEN duplicate_object THEN
      RAISE NOTICE 'role % was created concurrently', ${literal(role)};
    END
    $$`;
}

export function dropRoleIfUnused(role: string): string {
  return `
    DO $$
    BEGIN
      EXECUTE format('DROP ROLE IF EXISTS %I', ${literal(role)});
    EXCEPTION WHEN dependent_objects_still_exist THEN
      RAISE NOTICE 'role % kept: objects in other databases of this cluster still depend on it', ${literal(role)};
    END
    $$`;
}
