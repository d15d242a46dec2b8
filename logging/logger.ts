/**
 * Structured logs (pino). Every log object and message passes through the same redaction as
 * persisted data, so a token cannot reach a log line even when an error quotes one.
 */
import pino, { type Logger } from 'pino';
import { redact, redactText } from '../inventory/redact';

export type { Logger };

/** `object` with an Error under `error` copied with its message, which is not enumerable. */
function withErrorMessage(object: Record<string, unknown>): Record<string, unknown> {
  const { error } = object;
  if (!(error instanceof Error)) return object;
  return { ...object, error: { ...error, message: error.message } };
}

/**
 * A pino logger at `level` (default info) named `name` (default inventory-sync), writing JSON lines
 * to `destination` (default stdout). Every message and
 * object is redacted, and an `err` is logged as type, message and code only: a stack can quote secrets.
 * An `error` (what the Temporal SDK logs a failed activity under) keeps its own fields and gains its
 * message, which is not enumerable and would otherwise be lost: the worker log says why.
 */
export function createLogger(
  options: { level?: string; name?: string; destination?: pino.DestinationStream } = {},
): Logger {
  const settings: pino.LoggerOptions = {
    name: options.name ?? 'inventory-sync',
    level: options.level ?? 'info',
    redact: {
      // `taskToken`: the Temporal SDK logs an activity's task token with its outcome ("Activity
      // failed"); whoever holds it may complete or fail that activity.
      paths: [
        'req.headers.authorization',
        'headers.authorization',
        '*.authorization',
        'token',
        '*.token',
        'taskToken',
        '*.taskToken',
      ],
      censor: '[REDACTED]',
    },
    serializers: {
      err: (err: unknown) => {
        if (!(err instanceof Error)) return redact(err);
        const code = (err as { code?: unknown }).code;
        return { type: err.name, message: redactText(err.message), ...(code !== undefined && { code }) };
      },
    },
    formatters: {
      // Runs before the serializers, so an `error` is made a plain object here.
      log: (object) => redact(withErrorMessage(object)) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args, method) {
        method.apply(
          this,
          args.map((a) => (typeof a === 'string' ? redactText(a) : a)) as Parameters<typeof method>,
        );
      },
    },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
