/** The worker process's configuration: everything it reads from the environment, parsed once. */
import { ConfigError, logEnv, parseEnv } from './env';
import { databaseEnv, graphEnv, limitsEnv, metricsEnv, temporalEnv, workerEnv } from './fragments';
import { readPemFile } from './pem-file';
import { graphTaskQueueOf } from '../inventory/workflow-ids';
import { resolveGraphTarget } from '../graph/clouds';

/** Every variable the worker reads (docker-compose.yml is checked against it). */
export const workerShape = {
  ...databaseEnv,
  ...temporalEnv,
  ...graphEnv,
  ...limitsEnv,
  ...workerEnv,
  ...metricsEnv,
  ...logEnv,
};

export type WorkerConfig = ReturnType<typeof loadWorkerConfig>;

/**
 * The worker's settings parsed from `env` (durations in ms), plus `graphTaskQueue`
 * (`<INVENTORY_TASK_QUEUE>-graph`) and `graph`, the Graph origin, authority and token scope resolved
 * from GRAPH_CLOUD and its overrides (graph/clouds.ts). `config_invalid` for the first bad variable, a missing DATABASE_URL
 * or AZURE_CLIENT_ID, not exactly one of AZURE_CLIENT_SECRET and AZURE_CLIENT_CERTIFICATE_PATH, or a
 * certificate file that is not a PEM certificate with its private key (what Entra's certificate
 * credential needs).
 */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env) {
  const config = parseEnv(workerShape, env);
  if (!config.DATABASE_URL) throw new ConfigError('DATABASE_URL is required for the worker');
  if (!config.AZURE_CLIENT_ID) throw new ConfigError('AZURE_CLIENT_ID is required for the worker');
  if (Boolean(config.AZURE_CLIENT_SECRET) === Boolean(config.AZURE_CLIENT_CERTIFICATE_PATH)) {
    throw new ConfigError('set exactly one of AZURE_CLIENT_SECRET and AZURE_CLIENT_CERTIFICATE_PATH');
  }
  if (config.AZURE_CLIENT_CERTIFICATE_PATH) {
    readPemFile('AZURE_CLIENT_CERTIFICATE_PATH', config.AZURE_CLIENT_CERTIFICATE_PATH, {
      certificate: true,
      privateKey: true,
    });
  }
  return {
    ...config,
    DATABASE_URL: config.DATABASE_URL,
    AZURE_CLIENT_ID: config.AZURE_CLIENT_ID,
    graphTaskQueue: graphTaskQueueOf(config.INVENTORY_TASK_QUEUE),
    graph: resolveGraphTarget({
      cloud: config.GRAPH_CLOUD,
      graphBaseUrl: config.GRAPH_BASE_URL,
      authorityHost: config.AZURE_AUTHORITY_HOST,
      tokenScope: config.GRAPH_TOKEN_SCOPE,
    }),
  };
}
