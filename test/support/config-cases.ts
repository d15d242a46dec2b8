/**
 * One invalid value for every variable in the README's configuration table, with the process that
 * reads it and what its one error line must say. The unit test feeds them to the configuration
 * loaders, the engine test to real `inventory` processes; both check the README table is covered.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TLS_DIR } from '../graph/support';

/** Which process reads the variable: `inventory worker`, `inventory tenant list`, `inventory migrate`. */
export type ConfigReader = 'worker' | 'client' | 'migrate';

export interface BadConfigCase {
  variable: string;
  reader: ConfigReader;
  /** Added to a valid environment; '' unsets a variable of it. */
  env: Record<string, string>;
  /** The message after `error [config_invalid]: `. */
  message: RegExp;
  /** Must not appear anywhere in the output. */
  secret?: string;
}

export const SECRET = 'hunter2-do-not-print';
export const SERVER_CERT = join(TLS_DIR, 'server.pem');
export const SERVER_KEY = join(TLS_DIR, 'server-key.pem');

export const BAD_CONFIG_CASES: BadConfigCase[] = [
  {
    variable: 'DATABASE_URL',
    reader: 'client',
    env: { DATABASE_URL: `postgres://inventory:${SECRET}@db.example:99999/inventory` },
    message: /^DATABASE_URL has port 99999, which is not a port number \(1 to 65535\)$/,
    secret: SECRET,
  },
  {
    variable: 'DATABASE_URL',
    reader: 'worker',
    env: { DATABASE_URL: `mysql://inventory:${SECRET}@db.example/inventory` },
    message: /^DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ connection URL$/,
    secret: SECRET,
  },
  {
    variable: 'DATABASE_URL',
    reader: 'client',
    env: { DATABASE_URL: `postgres://inventory:${SECRET}@db.example/inventory?sslmode=prefer` },
    message: /^DATABASE_URL has sslmode=prefer, which would fall back to an unencrypted connection/,
    secret: SECRET,
  },
  {
    variable: 'DATABASE_URL',
    reader: 'client',
    env: { DATABASE_URL: `postgres://inventory_app:Sup3r%ZZ${SECRET}@127.0.0.1:54329/inventory` },
    message:
      /^DATABASE_URL has a "%" in its password that is not a percent-escape of two hex digits \(write a literal "%" as %25\)$/,
    secret: SECRET,
  },
  {
    variable: 'DATABASE_URL',
    reader: 'worker',
    env: { DATABASE_URL: `postgres://inventory%ZZapp:${SECRET}@127.0.0.1:54329/inventory` },
    message: /^DATABASE_URL has a "%" in its user name that is not a percent-escape/,
    secret: SECRET,
  },
  {
    variable: 'DATABASE_URL',
    reader: 'client',
    env: {
      DATABASE_URL: `postgres://inventory:${SECRET}@db.example/inventory?sslrootcert=/nonexistent/ca.pem&sslmode=verify-ca`,
    },
    message: /^DATABASE_URL has sslrootcert=\/nonexistent\/ca\.pem, which cannot be read \(ENOENT\)$/,
    secret: SECRET,
  },
  {
    variable: 'DATABASE_MIGRATION_URL',
    reader: 'migrate',
    env: { DATABASE_MIGRATION_URL: `postgres://owner:${SECRET}@db.example:0/inventory` },
    message: /^DATABASE_MIGRATION_URL has port 0, which is not a port number/,
    secret: SECRET,
  },
  {
    variable: 'DATABASE_MIGRATION_URL',
    reader: 'migrate',
    env: { DATABASE_MIGRATION_URL: `postgres://owner:%ZZ${SECRET}@db.example/inventory` },
    message: /^DATABASE_MIGRATION_URL has a "%" in its password that is not a percent-escape/,
    secret: SECRET,
  },
  {
    variable: 'DATABASE_MIGRATION_URL',
    reader: 'migrate',
    // A directory passes an access check but cannot be read as a certificate.
    env: { DATABASE_MIGRATION_URL: `postgres://owner:${SECRET}@db.example/inventory?sslcert=${TLS_DIR}` },
    message: /^DATABASE_MIGRATION_URL has sslcert=\S+, which cannot be read \(EISDIR\)$/,
    secret: SECRET,
  },
  {
    variable: 'DATABASE_POOL_SIZE',
    reader: 'client',
    env: { DATABASE_POOL_SIZE: '0' },
    message: /^DATABASE_POOL_SIZE must be at least 1 \(got "0"\)$/,
  },
  {
    variable: 'INVENTORY_ALLOW_RLS_BYPASS',
    reader: 'client',
    env: { INVENTORY_ALLOW_RLS_BYPASS: 'ture' },
    message: /^INVENTORY_ALLOW_RLS_BYPASS must be true or false \(got "ture"\)$/,
  },
  {
    variable: 'TEMPORAL_ADDRESS',
    reader: 'client',
    env: { TEMPORAL_ADDRESS: 'http://localhost:7233' },
    message: /^TEMPORAL_ADDRESS must be host:port such as localhost:7233 \(no scheme\)/,
  },
  {
    variable: 'TEMPORAL_ADDRESS',
    reader: 'worker',
    env: { TEMPORAL_ADDRESS: '127.0.0.1' },
    message:
      /^TEMPORAL_ADDRESS must be host:port such as localhost:7233 \(no scheme\) \(got "127\.0\.0\.1"\)$/,
  },
  {
    variable: 'TEMPORAL_NAMESPACE',
    reader: 'client',
    env: { TEMPORAL_NAMESPACE: 'ñ' },
    message: /^TEMPORAL_NAMESPACE must contain only ASCII letters, digits, "\.", "_" and "-" \(got "ñ"\)$/,
  },
  {
    variable: 'TEMPORAL_NAMESPACE',
    reader: 'worker',
    env: { TEMPORAL_NAMESPACE: 'inventory\nsync' },
    message:
      /^TEMPORAL_NAMESPACE must contain only ASCII letters, digits, "\.", "_" and "-" \(got "inventory sync"\)$/,
  },
  {
    variable: 'TEMPORAL_NAMESPACE',
    reader: 'client',
    env: { TEMPORAL_NAMESPACE: 'n'.repeat(1001) },
    message: /^TEMPORAL_NAMESPACE must be at most 1000 characters \(Temporal's limit\)$/,
  },
  {
    variable: 'TEMPORAL_API_KEY',
    reader: 'worker',
    env: { TEMPORAL_API_KEY: `${SECRET}\n` },
    message: /^TEMPORAL_API_KEY must be the key alone, without spaces, line breaks/,
    secret: SECRET,
  },
  {
    variable: 'TEMPORAL_TLS_CERT_PATH',
    reader: 'client',
    env: { TEMPORAL_TLS_CERT_PATH: '/nonexistent/client.pem', TEMPORAL_TLS_KEY_PATH: SERVER_KEY },
    message: /^TEMPORAL_TLS_CERT_PATH cannot be read \(\/nonexistent\/client\.pem: ENOENT\)$/,
  },
  {
    variable: 'TEMPORAL_TLS_KEY_PATH',
    reader: 'client',
    env: { TEMPORAL_TLS_CERT_PATH: SERVER_CERT, TEMPORAL_TLS_KEY_PATH: SERVER_CERT },
    message: /^TEMPORAL_TLS_KEY_PATH must be a PEM file with an unencrypted private key/,
  },
  {
    variable: 'INVENTORY_TASK_QUEUE',
    reader: 'client',
    env: { INVENTORY_TASK_QUEUE: 'sync queue' },
    message: /^INVENTORY_TASK_QUEUE must contain only letters, digits/,
  },
  {
    variable: 'INVENTORY_TASK_QUEUE',
    reader: 'worker',
    env: { INVENTORY_TASK_QUEUE: 'q'.repeat(2000) },
    message:
      /^INVENTORY_TASK_QUEUE must be at most 970 characters \(Temporal's limit of 1000, less "-graph-conditionalAccessPolicy" for the longest Graph queue\)$/,
  },
  {
    variable: 'INVENTORY_TASK_QUEUE',
    reader: 'client',
    env: { INVENTORY_TASK_QUEUE: '   ' },
    message: /^INVENTORY_TASK_QUEUE must contain only letters, digits/,
  },
  {
    variable: 'INVENTORY_TASK_QUEUE',
    reader: 'worker',
    env: { INVENTORY_TASK_QUEUE: 'sync\u001b[31m' },
    message:
      /^INVENTORY_TASK_QUEUE must contain only letters, digits, "\.", "_" and "-" \(got "sync\uFFFD\[31m"\)$/,
  },
  {
    variable: 'GRAPH_CLOUD',
    reader: 'worker',
    env: { GRAPH_CLOUD: 'azure-germany' },
    message: /^GRAPH_CLOUD must be one of global, usgov, usgov-dod, china \(got "azure-germany"\)$/,
  },
  {
    variable: 'GRAPH_TOKEN_SCOPE',
    reader: 'worker',
    env: { GRAPH_TOKEN_SCOPE: 'https://graph.microsoft.com' },
    message:
      /^GRAPH_TOKEN_SCOPE must be an https URL ending in \/\.default, e\.g\. https:\/\/graph\.microsoft\.com\/\.default$/,
  },
  {
    variable: 'GRAPH_TOKEN_SCOPE',
    reader: 'worker',
    env: {
      GRAPH_TOKEN_SCOPE: 'https://graph.microsoft.com/.default https://contoso.sharepoint.com/.default',
    },
    message: /^GRAPH_TOKEN_SCOPE must be one scope: Entra takes a single resource per token$/,
  },
  {
    variable: 'GRAPH_TOKEN_SCOPE',
    reader: 'worker',
    env: { GRAPH_TOKEN_SCOPE: 'https://graph.microsoft.com/DeviceManagementApps.Read.All' },
    message: /^GRAPH_TOKEN_SCOPE must be an https URL ending in \/\.default/,
  },
  {
    variable: 'GRAPH_BASE_URL',
    reader: 'worker',
    env: { GRAPH_BASE_URL: 'http://graph.microsoft.com' },
    message: /^GRAPH_BASE_URL must use https/,
  },
  {
    variable: 'AZURE_AUTHORITY_HOST',
    reader: 'worker',
    env: { AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.com/common' },
    message: /^AZURE_AUTHORITY_HOST must be an origin without a path/,
  },
  {
    variable: 'AZURE_CLIENT_ID',
    reader: 'worker',
    env: { AZURE_CLIENT_ID: 'inventory-app' },
    message: /^AZURE_CLIENT_ID must be the application \(client\) id, a GUID/,
  },
  {
    variable: 'AZURE_CLIENT_SECRET',
    reader: 'worker',
    env: { AZURE_CLIENT_SECRET: SECRET, AZURE_CLIENT_CERTIFICATE_PATH: SERVER_CERT },
    message: /^set exactly one of AZURE_CLIENT_SECRET and AZURE_CLIENT_CERTIFICATE_PATH$/,
    secret: SECRET,
  },
  {
    variable: 'AZURE_CLIENT_CERTIFICATE_PATH',
    reader: 'worker',
    env: { AZURE_CLIENT_SECRET: '', AZURE_CLIENT_CERTIFICATE_PATH: SERVER_CERT },
    message: /^AZURE_CLIENT_CERTIFICATE_PATH must be a PEM file with an unencrypted private key/,
  },
  {
    variable: 'GRAPH_REQUEST_TIMEOUT',
    reader: 'worker',
    env: { GRAPH_REQUEST_TIMEOUT: '0s' },
    message: /^GRAPH_REQUEST_TIMEOUT must be from 1s to 2m/,
  },
  {
    variable: 'GRAPH_REQUEST_TIMEOUT',
    reader: 'worker',
    env: { GRAPH_REQUEST_TIMEOUT: '30d' },
    message: /^GRAPH_REQUEST_TIMEOUT must be at most 24d/,
  },
  {
    variable: 'GRAPH_REQUEST_TIMEOUT',
    reader: 'worker',
    env: { GRAPH_REQUEST_TIMEOUT: '5m' },
    message: /^GRAPH_REQUEST_TIMEOUT must be from 1s to 2m/,
  },
  {
    variable: 'SYNC_MAX_CONCURRENT_GLOBAL',
    reader: 'worker',
    env: { SYNC_MAX_CONCURRENT_GLOBAL: 'lots' },
    message: /^SYNC_MAX_CONCURRENT_GLOBAL must be a whole number \(got "lots"\)$/,
  },
  {
    variable: 'SYNC_MAX_CONCURRENT_PER_TENANT',
    reader: 'worker',
    env: { SYNC_MAX_CONCURRENT_PER_TENANT: '-1' },
    message: /^SYNC_MAX_CONCURRENT_PER_TENANT must be a whole number/,
  },
  {
    variable: 'SYNC_SLOT_WAIT',
    reader: 'worker',
    env: { SYNC_SLOT_WAIT: '30d' },
    message: /^SYNC_SLOT_WAIT must be at most 24d/,
  },
  {
    variable: 'SYNC_TYPE_CONCURRENCY',
    reader: 'worker',
    env: { SYNC_TYPE_CONCURRENCY: '1e2' },
    message: /^SYNC_TYPE_CONCURRENCY must be a whole number/,
  },
  {
    variable: 'GRAPH_QUEUE_RPS',
    reader: 'worker',
    env: { GRAPH_QUEUE_RPS: '0' },
    message: /^GRAPH_QUEUE_RPS must be greater than 0/,
  },
  {
    variable: 'GRAPH_TENANT_RPS',
    reader: 'worker',
    env: { GRAPH_TENANT_RPS: 'fast' },
    message: /^GRAPH_TENANT_RPS must be a number/,
  },
  {
    variable: 'GRAPH_TENANT_RPS_OPTIONAL',
    reader: 'worker',
    env: { GRAPH_TENANT_RPS_OPTIONAL: 'maybe' },
    message: /^GRAPH_TENANT_RPS_OPTIONAL must be true or false/,
  },
  {
    variable: 'GRAPH_MAX_ATTEMPTS',
    reader: 'worker',
    env: { GRAPH_MAX_ATTEMPTS: '2.5' },
    message: /^GRAPH_MAX_ATTEMPTS must be a whole number/,
  },
  {
    variable: 'GRAPH_THROTTLE_BUDGET',
    reader: 'worker',
    env: { GRAPH_THROTTLE_BUDGET: '2d' },
    message: /^GRAPH_THROTTLE_BUDGET must be from 1s to 24h \(got "2d"\)$/,
  },
  {
    variable: 'GRAPH_MAX_PAGE_BYTES',
    reader: 'worker',
    env: { GRAPH_MAX_PAGE_BYTES: '1GiB' },
    message: /^GRAPH_MAX_PAGE_BYTES must be from 64KiB to 256MiB \(got "1GiB"\)$/,
  },
  {
    variable: 'SYNC_ASSIGNMENTS',
    reader: 'worker',
    env: { SYNC_ASSIGNMENTS: 'sometimes' },
    message: /^SYNC_ASSIGNMENTS must be true or false/,
  },
  {
    variable: 'SYNC_PAGES_PER_EXECUTION',
    reader: 'worker',
    env: { SYNC_PAGES_PER_EXECUTION: '99999999' },
    message: /^SYNC_PAGES_PER_EXECUTION is too large/,
  },
  {
    variable: 'SYNC_PAGES_PER_ACTIVITY',
    reader: 'worker',
    env: { SYNC_PAGES_PER_ACTIVITY: '0' },
    message: /^SYNC_PAGES_PER_ACTIVITY /,
  },
  {
    variable: 'WORKER_MAX_CONCURRENT_ACTIVITIES',
    reader: 'worker',
    env: { WORKER_MAX_CONCURRENT_ACTIVITIES: ' 5 ' },
    message: /^WORKER_MAX_CONCURRENT_ACTIVITIES must be a whole number/,
  },
  {
    variable: 'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS',
    reader: 'worker',
    env: { WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '0x10' },
    message: /^WORKER_MAX_CONCURRENT_WORKFLOW_TASKS must be a whole number/,
  },
  {
    variable: 'WORKER_SHUTDOWN_GRACE',
    reader: 'worker',
    env: { WORKER_SHUTDOWN_GRACE: 'soon' },
    message: /^WORKER_SHUTDOWN_GRACE must be a duration/,
  },
  {
    variable: 'METRICS_ADDRESS',
    reader: 'worker',
    env: { METRICS_ADDRESS: 'http://0.0.0.0:9464' },
    message: /^METRICS_ADDRESS must be host:port such as 0\.0\.0\.0:9464 \(no scheme\), or off/,
  },
  {
    variable: 'TEMPORAL_METRICS_ADDRESS',
    reader: 'worker',
    env: { TEMPORAL_METRICS_ADDRESS: '0.0.0.0:70000' },
    message: /^TEMPORAL_METRICS_ADDRESS must be host:port such as 0\.0\.0\.0:9464 \(no scheme\), or off/,
  },
  {
    variable: 'LOG_LEVEL',
    reader: 'client',
    env: { LOG_LEVEL: 'loud' },
    message: /^LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent \(got "loud"\)$/,
  },
];

/**
 * Variables whose invalid values only a live server reveals, or that only a command with a flag
 * reads; test/engine/config-startup.test.ts covers them with real processes, and
 * test/unit/config-errors.test.ts covers TEMPORAL_CLI_PATH (read by `inventory dev`) directly.
 */
export const VARIABLES_COVERED_ELSEWHERE = ['INVENTORY_RUNTIME_DB_PASSWORD', 'TEMPORAL_CLI_PATH'];

/** The variable names in README.md's "Configuration" table, in order. */
export function readmeConfigurationVariables(): string[] {
  const readme = readFileSync(resolve(__dirname, '../../README.md'), 'utf8');
  const section = readme.split('\n## Configuration\n')[1]?.split('\n## ')[0] ?? '';
  const firstCells = section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.split('|')[1]!);
  return firstCells.flatMap((cell) => [...cell.matchAll(/`([A-Z0-9_]+)`/g)].map((m) => m[1]!));
}
