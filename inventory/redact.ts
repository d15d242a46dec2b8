/**
 * The one redaction function for everything this service persists or logs. Graph error bodies
 * can echo request headers, identity errors can quote form bodies, and any of that may carry a
 * bearer token or client secret; so every string on its way to a row, a log line or a workflow
 * failure passes through `redactText`, and every structured context through `redact`.
 */
import { POLICY_TYPE_KEYS } from './policy-types';
import { sanitizeText } from './postgres-text';

export const REDACTED = '[REDACTED]';

const TEXT_PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  // Authorization headers in any quoting: `Authorization: Bearer x`, `"authorization":"x"`.
  [/(authorization["']?\s*[:=]\s*["']?)(?:bearer\s+|basic\s+)?[^\s"',;}]+/gi, `$1${REDACTED}`],
  [/\b(bearer)\s+[A-Za-z0-9\-._~+/]+=*/gi, `$1 ${REDACTED}`],
  // JWT-shaped strings (access tokens, client assertions) wherever they appear.
  [/\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, REDACTED],
  // Form and query parameters: client_secret=…, client_assertion=…, access_token=…
  [
    /\b(client_secret|client_assertion|assertion|access_token|refresh_token|id_token|password)=([^&\s"']+)/gi,
    `$1=${REDACTED}`,
  ],
  // The same names as JSON members.
  [
    /("(?:client_secret|client_assertion|access_token|refresh_token|id_token|password)"\s*:\s*")(?:[^"\\]|\\.)*"/gi,
    `$1${REDACTED}"`,
  ],
];

// task_?token: a Temporal activity task token completes or fails that activity for whoever holds it
// (the SDK puts it on every activity log line as `taskToken`).
const SECRET_KEYS =
  /^(authorization|proxy-authorization|cookie|set-cookie|client_?secret|client_?assertion|access_?token|refresh_?token|id_?token|task_?token|password|secret|token|private_?key)$/i;

/**
 * `text` with authorization values, bearer tokens, JWT-shaped strings and secret-named form, query and
 * JSON values replaced by `[REDACTED]`. By pattern only: structured values go through `redact`, which
 * also knows secrets by key.
 */
export function redactText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of TEXT_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** Deep copy with every secret-named member replaced and every string redacted. Handles cycles. */
export function redact(value: unknown, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => redact(v, seen));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = SECRET_KEYS.test(key) ? REDACTED : redact(v, seen);
  }
  return out;
}

/** Keys allowed in `error_context`, at any depth. Policy type keys name per-type entries. */
const CONTEXT_KEYS = new Set<string>([
  ...POLICY_TYPE_KEYS,
  'types',
  'warnings',
  'property',
  'code',
  'message',
  'httpStatus',
  'requestId',
  'clientRequestId',
  'attempt',
  'attempts',
  'retryAfterMs',
  'pagesCount',
  'itemsObservedCount',
  'itemsInvalidCount',
  'limit',
  'running',
  'heldBy',
  'workflowStatus',
  'truncated',
]);

export const ERROR_CONTEXT_MAX_BYTES = 8192;
/** A GraphError's message (graph/errors.ts) is kept whole: Entra's code and hint come first. */
const MAX_STRING = 500;
const MAX_ARRAY = 20;
const MAX_DEPTH = 4;

function bound(value: unknown, depth: number): unknown {
  if (typeof value === 'string') {
    // Redact before cutting: a token cut in half no longer looks like one.
    return sanitizeText(redactText(value), MAX_STRING, '…');
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  if (depth >= MAX_DEPTH || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) return value.slice(0, MAX_ARRAY).map((v) => bound(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (!CONTEXT_KEYS.has(key)) continue;
    const b = bound(v, depth + 1);
    if (b !== undefined) out[key] = b;
  }
  return out;
}

/**
 * Makes an error context safe to persist: only whitelisted keys, redacted and shortened strings,
 * bounded depth and breadth, and at most ERROR_CONTEXT_MAX_BYTES of JSON (beyond that, entries are
 * dropped from the end and `truncated: true` is set).
 */
export function boundErrorContext(context: Record<string, unknown>): Record<string, unknown> {
  const bounded = (bound(context, 0) ?? {}) as Record<string, unknown>;
  if (Buffer.byteLength(JSON.stringify(bounded)) <= ERROR_CONTEXT_MAX_BYTES) return bounded;
  const types = { ...((bounded.types as Record<string, unknown> | undefined) ?? {}) };
  const result: Record<string, unknown> = { ...bounded, types, truncated: true };
  for (const key of Object.keys(types).reverse()) {
    if (Buffer.byteLength(JSON.stringify(result)) <= ERROR_CONTEXT_MAX_BYTES) break;
    delete types[key];
  }
  if (Buffer.byteLength(JSON.stringify(result)) <= ERROR_CONTEXT_MAX_BYTES) return result;
  return { truncated: true };
}
