/** Configuration of a process that uses the thin client (the CLI, other services). */
import { ConfigError, logEnv, parseEnv } from './env';
import { databaseEnv, temporalEnv } from './fragments';

const clientShape = { ...databaseEnv, ...temporalEnv, ...logEnv };

export type ClientConfig = ReturnType<typeof loadClientConfig>;

/**
 * The client's settings (database, Temporal, LOG_LEVEL) parsed from `env`; `config_invalid` naming the
 * first bad variable, or DATABASE_URL when it is unset.
 */
export function loadClientConfig(env: NodeJS.ProcessEnv = process.env) {
  const config = parseEnv(clientShape, env);
  if (!config.DATABASE_URL) {
    throw new ConfigError('DATABASE_URL is required (start the dev stack with `inventory dev` to get one)');
  }
  return { ...config, DATABASE_URL: config.DATABASE_URL };
}
