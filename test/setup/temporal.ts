/**
 * vitest globalSetup: one Temporal dev server for the whole run (or the cluster at
 * TEMPORAL_ADDRESS), and the workflow bundle built once, so test files start workers in
 * milliseconds instead of bundling each time. Test files isolate themselves by task queue.
 * The started dev server gets the search attributes with its flags; an existing cluster gets them
 * registered here, as the worker would (fairness is the cluster's dynamic config: it must have
 * matching.enableFairness=true for the per-tenant rate tests).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { startTemporalDevServer, type DevServer } from '../../dev/temporal-dev-server';
import { ensureSearchAttributes } from '../../temporal/search-attributes';

export default async function setup(): Promise<() => Promise<void>> {
  const root = resolve(__dirname, '../..');
  const bundleDir = join(root, '.data', 'test');
  mkdirSync(bundleDir, { recursive: true });
  const bundlePath = join(bundleDir, 'workflow-bundle.js');
  const [server, bundle] = await Promise.all([
    process.env.TEMPORAL_ADDRESS ? Promise.resolve<DevServer | null>(null) : startTemporalDevServer(),
    bundleWorkflowCode({ workflowsPath: join(root, 'workflows', 'index.ts'), logger: quietLogger }),
  ]);
  writeFileSync(bundlePath, bundle.code);
  const address = server?.address ?? process.env.TEMPORAL_ADDRESS!;
  const namespace = server?.namespace ?? process.env.TEMPORAL_NAMESPACE ?? 'default';
  if (!server) {
    const connection = await Connection.connect({ address });
    try {
      await ensureSearchAttributes(connection, namespace);
    } finally {
      await connection.close();
    }
  }
  process.env.INVENTORY_TEST_TEMPORAL_ADDRESS = address;
  process.env.INVENTORY_TEST_TEMPORAL_NAMESPACE = namespace;
  process.env.INVENTORY_TEST_WORKFLOW_BUNDLE = bundlePath;
  return async () => {
    await server?.stop();
  };
}

const noop = () => undefined;
const quietLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: console.error };
