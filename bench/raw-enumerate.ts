/**
 * Enumerates one policy type of one tenant in-process: follows nextLinks, retries each page as its
 * retry budget says (graph/retry-budget.ts, the one the page activity keeps), and stops on a
 * repeated nextLink. The sync engine does the same across Temporal activities; this loop is its
 * "no Temporal" baseline for benchmarks and tests.
 */
import { type PolicyType } from '../inventory/policy-types';
import { nextLinkFingerprint, type GraphClient, type GraphPage } from '../graph/client';
import { GraphError, permanentGraphError } from '../graph/errors';
import { DEFAULT_THROTTLE_BUDGET_MS, afterFailure, initialRetryState } from '../graph/retry-budget';

export interface EnumerateOptions {
  /** Failed attempts per page, throttled ones not counted (GRAPH_MAX_ATTEMPTS). */
  maxAttempts: number;
  /** How long (ms) a page may stay throttled (GRAPH_THROTTLE_BUDGET); default 15 minutes. */
  throttleBudgetMs?: number;
  /** Called once per page, in order, with the 1-based page number. */
  onPage: (page: GraphPage, pageNumber: number) => Promise<void>;
  sleep?: (ms: number) => Promise<void>;
}

export interface EnumerateResult {
  pagesCount: number;
  itemsObservedCount: number;
  itemsInvalidCount: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function enumeratePolicyType(
  client: GraphClient,
  tenantId: string,
  policyType: PolicyType,
  options: EnumerateOptions,
): Promise<EnumerateResult> {
  const sleep = options.sleep ?? defaultSleep;
  const budgets = {
    maxAttempts: options.maxAttempts,
    throttleBudgetMs: options.throttleBudgetMs ?? DEFAULT_THROTTLE_BUDGET_MS,
  };
  const followed = new Set<string>();
  const result: EnumerateResult = { pagesCount: 0, itemsObservedCount: 0, itemsInvalidCount: 0 };
  let nextLink: string | null = null;
  for (;;) {
    let page: GraphPage | null = null;
    let retry = initialRetryState();
    for (let attempt = 1; page === null; attempt++) {
      try {
        page = await client.fetchPage(tenantId, policyType, { nextLink, attempt });
      } catch (error) {
        if (!(error instanceof GraphError)) throw error;
        const verdict = afterFailure(retry, error.decision, Date.now(), budgets);
        if (!verdict.retry) throw error;
        retry = verdict.state;
        await sleep(verdict.delayMs);
      }
    }
    result.pagesCount += 1;
    result.itemsObservedCount += page.items.length;
    result.itemsInvalidCount += page.itemsInvalidCount;
    await options.onPage(page, result.pagesCount);
    if (page.nextLink === null) return result;
    const fingerprint = nextLinkFingerprint(page.nextLink);
    if (followed.has(fingerprint)) {
      throw permanentGraphError(
        'graph_paging_loop',
        `page ${result.pagesCount} of ${policyType} in tenant ${tenantId} links back to a page already read`,
      );
    }
    followed.add(fingerprint);
    nextLink = page.nextLink;
  }
}
