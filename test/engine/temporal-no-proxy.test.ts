/**
 * The proxy variables are for Graph and Entra: the client's Temporal connection ignores them
 * (found by a new user: with https_proxy set, grpc-js sent the CLI's Temporal traffic through it).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectClient } from '../../temporal/connection';

const saved = { https_proxy: process.env.https_proxy, grpc_proxy: process.env.grpc_proxy };

beforeAll(() => {
  // Nothing listens on port 1: a connection through the proxy could not be made.
  process.env.https_proxy = 'http://127.0.0.1:1';
  process.env.grpc_proxy = 'http://127.0.0.1:1';
});

afterAll(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

it('connects to Temporal directly while https_proxy and grpc_proxy point at nothing', async () => {
  const connection = await connectClient({
    TEMPORAL_ADDRESS: process.env.INVENTORY_TEST_TEMPORAL_ADDRESS!,
    TEMPORAL_NAMESPACE: process.env.INVENTORY_TEST_TEMPORAL_NAMESPACE!,
  });
  try {
    await expect(connection.workflowService.getSystemInfo({})).resolves.toBeDefined();
  } finally {
    await connection.close();
  }
});
