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

/** Wraps a driver failure as `db_error` with a one-line message; InventoryErrors pass through. */
export function toDbError(error: unknown, action: string): InventoryError {
  if (error instanceof InventoryError) return error;
  const raw = error instanceof Error ? error.message : String(error);
  const firstLine = raw.split('\n')[0]!.trim() || 'unknown failure';
  const state = sqlState(error);
  return new InventoryError(
    'db_error',
    redactText(`${action}: ${firstLine}${state ? ` (SQLSTATE ${state})` : ''}`),
    {
      cause: error,
    },
  );
}

/** Awaits `work`, turning a driver failure into `db_error` (see toDbError). */
export async function orDbError<T>(action: string, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw toDbError(error, action);
  }
}
