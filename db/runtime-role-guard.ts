/**
 * Start-up check for the runtime connection (worker and client). Tenant isolation rests on
 * row-level security and the "never writes backups" guardrail on table privileges; a role with
 * more power than `inventory_runtime` silently defeats both:
 * - a superuser or a BYPASSRLS role ignores row-level security;
 * - the owner of the service's tables (e.g. migrations ran as the runtime role because
 *   DATABASE_MIGRATION_URL was unset) can turn FORCE ROW LEVEL SECURITY off;
 * - a role holding INSERT, UPDATE, DELETE or TRUNCATE on a snapshot table can write backups.
 * Membership counts: the connected role is judged with every role it belongs to (it can use their
 * privileges or SET ROLE to them). Tables that do not exist (yet) are skipped: a database that is
 * not migrated fails on first use with its own hint. Such a role is refused with one line, unless
 * the operator opted out explicitly (INVENTORY_ALLOW_RLS_BYPASS).
 */
import { type DataSource } from 'typeorm';
import { InventoryError } from '../inventory/error-codes';
import { orDbError } from './errors';
import { queryRows } from './sql';

const OWNED_TABLES = [
  'tenants',
  'inventory_sync_runs',
  'inventory_items',
  'inventory_sync_run_types',
  'inventory_assignments',
  'directory_groups',
  'inventory_sync_slot_waiters',
  'graph_tenant_pacing',
];
const SNAPSHOT_TABLES = ['policy_versions', 'backup_sets', 'backup_items'];

interface RoleFacts {
  name: string;
  superuser: boolean;
  bypassrls: boolean;
  /** Service tables owned by the role or a role it belongs to. */
  owned: string[];
  /** Snapshot tables the role or a role it belongs to may write. */
  writable: string[];
}

const RUNTIME_LOGIN = 'connect DATABASE_URL as a login in role inventory_runtime';

// pg_has_role(…, 'MEMBER') rather than 'USAGE': a member that does not inherit can still SET ROLE.
const ROLE_FACTS_SQL = `
  WITH acting AS (
    SELECT oid FROM pg_catalog.pg_roles WHERE pg_catalog.pg_has_role(oid, 'MEMBER')
  )
  SELECT r.rolname AS name, r.rolsuper AS superuser, r.rolbypassrls AS bypassrls,
    ARRAY(
      SELECT t.name FROM unnest($1::text[]) WITH ORDINALITY AS t(name, n)
      JOIN pg_catalog.pg_class c ON c.oid = to_regclass('public.' || t.name)
      WHERE c.relowner IN (SELECT oid FROM acting)
      ORDER BY t.n
    ) AS owned,
    ARRAY(
      SELECT t.name FROM unnest($2::text[]) WITH ORDINALITY AS t(name, n)
      JOIN pg_catalog.pg_class c ON c.oid = to_regclass('public.' || t.name)
      WHERE EXISTS (
        SELECT FROM acting a
        WHERE pg_catalog.has_table_privilege(a.oid, c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE')
      )
      ORDER BY t.n
    ) AS writable
  FROM pg_catalog.pg_roles r WHERE r.rolname = current_user`;

/** What is wrong with the role and what to do about it, or null when it is fit to run as. */
function refusal(role: RoleFacts): string | null {
  if (role.superuser) return `is a superuser and would bypass row-level security; ${RUNTIME_LOGIN}`;
  if (role.bypassrls) return `has BYPASSRLS and would bypass row-level security; ${RUNTIME_LOGIN}`;
  if (role.owned.length > 0) {
    return (
      `owns ${role.owned.join(', ')} (directly or as a member of the owning role) and could turn ` +
      'row-level security off; run migrations as a separate owner role (DATABASE_MIGRATION_URL) and ' +
      RUNTIME_LOGIN
    );
  }
  if (role.writable.length > 0) {
    return (
      `may write the snapshot tables ${role.writable.join(', ')}, which this service must never ` +
      'write; revoke INSERT, UPDATE, DELETE and TRUNCATE on them from it and the roles it belongs to'
    );
  }
  return null;
}

/**
 * Refuses such a role with `config_invalid`, one line naming it and the fix; no check at all with
 * `allowBypass`. `db_error` when the role's facts cannot be read.
 */
export async function assertRuntimeRoleIsolated(
  ds: DataSource,
  options: { allowBypass: boolean },
): Promise<void> {
  if (options.allowBypass) return;
  const [role] = await orDbError(
    'cannot check the database role',
    queryRows<RoleFacts>(ds, ROLE_FACTS_SQL, [OWNED_TABLES, SNAPSHOT_TABLES]),
  );
  const problem = role && refusal(role);
  if (!role || !problem) return;
  throw new InventoryError(
    'config_invalid',
    `database role "${role.name}" ${problem}, or set INVENTORY_ALLOW_RLS_BYPASS=true to accept that`,
  );
}
