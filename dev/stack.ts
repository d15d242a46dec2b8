/**
 * `inventory dev`: the whole service on one machine, in one terminal. It brings up whatever is not
 * already reachable (PostgreSQL, the Temporal dev server and UI, the Graph simulator with demo
 * tenants), migrates, starts the worker, registers the demo tenants, runs one sync with live
 * progress, prints the run and where to look, and keeps everything running until Ctrl-C. All
 * state lives in the data dir (default .data/), so a second start reuses it.
 *
 * The connection settings are written to <data dir>/dev.env (deleted on shutdown), which the
 * `inventory` CLI reads, so `npx inventory runs --tenant …` works from another terminal.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import { InventoryClient, type SyncProgress } from '../client';
import { parseEnv } from '../config/env';
import { graphEnv as graphVariables } from '../config/fragments';
import { createDataSource, initializeDataSource } from '../db/data-source';
import { DEMO_CLIENT, startDemoSimulator } from '../simulator/demo';
import { CATEGORIES } from '../inventory/policy-types';
import { parseSelection } from '../inventory/selection';
import { selectionHash } from '../inventory/selection-hash';
import { connectClient } from '../temporal/connection';
import { type DevDatabase, startDevDatabase } from './database';
import { assertNoRunningStack } from './running-stack';
import { type DevTemporal, startDevTemporal } from './temporal';
import { startWorkerProcess, type WorkerProcess } from './worker-process';

export interface DevStackOptions {
  dataDir: string;
  postgresPort: number;
  temporalPort: number;
  uiPort: number;
  graphPort: number;
  /** Run the demo sync (default) or only bring the stack up. */
  demo: boolean;
  /** Shut down after the demo instead of waiting for Ctrl-C (used by tests). */
  exitAfterDemo: boolean;
  say: (line: string) => void;
  /** Renders sync progress while the demo runs. */
  onProgress?: (progress: SyncProgress) => void;
  waitForShutdown: () => Promise<unknown>;
}

const DEMO_TENANT_NAMES = ['Contoso (demo)', 'Fabrikam (demo)', 'Northwind Traders (demo)'];
/** Every category: the demo sync enumerates every policy type. */
const DEMO_SELECTION = parseSelection({ categories: [...CATEGORIES] });

export interface DemoOutcome {
  status: string;
}

export async function runDevStack(options: DevStackOptions): Promise<DemoOutcome | null> {
  const { dataDir, say } = options;
  if (!process.env.DATABASE_URL) assertNoRunningStack(dataDir);
  mkdirSync(dataDir, { recursive: true });
  const envFile = join(dataDir, 'dev.env');
  const stops: Array<() => Promise<void>> = [];
  let outcome: DemoOutcome | null = null;

  try {
    say('starting PostgreSQL …');
    const database: DevDatabase = await startDevDatabase({
      dataDir,
      port: options.postgresPort,
      env: process.env,
    });
    stops.push(() => database.stop());

    say('starting Temporal …');
    const temporal: DevTemporal = await startDevTemporal({
      dataDir,
      port: options.temporalPort,
      uiPort: options.uiPort,
      env: process.env,
    });
    stops.push(() => temporal.stop());

    const graphEnv: Record<string, string> = {};
    let demoTenants: string[] = [];
    let graphDescription: string;
    if (process.env.GRAPH_BASE_URL) {
      graphDescription = `${process.env.GRAPH_BASE_URL} (GRAPH_BASE_URL; credentials from the environment)`;
    } else {
      say('starting the Graph simulator …');
      // The simulator plays the cloud the worker will be configured for, so its audience matches.
      const { GRAPH_CLOUD } = parseEnv({ GRAPH_CLOUD: graphVariables.GRAPH_CLOUD }, process.env);
      const { sim, tenantIds } = await startDemoSimulator({
        tlsDir: join(dataDir, 'tls'),
        port: options.graphPort,
        tenants: DEMO_TENANT_NAMES.length,
        cloud: GRAPH_CLOUD,
      });
      stops.push(() => sim.close());
      demoTenants = tenantIds;
      graphDescription = `${sim.baseUrl} (simulator, ${tenantIds.length} demo tenants)`;
      Object.assign(graphEnv, {
        GRAPH_CLOUD: sim.cloud,
        GRAPH_BASE_URL: sim.baseUrl,
        AZURE_AUTHORITY_HOST: sim.authorityHost,
        AZURE_CLIENT_ID: DEMO_CLIENT.clientId,
        // The simulator's own demo secret; a real secret stays in the environment, never in a file.
        AZURE_CLIENT_SECRET: DEMO_CLIENT.clientSecret,
        NODE_EXTRA_CA_CERTS: sim.caCertPath,
      });
    }

    const stackEnv: Record<string, string> = {
      DATABASE_URL: database.runtimeUrl,
      DATABASE_MIGRATION_URL: database.ownerUrl,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: temporal.namespace,
      ...graphEnv,
    };
    writeFileSync(
      envFile,
      Object.entries(stackEnv)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n') + '\n',
      { mode: 0o600 },
    );
    stops.push(() => rm(envFile, { force: true }));

    say('starting the worker …');
    const worker: WorkerProcess = await startWorkerProcess(
      { ...process.env, ...stackEnv, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' },
      join(dataDir, 'worker.log'),
    );
    stops.push(() => worker.stop());

    const client = await connectDevClient(stackEnv, temporal);
    stops.push(() => client.close());
    for (const [index, tenantId] of demoTenants.entries()) {
      await client.registerTenant({
        tenantId,
        displayName: DEMO_TENANT_NAMES[index] ?? `Demo tenant ${index + 1}`,
      });
    }

    say('');
    say(`PostgreSQL   ${database.description}`);
    say(`Temporal     ${temporal.description}`);
    if (temporal.uiUrl) say(`Temporal UI  ${temporal.uiUrl}`);
    say(`Graph        ${graphDescription}`);
    say(`Worker       logs in ${worker.logPath}`);
    say('');

    const demoTenant = demoTenants[0];
    if (options.demo && demoTenant) {
      outcome = await runDemoSync(client, demoTenant, temporal, options);
    }
    say(`connection settings for other terminals are in ${envFile}; try:`);
    if (demoTenant) {
      say(`  npx inventory runs --tenant ${demoTenant}`);
      // The demo's own selection: missing items are derived per selection, from its latest run.
      say(
        `  npx inventory missing --tenant ${demoTenant} --categories ${DEMO_SELECTION.categories.join(',')}`,
      );
      const group = outcome === null ? null : await exampleGroup(client, demoTenant);
      if (group !== null) say(`  npx inventory assignments --tenant ${demoTenant} --group ${group}`);
    }
    say('  npx inventory tenant list');
    const metricsUrl = metricsUrlOf(process.env.METRICS_ADDRESS);
    if (metricsUrl !== null) say(`  curl -s ${metricsUrl}/metrics | grep ^inventory_`);
    if (!options.exitAfterDemo) {
      say('');
      say('running; Ctrl-C stops everything');
      await options.waitForShutdown();
    }
  } finally {
    say('shutting down …');
    for (const stop of stops.reverse()) await stop();
  }
  return outcome;
}

async function connectDevClient(
  env: Record<string, string>,
  temporal: DevTemporal,
): Promise<InventoryClient> {
  const db = await initializeDataSource(
    createDataSource({ url: env.DATABASE_URL!, poolSize: 2, applicationName: 'inventory-dev' }),
  );
  const connection = await connectClient({
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: temporal.namespace,
  });
  return new InventoryClient({
    temporal: new Client({ connection, namespace: temporal.namespace }),
    db,
    taskQueue: process.env.INVENTORY_TASK_QUEUE ?? 'inventory-sync',
    owned: { temporalConnection: connection, db: true },
  });
}

async function runDemoSync(
  client: InventoryClient,
  tenantId: string,
  temporal: DevTemporal,
  options: DevStackOptions,
): Promise<DemoOutcome> {
  const { say } = options;
  say(
    `demo sync: tenant ${tenantId}, all ${DEMO_SELECTION.categories.length} categories (selection ${selectionHash(DEMO_SELECTION).slice(0, 12)}…)`,
  );
  const started = await client.startSync({ tenantId, selection: DEMO_SELECTION });
  const result = await client.waitForSync(started.workflowId, {
    ...(options.onProgress && { onProgress: options.onProgress }),
  });
  const run = await client.getRun(tenantId, result.runId);
  const seconds = run.finishedAt
    ? ((run.finishedAt.getTime() - run.startedAt.getTime()) / 1000).toFixed(1)
    : '?';
  say(
    `run ${run.id}: ${run.status}, ${run.itemsObservedCount} items observed, ${run.itemsUpsertedCount} upserted in ${seconds}s` +
      (run.errorCodes.length > 0 ? `, errors: ${run.errorCodes.join(', ')}` : ''),
  );
  if (temporal.uiUrl) {
    say(
      `see it in the Temporal UI: ${temporal.uiUrl}/namespaces/${temporal.namespace}/workflows/${encodeURIComponent(started.workflowId)}`,
    );
  }
  say('');
  return { status: run.status };
}

/**
 * A group the demo's policies target, for the README's assignments example: the first group edge
 * of the first compliance policy that has one; null when none does.
 */
async function exampleGroup(client: InventoryClient, tenantId: string): Promise<string | null> {
  const { items } = await client.listItems(tenantId, {
    selection: { policy_types: ['deviceCompliancePolicy'] },
    limit: 20,
  });
  for (const item of items) {
    const { assignments } = await client.getItemAssignments(tenantId, item.policyType, item.externalId);
    const edge = assignments.find((a) => a.targetKind === 'group' && a.groupId !== null);
    if (edge) return edge.groupId;
  }
  return null;
}

/** Where the worker serves its metrics, from METRICS_ADDRESS as the worker reads it; null when off. */
function metricsUrlOf(address = '0.0.0.0:9464'): string | null {
  if (address === 'off') return null;
  const at = address.lastIndexOf(':');
  const host = address.slice(0, at);
  return `http://${host === '0.0.0.0' || host === '' ? '127.0.0.1' : host}:${address.slice(at + 1)}`;
}
