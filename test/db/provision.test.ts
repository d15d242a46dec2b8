/** The runtime login: attributes, membership, password handling, and the SCRAM verifier PostgreSQL accepts. */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { Client } from 'pg';
import { connectionUrl } from '../../db/connection-url';
import { ensureRuntimeLogin } from '../../db/provision';
import { scramSha256Verifier } from '../../db/scram';

const adminUrl = () => process.env.INVENTORY_TEST_PG_ADMIN_URL!;
const roles: string[] = [];

async function asAdmin<T>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

async function canLogIn(user: string, password: string): Promise<boolean> {
  const client = new Client({ connectionString: connectionUrl(adminUrl(), { user, password }) });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function adminIsSuperuser(): Promise<boolean> {
  const [role] = await asAdmin<{ rolsuper: boolean }>(
    'SELECT rolsuper FROM pg_roles WHERE rolname = current_user',
  );
  return role?.rolsuper === true;
}

function newRole(): string {
  const name = `inventory_app_${randomBytes(4).toString('hex')}`;
  roles.push(name);
  return name;
}

afterAll(async () => {
  for (const role of roles) await asAdmin(`DROP ROLE IF EXISTS ${role}`);
});

describe('ensureRuntimeLogin', () => {
  it('creates a login that cannot escape row-level security and is a member of inventory_runtime', async () => {
    const user = newRole();
    const password = `pw-${randomBytes(8).toString('hex')}`;
    await ensureRuntimeLogin(adminUrl(), { user, password });
    const [role] = await asAdmin<Record<string, unknown>>(
      `SELECT rolcanlogin, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, rolreplication,
              pg_has_role($1, 'inventory_runtime', 'MEMBER') AS member
       FROM pg_roles WHERE rolname = $1`,
      [user],
    );
    expect(role).toEqual({
      rolcanlogin: true,
      rolsuper: false,
      rolbypassrls: false,
      rolcreaterole: false,
      rolcreatedb: false,
      rolreplication: false,
      member: true,
    });
    expect(await canLogIn(user, password)).toBe(true);
  });

  it('updates an existing login: new password, attributes reset', async () => {
    const user = newRole();
    await asAdmin(`CREATE ROLE ${user} LOGIN CREATEDB PASSWORD 'old-password'`);
    await ensureRuntimeLogin(adminUrl(), { user, password: "new pass with 'quote' and \\ backslash" });
    expect(await canLogIn(user, 'old-password')).toBe(false);
    expect(await canLogIn(user, "new pass with 'quote' and \\ backslash")).toBe(true);
    const [role] = await asAdmin<{ rolcreatedb: boolean }>(
      `SELECT rolcreatedb FROM pg_roles WHERE rolname = $1`,
      [user],
    );
    expect(role!.rolcreatedb).toBe(false);
  });

  it('strips attributes that would bypass row-level security from an existing login', async ({ skip }) => {
    if (!(await adminIsSuperuser())) skip('only a superuser can create a BYPASSRLS role');
    const user = newRole();
    await asAdmin(`CREATE ROLE ${user} LOGIN BYPASSRLS REPLICATION PASSWORD 'old-password'`);
    await ensureRuntimeLogin(adminUrl(), { user, password: 'fresh-password' });
    const [role] = await asAdmin<Record<string, boolean>>(
      `SELECT rolbypassrls, rolreplication FROM pg_roles WHERE rolname = $1`,
      [user],
    );
    expect(role).toEqual({ rolbypassrls: false, rolreplication: false });
  });

  it('never sends the password itself: the stored verifier is ours, bit for bit', async ({ skip }) => {
    if (!(await adminIsSuperuser())) skip('reading pg_authid needs a superuser');
    const user = newRole();
    const password = `pw-${randomBytes(8).toString('hex')}`;
    await ensureRuntimeLogin(adminUrl(), { user, password });
    const [stored] = await asAdmin<{ rolpassword: string }>(
      `SELECT rolpassword FROM pg_authid WHERE rolname = $1`,
      [user],
    );
    const match = /^SCRAM-SHA-256\$(\d+):([^$]+)\$/.exec(stored!.rolpassword);
    expect(match).not.toBeNull();
    const recomputed = scramSha256Verifier(password, {
      iterations: Number(match![1]),
      salt: Buffer.from(match![2]!, 'base64'),
    });
    expect(stored!.rolpassword).toBe(recomputed);
  });

  it('computes the same verifier PostgreSQL computes from a plain password', async ({ skip }) => {
    if (!(await adminIsSuperuser())) skip('reading pg_authid needs a superuser');
    const user = newRole();
    await asAdmin(
      `SET password_encryption = 'scram-sha-256'; CREATE ROLE ${user} LOGIN PASSWORD 'pg-side-secret'`,
    );
    const [stored] = await asAdmin<{ rolpassword: string }>(
      `SELECT rolpassword FROM pg_authid WHERE rolname = $1`,
      [user],
    );
    const [, iterations, salt] = /^SCRAM-SHA-256\$(\d+):([^$]+)\$/.exec(stored!.rolpassword)!;
    expect(
      scramSha256Verifier('pg-side-secret', {
        iterations: Number(iterations),
        salt: Buffer.from(salt!, 'base64'),
      }),
    ).toBe(stored!.rolpassword);
  });

  it.each(['Robert"; DROP ROLE postgres; --', 'inventory_runtime', 'pg_monitor', 'postgres', ''])(
    'refuses the login name %j',
    async (user) => {
      await expect(ensureRuntimeLogin(adminUrl(), { user, password: 'x' })).rejects.toMatchObject({
        code: 'invalid_input',
      });
    },
  );
});
