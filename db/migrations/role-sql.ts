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

/**
 * Hands `functions` (signatures such as `public.f(integer)`) to `owner`, a NOLOGIN role whose rights
 * they run with (SECURITY DEFINER). A migration owner that is not a superuser must be a member of
 * `owner` and `owner` must be able to create in `public` for ALTER … OWNER TO; both are granted
 * for the hand-over only. (Migration 1795478400004 spells the same statements out itself.)
 */
export function handFunctionsTo(owner: string, functions: readonly string[]): string {
  return `
    DO $$
    DECLARE
      owner_is_superuser boolean := (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user);
    BEGIN
      IF NOT owner_is_superuser THEN
        EXECUTE format('GRANT %I TO %I', ${literal(owner)}, current_user);
        EXECUTE format('GRANT CREATE ON SCHEMA public TO %I', ${literal(owner)});
      END IF;
${functions.map((fn) => `      EXECUTE format('ALTER FUNCTION ${fn.replace(/'/g, "''")} OWNER TO %I', ${literal(owner)});`).join('\n')}
      IF NOT owner_is_superuser THEN
        EXECUTE format('REVOKE CREATE ON SCHEMA public FROM %I', ${literal(owner)});
      END IF;
    END
    $$`;
}
