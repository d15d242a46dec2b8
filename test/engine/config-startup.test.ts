/**
 * Start-up with bad configuration, as people meet it: real `inventory worker`, `tenant list` and
 * `migrate` processes against the real PostgreSQL and Temporal dev server. Each failure is exit
 * code 1 and one line on stderr naming the variable (no driver or Node warning, no stack trace,
 * no password or key), for every variable in the README's configuration table and for the values
 * only a live server reveals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionUrl } from '../../db/connection-url';
import { ERROR_CODES } from '../../inventory/error-codes';
import { runInventory, type CliResult } from '../support/cli';
import { BAD_CONFIG_CASES, SECRET, type ConfigReader } from '../support/config-cases';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { TEST_APP } from '../graph/support';

const COMMANDS: Record<ConfigReader, string[]> = {
  worker: ['worker'],
  client: ['tenant', 'list'],
  migrate: ['migrate'],
};

let db: TestDatabase;
const temporalAddress = process.env.INVENTORY_TEST_TEMPORAL_ADDRESS!;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.drop();
});

/** What a worker needs to start against this file's database and the test Temporal server. */
function validEnv(): Record<string, string> {
  return {
    DATABASE_URL: db.runtimeUrl,
    DATABASE_MIGRATION_URL: db.adminUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: process.env.INVENTORY_TEST_TEMPORAL_NAMESPACE!,
    INVENTORY_TASK_QUEUE: 'config-startup-test',
    AZURE_CLIENT_ID: TEST_APP.clientId,
    AZURE_CLIENT_SECRET: TEST_APP.clientSecret,
  };
}

function run(
  reader: ConfigReader,
  env: Record<string, string>,
  extraArgs: string[] = [],
): Promise<CliResult> {
  return runInventory([...COMMANDS[reader], ...extraArgs], { ...validEnv(), ...env });
}

/** Exit code 1, nothing on stdout, and stderr exactly `error [code]: message` (+ the code's hint). */
function expectOneLine(result: CliResult, code: keyof typeof ERROR_CODES, message: RegExp, secret?: string) {
  const lines = result.stderr.trimEnd().split('\n');
  const [line] = lines;
  expect(line).toMatch(new RegExp(`^error \\[${code}\\]: `));
  expect(line!.replace(/^error \[[a-z_]+\]: /, '')).toMatch(message);
  // config_invalid is the line alone; other codes add their hint line, and nothing else.
  expect(lines.slice(1)).toEqual(code === 'config_invalid' ? [] : [`  hint: ${ERROR_CODES[code].hint}`]);
  expect(result).toMatchObject({ code: 1, stdout: '' });
  for (const hidden of [secret, process.env.INVENTORY_TEST_PG_RUNTIME_PASSWORD].filter(Boolean)) {
    expect(result.stderr).not.toContain(hidden);
  }
}

describe('every configuration variable with an invalid value', () => {
  it.each(BAD_CONFIG_CASES.map((c) => [`${c.variable} (${COMMANDS[c.reader].join(' ')})`, c] as const))(
    '%s',
    async (_, badCase) => {
      const result = await run(badCase.reader, badCase.env);
      expectOneLine(result, 'config_invalid', badCase.message, badCase.secret);
      expect(result.stderr).toContain(badCase.variable);
    },
  );
});

describe('values only a live server reveals', () => {
  const missingNamespace =
    /^TEMPORAL_NAMESPACE names "inventory-no-such-namespace", which does not exist on /;

  it.each(['worker', 'client'] as const)('a namespace the server does not have (%s)', async (reader) => {
    const result = await run(reader, { TEMPORAL_NAMESPACE: 'inventory-no-such-namespace' });
    expectOneLine(result, 'config_invalid', missingNamespace);
  });

  it('a wrong database password names DATABASE_URL and prints no password', async () => {
    const result = await run('client', { DATABASE_URL: connectionUrl(db.runtimeUrl, { password: SECRET }) });
    expectOneLine(
      result,
      'config_invalid',
      /^DATABASE_URL \(inventory_app@[^)]+\): password authentication failed for user "inventory_app" \(SQLSTATE 28P01\)$/,
      SECRET,
    );
  });

  it('sslmode=require against a server without SSL: no driver warning, one line naming DATABASE_URL', async () => {
    const result = await run('client', { DATABASE_URL: `${db.runtimeUrl}?sslmode=require` });
    expectOneLine(
      result,
      'config_invalid',
      /^DATABASE_URL \([^)]+\): The server does not support SSL connections$/,
    );
  });

  it('a wrong DATABASE_MIGRATION_URL is named as such, not as DATABASE_URL', async () => {
    const result = await run('migrate', {
      DATABASE_MIGRATION_URL: connectionUrl(db.adminUrl, { password: SECRET }),
    });
    expectOneLine(
      result,
      'config_invalid',
      /^DATABASE_MIGRATION_URL \([^)]+\): password authentication failed/,
      SECRET,
    );
    expect(result.stderr).not.toMatch(/\bDATABASE_URL\b/);
  });

  it('migrate --ensure-login without INVENTORY_RUNTIME_DB_PASSWORD', async () => {
    const result = await run('migrate', {}, ['--ensure-login', 'inventory_app']);
    expectOneLine(
      result,
      'config_invalid',
      /^INVENTORY_RUNTIME_DB_PASSWORD is required with --ensure-login$/,
    );
  });

  it('TEMPORAL_API_KEY against a plain-text server at an IP address: no Node warning, the key named, not shown', async () => {
    const port = temporalAddress.split(':').pop();
    const result = await run('client', { TEMPORAL_ADDRESS: `127.0.0.1:${port}`, TEMPORAL_API_KEY: SECRET });
    expectOneLine(
      result,
      'temporal_unavailable',
      /^cannot connect to Temporal at 127\.0\.0\.1:\d+ over TLS \(TEMPORAL_API_KEY is set, which implies TLS\)/,
      SECRET,
    );
  });
});
