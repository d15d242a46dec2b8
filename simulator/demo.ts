/**
 * The simulator as a ready-to-use local Graph: a few seeded demo tenants, one demo app
 * registration, and the environment a client process needs to talk to it. Used by
 * `inventory graph-sim` and meant for the dev stack, which starts the same thing in-process or
 * as a child and prints the same lines.
 */
import { type GraphCloud } from '../graph/clouds';
import { type PolicyType } from '../inventory/policy-types';
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

/**
 * What a mid-sized managed tenant holds, per type: a few hundred objects in all, apps,
 * configuration profiles and settings catalog policies over several of Graph's pages (100 items;
 * 25 for settings catalog and compliance policies), a handful of tokens, roles and Windows 365
 * policies. Each demo tenant scales it (DEMO_SCALES) so the three differ.
 */
export const DEMO_COUNTS: Readonly<Record<PolicyType, number>> = {
  deviceConfiguration: 120,
  settingsCatalogPolicy: 60,
  groupPolicyConfiguration: 12,
  deviceCompliancePolicy: 18,
  compliancePolicy: 30,
  endpointSecurityIntent: 8,
  deviceManagementScript: 15,
  deviceHealthScript: 12,
  deviceComplianceScript: 3,
  deviceShellScript: 8,
  deviceCustomAttributeShellScript: 4,
  mobileApp: 160,
  appProtectionPolicy: 10,
  mobileAppConfiguration: 14,
  targetedManagedAppConfiguration: 6,
  mobileAppCategory: 9,
  policySet: 3,
  vppToken: 2,
  windowsFeatureUpdateProfile: 3,
  windowsQualityUpdateProfile: 2,
  windowsDriverUpdateProfile: 3,
  windowsQualityUpdatePolicy: 2,
  windowsAutopilotDeploymentProfile: 4,
  enrollmentConfiguration: 9,
  depOnboardingSetting: 1,
  appleUserInitiatedEnrollmentProfile: 2,
  deviceCategory: 6,
  termsAndConditions: 2,
  assignmentFilter: 16,
  roleScopeTag: 7,
  roleDefinition: 14,
  roleAssignment: 10,
  notificationMessageTemplate: 4,
  operationApprovalPolicy: 2,
  reusablePolicySetting: 5,
  groupPolicyUploadedDefinitionFile: 3,
  cloudPcProvisioningPolicy: 3,
  cloudPcUserSetting: 2,
  conditionalAccessPolicy: 24,
};

/** Per demo tenant, the factor applied to DEMO_COUNTS (a smaller and a larger customer). */
const DEMO_SCALES = [1, 0.5, 1.5] as const;

/** The demo tenant specs: ids from the seed, counts from DEMO_COUNTS scaled per tenant. */
export function demoTenantSpecs(count: number, seed: number): TenantSpec[] {
  return demoTenantIds(count, seed).map((tenantId, i) => {
    const scale = DEMO_SCALES[i % DEMO_SCALES.length]!;
    const counts = Object.fromEntries(
      Object.entries(DEMO_COUNTS).map(([type, n]) => [type, Math.max(1, Math.round(n * scale))]),
    );
    return { tenantId, counts };
  });
}

/** Tenant ids that depend only on the seed, so they survive restarts. */
export function demoTenantIds(count: number, seed: number): string[] {
  const rng = seededRng(deriveSeed(seed, 'demo-tenants'));
  return Array.from({ length: count }, () => seededGuid(rng));
}

export async function startDemoSimulator(options: DemoSimulatorOptions): Promise<DemoSimulator> {
  const seed = options.seed ?? 42;
  const tenants = options.tenantSpecs ?? demoTenantSpecs(options.tenants ?? 3, seed);
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
