/**
 * Building blocks for the per-process configuration schemas. Each process (worker, CLI, Graph
 * simulator, dev stack) composes one zod object from these fragments and parses the environment
 * once at start-up with `parseEnv`. Empty strings count as unset, so `FOO=` in a .env file falls
 * back to the default instead of failing validation.
 */
import { z } from 'zod';
import { InventoryError } from '../inventory/error-codes';
import { boundedEcho } from '../inventory/bounded-echo';
import { parseDuration } from '../inventory/duration';
import { postgresUrlProblem } from '../db/connection-url';

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

/** Node timers hold at most 2^31 - 1 ms (about 24.8 days); a longer one fires at once instead. */
const MAX_TIMER_MS = 2_147_483_647;

/** A duration in ms, 0 included, at most what a timer holds. */
export const envDurationMs = z.string().transform((v, ctx) => {
  const ms = parseDuration(v);
  if (ms === null) {
    ctx.addIssue({ code: 'custom', message: 'must be a duration such as 500ms, 30s, 10m or 6h' });
    return z.NEVER;
  }
  if (ms > MAX_TIMER_MS) {
    ctx.addIssue({ code: 'custom', message: 'must be at most 24d (what a timer can hold)' });
    return z.NEVER;
  }
  return ms;
});

const BYTE_UNITS = { B: 1, KiB: 1_024, MiB: 1_024 ** 2, GiB: 1_024 ** 3 } as const;

/** How a byte count is written in messages: the largest binary unit that divides it. */
export function formatBytes(bytes: number): string {
  const unit = (['GiB', 'MiB', 'KiB'] as const).find((u) => bytes % BYTE_UNITS[u] === 0);
  return unit ? `${bytes / BYTE_UNITS[unit]}${unit}` : `${bytes}B`;
}

/** A size in bytes (`64MiB`, `512KiB`, `1GiB`, or bytes: `1048576`), from `minBytes` to `maxBytes`. */
export function envByteSize(minBytes: number, maxBytes: number) {
  const range = `from ${formatBytes(minBytes)} to ${formatBytes(maxBytes)}`;
  return z.string().transform((v, ctx) => {
    const match = /^(\d{1,13})(B|KiB|MiB|GiB)?$/.exec(v);
    if (match === null) {
      ctx.addIssue({ code: 'custom', message: 'must be a size such as 64MiB, 512KiB or 1048576 (bytes)' });
      return z.NEVER;
    }
    const bytes = Number(match[1]) * BYTE_UNITS[(match[2] ?? 'B') as keyof typeof BYTE_UNITS];
    if (bytes < minBytes || bytes > maxBytes) {
      ctx.addIssue({ code: 'custom', message: `must be ${range}` });
      return z.NEVER;
    }
    return bytes;
  });
}

/** A duration in ms from `minMs` to `maxMs` (`text` names the range in messages, e.g. "from 1s to 24h"). */
export function envDurationRangeMs(minMs: number, maxMs: number, text: string) {
  return envDurationMs.pipe(z.number().min(minMs, `must be ${text}`).max(maxMs, `must be ${text}`));
}

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

/**
 * A client-credentials scope: an https resource URL followed by `/.default`, the only form Entra
 * takes in that grant (anything else is AADSTS1002012, invalid_scope).
 */
export const envTokenScope = z.string().superRefine((v, ctx) => {
  if (/\s/.test(v)) {
    // Entra refuses two resources in one client-credentials request: AADSTS70011 invalid_scope
    // (AzureAD/microsoft-authentication-library-for-js#6069).
    ctx.addIssue({ code: 'custom', message: 'must be one scope: Entra takes a single resource per token' });
    return;
  }
  const url = URL.canParse(v) ? new URL(v) : null;
  if (url?.protocol !== 'https:' || !url.pathname.endsWith('/.default') || url.search || url.hash) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be an https URL ending in /.default, e.g. https://graph.microsoft.com/.default',
    });
  }
});

/** A PostgreSQL connection URL whose shape, port and sslmode are usable (db/connection-url.ts). */
export const envPostgresUrl = z.string().superRefine((v, ctx) => {
  const problem = postgresUrlProblem(v);
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
});

/**
 * A gRPC endpoint `host:port` (port 1 to 65535), the host a name, an IPv4 address or a bracketed
 * IPv6 address; no scheme. The port is required, as documented, though the SDKs would default it.
 */
export const envHostPort = z.string().superRefine((v, ctx) => {
  const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9_.-]+):(\d{1,5})$/.exec(v);
  const port = Number(match?.[2]);
  if (!match || port < 1 || port > 65_535) {
    ctx.addIssue({ code: 'custom', message: 'must be host:port such as localhost:7233 (no scheme)' });
  }
});

/**
 * An address to listen on, `host:port` (port 0: any free one; an IPv6 host in brackets), or `off`;
 * parsed to `{ host, port }` (the host without brackets) or null.
 */
export const envListenAddress = z.string().transform((v, ctx) => {
  if (v === 'off') return null;
  const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9_.-]+):(\d{1,5})$/.exec(v);
  const port = Number(match?.[2]);
  if (!match || port > 65_535) {
    ctx.addIssue({ code: 'custom', message: 'must be host:port such as 0.0.0.0:9464 (no scheme), or off' });
    return z.NEVER;
  }
  return { host: match[1]!.replace(/^\[|\]$/g, ''), port };
});

/** A credential sent as a header: printable ASCII without spaces, as headers carry it. */
export const envHeaderToken = z
  .string()
  .regex(
    /^[\x21-\x7e]+$/,
    'must be the key alone, without spaces, line breaks or other characters around it',
  );

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const logEnv = {
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
};

// Names whose values must never be echoed back in an error message.
const SECRET_NAMES = /SECRET|PASSWORD|TOKEN|KEY|DATABASE_URL|_URL$/;

function describeValue(name: string, value: string | undefined): string {
  if (value === undefined) return '';
  if (SECRET_NAMES.test(name) || value.length > 60) return '';
  // Neutralises line breaks and control characters, so the message stays one line.
  return ` (got ${boundedEcho(value, { quote: true })})`;
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
