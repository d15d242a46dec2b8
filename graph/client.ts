/**
 * The Graph page fetcher: one call = one Graph page of one policy type for one tenant. The sync
 * engine runs each call as a Temporal activity, so a failure is thrown as a GraphError whose
 * RetryDecision says whether and when to try again; nothing here loops over pages or sleeps.
 *
 * Safety rules enforced here: a nextLink is followed only on Graph's own origin (else the bearer
 * token would go to a foreign host); every body is read bounded (a page longer than
 * `maxPageBytes` fails with `graph_page_too_large` before more than that is held), error bodies are
 * reduced to one redacted line; items are normalised (whitelisted metadata, sanitised text) before
 * they leave the layer.
 */
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { normalizeItem, type NormalizedItem } from '../inventory/item';
import {
  policyType,
  selectFields,
  type PolicyType,
  type PolicyTypeDefinition,
} from '../inventory/policy-types';
import { GraphError, permanentGraphError } from './errors';
import { graphRefusal } from './refusals';
import { describeGraphErrorBody, readBounded } from './response-body';
import { decide, type DecideInput } from './retry-decision';
import { type TokenProvider } from './credentials';
import { createRequestPacer } from './request-pacing';
import { createProxyDispatcher } from './proxy';

export interface GraphPage {
  items: NormalizedItem[];
  /** Items skipped because they had no usable id (reported upstream as graph_item_invalid). */
  itemsInvalidCount: number;
  nextLink: string | null;
  /** Graph's `request-id` of the answer, for support cases. */
  requestId: string | null;
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
}

export interface GraphClient {
  fetchPage(tenantId: string, policyType: PolicyType, options?: FetchPageOptions): Promise<GraphPage>;
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
  random?: () => number;
  now?: () => Date;
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
 * `$select` unless `select` is false.
 */
export function firstPageUrl(
  baseUrl: string,
  type: PolicyType | PolicyTypeDefinition,
  select = true,
): string {
  const def = typeof type === 'string' ? policyType(type) : type;
  const url = `${new URL(baseUrl).origin}/${def.apiVersion}${def.collectionPath}`;
  return select ? `${url}?$select=${selectFields(def).join(',')}` : url;
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

/** Validates a 2xx body as a collection page and normalises its items, counting unusable ones. */
function parsePage(
  type: PolicyType,
  text: string,
  requestId: string | null,
  what: string,
  fail: Failure,
): GraphPage {
  const invalid = { invalidResponse: true, ...(requestId !== null && { requestId }) };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw fail(invalid, `the ${what} is not JSON`);
  }
  const parsed = pageSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw fail(
      invalid,
      `the ${what} is not a collection (${issue.path.join('.') || 'body'}: ${issue.message})`,
    );
  }
  const items: NormalizedItem[] = [];
  let itemsInvalidCount = 0;
  for (const raw of parsed.data.value) {
    const result = normalizeItem(type, raw);
    if (result.ok) items.push(result.item);
    else itemsInvalidCount += 1;
  }
  return { items, itemsInvalidCount, nextLink: parsed.data['@odata.nextLink'] ?? null, requestId };
}

/**
 * A GraphClient on `options.baseUrl`'s origin, through HTTPS_PROXY unless NO_PROXY names its host
 * (`config_invalid` for a malformed proxy variable). `fetchPage` sends one GET (at most `timeoutMs`, no
 * redirects), retries a 401 once with a refreshed token, and throws GraphErrors coded by
 * retry-decision.ts (`graph_*`, `auth_failed`); an aborted `signal` rejects with its reason. Paging
 * by `@odata.nextLink`: https://learn.microsoft.com/graph/paging.
 */
export function createGraphClient(options: GraphClientOptions): GraphClient {
  const origin = new URL(options.baseUrl).origin;
  const graphOrigin = new URL(options.graphOrigin ?? options.baseUrl).origin;
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  // HTTPS_PROXY / NO_PROXY (proxy.ts); global fetch alone would ignore them.
  const dispatcher = createProxyDispatcher();
  const pacer = createRequestPacer();

  function send(url: string, token: string, cancel: AbortSignal | undefined): Promise<Response> {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    return fetch(url, {
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        'client-request-id': randomUUID(),
      },
      // Graph does not redirect these collections; following one could leave Graph's origin.
      redirect: 'manual',
      signal: cancel ? AbortSignal.any([timeout, cancel]) : timeout,
      dispatcher,
    });
  }

  return {
    async fetchPage(tenantId, type, pageOptions = {}) {
      const attempt = Math.max(1, pageOptions.attempt ?? 1);
      const nextLink = pageOptions.nextLink ?? null;
      const cancel = pageOptions.signal;
      cancel?.throwIfAborted();
      const what = `${type} page of tenant ${tenantId}`;
      const nextUrl = nextLink === null ? null : nextLinkUrl(nextLink, origin, graphOrigin, what);
      const { requestsPerSecond } = policyType(type);
      const fail: Failure = (input, message) =>
        new GraphError(decide({ ...input, attempt, now: now(), random }), message);

      let response: Response | null = null;
      let text: string;
      try {
        const url = nextUrl ?? firstPageUrl(origin, type, pageOptions.select ?? true);
        const token = await options.tokens.getToken(tenantId);
        // A type with its own documented rate (Conditional Access) is spaced per tenant
        // (request-pacing.ts), right before sending: a token request in between would shift it.
        if (requestsPerSecond !== undefined) {
          await pacer.wait(`${tenantId} ${type}`, requestsPerSecond, cancel);
        }
        response = await send(url, token, cancel);
        if (response.status === 401) {
          // The token may have been revoked or rotated early: one fresh token, one more try.
          await response.body?.cancel();
          response = await send(url, await options.tokens.getToken(tenantId, { forceRefresh: true }), cancel);
        }
        if (!response.ok) {
          const requestId = response.headers.get('request-id') ?? undefined;
          const detail = describeGraphErrorBody((await readBounded(response, MAX_ERROR_BODY_BYTES)).text);
          const refusal = graphRefusal(type, response.status, detail, what);
          if (refusal !== null) {
            throw permanentGraphError(refusal.code, refusal.message, {
              httpStatus: response.status,
              requestId,
            });
          }
          throw fail(
            { status: response.status, retryAfter: response.headers.get('retry-after'), requestId },
            `Graph answered ${response.status} for the ${what}${detail ? `: ${detail}` : ''}`,
          );
        }
        const body = await readBounded(response, options.maxPageBytes);
        if (!body.complete) {
          // No retry makes a page shorter: the type fails now, with the cap named.
          const requestId = response.headers.get('request-id');
          throw permanentGraphError(
            'graph_page_too_large',
            `the ${what} is longer than ${options.maxPageBytes} bytes (GRAPH_MAX_PAGE_BYTES); it was not read further`,
            { httpStatus: response.status, ...(requestId !== null && { requestId }) },
          );
        }
        text = body.text;
      } catch (error) {
        if (error instanceof GraphError) throw error;
        if (cancel?.aborted) throw cancel.reason;
        const requestId = response?.headers.get('request-id') ?? undefined;
        throw fail(
          { networkError: true, requestId },
          `network error fetching the ${what}: ${networkErrorReason(error)}`,
        );
      }
      return parsePage(type, text, response.headers.get('request-id'), what, fail);
    },
  };
}
