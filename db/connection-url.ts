import { readFileSync } from 'node:fs';
import { boundedEcho } from '../inventory/bounded-echo';

/**
 * PostgreSQL connection URLs: checking one's shape (and the TLS files it names) before anything connects, handing it to the
 * driver with libpq's `sslmode` meaning, deriving one for another database or role (tests clone
 * databases, the dev stack adds the runtime login) and describing one without its password.
 */

/**
 * The `sslmode` values accepted, with libpq's meaning (postgresql.org/docs/current/libpq-ssl.html):
 * `disable` plain; `require` encrypted, the server's certificate checked only when `sslrootcert`
 * names a CA; `verify-ca` encrypted, certificate chain checked against `sslrootcert`; `verify-full`
 * chain and host name checked. libpq's `allow` and `prefer` fall back to an unencrypted
 * connection, which the pg driver cannot do, so they are refused rather than silently changed.
 */
export const SSL_MODES = ['disable', 'require', 'verify-ca', 'verify-full'] as const;

const FALLBACK_SSL_MODES = new Set(['allow', 'prefer']);

/** Parameters naming a file the pg driver reads when it connects (CA, client certificate, its key). */
const SSL_FILE_PARAMETERS = ['sslrootcert', 'sslcert', 'sslkey'] as const;

const INVALID_URL =
  'is not a valid URL (percent-encode special characters such as @ : / ? # in the user name and password)';

/** Everything between `scheme://` and the path, query or fragment: `[user[:password]@]host[:port]`. */
const AUTHORITY = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i;

/**
 * What is wrong with `url` as a PostgreSQL connection URL, as words to follow the variable's name
 * (never quoting the user or password), or null when it can be used: scheme `postgres` or
 * `postgresql`, a host (or a `host` query parameter, e.g. a Unix socket directory), a port from 1
 * to 65535 if any, a user name, password and database name whose `%` escapes decode (the driver
 * decodes them and fails with "URI malformed" otherwise), an `sslmode` from SSL_MODES (`verify-ca`
 * with `sslrootcert`), and readable files for `sslrootcert`, `sslcert` and `sslkey` (the driver
 * reads them only when it connects). Reads those files.
 */
export function postgresUrlProblem(url: string): string | null {
  if (!/^postgres(ql)?:\/\//i.test(url)) return 'must be a postgres:// or postgresql:// connection URL';
  const authority = AUTHORITY.exec(url)?.[1] ?? '';
  // An "@" after the authority means a "/", "?" or "#" in the password was not percent-encoded:
  // the authority found is then part of the password and must not be quoted back.
  if (url.slice(url.indexOf('//') + 2 + authority.length).includes('@')) return INVALID_URL;
  // The port is checked before URL parsing, which rejects an out-of-range port without saying so.
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  const port = /^(?:\[[^\]]*\]|[^:]*):(.*)$/.exec(hostPort)?.[1];
  if (
    port !== undefined &&
    port !== '' &&
    !(/^\d+$/.test(port) && Number(port) >= 1 && Number(port) <= 65_535)
  ) {
    const shown = /^\d{1,20}$/.test(port) ? ` ${port}` : '';
    return `has port${shown}, which is not a port number (1 to 65535)`;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return INVALID_URL;
  }
  if (!parsed.hostname && !parsed.searchParams.get('host')) {
    return 'names no host (postgres://user:password@host:5432/database)';
  }
  const undecodable = undecodablePart(parsed);
  if (undecodable !== null) {
    return `has a "%" in its ${undecodable} that is not a percent-escape of two hex digits (write a literal "%" as %25)`;
  }
  return sslModeProblem(parsed) ?? sslFileProblem(parsed);
}

/** Which of the parts the driver percent-decodes does not decode, or null. */
function undecodablePart(parsed: URL): string | null {
  const parts: [string, string][] = [
    ['user name', parsed.username],
    ['password', parsed.password],
    ['database name', parsed.pathname],
  ];
  for (const [part, text] of parts) {
    try {
      decodeURIComponent(text);
    } catch {
      return part;
    }
  }
  return null;
}

function sslModeProblem(parsed: URL): string | null {
  const sslMode = parsed.searchParams.get('sslmode');
  if (sslMode === null) return null;
  if (FALLBACK_SSL_MODES.has(sslMode)) {
    return `has sslmode=${sslMode}, which would fall back to an unencrypted connection and the driver cannot; use sslmode=require or sslmode=disable`;
  }
  if (!(SSL_MODES as readonly string[]).includes(sslMode)) {
    return `has sslmode=${JSON.stringify(sslMode.slice(0, 40))}; use one of ${SSL_MODES.join(', ')}`;
  }
  if (sslMode === 'verify-ca' && !parsed.searchParams.get('sslrootcert')) {
    return 'has sslmode=verify-ca without sslrootcert=<CA certificate file> to verify against';
  }
  return null;
}

// The file is read, not only checked for access: a directory passes an access check.
function sslFileProblem(parsed: URL): string | null {
  for (const parameter of SSL_FILE_PARAMETERS) {
    // An empty value is no file to the driver either.
    const path = parsed.searchParams.get(parameter);
    if (!path) continue;
    try {
      readFileSync(path);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      return `has ${parameter}=${boundedEcho(path)}, which cannot be read (${reason})`;
    }
  }
  return null;
}

/**
 * `url` as the pg driver must get it to apply `sslmode` as libpq does (see SSL_MODES). pg 8 reads
 * `require` and `verify-ca` as `verify-full` and prints a multi-line deprecation warning about it;
 * `uselibpqcompat=true` gives libpq's meaning and no warning. A URL without `sslmode` is unchanged.
 */
export function driverConnectionString(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (!parsed.searchParams.has('sslmode')) return url;
  parsed.searchParams.set('uselibpqcompat', 'true');
  return parsed.toString();
}

/** `base` with another database, user or password (each percent-encoded). */
export function connectionUrl(
  base: string,
  change: { database?: string; user?: string; password?: string },
): string {
  const url = new URL(base);
  if (change.database !== undefined) url.pathname = `/${encodeURIComponent(change.database)}`;
  if (change.user !== undefined) url.username = encodeURIComponent(change.user);
  if (change.password !== undefined) url.password = encodeURIComponent(change.password);
  return url.toString();
}

/** `user@host:port/database`, safe for messages and logs. */
export function describeConnection(url: string): string {
  try {
    const parsed = new URL(url);
    const user = decodeURIComponent(parsed.username) || '(default user)';
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || '(default database)';
    return `${user}@${parsed.hostname}${parsed.port ? `:${parsed.port}` : ''}/${database}`;
  } catch {
    return '(unparseable connection URL)';
  }
}
