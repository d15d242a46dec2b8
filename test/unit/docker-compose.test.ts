/**
 * No Docker engine runs on these machines, so the production-like compose file is checked the
 * way the engine would read it: services, images, ports, build, mounts, start order, and every
 * environment variable against the configuration schemas the processes really parse. The mounted
 * files themselves are read as the containers would find them: the schema and namespace scripts,
 * Prometheus's config and Grafana's provisioning.
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
  entrypoint?: string[];
  ports?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test?: string[]; disable?: boolean };
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

/** The host file bind-mounted at `target` in `service`, as an absolute path. */
function mountedFile(service: Service, target: string): string {
  const mount = (service.volumes ?? []).find((v) => v.split(':')[1] === target);
  if (!mount) throw new Error(`nothing is mounted at ${target}`);
  return resolve(ROOT, mount.split(':')[0]!);
}

/** The condition `service` waits for on `dependency`, or undefined when it does not wait for it. */
function condition(service: Service, dependency: string): string | undefined {
  const dependsOn = service.depends_on ?? {};
  if (Array.isArray(dependsOn)) return dependsOn.includes(dependency) ? 'service_started' : undefined;
  return dependsOn[dependency]?.condition;
}

function environment(service: Service, env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(String(v), env)]),
  );
}

describe('docker-compose.yml', () => {
  it('has the production-like services with their ports', () => {
    expect(Object.keys(services).sort()).toEqual([
      'grafana',
      'migrate',
      'postgres',
      'prometheus',
      'temporal',
      'temporal-db',
      'temporal-namespace',
      'temporal-schema',
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

describe('docker-compose.yml: Temporal on current images', () => {
  const server = services.temporal!;
  const schema = services['temporal-schema']!;
  const namespace = services['temporal-namespace']!;

  it('pins every image to a version, and none is the deprecated auto-setup', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.build) continue;
      expect(service.image, name).toMatch(/^[\w./-]+:v?\d+(\.\d+)*$/);
      expect(service.image, name).not.toMatch(/auto-setup|:latest$/);
    }
  });

  it('runs the server image with admin-tools of the same version for the setup jobs', () => {
    const [serverImage, version] = server.image!.split(':');
    expect(serverImage).toBe('temporalio/server');
    expect(version).toMatch(/^1\.(29|30)\.\d+$/);
    expect(schema.image).toBe(`temporalio/admin-tools:${version}`);
    expect(namespace.image).toBe(`temporalio/admin-tools:${version}`);
  });

  it('sets up the schema after the database is healthy and before the server starts', () => {
    expect(condition(schema, 'temporal-db')).toBe('service_healthy');
    expect(services['temporal-db']!.healthcheck?.test).toBeDefined();
    expect(condition(server, 'temporal-schema')).toBe('service_completed_successfully');
  });

  it('creates and migrates both databases with the postgres12 schemas', () => {
    const script = readFileSync(mountedFile(schema, schema.entrypoint!.at(-1)!), 'utf8');
    expect(schema.entrypoint![0]).toBe('/bin/sh');
    expect(script).toMatch(/^set -eu$/m);
    expect(script).toMatch(/temporal-sql-tool --plugin postgres12 /);
    expect(script).toContain('SCHEMA_DIR=/etc/temporal/schema/postgresql/v12');
    for (const [db, dir] of [
      ['temporal', 'temporal'],
      ['temporal_visibility', 'visibility'],
    ]) {
      const steps = script
        .split('\n')
        .filter((line) => line.startsWith(`sql_tool --db ${db} `))
        .map((line) => line.slice(`sql_tool --db ${db} `.length));
      expect(steps).toEqual([
        'create',
        'setup-schema -v 0.0',
        `update-schema -d "$SCHEMA_DIR/${dir}/versioned"`,
      ]);
    }
    // The server's defaults for the two database names are the ones created here.
    expect(server.environment).not.toHaveProperty('DBNAME');
    expect(server.environment).not.toHaveProperty('VISIBILITY_DBNAME');
    // The job reaches the same database, as the same user, as the server.
    const env = schema.environment!;
    expect([env.POSTGRES_SEEDS, env.DB_PORT, env.POSTGRES_USER, env.SQL_PASSWORD]).toEqual([
      server.environment!.POSTGRES_SEEDS,
      server.environment!.DB_PORT,
      server.environment!.POSTGRES_USER,
      server.environment!.POSTGRES_PWD,
    ]);
    expect(server.environment!.DB).toBe('postgres12');
  });

  it('creates the namespace the worker polls once the server is healthy, before the worker starts', () => {
    expect(server.healthcheck?.test).toBeDefined();
    expect(condition(namespace, 'temporal')).toBe('service_healthy');
    expect(condition(services.worker!, 'temporal-namespace')).toBe('service_completed_successfully');
    expect(namespace.environment!.TEMPORAL_NAMESPACE).toBe(services.worker!.environment!.TEMPORAL_NAMESPACE);
    expect(namespace.environment!.TEMPORAL_ADDRESS).toBe(services.worker!.environment!.TEMPORAL_ADDRESS);
    const script = readFileSync(mountedFile(namespace, namespace.entrypoint!.at(-1)!), 'utf8');
    expect(script).toContain(
      'temporal operator namespace create --namespace "$TEMPORAL_NAMESPACE" --retention "$NAMESPACE_RETENTION"',
    );
    expect(namespace.environment!.NAMESPACE_RETENTION).toMatch(/^\d+[hd]$/);
  });
});

describe('docker-compose.yml: health, Prometheus and Grafana', () => {
  const worker = services.worker!;
  const prometheus = services.prometheus!;
  const grafana = services.grafana!;

  it("checks the worker's health on /readyz with the Dockerfile's own HEALTHCHECK command", () => {
    const test = worker.healthcheck!.test!;
    expect(test.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
    expect(test[3]).toContain("'/readyz'");
    expect(test[3]).toContain("':9464'");
    const dockerfile = readFileSync(resolve(ROOT, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
    const healthcheck = /^HEALTHCHECK .*CMD (\[.*\])$/m.exec(dockerfile);
    expect(healthcheck).not.toBeNull();
    expect(JSON.parse(healthcheck![1]!)).toEqual(test.slice(1));
    // The migration job runs the same image but serves no /readyz.
    expect(services.migrate!.healthcheck).toEqual({ disable: true });
  });

  it('scrapes both worker endpoints and loads the alert rules mounted beside its config', () => {
    const config = parse(readFileSync(mountedFile(prometheus, '/etc/prometheus/prometheus.yml'), 'utf8')) as {
      rule_files: string[];
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    };
    const targets = Object.fromEntries(
      config.scrape_configs.map((job) => [job.job_name, job.static_configs.flatMap((c) => c.targets)]),
    );
    expect(targets).toEqual({
      'inventory-worker': ['worker:9464'],
      'inventory-worker-temporal': ['worker:9465'],
    });
    expect(worker.ports).toEqual(expect.arrayContaining(['9464:9464', '9465:9465']));
    for (const ruleFile of config.rule_files) {
      expect(mountedFile(prometheus, `/etc/prometheus/${ruleFile}`)).toBe(
        resolve(ROOT, 'deploy/prometheus', ruleFile),
      );
    }
    expect(config.rule_files).toEqual(['alerts.yml']);
  });

  it('provisions Grafana with that Prometheus and the dashboards from deploy/grafana/', () => {
    const provisioning = mountedFile(grafana, '/etc/grafana/provisioning');
    expect(provisioning).toBe(resolve(ROOT, 'deploy/grafana/provisioning'));
    const { datasources } = parse(
      readFileSync(resolve(provisioning, 'datasources/prometheus.yml'), 'utf8'),
    ) as { datasources: { type: string; url: string; isDefault: boolean }[] };
    expect(datasources).toEqual([
      expect.objectContaining({ type: 'prometheus', url: 'http://prometheus:9090', isDefault: true }),
    ]);
    expect(prometheus.ports).toContain('9090:9090');
    const { providers } = parse(
      readFileSync(resolve(provisioning, 'dashboards/inventory-sync.yml'), 'utf8'),
    ) as { providers: { type: string; options: { path: string } }[] };
    expect(providers).toHaveLength(1);
    expect(providers[0]!.type).toBe('file');
    const dashboards = mountedFile(grafana, providers[0]!.options.path);
    expect(dashboards).toBe(resolve(ROOT, 'deploy/grafana/dashboards'));
    expect(existsSync(resolve(dashboards, 'inventory-sync.json'))).toBe(true);
    expect(grafana.ports).toContain('3000:3000');
  });
});
