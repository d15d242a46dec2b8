/**
 * Driver failures as people and callers need them: the SQLSTATE for code that must tell failures
 * apart (unique and permission violations), and one redacted line with code `db_error` for entry
 * points, so no stack trace, connection string or statement text reaches a user.
 */
import { InventoryError } from '../inventory/error-codes';
import { redactText } from '../inventory/redact';

const SQLSTATE = /^[0-9A-Z]{5}$/;

/** The PostgreSQL SQLSTATE of a pg error or of TypeORM's QueryFailedError wrapping one. */
export function sqlState(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidates = [
    (error as { code?: unknown }).code,
    (error as { driverError?: { code?: unknown } }).driverError?.code,
  ];
  return candidates.find((code): code is string => typeof code === 'string' && SQLSTATE.test(code));
}

/**
 * The driver's first line and SQLSTATE. Connecting to a name with several addresses (localhost)
 * fails as an AggregateError whose own message is empty: its first error says why.
 */
function reason(error: unknown): string {
  const first: unknown = error instanceof AggregateError && error.errors.length > 0 ? error.errors[0] : error;
  const raw = first instanceof Error ? first.message : String(first);
  const firstLine = raw.split('\n')[0]!.trim() || 'unknown failure';
  const state = sqlState(error);
  return `${firstLine}${state ? ` (SQLSTATE ${state})` : ''}`;
}

/** Wraps a driver failure as `db_error` with a one-line message; InventoryErrors pass through. */
export function toDbError(error: unknown, action: string): InventoryError {
  if (error instanceof InventoryError) return error;
  return new InventoryError('db_error', redactText(`${action}: ${reason(error)}`), { cause: error });
}

// Connection failures that only a different URL fixes: wrong password or role, unknown database,
// unknown host, and SSL the server does not offer or a certificate it cannot prove.
const SETTING_SQLSTATES = new Set(['28P01', '28000', '3D000']);
const SETTING_ERRNOS = /^ENOTFOUND$|CERT|UNABLE_TO_VERIFY/;

function isSettingProblem(error: unknown): boolean {
  const state = sqlState(error);
  if (state !== undefined) return SETTING_SQLSTATES.has(state);
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && SETTING_ERRNOS.test(code)) return true;
  return error instanceof Error && /does not support SSL/.test(error.message);
}

/**
 * A failure to connect as `target` (user@host:port/database) over the URL from the variable
 * `setting`, as one line naming both and never the password: `config_invalid` when only another
 * URL can fix it (authentication, unknown database or host, SSL), `db_error` otherwise (the
 * server is down or refuses connections for now). InventoryErrors pass through.
 */
export function connectionError(error: unknown, target: string, setting: string): InventoryError {
  if (error instanceof InventoryError) return error;
  if (isSettingProblem(error)) {
    return new InventoryError('config_invalid', redactText(`${setting} (${target}): ${reason(error)}`), {
      cause: error,
    });
  }
  return toDbError(error, `cannot connect to PostgreSQL as ${target} (${setting})`);
}

/** Awaits `work`, turning a driver failure into `db_error` (see toDbError). */
export async function orDbError<T>(action: string, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw toDbError(error, action);
  }
}
