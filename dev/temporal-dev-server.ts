/**
 * Runs the Temporal dev server (`temporal server start-dev`) for the dev stack and the tests,
 * through the SDK's TestWorkflowEnvironment.createLocal with an existing binary (it would
 * otherwise download one at run time). The server gets the search attributes sync workflows use,
 * and fairness enabled so the Graph queue's per-tenant rate limit is enforced; one partition per
 * task queue keeps rate limits and fairness exact on a single node.
 */
import { existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { InventoryError } from '../inventory/error-codes';
import { SEARCH_ATTRIBUTES } from '../inventory/search-attributes';

export const DEV_SERVER_DYNAMIC_CONFIG = [
  'matching.useNewMatcher=true',
  'matching.enableFairness=true',
  'matching.numTaskqueueReadPartitions=1',
  'matching.numTaskqueueWritePartitions=1',
];

const PROJECT_ROOT = resolve(__dirname, '..');

/** TEMPORAL_CLI_PATH, then the copy scripts/setup installs, then PATH. */
export function resolveTemporalCli(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TEMPORAL_CLI_PATH) {
    if (!existsSync(env.TEMPORAL_CLI_PATH)) {
      throw new InventoryError(
        'config_invalid',
        `TEMPORAL_CLI_PATH does not exist: ${env.TEMPORAL_CLI_PATH}`,
      );
    }
    return env.TEMPORAL_CLI_PATH;
  }
  const installed = join(PROJECT_ROOT, '.tools', 'temporal', 'bin', 'temporal');
  if (existsSync(installed)) return installed;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'temporal');
    if (dir && existsSync(candidate)) return candidate;
  }
  throw new InventoryError(
    'temporal_unavailable',
    'the Temporal CLI was not found; run scripts/setup (installs it into .tools/temporal) or set TEMPORAL_CLI_PATH',
  );
}

export interface DevServer {
  address: string;
  namespace: string;
  uiUrl: string | null;
  stop(): Promise<void>;
}

export async function startTemporalDevServer(
  options: { port?: number; uiPort?: number; dbFilename?: string; namespace?: string } = {},
): Promise<DevServer> {
  const namespace = options.namespace ?? 'default';
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: resolveTemporalCli() },
      namespace,
      ip: '127.0.0.1',
      ...(options.port !== undefined && { port: options.port }),
      ...(options.uiPort !== undefined && { ui: true, uiPort: options.uiPort }),
      ...(options.dbFilename !== undefined && { dbFilename: options.dbFilename }),
      searchAttributes: [...SEARCH_ATTRIBUTES],
      extraArgs: DEV_SERVER_DYNAMIC_CONFIG.flatMap((value) => ['--dynamic-config-value', value]),
    },
  });
  return {
    address: env.address,
    namespace,
    uiUrl: options.uiPort !== undefined ? `http://127.0.0.1:${options.uiPort}` : null,
    stop: () => env.teardown(),
  };
}
