/**
 * Workflow code runs in Temporal's deterministic sandbox. Bundling is where forbidden imports
 * (Node built-ins, database or HTTP clients) are caught; this test bundles the real workflows and
 * proves, with a fixture, that the check rejects a forbidden import.
 */
import { resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { expect, it } from 'vitest';

const noop = () => undefined;
const logger = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop };

it('bundles the workflows without pulling in the database, Graph or Node built-ins', async () => {
  const { code } = await bundleWorkflowCode({
    workflowsPath: resolve(__dirname, '../../workflows/index.ts'),
    logger,
  });
  for (const forbidden of ['typeorm', 'node_modules/pg/', '@azure/identity', '@temporalio/client', 'pino']) {
    expect(code).not.toContain(forbidden);
  }
  expect(code).toContain('inventorySync');
}, 120_000);

it('refuses a workflow that imports a Node built-in', async () => {
  const reported: string[] = [];
  const capture = { ...logger, error: (message: string) => reported.push(message) };
  await expect(
    bundleWorkflowCode({
      workflowsPath: resolve(__dirname, '../fixtures/workflow-importing-fs.ts'),
      logger: capture,
    }),
  ).rejects.toThrow(/Webpack finished with errors/);
  expect(reported.join('\n')).toMatch(/fs/);
}, 120_000);
