/**
 * Structured logs (pino). Every log object and message passes through the same redaction as
 * persisted data, so a token cannot reach a log line even when an error quotes one.
 */
import pino, { type Logger } from 'pino';
import { redact, redactText } from '../inventory/redact';

export type { Logger };

/**
 * A pino logger at `level` (default info) named `name` (default inventory-sync). Every message and
 * object is redacted, and an `err` is logged as type, message and code only: a stack can quote secrets.
 */
export function createLogger(options: { level?: string; name?: string } = {}): Logger {
  return pino({
    name: options.name ?? 'inventory-sync',
    level: options.level ?? 'info',
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', '*.authorization', 'token', '*.token'],
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
      log: (object) => redact(object) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args, method) {
        method.apply(
          this,
          args.map((a) => (typeof a === 'string' ? redactText(a) : a)) as Parameters<typeof method>,
        );
      },
    },
  });
}
