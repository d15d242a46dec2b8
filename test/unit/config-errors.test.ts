/**
 * Every configuration variable with an invalid value, through the loaders the processes call:
 * one config_invalid line naming the variable, never its secret. Also the PostgreSQL URL rules
 * and how sslmode reaches the pg driver (its own parser, no warning).
 */
import { Client } from 'pg';
import { describe, expect, it, vi } from 'vitest';
import { loadClientConfig } from '../../config/client';
import { parseEnv } from '../../config/env';
import { databaseEnv, migrationEnv } from '../../config/fragments';
import { graphQueues, graphTaskQueueOf } from '../../inventory/workflow-ids';
import { loadWorkerConfig } from '../../config/worker';
import { driverConnectionString, postgresUrlProblem } from '../../db/connection-url';
import { resolveTemporalCli } from '../../dev/temporal-dev-server';
import { InventoryError } from '../../inventory/error-codes';
import { connectClient } from '../../temporal/connection';
import {
  BAD_CONFIG_CASES,
  SECRET,
  SERVER_CERT,
  SERVER_KEY,
  VARIABLES_COVERED_ELSEWHERE,
  readmeConfigurationVariables,
  type ConfigReader,
} from '../support/config-cases';

/** A valid environment for every reader; nothing listens on port 1, so nothing connects. */
const VALID_ENV = {
  DATABASE_URL: 'postgres://inventory_app:base-password@127.0.0.1:1/inventory',
  TEMPORAL_ADDRESS: '127.0.0.1:1',
  AZURE_CLIENT_ID: '0d4f6c2a-1b3e-4a5c-9d7e-8f9a0b1c2d3e',
  AZURE_CLIENT_SECRET: 'base-secret',
};

/** What each process does with its environment before it connects to anything. */
const LOADERS: Record<ConfigReader, (env: NodeJS.ProcessEnv) => unknown> = {
  worker: (env) => loadWorkerConfig(env),
  // The client reads the mTLS files when it connects, before any network traffic.
  client: (env) => connectClient(loadClientConfig(env)),
  migrate: (env) => parseEnv({ ...databaseEnv, ...migrationEnv }, env),
};

/** The InventoryError `work` throws or rejects with. */
async function failure(work: () => unknown): Promise<InventoryError> {
  try {
    await work();
  } catch (error) {
    if (error instanceof InventoryError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('an invalid value of every configuration variable', () => {
  it('covers every variable in the README configuration table', () => {
    const covered = new Set([...BAD_CONFIG_CASES.map((c) => c.variable), ...VARIABLES_COVERED_ELSEWHERE]);
    const documented = readmeConfigurationVariables();
    expect(documented.length).toBeGreaterThan(25);
    expect(documented.filter((name) => !covered.has(name))).toEqual([]);
  });

  it('passes every loader with the valid environment alone, so each case fails on its own variable', () => {
    expect(() => loadWorkerConfig({ ...VALID_ENV })).not.toThrow();
    expect(() => loadClientConfig({ ...VALID_ENV })).not.toThrow();
    expect(() => parseEnv({ ...databaseEnv, ...migrationEnv }, { ...VALID_ENV })).not.toThrow();
  });

  it.each(BAD_CONFIG_CASES.map((c) => [`${c.variable} (${c.reader})`, c] as const))(
    '%s: one config_invalid line naming it',
    async (_, badCase) => {
      const error = await failure(() => LOADERS[badCase.reader]({ ...VALID_ENV, ...badCase.env }));
      expect(error.code).toBe('config_invalid');
      expect(error.message).toMatch(badCase.message);
      expect(error.message).toContain(badCase.variable);
      expect(error.message).not.toMatch(/[\r\n]/);
      if (badCase.secret) expect(error.message).not.toContain(badCase.secret);
    },
  );

  it('TEMPORAL_CLI_PATH: names the variable when the file does not exist', async () => {
    const error = await failure(() => resolveTemporalCli({ TEMPORAL_CLI_PATH: '/nonexistent/temporal' }));
    expect(error.code).toBe('config_invalid');
    expect(error.message).toBe('TEMPORAL_CLI_PATH does not exist: /nonexistent/temporal');
  });

  it('accepts a PEM certificate and key pair for mTLS (the connection then fails as unreachable)', async () => {
    const error = await failure(() =>
      connectClient({
        TEMPORAL_ADDRESS: '127.0.0.1:1',
        TEMPORAL_NAMESPACE: 'default',
        TEMPORAL_TLS_CERT_PATH: SERVER_CERT,
        TEMPORAL_TLS_KEY_PATH: SERVER_KEY,
      }),
    );
    expect(error.code).toBe('temporal_unavailable');
    expect(error.message).toMatch(/^cannot connect to Temporal at 127\.0\.0\.1:1 over mTLS/);
  });
});

describe('Temporal names', () => {
  it("takes a task queue whose longest Graph queue is at Temporal's 1000, and not one more", () => {
    const longestSuffix = Math.max(...graphQueues(graphTaskQueueOf(''), 1).map((q) => q.taskQueue.length));
    const max = 1000 - longestSuffix;
    const config = loadWorkerConfig({ ...VALID_ENV, INVENTORY_TASK_QUEUE: 'q'.repeat(max) });
    const names = graphQueues(config.graphTaskQueue, 1).map((q) => q.taskQueue);
    expect(Math.max(...names.map((name) => name.length))).toBe(1000);
    expect(() => loadWorkerConfig({ ...VALID_ENV, INVENTORY_TASK_QUEUE: 'q'.repeat(max + 1) })).toThrow(
      new RegExp(`^INVENTORY_TASK_QUEUE must be at most ${max} characters`),
    );
  });

  it('takes a namespace of letters, digits, ".", "_" and "-" up to 1000 characters', () => {
    for (const namespace of ['inventory-prod.eu_1', 'n'.repeat(1000)]) {
      expect(loadClientConfig({ ...VALID_ENV, TEMPORAL_NAMESPACE: namespace }).TEMPORAL_NAMESPACE).toBe(
        namespace,
      );
    }
  });

  it('takes TEMPORAL_ADDRESS as a name, IPv4 or IPv6 address with a port', () => {
    for (const address of ['temporal:7233', '10.0.0.5:7233', '[::1]:7233']) {
      expect(loadClientConfig({ ...VALID_ENV, TEMPORAL_ADDRESS: address }).TEMPORAL_ADDRESS).toBe(address);
    }
    for (const address of ['temporal', '[::1]', 'temporal:0', 'temporal:65536', 'temporal:']) {
      expect(() => loadClientConfig({ ...VALID_ENV, TEMPORAL_ADDRESS: address })).toThrow(
        /^TEMPORAL_ADDRESS must be host:port/,
      );
    }
  });
});

describe('PostgreSQL connection URLs', () => {
  it.each([
    'postgres://inventory_app:pw@db.example:5432/inventory',
    'postgresql://db.example/inventory',
    'postgres://u:pw@[::1]:5432/inventory',
    'postgres://u:p%40ss@db.example/inventory?sslmode=require',
    'postgres://u:p%25ss@db.example/inventory',
    `postgres://u:pw@db.example/inventory?sslmode=verify-ca&sslrootcert=${SERVER_CERT}`,
    `postgres://u:pw@db.example/inventory?sslcert=${SERVER_CERT}&sslkey=${SERVER_KEY}&sslrootcert=`,
  ])('accepts %s', (url) => {
    expect(postgresUrlProblem(url)).toBeNull();
  });

  it.each([
    ['postgres://u:pw@db.example:65536/x', /^has port 65536, which is not/],
    ['postgres://u:pw@db.example:54x/x', /^has port, which is not/],
    ['postgres://u@/x', /^is not a valid URL/],
    ['postgres://u:pw@db.example/x?sslmode=allow', /^has sslmode=allow, which would fall back/],
    ['postgres://u:pw@db.example/x?sslmode=requre', /^has sslmode="requre"; use one of disable, require/],
    ['postgres://u:pw@db.example/x?sslmode=verify-ca', /^has sslmode=verify-ca without sslrootcert/],
    ['http://db.example/x', /^must be a postgres:\/\//],
    ['postgres://u:pw@db.example/inv%ZZ', /^has a "%" in its database name that is not a percent-escape/],
    [
      'postgres://u:pw@db.example/x?sslkey=/nonexistent/key.pem',
      /^has sslkey=\/nonexistent\/key\.pem, which cannot be read \(ENOENT\)$/,
    ],
  ])('refuses %s', (url, problem) => {
    expect(postgresUrlProblem(url)).toMatch(problem);
  });

  it('never quotes a password whose unencoded "/" hides where the host begins', () => {
    const problem = postgresUrlProblem('postgres://u:12/34@db.example:5432/x');
    expect(problem).toMatch(/^is not a valid URL/);
    expect(problem).not.toContain('12');
  });

  it('hands sslmode to pg with libpq meaning and without its deprecation warning', () => {
    // What the pg driver makes of a connection string (a client that is never connected).
    const driverSsl = (url: string): unknown => new Client({ connectionString: url }).ssl;
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const base = 'postgres://u:pw@db.example/x';
      expect(driverSsl(driverConnectionString(`${base}?sslmode=require`))).toEqual({
        rejectUnauthorized: false,
      });
      expect(driverSsl(driverConnectionString(`${base}?sslmode=verify-full`))).toEqual({});
      expect(driverSsl(driverConnectionString(`${base}?sslmode=disable`))).toBe(false);
      expect(driverConnectionString(base)).toBe(base);
      expect(warn).not.toHaveBeenCalled();
      // The URL as given would have warned: the check above can fail.
      driverSsl(`${base}?sslmode=require`);
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      warn.mockRestore();
    }
  });

  it('never echoes a database URL in a configuration error', async () => {
    const error = await failure(() =>
      parseEnv(databaseEnv, { DATABASE_URL: `postgres://u:${SECRET}@h:0/x` }),
    );
    expect(error.message).toBe('DATABASE_URL has port 0, which is not a port number (1 to 65535)');
  });
});
