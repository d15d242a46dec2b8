/**
 * SCRAM-SHA-256 password verifiers (RFC 5802/7677, PostgreSQL's stored format), computed here so
 * `CREATE ROLE … PASSWORD` carries a verifier instead of the password: statement logs and
 * pg_stat_activity then never show it. Same construction as libpq's PQencryptPasswordConn.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

const ITERATIONS = 4096;
const SALT_BYTES = 16;

/**
 * PostgreSQL applies SASLprep to passwords; for the passwords this service generates (ASCII)
 * NFKC normalisation is the whole of it, and it is what node-postgres applies on login too.
 */
export function scramSha256Verifier(
  password: string,
  options: { salt?: Buffer; iterations?: number } = {},
): string {
  const salt = options.salt ?? randomBytes(SALT_BYTES);
  const iterations = options.iterations ?? ITERATIONS;
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}
