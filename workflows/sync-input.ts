/**
 * Workflow input is untrusted: anyone who may start a workflow (the Temporal CLI or UI, a
 * schedule edited by hand, another service) can send any JSON, or none. The sync workflows parse
 * their input here before any use: unknown keys are refused, the tenant id and the selection are
 * canonicalised (so search attributes, memo and continue-as-new carry the canonical form), and
 * anything else fails the workflow at once with a non-retryable failure whose type is the stable
 * code (`invalid_input`, `invalid_selection`) and whose message says what was wrong.
 *
 * Runs inside Temporal's sandbox: imports only the workflow allow-list (eslint/import-boundaries.mjs).
 */
import { z } from 'zod';
import { boundedEcho, boundedEchoList } from '../inventory/bounded-echo';
import { InventoryError, isErrorCode, type ErrorCode } from '../inventory/error-codes';
import { POLICY_TYPE_KEYS, type PolicyType } from '../inventory/policy-types';
import { parseSelection, type Selection } from '../inventory/selection';
import { parseTenantId } from '../inventory/tenant-id';
import type { InventorySyncInput, ScheduledSyncInput, SyncResume } from './contract';
import { workflowFailure } from './failures';
import {
  FINGERPRINT_WINDOW,
  MAX_PAGES_PER_TYPE,
  type TypeProgress,
  type TypeProgressMap,
} from './type-progress';

/** Graph nextLinks carry a skip token; far below this in practice. */
const MAX_NEXT_LINK = 16_384;
const MAX_ERROR_MESSAGE = 2_000;

/** The longest property name graph/response-body.ts takes from a Graph message. */
const MAX_PROPERTY_NAME = 128;

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
/**
 * A count added to TypeProgress after executions were already running: progress carried by an
 * execution that began before it has none, which means none were counted (0).
 */
const laterCount = count.default(0);
const errorCode = z.custom<ErrorCode>(
  (value) => typeof value === 'string' && isErrorCode(value),
  'not a known error code',
);

// `satisfies` ties the schema to TypeProgress: a field added there and not here fails to compile,
// instead of failing every continued execution at run time.
const typeProgressSchema = z.strictObject({
  state: z.enum(['pending', 'running', 'done', 'failed']),
  pagesCount: count.max(MAX_PAGES_PER_TYPE),
  itemsObservedCount: count,
  itemsUpsertedCount: count,
  itemsNewCount: laterCount,
  itemsChangedCount: laterCount,
  itemsUnchangedCount: laterCount,
  itemsInvalidCount: count,
  cursor: z.string().min(1).max(MAX_NEXT_LINK).nullable(),
  nextLinkFingerprints: z.array(z.string().regex(/^[0-9a-f]{16}$/)).max(FINGERPRINT_WINDOW),
  error: z
    .strictObject({
      code: errorCode,
      message: z.string().max(MAX_ERROR_MESSAGE),
    })
    .optional(),
  selectRejected: z
    .strictObject({
      property: z.string().max(MAX_PROPERTY_NAME).nullable(),
      code: errorCode,
      message: z.string().max(MAX_ERROR_MESSAGE),
    })
    .optional(),
  finishedAt: z.iso.datetime().optional(),
}) satisfies z.ZodType<TypeProgress>;

const resumeSchema = z.strictObject({
  runId: z.uuid(),
  types: z.partialRecord(z.enum(POLICY_TYPE_KEYS), typeProgressSchema),
});

// tenantId and selection are checked by their own parsers, whose messages name the valid forms.
const syncInputSchema = z.strictObject({
  tenantId: z.unknown().optional(),
  selection: z.unknown().optional(),
  resume: resumeSchema.optional(),
});

const scheduledInputSchema = z.strictObject({
  tenantId: z.unknown().optional(),
  selection: z.unknown().optional(),
  selectionHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters'),
});

/** `inventorySync`'s input, canonical: lower-case tenant id, canonical selection. */
export interface ParsedSyncInput {
  tenantId: string;
  selection: Selection;
  resume?: SyncResume;
}

/**
 * Parses `inventorySync`'s input. Throws a non-retryable ApplicationFailure of type
 * `invalid_input` (missing or malformed input, unknown keys, malformed tenant id or resume) or
 * `invalid_selection`.
 */
export function parseSyncInput(input: unknown): ParsedSyncInput {
  const parsed = parseShape<InventorySyncInput>(
    syncInputSchema,
    input,
    'inventorySync',
    '{"tenantId", "selection"}',
  );
  const { tenantId, selection } = canonical(parsed);
  if (parsed.resume === undefined) return { tenantId, selection };
  const resume = parsed.resume;
  return { tenantId, selection, resume: { runId: resume.runId.toLowerCase(), types: resume.types } };
}

/** `scheduledInventorySync`'s input, canonical. Same failures as parseSyncInput. */
export function parseScheduledSyncInput(input: unknown): {
  tenantId: string;
  selection: Selection;
  selectionHash: string;
} {
  const parsed = parseShape<ScheduledSyncInput>(
    scheduledInputSchema,
    input,
    'scheduledInventorySync',
    '{"tenantId", "selection", "selectionHash"}',
  );
  return { ...canonical(parsed), selectionHash: parsed.selectionHash };
}

/** The policy types a resumed progress map names outside the plan's scope (must be none). */
export function typesOutsideScope(types: TypeProgressMap, scope: readonly PolicyType[]): string[] {
  return Object.keys(types).filter((type) => !scope.includes(type as PolicyType));
}

/**
 * Refuses arguments after the one input (`invalid_input`): the Temporal CLI takes `--input` more
 * than once, and an ignored second argument would sit in history as if it meant something.
 */
export function refuseExtraArguments(workflow: string, extra: readonly unknown[]): void {
  if (extra.length > 0) {
    throw workflowFailure(
      'invalid_input',
      `${workflow} takes one input argument; ${extra.length} more ${extra.length === 1 ? 'was' : 'were'} given`,
    );
  }
}

function parseShape<T>(schema: z.ZodType, input: unknown, workflow: string, shape: string): T {
  if (input === undefined || input === null) {
    throw workflowFailure('invalid_input', `${workflow} needs one input argument ${shape}; none was given`);
  }
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data as T;
  const issue = parsed.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    throw workflowFailure(
      'invalid_input',
      `${workflow} input has unknown key(s) ${boundedEchoList(issue.keys)}; it takes ${shape}`,
    );
  }
  const where = issue.path.length > 0 ? ` at ${boundedEcho(issue.path.join('.'))}` : '';
  throw workflowFailure(
    'invalid_input',
    `${workflow} input is not valid${where}: ${boundedEcho(issue.message)}; it takes ${shape}`,
  );
}

function canonical(input: { tenantId: unknown; selection: unknown }): {
  tenantId: string;
  selection: Selection;
} {
  try {
    return { tenantId: parseTenantId(input.tenantId), selection: parseSelection(input.selection) };
  } catch (error) {
    if (error instanceof InventoryError) throw workflowFailure(error.code, error.message);
    throw error;
  }
}
