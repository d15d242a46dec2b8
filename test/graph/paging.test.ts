/**
 * Paging safety and resilience: loops detected by nextLink fingerprints, nextLinks to another
 * origin refused before the token leaves, and a whole enumeration completing through a 429 storm.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { nextLinkFingerprint } from '../../graph/client';
import { enumeratePolicyType } from '../../bench/raw-enumerate';
import { GraphError } from '../../graph/errors';
import { ensureSimulatorCertificates } from '../../simulator/tls';
import { type GraphSimulator } from '../../simulator/types';
import { caught, startTestSimulator, testClient, TENANT_A, TENANT_B, TLS_DIR } from './support';

const TYPE = 'windowsAutopilotDeploymentProfile';

let sim: GraphSimulator;
let foreign: Server;
let foreignOrigin: string;
const foreignRequests: Array<{ url: string; authorization: string | undefined }> = [];

beforeAll(async () => {
  sim = await startTestSimulator({
    tenants: [
      { tenantId: TENANT_A, counts: { [TYPE]: 30 }, pageSizes: { [TYPE]: 5 } },
      { tenantId: TENANT_B, counts: { [TYPE]: 120 }, pageSizes: { [TYPE]: 5 } },
    ],
  });
  // Another HTTPS origin that records whatever reaches it.
  const tls = await ensureSimulatorCertificates(TLS_DIR);
  const [cert, key] = await Promise.all([readFile(tls.certPath), readFile(tls.keyPath)]);
  foreign = createServer({ cert, key }, (req, res) => {
    foreignRequests.push({ url: req.url ?? '', authorization: req.headers.authorization });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"value":[]}');
  });
  await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
  foreignOrigin = `https://localhost:${(foreign.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await sim.close();
  await new Promise<void>((resolve) => foreign.close(() => resolve()));
});

beforeEach(async () => {
  await sim.admin.clearFaults();
  await sim.admin.resetStats();
  foreignRequests.length = 0;
});

describe('nextLink fingerprints', () => {
  it('are short, stable and distinct per link', () => {
    const link = 'https://graph.microsoft.com/beta/deviceManagement/intents?$skiptoken=abc';
    expect(nextLinkFingerprint(link)).toMatch(/^[0-9a-f]{16}$/);
    expect(nextLinkFingerprint(link)).toBe(nextLinkFingerprint(link));
    expect(nextLinkFingerprint(`${link}d`)).not.toBe(nextLinkFingerprint(link));
  });
});

describe('paging loops', () => {
  it('stops with graph_paging_loop when a later page links back to an earlier one', async () => {
    await sim.admin.setFaults(TENANT_A, [{ kind: 'nextLinkLoop', page: 3 }]);
    const pages: number[] = [];
    const error = await caught(() =>
      enumeratePolicyType(testClient(sim), TENANT_A, TYPE, {
        maxAttempts: 3,
        onPage: (_page, number) => {
          pages.push(number);
          return Promise.resolve();
        },
      }),
    );
    expect(error).toBeInstanceOf(GraphError);
    expect((error as GraphError).decision).toEqual({
      code: 'graph_paging_loop',
      retryable: false,
      delayMs: null,
    });
    // Pages 1–3 were read; page 3 pointed back to page 2, which was not fetched again.
    expect(pages).toEqual([1, 2, 3]);
    expect((await sim.admin.stats()).tenants[TENANT_A]?.graphRequests).toBe(3);
  });
});

describe('foreign nextLinks', () => {
  it('refuses a nextLink to another server without sending it anything', async () => {
    await sim.admin.setFaults(TENANT_A, [{ kind: 'foreignNextLink', origin: foreignOrigin }]);
    const client = testClient(sim);
    const first = await client.fetchPage(TENANT_A, TYPE);
    expect(first.nextLink?.startsWith(`${foreignOrigin}/`)).toBe(true);
    const error = await caught(() => client.fetchPage(TENANT_A, TYPE, { nextLink: first.nextLink }));
    expect(error).toBeInstanceOf(GraphError);
    expect((error as GraphError).decision).toEqual({
      code: 'graph_foreign_next_link',
      retryable: false,
      delayMs: null,
    });
    expect(foreignRequests).toEqual([]);
  });

  it('treats the same server under another name as foreign too', async () => {
    await sim.admin.setFaults(TENANT_A, [{ kind: 'foreignNextLink' }]);
    const client = testClient(sim);
    const first = await client.fetchPage(TENANT_A, TYPE);
    const foreignHost = new URL(first.nextLink!).host;
    expect(foreignHost).toBe(`127.0.0.1:${sim.port}`);
    const error = await caught(() =>
      enumeratePolicyType(client, TENANT_A, TYPE, { maxAttempts: 3, onPage: async () => {} }),
    );
    expect((error as GraphError).code).toBe('graph_foreign_next_link');
    const stats = await sim.admin.stats();
    expect(stats.requestsByHost[foreignHost]).toBeUndefined();
    expect(stats.requestsByHost[`localhost:${sim.port}`]).toBeGreaterThan(0);
  });
});

describe('behind a gateway (GRAPH_BASE_URL in front of the cloud’s Graph)', () => {
  it('follows nextLinks Graph writes on its own origin through the gateway, and no other', async () => {
    // A gateway passes Graph's absolute nextLinks through unchanged (msgraph-sdk-php#488).
    const graphOrigin = 'https://graph.microsoft.com';
    // Only the first page's link: the fault would otherwise add a link to every page, the last too.
    await sim.admin.setFaults(TENANT_A, [{ kind: 'foreignNextLink', origin: graphOrigin, page: 1 }]);
    const ids: string[] = [];
    await enumeratePolicyType(testClient(sim, { graphOrigin }), TENANT_A, TYPE, {
      maxAttempts: 3,
      onPage: (page) => {
        ids.push(...page.items.map((item) => item.external_id));
        return Promise.resolve();
      },
    });
    expect(ids.sort()).toEqual((await sim.admin.listItems(TENANT_A, TYPE)).map((item) => item.id).sort());

    await sim.admin.setFaults(TENANT_A, [{ kind: 'foreignNextLink', origin: foreignOrigin, page: 1 }]);
    const error = await caught(() =>
      enumeratePolicyType(testClient(sim, { graphOrigin }), TENANT_A, TYPE, {
        maxAttempts: 3,
        onPage: async () => {},
      }),
    );
    expect((error as GraphError).code).toBe('graph_foreign_next_link');
    expect(foreignRequests).toEqual([]);
  });
});

describe('429 storm', () => {
  it('completes a whole enumeration with exact results, honouring every decision', async () => {
    await sim.admin.setFaults(TENANT_B, [
      { kind: 'rateLimit', requestsPerSecond: 40, burst: 4, retryAfter: 'mixed' },
    ]);
    const delays: number[] = [];
    const ids: string[] = [];
    const result = await enumeratePolicyType(testClient(sim), TENANT_B, TYPE, {
      maxAttempts: 100,
      onPage: (page) => {
        ids.push(...page.items.map((i) => i.external_id));
        return Promise.resolve();
      },
      // Record the decided delays but wait at most 100 ms, so the test stays short.
      sleep: async (ms) => {
        delays.push(ms);
        await new Promise((resolve) => setTimeout(resolve, Math.min(ms, 100)));
      },
    });
    expect(result).toEqual({ pagesCount: 24, itemsObservedCount: 120, itemsInvalidCount: 0 });
    expect(ids).toEqual((await sim.admin.listItems(TENANT_B, TYPE)).map((i) => i.id));
    const stats = (await sim.admin.stats()).tenants[TENANT_B]!;
    const throttled = stats.byStatus['429'] ?? 0;
    expect(throttled).toBeGreaterThan(0);
    expect(stats.byStatus['200']).toBe(24);
    expect(stats.graphRequests).toBe(24 + throttled);
    expect(delays).toHaveLength(throttled);
    // 'mixed': some answers carried Retry-After (>= 1 s), the others were backed off (<= 1 s on attempt 1).
    expect(delays.some((ms) => ms >= 1_000)).toBe(true);
  });
});
