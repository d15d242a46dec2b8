/**
 * JSON batching, `POST /{version}/$batch` (learn.microsoft.com/graph/json-batching): up to 20
 * requests with unique ids, urls relative to the version; each is served like a direct request
 * (same handlers, refusals, faults, statistics; its own status, headers and body, e.g. its own 429
 * and Retry-After), and the responses come back in an order of the server's choosing (seeded).
 */
import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { z } from 'zod';
import { errorAnswer, ODATA_JSON, writeAnswer, type GraphAnswer, type GraphRequest } from './graph-answer';
import { serveGraphRequest } from './graph-request';
import { BodyTooLargeError, readBody, sendJson, sleep } from './http';
import { type Rng } from './random';
import { type SimulatorState, type TenantState } from './state';

/** Graph's documented limit (json-batching, "Batch size limitations"). */
export const MAX_BATCH_REQUESTS = 20;
/** Graph caps a batch payload at 4 MB (json-batching); a bigger body is not a batch this simulator reads. */
const MAX_BATCH_BYTES = 4 * 1024 * 1024;

/** Graph's wording for a body it cannot read as a batch (msgraph-sdk-javascript#1451). */
const INVALID_PAYLOAD = 'Invalid batch payload format.';

const batchSchema = z.object({
  requests: z
    .array(
      z.object({
        id: z.string().min(1),
        method: z.string().min(1),
        url: z.string().min(1),
        headers: z.record(z.string(), z.string()).optional(),
      }),
    )
    .min(1),
});
type BatchRequest = z.infer<typeof batchSchema>['requests'][number];

/** The batch's requests, or Graph's 400 message for the batch as a whole. */
function parseBatch(text: string): { requests: BatchRequest[] } | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { error: INVALID_PAYLOAD };
  }
  const parsed = batchSchema.safeParse(json);
  if (!parsed.success) return { error: INVALID_PAYLOAD };
  const { requests } = parsed.data;
  if (requests.length > MAX_BATCH_REQUESTS) {
    // Graph refuses the whole batch with 400 (json-batching, "Batch size limitations"); its
    // exact message is not in any public report found, so the status and code are what counts.
    return {
      error: `The number of requests in the batch (${requests.length}) exceeds the maximum of ${MAX_BATCH_REQUESTS}.`,
    };
  }
  const seen = new Set<string>();
  for (const request of requests) {
    // Graph compares ids without regard to case (msgraph-sdk-java#559 for the wording).
    const key = request.id.toLowerCase();
    if (seen.has(key)) return { error: `Request Id ${request.id} has to be unique in a batch.` };
    seen.add(key);
    // Absolute urls are not relative to the version: Graph cannot read the payload.
    if (/^[a-z][a-z0-9+.-]*:/i.test(request.url)) return { error: INVALID_PAYLOAD };
  }
  return { requests };
}

/** Fisher–Yates with the tenant's seeded RNG: "responses come in any order" (json-batching). */
function shuffled<T>(values: T[], rng: Rng): T[] {
  const out = [...values];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Header names Graph returns inside a batch response. */
const SUB_RESPONSE_HEADERS = ['Content-Type', 'Retry-After'];

/**
 * Serves one `POST /{version}/$batch` for the (already authenticated) `tenant`: 400 for a batch
 * Graph refuses as a whole, else 200 `{ responses: [{ id, status, headers, body }] }`.
 */
export async function handleBatch(
  req: IncomingMessage,
  res: ServerResponse,
  state: SimulatorState,
  tenant: TenantState,
  base: Omit<GraphRequest, 'method' | 'url' | 'batched'>,
): Promise<void> {
  state.recordBatch(tenant.tenantId);
  const requestId = randomUUID();
  let text: string;
  try {
    text = await readBody(req, MAX_BATCH_BYTES);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    text = '';
  }
  const batch = parseBatch(text);
  if ('error' in batch) return writeAnswer(req, res, errorAnswer(400, 'BadRequest', batch.error, requestId));
  await sleep(base.latencyMs);
  const versionRoot = `${base.origin}/${base.version}/`;
  const answers = await Promise.all(
    batch.requests.map((request) =>
      serveGraphRequest(state, tenant, {
        ...base,
        method: request.method.toUpperCase(),
        url: new URL(request.url.replace(/^\/+/, ''), versionRoot),
        batched: true,
        latencyMs: 0,
      }).then((answer) => [request.id, answer] as const),
    ),
  );
  // A sub-request cannot be answered by a broken connection: such a fault spoils the whole batch.
  const broken = answers.find(([, answer]) => answer.kind !== 'json');
  if (broken !== undefined) return writeAnswer(req, res, broken[1]);
  const responses = shuffled(
    answers.map(([id, answer]) => subResponse(id, answer)),
    tenant.batchRng,
  );
  sendJson(res, 200, { responses }, { 'content-type': ODATA_JSON, 'request-id': requestId });
}

function subResponse(id: string, answer: GraphAnswer): Record<string, unknown> {
  if (answer.kind !== 'json') throw new Error('only JSON answers go into a batch response');
  const headers = Object.fromEntries(
    SUB_RESPONSE_HEADERS.flatMap((name) => {
      const value = answer.headers[name];
      return value === undefined ? [] : [[name, value]];
    }),
  );
  return { id, status: answer.status, headers, body: answer.body };
}
