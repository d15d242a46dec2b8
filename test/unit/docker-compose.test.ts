/**
 * No Docker engine runs on these machines, so the production-like compose file is checked the
 * way the engine would read it: services, ports, build, mounts, and every environment variable
 * against the configuration schemas the processes really parse.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { databaseEnv, migrationEnv } from '../../config/fragments';
import { loadWorkerConfig, workerShape } from '../../config/worker';

const ROOT = resolve(__dirname, '../..');

interface Service {
  image?: string;
  build?: string;
  command?: string[];
  ports?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, unknown> | string[];
}

const compose = parse(readFileSync(resolve(ROOT, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, Service>;
};
const services = compose.services;

/** Compose's interpolation of ${VAR}, ${VAR:-default} and ${VAR:?message} against `env`. */
function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(
    /\$\{([A-Z0-9_]+)(?::([-?])([^}]*))?\}/g,
    (_, name: string, op?: string, arg?: string) => {
      if (env[name]) return env[name];
      if (op === '-') return arg ?? '';
      if (op === '?') throw new Error(`compose requires ${name}: ${arg}`);
      return '';
    },
  );
}

function environment(service: Service, env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(String(v), env)]),
  );
}

describe('docker-compose.yml', () => {
  it('has the production-like services with their ports', () => {
    expect(Object.keys(services).sort()).toEqual([
      'migrate',
      'postgres',
      'temporal',
      'temporal-db',
      'temporal-ui',
      'worker',
    ]);
    expect(services.postgres!.ports).toContain('5432:5432');
    expect(services.temporal!.ports).toContain('7233:7233');
    expect(services['temporal-ui']!.ports).toContain('8233:8080');
    expect(services['temporal-ui']!.environment?.TEMPORAL_ADDRESS).toBe('temporal:7233');
  });

  it('builds the worker and the migration job from the Dockerfile, which runs the inventory CLI', () => {
    expect(services.worker!.build).toBe('.');
    expect(services.migrate!.build).toBe('.');
    const dockerfile = readFileSync(resolve(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:20/m);
    expect(dockerfile).toMatch(/ENTRYPOINT \["node", "bin\/inventory\.js"\]/);
    expect(services.worker!.command).toEqual(['worker']);
    expect(services.migrate!.command?.[0]).toBe('migrate');
  });

  it('mounts the dynamic config that enables fairness', () => {
    const mount = services.temporal!.volumes!.find((v) => v.includes('dynamicconfig'))!;
    const file = resolve(ROOT, mount.split(':')[0]!);
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toMatch(/matching\.enableFairness:\s*\n\s*- value: true/);
    expect(services.temporal!.environment?.DYNAMIC_CONFIG_FILE_PATH).toContain(
      mount.split(':')[1]!.split('/').pop()!,
    );
  });

  it('gives the worker only variables its config knows, and values it accepts', () => {
    const host = { AZURE_CLIENT_ID: '0d4f6c2a-1b3e-4a5c-9d7e-8f9a0b1c2d3e', AZURE_CLIENT_SECRET: 'x' };
    const env = environment(services.worker!, host);
    for (const key of Object.keys(env)) expect(Object.keys(workerShape)).toContain(key);
    const config = loadWorkerConfig(env);
    expect(config.DATABASE_URL).toMatch(/^postgres:\/\/inventory_app:[^@]+@postgres:5432\/inventory$/);
    expect(config.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(config.graph).toEqual({
      cloud: 'global',
      graphBaseUrl: 'https://graph.microsoft.com',
      authorityHost: 'https://login.microsoftonline.com',
      tokenScope: 'https://graph.microsoft.com/.default',
    });
    expect(loadWorkerConfig(environment(services.worker!, { ...host, GRAPH_CLOUD: 'usgov' })).graph).toEqual({
      cloud: 'usgov',
      graphBaseUrl: 'https://graph.microsoft.us',
      authorityHost: 'https://login.microsoftonline.us',
      tokenScope: 'https://graph.microsoft.us/.default',
    });
  });

  it('refuses to start the worker without Graph credentials instead of writing a default', () => {
    expect(() => environment(services.worker!, {})).toThrow(/compose requires AZURE_CLIENT_ID/);
  });

  it('migrates as the owner and provisions the runtime login the worker connects as', () => {
    const env = environment(services.migrate!, {});
    const known = Object.keys({ ...databaseEnv, ...migrationEnv });
    for (const key of Object.keys(env)) expect(known).toContain(key);
    expect(env.DATABASE_MIGRATION_URL).toMatch(/^postgres:\/\/inventory_owner:/);
    expect(services.migrate!.command).toEqual(['migrate', '--ensure-login', 'inventory_app']);
    expect(services.worker!.depends_on).toMatchObject({
      migrate: { condition: 'service_completed_successfully' },
    });
  });
});
