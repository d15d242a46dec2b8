/**
 * Creates or updates the runtime's login role (dev stack and tests; deployments do the same with
 * their own tooling): LOGIN, none of the attributes that escape row-level security or widen
 * privileges, member of `inventory_runtime` (created by the migrations, which must run first).
 */
import { Client } from 'pg';
import { InventoryError } from '../inventory/error-codes';
import { driverConnectionString } from './connection-url';
import { toDbError } from './errors';
import { scramSha256Verifier } from './scram';

const RUNTIME_GROUP_ROLE = 'inventory_runtime';

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const RESERVED = new Set([RUNTIME_GROUP_ROLE, 'inventory_run_monitor', 'postgres', 'public']);

/**
 * Creates or updates `login.user` over `adminUrl` in one transaction, the password sent only as a
 * SCRAM-SHA-256 verifier. `invalid_input` for a malformed or reserved name or an empty password,
 * `db_error` when connecting or a statement fails.
 */
export async function ensureRuntimeLogin(
  adminUrl: string,
  login: { user: string; password: string },
): Promise<void> {
  if (!ROLE_NAME.test(login.user) || RESERVED.has(login.user) || login.user.startsWith('pg_')) {
    throw new InventoryError(
      'invalid_input',
      'the runtime login must be a lowercase identifier (letters, digits, _) that is not a reserved or group role',
    );
  }
  if (login.password.length === 0)
    throw new InventoryError('invalid_input', 'the runtime login needs a password');

  const client = new Client({
    connectionString: driverConnectionString(adminUrl),
    application_name: 'inventory-sync-provision',
  });
  try {
    await client.connect();
  } catch (error) {
    throw toDbError(error, 'cannot connect to PostgreSQL to provision the runtime login');
  }
  try {
    const role = client.escapeIdentifier(login.user);
    const password = client.escapeLiteral(scramSha256Verifier(login.password));
    await client.query('BEGIN');
    const [existing] = (
      await client.query<{ escapes: boolean }>(
        'SELECT rolsuper OR rolbypassrls OR rolreplication AS escapes FROM pg_catalog.pg_roles WHERE rolname = $1',
        [login.user],
      )
    ).rows;
    if (!existing) {
      await client.query(
        `CREATE ROLE ${role} WITH LOGIN NOSUPERUSER NOBYPASSRLS NOREPLICATION NOCREATEROLE NOCREATEDB INHERIT PASSWORD ${password}`,
      );
    } else {
      await client.query(
        `ALTER ROLE ${role} WITH LOGIN NOCREATEROLE NOCREATEDB INHERIT PASSWORD ${password}`,
      );
      // Only a superuser may even name these attributes, so they are named only when set.
      if (existing.escapes)
        await client.query(`ALTER ROLE ${role} WITH NOSUPERUSER NOBYPASSRLS NOREPLICATION`);
    }
    await client.query(`GRANT ${RUNTIME_GROUP_ROLE} TO ${role}`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw toDbError(error, `cannot provision runtime login "${login.user}"`);
  } finally {
    await client.end();
  }
}
