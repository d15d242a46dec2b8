/**
 * Building blocks for the per-process configuration schemas. Each process (worker, CLI, Graph
 * simulator, dev stack) composes one zod object from these fragments and parses the environment
 * once at start-up with `parseEnv`. Empty strings count as unset, so `FOO=` in a .env file falls
 * back to the default instead of failing validation.
 */
import { z } from 'zod';
import { InventoryError } from '../inventory/error-codes';
import { parseDuration } from '../inventory/duration';

/** `config_invalid` with a message naming the variable; the CLI prints it without the generic hint. */
export class ConfigError extends InventoryError {
  override readonly name = 'ConfigError';
  constructor(message: string) {
    super('config_invalid', message);
  }
}

/** `true|false|1|0|yes|no`; anything else is an error (no `z.coerce.boolean()`, which makes "false" true). */
export const envBoolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const envPositiveInt = z
  .string()
  .regex(/^\d+$/, 'must be a whole number')
  .transform(Number)
  .pipe(z.number().int().min(1, 'must be at least 1').max(1_000_000, 'is too large'));

export const envPositiveNumber = z
  .string()
  .regex(/^\d+(\.\d+)?$/, 'must be a number')
  .transform(Number)
  .pipe(z.number().positive('must be greater than 0'));

export const envDurationMs = z.string().transform((v, ctx) => {
  const ms = parseDuration(v);
  if (ms === null) {
    ctx.addIssue({ code: 'custom', message: 'must be a duration such as 500ms, 30s, 10m or 6h' });
    return z.NEVER;
  }
  return ms;
});

/** An https origin (scheme, host, optional port) without path, as used for Graph and Entra. */
export const envHttpsOrigin = z.string().transform((v, ctx) => {
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a URL such as https://graph.microsoft.com' });
    return z.NEVER;
  }
  if (url.protocol !== 'https:') {
    ctx.addIssue({ code: 'custom', message: 'must use https (tokens are never sent in clear text)' });
    return z.NEVER;
  }
  if (url.pathname !== '/' || url.search || url.hash) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be an origin without a path, e.g. https://graph.microsoft.com',
    });
    return z.NEVER;
  }
  return url.origin;
});

export const envPostgresUrl = z.string().refine((v) => /^postgres(ql)?:\/\/.+/.test(v), {
  message: 'must be a postgres:// connection URL',
});

export const logEnv = {
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};

// Names whose values must never be echoed back in an error message.
const SECRET_NAMES = /SECRET|PASSWORD|TOKEN|KEY|DATABASE_URL|_URL$/;

function describeValue(name: string, value: string | undefined): string {
  if (value === undefined) return '';
  if (SECRET_NAMES.test(name) || value.length > 60) return '';
  return ` (got "${value}")`;
}

/**
 * Parses the environment against one process's schema. The first problem becomes a one-line
 * ConfigError naming the variable; the caller prints it and exits without a stack trace.
 */
export function parseEnv<T extends z.ZodRawShape>(
  shape: T,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<z.ZodObject<T>> {
  const present: Record<string, string> = {};
  for (const key of Object.keys(shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') present[key] = value;
  }
  const result = z.object(shape).safeParse(present);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const name = String(issue.path[0] ?? 'environment');
  const message =
    issue.code === 'invalid_type' && present[name] === undefined ? 'is required' : issue.message;
  throw new ConfigError(`${name} ${message}${describeValue(name, present[name])}`);
}
