/**
 * vitest globalSetup: one Temporal dev server for the whole run (or the cluster at
 * TEMPORAL_ADDRESS), and the workflow bundle built once, so test files start workers in
 * milliseconds instead of bundling each time. Test files isolate themselves by task queue.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { startTemporalDevServer, type DevServer } from '../../temporal/dev-server';

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
  process.env.INVENTORY_TEST_TEMPORAL_ADDRESS = server?.address ?? process.env.TEMPORAL_ADDRESS;
  process.env.INVENTORY_TEST_TEMPORAL_NAMESPACE =
    server?.namespace ?? process.env.TEMPORAL_NAMESPACE ?? 'default';
  process.env.INVENTORY_TEST_WORKFLOW_BUNDLE = bundlePath;
  return async () => {
    await server?.stop();
  };
}

const noop = () => undefined;
const quietLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: console.error };
