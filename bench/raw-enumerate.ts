/**
 * Enumerates one policy type of one tenant in-process: follows nextLinks, retries each page as its
 * RetryDecision says, and stops on a repeated nextLink. The sync engine does the same across
 * Temporal activities; this loop is its "no Temporal" baseline for benchmarks and tests.
 */
import { type PolicyType } from '../inventory/policy-types';
import { nextLinkFingerprint, type GraphClient, type GraphPage } from '../graph/client';
import { GraphError, permanentGraphError } from '../graph/errors';

export interface EnumerateOptions {
  /** Attempts per page, the first included. */
  maxAttempts: number;
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
  const followed = new Set<string>();
  const result: EnumerateResult = { pagesCount: 0, itemsObservedCount: 0, itemsInvalidCount: 0 };
  let nextLink: string | null = null;
  for (;;) {
    let page: GraphPage | null = null;
    for (let attempt = 1; page === null; attempt++) {
      try {
        page = await client.fetchPage(tenantId, policyType, { nextLink, attempt });
      } catch (error) {
        if (!(error instanceof GraphError) || !error.decision.retryable || attempt >= options.maxAttempts)
          throw error;
        await sleep(error.decision.delayMs ?? 0);
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
