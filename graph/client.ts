/**
 * The Graph page fetcher: one call = one Graph page of one policy type for one tenant, with the
 * assignments of its items where the type has them (`$expand=assignments` on the page request, or
 * per-item requests in JSON batches; graph/item-assignments.ts). The sync engine runs each call as
 * a Temporal activity, so a failure is thrown as a GraphError whose RetryDecision says whether and
 * when to try again; nothing here loops over pages, and only throttled requests inside a batch are
 * waited for (graph/batch.ts).
 *
 * Safety rules enforced here: a nextLink is followed only on Graph's own origin (else the bearer
 * token would go to a foreign host); every body is read bounded (a page longer than
 * `maxPageBytes` fails with `graph_page_too_large` before more than that is held), error bodies are
 * reduced to one redacted line; items are normalised (whitelisted metadata, sanitised text) before
 * they leave the layer.
 */
import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { normalizeItem, type NormalizedItem } from '../inventory/item';
import {
  policyType,
  selectFields,
  type PolicyType,
  type PolicyTypeDefinition,
} from '../inventory/policy-types';
import { InventoryError } from '../inventory/error-codes';
import { GraphError, permanentGraphError } from './errors';
import { graphRefusal } from './refusals';
import { describeGraphErrorBody, readBounded } from './response-body';
import { decide, type DecideInput } from './retry-decision';
import { type TokenProvider } from './credentials';
import { createRequestPacer, STRICT_HEADROOM, type TenantRequestLimiter } from './request-pacing';
import { createProxyDispatcher } from './proxy';
import { type BatchAnswer, type BatchRequest, type BatchTransport } from './batch';
import { readGroupNames, readItemAssignments, type GroupNames } from './item-assignments';

export interface GraphPage {
  items: NormalizedItem[];
  /** Items skipped because they had no usable id (reported upstream as graph_item_invalid). */
  itemsInvalidCount: number;
  nextLink: string | null;
  /** Graph's `request-id` of the answer, for support cases. */
  requestId: string | null;
  /**
   * Graph requests this page cost, as Graph counts them: the page request, plus each per-item
   * request inside JSON batches, resends of throttled ones included.
   */
  requestsCount: number;
}

export interface FetchPageOptions {
  /** The previous page's `@odata.nextLink`; null or absent for the first page. */
  nextLink?: string | null;
  /** 1-based attempt number (Temporal's activity attempt); shapes the backoff of a failure. */
  attempt?: number;
  /**
   * Whether the first page asks for the registry's `$select` (default true). False after Graph
   * refused or failed it: the page then carries every property, and the whitelist
   * (inventory/item.ts) still keeps only the metadata we store. Later pages follow Graph's
   * nextLink, which repeats whatever the first request asked.
   */
  select?: boolean;
  /**
   * The caller's cancellation (the activity's cancellation signal): aborts the request at once
   * and rejects with the signal's reason, which is a cancellation, not a Graph failure.
   */
  signal?: AbortSignal;
  /**
   * Whether the items' assignments are read too, where the type has them (default: the client's
   * `assignments`). The onboarding probe reads only the page.
   */
  assignments?: boolean;
}

export interface GraphClient {
  fetchPage(tenantId: string, policyType: PolicyType, options?: FetchPageOptions): Promise<GraphPage>;
  /**
   * The display names of Entra groups by id, read in JSON batches of `GET /groups/{id}`; groups
   * that no longer exist are left out. `forbidden` when the app may not read groups (it needs
   * GroupMember.Read.All or Group.Read.All). Throws GraphErrors like fetchPage.
   */
  fetchGroupNames(
    tenantId: string,
    groupIds: readonly string[],
    options?: { signal?: AbortSignal },
  ): Promise<GroupNames>;
}

/**
 * What the client reports for metrics (worker/metrics.ts); every call is synchronous and cheap.
 * `policyType` is the page's type, null for group-name reads.
 */
export interface GraphObserver {
  /**
   * Graph answered `count` requests with HTTP `status` (null: no answer: network error, timeout):
   * a page request, one request inside a JSON batch, or a whole envelope's requests when the
   * envelope itself failed. Graph counts each request inside a batch.
   */
  onRequests(policyType: PolicyType | null, status: number | null, count: number): void;
  /** One HTTP exchange (a page request or a batch envelope) took `seconds`, from send to its body read. */
  onExchange(policyType: PolicyType | null, seconds: number): void;
  /** Requests inside a batch waited `seconds` to be sent again because Graph throttled them. */
  onThrottleWait(policyType: PolicyType | null, seconds: number): void;
}

export interface GraphClientOptions {
  /** Where requests go: Graph's origin, e.g. https://graph.microsoft.com, or a gateway in front of it. */
  baseUrl: string;
  /**
   * The cloud's own Graph origin (graph/clouds.ts), whose nextLinks are followed through `baseUrl`;
   * default `baseUrl`'s origin.
   */
  graphOrigin?: string;
  tokens: TokenProvider;
  /** Per request, headers and body included. */
  timeoutMs: number;
  /** The longest successful page body read, in bytes (GRAPH_MAX_PAGE_BYTES). */
  maxPageBytes: number;
  /**
   * Admits every Graph request of a tenant, each request inside a batch counted as one, right
   * before it is sent: the worker's is shared by all worker processes and paces at
   * GRAPH_TENANT_RPS (db/tenant-request-limiter.ts). Its failures (`db_error`) fail the call as
   * they are. Unset: only Temporal's per-tenant task rate.
   */
  tenantLimiter?: TenantRequestLimiter;
  /** Whether pages read their items' assignments (SYNC_ASSIGNMENTS; default true). */
  assignments?: boolean;
  /**
   * How long, in ms, a page waits for throttled requests inside its batches before it fails and
   * is asked again later by its retry budget (default 120 000, below the page activity's timeout).
   */
  batchDeadlineMs?: number;
  random?: () => number;
  now?: () => Date;
  observer?: GraphObserver;
}

const MAX_ERROR_BODY_BYTES = 16 * 1024;

const pageSchema = z.object({
  value: z.array(z.unknown()),
  '@odata.nextLink': z.url({ protocol: /^https?$/ }).nullish(),
});

/** Short stable hash of a nextLink: callers that page across processes keep these to spot loops. */
export function nextLinkFingerprint(link: string): string {
  return createHash('sha256').update(link, 'utf8').digest('hex').slice(0, 16);
}

/**
 * The URL of a policy type's first page, for a registry key or a definition, with the registry's
 * `$select` unless `select` is false, and `$expand=assignments` when `expand` is set and the type
 * reads its assignments that way. The `$select` fallback (a first page asked again without it)
 * drops the expand as well: that request asks for nothing Graph could refuse.
 */
export function firstPageUrl(
  baseUrl: string,
  type: PolicyType | PolicyTypeDefinition,
  select = true,
  expand = false,
): string {
  const def = typeof type === 'string' ? policyType(type) : type;
  const url = `${new URL(baseUrl).origin}/${def.apiVersion}${def.collectionPath}`;
  if (!select) return url;
  const expansion = expand && def.assignments === 'expand' ? '&$expand=assignments' : '';
  return `${url}?$select=${selectFields(def).join(',')}${expansion}`;
}

function networkErrorReason(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return 'timed out';
  }
  const cause =
    error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * The URL to ask for a nextLink, refusing, before anything is sent, one that would carry the token
 * off Graph. A link on `origin` is asked as is. A link on `graphOrigin` (the cloud's own Graph,
 * when `origin` is a gateway or private endpoint in front of it, which passes Graph's absolute
 * nextLinks through unchanged) is asked through `origin`, as the Graph SDKs re-base nextLinks onto
 * their configured base URL (microsoftgraph/msgraph-sdk-php#488). Anything else is refused.
 */
function nextLinkUrl(nextLink: string, origin: string, graphOrigin: string, what: string): string {
  const link = URL.canParse(nextLink) ? new URL(nextLink) : null;
  if (link?.origin === origin) return nextLink;
  if (link?.origin === graphOrigin) return `${origin}${link.pathname}${link.search}`;
  throw permanentGraphError(
    'graph_foreign_next_link',
    link === null
      ? `refused the ${what}: its nextLink is not a URL`
      : `refused the ${what}: its nextLink points to ${link.origin}, neither ${origin} nor Graph's ${graphOrigin}; the token was not sent`,
  );
}

type Failure = (input: Omit<DecideInput, 'attempt' | 'now' | 'random'>, message: string) => GraphError;

/** A page as parsed, before assignments: each kept item with the raw object it came from. */
interface ParsedPage extends Omit<GraphPage, 'requestsCount'> {
  raws: Array<Record<string, unknown>>;
}

/** Parses a 2xx body as JSON, or fails as an invalid response (retryable). */
function parseJson(text: string, requestId: string | null, what: string, fail: Failure): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw fail(
      { invalidResponse: true, ...(requestId !== null && { requestId }) },
      `the ${what} is not JSON`,
    );
  }
}

/** Validates a 2xx body as a collection page and normalises its items, counting unusable ones. */
function parsePage(
  type: PolicyType,
  text: string,
  requestId: string | null,
  what: string,
  fail: Failure,
): ParsedPage {
  const parsed = pageSchema.safeParse(parseJson(text, requestId, what, fail));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw fail(
      { invalidResponse: true, ...(requestId !== null && { requestId }) },
      `the ${what} is not a collection (${issue.path.join('.') || 'body'}: ${issue.message})`,
    );
  }
  const items: NormalizedItem[] = [];
  const raws: Array<Record<string, unknown>> = [];
  let itemsInvalidCount = 0;
  for (const raw of parsed.data.value) {
    const result = normalizeItem(type, raw);
    if (result.ok) {
      items.push(result.item);
      raws.push(raw as Record<string, unknown>);
    } else itemsInvalidCount += 1;
  }
  return { items, raws, itemsInvalidCount, nextLink: parsed.data['@odata.nextLink'] ?? null, requestId };
}

const batchAnswerSchema = z.object({
  responses: z.array(
    z.object({
      id: z.string(),
      status: z.number().int(),
      headers: z.record(z.string(), z.string()).nullish(),
      body: z.unknown(),
    }),
  ),
});

/**
 * A GraphClient on `options.baseUrl`'s origin, through HTTPS_PROXY unless NO_PROXY names its host
 * (`config_invalid` for a malformed proxy variable). Every request is at most `timeoutMs`, follows
 * no redirects, and is retried once on a 401 with a refreshed token; failures are GraphErrors coded
 * by retry-decision.ts (`graph_*`, `auth_failed`); an aborted `signal` rejects with its reason.
 * Paging by `@odata.nextLink`: https://learn.microsoft.com/graph/paging.
 */
export function createGraphClient(options: GraphClientOptions): GraphClient {
  const origin = new URL(options.baseUrl).origin;
  const graphOrigin = new URL(options.graphOrigin ?? options.baseUrl).origin;
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const readAssignments = options.assignments ?? true;
  const batchDeadlineMs = options.batchDeadlineMs ?? 120_000;
  const observer = options.observer;
  // HTTPS_PROXY / NO_PROXY (proxy.ts); global fetch alone would ignore them.
  const dispatcher = createProxyDispatcher();
  const typePacer = createRequestPacer({ headroom: STRICT_HEADROOM });

  function send(
    url: string,
    token: string,
    cancel: AbortSignal | undefined,
    body?: string,
  ): Promise<Response> {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    return fetch(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        'client-request-id': randomUUID(),
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body }),
      // Graph does not redirect these requests; following one could leave Graph's origin.
      redirect: 'manual',
      signal: cancel ? AbortSignal.any([timeout, cancel]) : timeout,
      dispatcher,
    });
  }

  interface Exchange {
    tenantId: string;
    /** What the request is, for messages: "deviceConfiguration page of tenant …". */
    what: string;
    /** The policy type whose refusals (403 and the like) Graph may answer with; null: none. */
    type: PolicyType | null;
    attempt: number;
    cancel: AbortSignal | undefined;
    /** Waits right before sending (pacing), after the token is in hand. */
    beforeSend?: () => Promise<void>;
    body?: string;
    maxBytes: number;
    /**
     * Requests this exchange carries as Graph counts them, reported when it fails: a batch
     * envelope's sub-requests (its answered ones are reported one by one). Absent: 1, reported always.
     */
    envelopeOf?: number;
  }

  /**
   * One request with the 401 refresh, error mapping and bounded read; the body text and Graph's
   * request id of a 2xx answer.
   */
  async function exchange(url: string, x: Exchange): Promise<{ text: string; requestId: string | null }> {
    const fail: Failure = (input, message) =>
      new GraphError(decide({ ...input, attempt: x.attempt, now: now(), random }), message);
    let response: Response | null = null;
    let sentAt: number | null = null;
    // A 2xx envelope's requests are reported one by one from its answer (batchTransport).
    const report = (status: number | null) => {
      if (x.envelopeOf === undefined) observer?.onRequests(x.type, status, 1);
      else if (status === null || status < 200 || status > 299) {
        observer?.onRequests(x.type, status, x.envelopeOf);
      }
    };
    try {
      const token = await options.tokens.getToken(x.tenantId);
      await x.beforeSend?.();
      sentAt = performance.now();
      response = await send(url, token, x.cancel, x.body);
      if (response.status === 401) {
        report(401);
        // The token may have been revoked or rotated early: one fresh token, one more try.
        await response.body?.cancel();
        const fresh = await options.tokens.getToken(x.tenantId, { forceRefresh: true });
        response = await send(url, fresh, x.cancel, x.body);
      }
      report(response.status);
      if (!response.ok) {
        const requestId = response.headers.get('request-id') ?? undefined;
        const detail = describeGraphErrorBody((await readBounded(response, MAX_ERROR_BODY_BYTES)).text);
        const refusal = x.type === null ? null : graphRefusal(x.type, response.status, detail, x.what);
        if (refusal !== null) {
          throw permanentGraphError(refusal.code, refusal.message, {
            httpStatus: response.status,
            requestId,
          });
        }
        throw fail(
          { status: response.status, retryAfter: response.headers.get('retry-after'), requestId },
          `Graph answered ${response.status} for the ${x.what}${detail ? `: ${detail}` : ''}`,
        );
      }
      const body = await readBounded(response, x.maxBytes);
      const requestId = response.headers.get('request-id');
      if (!body.complete) {
        // No retry makes an answer shorter: it fails now, with the cap named.
        throw permanentGraphError(
          'graph_page_too_large',
          `the ${x.what} is longer than ${x.maxBytes} bytes (GRAPH_MAX_PAGE_BYTES); it was not read further`,
          { httpStatus: response.status, ...(requestId !== null && { requestId }) },
        );
      }
      return { text: body.text, requestId };
    } catch (error) {
      // Already coded: a GraphError, or the tenant limiter's own failure (db_error), never a network error.
      if (error instanceof InventoryError) throw error;
      if (x.cancel?.aborted) throw x.cancel.reason;
      // Sent without an answer: the request may still have counted at Graph.
      if (sentAt !== null && response === null) report(null);
      const requestId = response?.headers.get('request-id') ?? undefined;
      throw fail(
        { networkError: true, requestId },
        `network error fetching the ${x.what}: ${networkErrorReason(error)}`,
      );
    } finally {
      if (sentAt !== null) observer?.onExchange(x.type, (performance.now() - sentAt) / 1_000);
    }
  }

  /**
   * A JSON-batch transport of one tenant on `apiVersion` (`POST {origin}/{version}/$batch`),
   * counting each sub-request sent into `counter`.
   */
  function batchTransport(
    base: Omit<Exchange, 'body' | 'beforeSend' | 'maxBytes'>,
    apiVersion: string,
    counter: { requests: number },
  ): BatchTransport {
    const fail: Failure = (input, message) =>
      new GraphError(decide({ ...input, attempt: base.attempt, now: now(), random }), message);
    return {
      pace: async (count) => options.tenantLimiter?.acquire(base.tenantId, count, base.cancel),
      async post(requests: readonly BatchRequest[]) {
        counter.requests += requests.length;
        const body = JSON.stringify({
          requests: requests.map((r) => ({ id: r.id, method: 'GET', url: r.url })),
        });
        const what = `batch of ${requests.length} requests for the ${base.what}`;
        const { text, requestId } = await exchange(`${origin}/${apiVersion}/$batch`, {
          ...base,
          what,
          body,
          maxBytes: options.maxPageBytes,
          envelopeOf: requests.length,
        });
        const parsed = batchAnswerSchema.safeParse(parseJson(text, requestId, what, fail));
        if (!parsed.success) {
          throw fail(
            { invalidResponse: true, ...(requestId !== null && { requestId }) },
            `the answer to the ${what} is not a batch response`,
          );
        }
        const answers = new Map<string, BatchAnswer>();
        for (const answer of parsed.data.responses) {
          observer?.onRequests(base.type, answer.status, 1);
          const headers = Object.fromEntries(
            Object.entries(answer.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
          );
          answers.set(answer.id, {
            status: answer.status,
            headers,
            body: answer.body,
            ...(headers['request-id'] !== undefined && { requestId: headers['request-id'] }),
          });
        }
        return answers;
      },
    };
  }

  /** The batch layer's wait before resending throttled requests, reported to the observer. */
  function throttleSleep(type: PolicyType | null): (ms: number) => Promise<void> {
    return (ms) => {
      observer?.onThrottleWait(type, ms / 1_000);
      return delay(ms);
    };
  }

  return {
    async fetchPage(tenantId, type, pageOptions = {}) {
      const attempt = Math.max(1, pageOptions.attempt ?? 1);
      const nextLink = pageOptions.nextLink ?? null;
      const cancel = pageOptions.signal;
      cancel?.throwIfAborted();
      const what = `${type} page of tenant ${tenantId}`;
      const def = policyType(type);
      const withAssignments = (pageOptions.assignments ?? readAssignments) && def.assignments !== undefined;
      const select = pageOptions.select ?? true;
      const url =
        nextLink === null
          ? firstPageUrl(origin, type, select, withAssignments)
          : nextLinkUrl(nextLink, origin, graphOrigin, what);
      const fail: Failure = (input, message) =>
        new GraphError(decide({ ...input, attempt, now: now(), random }), message);
      const { text, requestId } = await exchange(url, {
        tenantId,
        what,
        type,
        attempt,
        cancel,
        maxBytes: options.maxPageBytes,
        // Right before sending: a token request in between would shift the spacing. A type with
        // its own documented rate (Conditional Access) is spaced per tenant on top (request-pacing.ts).
        beforeSend: async () => {
          await options.tenantLimiter?.acquire(tenantId, 1, cancel);
          if (def.requestsPerSecond !== undefined) {
            await typePacer.wait(`${tenantId} ${type}`, def.requestsPerSecond, cancel);
          }
        },
      });
      const parsed = parsePage(type, text, requestId, what, fail);
      const counter = { requests: 1 };
      const { raws, ...page } = parsed;
      if (!withAssignments || page.items.length === 0) return { ...page, requestsCount: counter.requests };
      const items = await readItemAssignments(type, page.items, raws, {
        transport: batchTransport({ tenantId, what, type, attempt, cancel }, def.apiVersion, counter),
        deadlineMs: Date.now() + batchDeadlineMs,
        random,
        sleep: throttleSleep(type),
      });
      return { ...page, items, requestsCount: counter.requests };
    },

    async fetchGroupNames(tenantId, groupIds, groupOptions = {}) {
      const cancel = groupOptions.signal;
      cancel?.throwIfAborted();
      return readGroupNames(groupIds, {
        transport: batchTransport(
          { tenantId, what: `group names of tenant ${tenantId}`, type: null, attempt: 1, cancel },
          'v1.0',
          { requests: 0 },
        ),
        deadlineMs: Date.now() + batchDeadlineMs,
        random,
        sleep: throttleSleep(null),
      });
    },
  };
}
