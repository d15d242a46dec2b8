/**
 * How the Graph client reports JSON batches to its observer, against an HTTPS double of Graph's
 * `$batch` (the simulator serves no batches yet): each request inside an envelope counts as one
 * Graph request (https://learn.microsoft.com/graph/json-batching: "each request in the batch is
 * evaluated against throttling limits"), a throttled one as throttled with the time it waited
 * before it was sent again, and each envelope as one exchange of the page's type.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createGraphClient } from '../../graph/client';
import { ensureSimulatorCertificates } from '../../simulator/tls';
import { createServiceMetrics } from '../../worker/metrics';
import { TLS_DIR } from '../graph/support';
import { parseExposition, total } from '../support/prometheus';

const TENANT = '7acf0000-0000-4000-8000-000000000001';
const ITEMS = ['a1', 'a2', 'a3'];

let graph: Server;
let baseUrl: string;
const envelopes: Array<Array<{ id: string; url: string }>> = [];

beforeAll(async () => {
  const tls = await ensureSimulatorCertificates(TLS_DIR);
  const [cert, key] = await Promise.all([readFile(tls.certPath), readFile(tls.keyPath)]);
  graph = createServer({ cert, key }, (req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.method === 'GET') {
        res.end(JSON.stringify({ value: ITEMS.map((id) => ({ id, displayName: `config ${id}` })) }));
        return;
      }
      const { requests } = JSON.parse(body) as { requests: Array<{ id: string; url: string }> };
      envelopes.push(requests);
      // The first envelope throttles its second request, as Graph does inside a 200 batch.
      const responses = requests.map((r, index) =>
        envelopes.length === 1 && index === 1
          ? {
              id: r.id,
              status: 429,
              headers: { 'Retry-After': '1' },
              body: { error: { code: 'TooManyRequests' } },
            }
          : { id: r.id, status: 200, body: { value: [] } },
      );
      res.end(JSON.stringify({ responses }));
    });
  });
  await new Promise<void>((resolve) => graph.listen(0, '127.0.0.1', resolve));
  baseUrl = `https://localhost:${(graph.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => graph.close(() => resolve()));
});

it('counts each request inside a batch, the throttled one, its wait, and one exchange per envelope', async () => {
  const metrics = createServiceMetrics();
  const client = createGraphClient({
    baseUrl,
    timeoutMs: 5_000,
    maxPageBytes: 1_024 * 1_024,
    tokens: { getToken: () => Promise.resolve('test-token') },
    observer: metrics.graph,
  });
  const page = await client.fetchPage(TENANT, 'mobileAppConfiguration');
  expect(page.items).toHaveLength(3);
  expect(envelopes.map((e) => e.length)).toEqual([3, 1]);
  expect(page.requestsCount).toBe(5);

  const samples = parseExposition(await metrics.registry.metrics());
  const labels = { policy_type: 'mobileAppConfiguration' };
  expect(total(samples, 'inventory_graph_requests_total', labels)).toBe(page.requestsCount);
  expect(total(samples, 'inventory_graph_requests_total', { ...labels, status_class: '4xx' })).toBe(1);
  expect(total(samples, 'inventory_graph_throttled_total', labels)).toBe(1);
  // Retry-After: 1, plus at most 10 % jitter (graph/retry-decision.ts).
  const waited = total(samples, 'inventory_graph_retry_after_seconds_total', labels);
  expect(waited).toBeGreaterThanOrEqual(1);
  expect(waited).toBeLessThanOrEqual(1.1);
  // The page request and two envelopes.
  expect(total(samples, 'inventory_graph_request_duration_seconds_count', labels)).toBe(3);
});
