/**
 * The simulator as a ready-to-use local Graph: a few seeded demo tenants, one demo app
 * registration, and the environment a client process needs to talk to it. Used by
 * `inventory graph-sim` and meant for the dev stack, which starts the same thing in-process or
 * as a child and prints the same lines.
 */
import { type GraphCloud } from '../graph/clouds';
import { deriveSeed, seededGuid, seededRng } from './random';
import { startGraphSimulator } from './server';
import { type ClientRegistration, type GraphSimulator, type TenantSpec } from './types';

/** A fixed app registration so that .env files written once keep working across restarts. */
export const DEMO_CLIENT = {
  clientId: '6f1c2d3e-4b5a-4c6d-8e7f-90a1b2c3d4e5',
  clientSecret: 'graph-sim-demo-secret',
} as const satisfies ClientRegistration;

export interface DemoSimulatorOptions {
  tlsDir: string;
  port?: number;
  host?: string;
  seed?: number;
  /** Number of demo tenants (default 3). */
  tenants?: number;
  /** Tenants to serve instead of the demo ones (`graph-sim --config`). */
  tenantSpecs?: TenantSpec[];
  latencyMs?: number;
  /** The national cloud the simulator plays (default global). */
  cloud?: GraphCloud;
}

export interface DemoSimulator {
  sim: GraphSimulator;
  tenantIds: string[];
}

/** Tenant ids that depend only on the seed, so they survive restarts. */
export function demoTenantIds(count: number, seed: number): string[] {
  const rng = seededRng(deriveSeed(seed, 'demo-tenants'));
  return Array.from({ length: count }, () => seededGuid(rng));
}

export async function startDemoSimulator(options: DemoSimulatorOptions): Promise<DemoSimulator> {
  const seed = options.seed ?? 42;
  const tenants =
    options.tenantSpecs ?? demoTenantIds(options.tenants ?? 3, seed).map((tenantId) => ({ tenantId }));
  const tenantIds = tenants.map((tenant) => tenant.tenantId);
  const sim = await startGraphSimulator({
    tlsDir: options.tlsDir,
    seed,
    clients: [DEMO_CLIENT],
    tenants,
    ...(options.port !== undefined && { port: options.port }),
    ...(options.host !== undefined && { host: options.host }),
    ...(options.latencyMs !== undefined && { latencyMs: options.latencyMs }),
    ...(options.cloud !== undefined && { cloud: options.cloud }),
  });
  return { sim, tenantIds };
}

/** The variables a worker or CLI needs to use the simulator as its Graph and authority. */
export function simulatorClientEnv(
  sim: GraphSimulator,
  client: ClientRegistration = DEMO_CLIENT,
): Record<string, string> {
  return {
    GRAPH_CLOUD: sim.cloud,
    GRAPH_BASE_URL: sim.baseUrl,
    AZURE_AUTHORITY_HOST: sim.authorityHost,
    AZURE_CLIENT_ID: client.clientId,
    ...(client.clientSecret !== undefined && { AZURE_CLIENT_SECRET: client.clientSecret }),
    NODE_EXTRA_CA_CERTS: sim.caCertPath,
  };
}

/** Human-readable lines: the environment as KEY=value, the tenant ids, and how to try it. */
export function describeSimulator(sim: GraphSimulator, tenantIds: readonly string[]): string[] {
  const env = simulatorClientEnv(sim);
  return [
    `Graph simulator listening on ${sim.baseUrl}`,
    '',
    '# environment for clients (NODE_EXTRA_CA_CERTS must be set before node starts)',
    ...Object.entries(env).map(([key, value]) => `${key}=${value}`),
    '',
    '# tenants',
    ...tenantIds.map((id) => `tenant ${id}`),
    '',
    '# admin API',
    `curl --cacert ${sim.caCertPath} ${sim.baseUrl}/_sim/tenants`,
  ];
}
