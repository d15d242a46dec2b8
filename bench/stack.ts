/**
 * The real stack the benchmarks run on, one of each for the whole suite: PostgreSQL (embedded in
 * a fresh folder, or DATABASE_URL), the Temporal dev server (or TEMPORAL_ADDRESS), and the Graph
 * simulator over HTTPS in a process of its own, so it never shares an event loop with what is
 * measured. Workers are real `inventory worker` processes, one per scenario with that scenario's
 * limits and a task queue of its own.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Client } from '@temporalio/client';
import { type DataSource } from 'typeorm';
import { InventoryClient } from '../client';
import { createDataSource, initializeDataSource } from '../db/data-source';
import { createPostgresTenantLimiter } from '../db/tenant-request-limiter';
import { startDevDatabase } from '../dev/database';
import { startWorkerProcess, type WorkerProcess } from '../dev/worker-process';
import { createGraphClient, type GraphClient } from '../graph/client';
import { graphScope } from '../graph/clouds';
import { createTokenProvider } from '../graph/credentials';
import { createSimulatorAdminClient } from '../simulator/admin-client';
import { DEMO_CLIENT } from '../simulator/demo';
import { type SimulatorAdmin } from '../simulator/types';
import { connectClient } from '../temporal/connection';
import { startTemporalDevServer, type DevServer } from '../dev/temporal-dev-server';
import { DEFAULT_GRAPH_MAX_PAGE_BYTES } from '../config/fragments';
import { childPids, peakRssMiB } from './proc-stats';

const ROOT = resolve(__dirname, '..');
const BIN = join(ROOT, 'bin', 'inventory.js');

/** Worker settings a scenario may change; everything else is the worker's default. */
export interface WorkerSettings {
  globalCap?: number;
  perTenantCap?: number;
  typeConcurrency?: number;
  slotWaitMs?: number;
  queueRps?: number;
  tenantRps?: number;
  maxActivities?: number;
  /**
   * SYNC_ASSIGNMENTS: whether syncs read each item's assignments. Default false here, unlike the
   * worker's: the other scenarios measure item pages, as their recorded numbers do.
   */
  assignments?: boolean;
  /** DATABASE_POOL_SIZE: the worker's PostgreSQL connections. */
  dbPoolSize?: number;
  /** SYNC_PAGES_PER_ACTIVITY: 1 runs the design before issue 15, an activity per page. */
  pagesPerActivity?: number;
  /**
   * Poll this task queue (another bench worker's) instead of a new one of its own: two worker
   * processes sharing the work, as a scaled-out deployment runs them.
   */
  taskQueue?: string;
}

export interface BenchWorker {
  taskQueue: string;
  client: InventoryClient;
  /** The worker process's id (its CPU time and memory are read from /proc). */
  pid: number;
  /** Peak resident memory of the worker process so far (VmHWM), in MiB. */
  peakRssMiB(): number | null;
  stop(): Promise<void>;
}

export interface BenchStack {
  /** Owner connection: bulk loads and assertions across tenants. */
  owner: DataSource;
  /** Runtime connection (row-level security applies), what the service itself uses. */
  runtime: DataSource;
  sim: SimulatorAdmin;
  temporal: Client;
  /** The same Graph layer the worker uses, for in-process baselines; it reads items only. */
  graph: GraphClient;
  /**
   * Another instance of that Graph layer, for a baseline that reads assignments or is paced per
   * tenant as a worker with GRAPH_TENANT_RPS is: by the same PostgreSQL limiter, on `runtime`.
   */
  graphClient(options: { assignments: boolean; tenantRps?: number }): GraphClient;
  /** The stack's server processes, for their CPU time; null where the stack did not start one. */
  pids: { temporal: number | null; postgres: number | null; simulator: number };
  startWorker(settings: WorkerSettings): Promise<BenchWorker>;
  close(): Promise<void>;
}

interface SimulatorProcess {
  pid: number;
  baseUrl: string;
  authorityHost: string;
  stop(): Promise<void>;
}

/** `inventory graph-sim --json` in a child process; resolves once it printed its environment. */
async function startSimulatorProcess(tlsDir: string): Promise<SimulatorProcess> {
  const child = spawn(
    process.execPath,
    [
      // The fleet's tenants are held in memory: 1,000 of them take about 4 GiB, V8's default heap here.
      '--max-old-space-size=12288',
      BIN,
      'graph-sim',
      '--port',
      '0',
      '--tenants',
      '1',
      '--json',
      '--tls-dir',
      tlsDir,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const env = await new Promise<Record<string, string>>((ready, fail) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      try {
        ready((JSON.parse(out) as { env: Record<string, string> }).env);
      } catch {
        // The JSON document is not complete yet.
      }
    });
    child.once('exit', (code) =>
      fail(new Error(`the Graph simulator exited during start-up (code ${code})`)),
    );
  });
  return {
    pid: child.pid!,
    baseUrl: env.GRAPH_BASE_URL!,
    authorityHost: env.AZURE_AUTHORITY_HOST!,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function startBenchStack(say: (line: string) => void): Promise<BenchStack> {
  // The database is thrown away after the run; worker logs are kept for a look afterwards.
  const dataDir = join(ROOT, '.data', 'bench', `run-${process.pid}`);
  const logDir = join(ROOT, '.data', 'bench', 'logs');
  await rm(logDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(logDir, { recursive: true });
  const stops: Array<() => Promise<void>> = [() => rm(dataDir, { recursive: true, force: true })];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    say('starting PostgreSQL, Temporal and the Graph simulator …');
    const [database, temporal, simProcess] = await Promise.all([
      startDevDatabase({ dataDir, port: 0, env: process.env }),
      process.env.TEMPORAL_ADDRESS
        ? ({
            address: process.env.TEMPORAL_ADDRESS,
            namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
            uiUrl: null,
            stop: async () => {},
          } satisfies DevServer)
        : startTemporalDevServer(),
      startSimulatorProcess(join(ROOT, '.data', 'tls')),
    ]);
    stops.push(
      () => database.stop(),
      () => temporal.stop(),
      () => simProcess.stop(),
    );

    const owner = await initializeDataSource(
      createDataSource({ url: database.ownerUrl, poolSize: 4, applicationName: 'inventory-bench-owner' }),
    );
    stops.push(() => owner.destroy());
    // As many connections as the fleet's workers get (DATABASE_POOL_SIZE 20), for its raw loop.
    const runtime = await initializeDataSource(
      createDataSource({ url: database.runtimeUrl, poolSize: 20, applicationName: 'inventory-bench' }),
    );
    stops.push(() => runtime.destroy());
    const connection = await connectClient({
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: temporal.namespace,
    });
    stops.push(() => connection.close());
    const temporalClient = new Client({ connection, namespace: temporal.namespace });

    const tokens = createTokenProvider({
      clientId: DEMO_CLIENT.clientId,
      clientSecret: DEMO_CLIENT.clientSecret,
      authorityHost: simProcess.authorityHost,
      // graph-sim plays the global cloud.
      tokenScope: graphScope('global'),
      cloud: 'global',
    });
    const graphClient = (options: { assignments: boolean; tenantRps?: number }) =>
      createGraphClient({
        baseUrl: simProcess.baseUrl,
        timeoutMs: 30_000,
        maxPageBytes: DEFAULT_GRAPH_MAX_PAGE_BYTES,
        assignments: options.assignments,
        ...(options.tenantRps !== undefined && {
          tenantLimiter: createPostgresTenantLimiter(runtime, { requestsPerSecond: options.tenantRps }),
        }),
        tokens,
      });
    // Both servers, when started here, are this process's children (the dev server through the SDK).
    const ownChild = (comm: string) => childPids(process.pid, comm)[0] ?? null;

    const workers = new Set<BenchWorker>();
    return {
      owner,
      runtime,
      sim: createSimulatorAdminClient(simProcess.baseUrl),
      temporal: temporalClient,
      // The raw baselines stand for the engine's workers, which read items only (WorkerSettings).
      graph: graphClient({ assignments: false }),
      graphClient,
      pids: {
        temporal: process.env.TEMPORAL_ADDRESS ? null : ownChild('temporal'),
        postgres: process.env.DATABASE_URL ? null : ownChild('postgres'),
        simulator: simProcess.pid,
      },

      async startWorker(settings) {
        const taskQueue = settings.taskQueue ?? `bench-${randomUUID().slice(0, 8)}`;
        const env: Record<string, string> = {
          ...(process.env as Record<string, string>),
          DATABASE_URL: database.runtimeUrl,
          TEMPORAL_ADDRESS: temporal.address,
          TEMPORAL_NAMESPACE: temporal.namespace,
          INVENTORY_TASK_QUEUE: taskQueue,
          GRAPH_BASE_URL: simProcess.baseUrl,
          AZURE_AUTHORITY_HOST: simProcess.authorityHost,
          AZURE_CLIENT_ID: DEMO_CLIENT.clientId,
          AZURE_CLIENT_SECRET: DEMO_CLIENT.clientSecret,
          // Several bench workers run side by side: none serves metrics (they would share ports).
          METRICS_ADDRESS: 'off',
          TEMPORAL_METRICS_ADDRESS: 'off',
          LOG_LEVEL: 'info',
        };
        const set = (name: string, value: number | undefined) => {
          if (value !== undefined) env[name] = String(value);
        };
        set('SYNC_MAX_CONCURRENT_GLOBAL', settings.globalCap);
        set('SYNC_MAX_CONCURRENT_PER_TENANT', settings.perTenantCap);
        set('SYNC_TYPE_CONCURRENCY', settings.typeConcurrency);
        if (settings.slotWaitMs !== undefined) env.SYNC_SLOT_WAIT = `${settings.slotWaitMs}ms`;
        set('GRAPH_QUEUE_RPS', settings.queueRps);
        set('GRAPH_TENANT_RPS', settings.tenantRps);
        set('WORKER_MAX_CONCURRENT_ACTIVITIES', settings.maxActivities);
        set('DATABASE_POOL_SIZE', settings.dbPoolSize);
        set('SYNC_PAGES_PER_ACTIVITY', settings.pagesPerActivity);
        env.SYNC_ASSIGNMENTS = String(settings.assignments ?? false);
        const logName =
          settings.taskQueue === undefined ? taskQueue : `${taskQueue}-${randomUUID().slice(0, 4)}`;
        const proc: WorkerProcess = await startWorkerProcess(env, join(logDir, `${logName}.log`));
        const worker: BenchWorker = {
          taskQueue,
          pid: proc.pid,
          client: new InventoryClient({ temporal: temporalClient, db: runtime, taskQueue }),
          peakRssMiB: () => peakRssMiB(proc.pid),
          async stop() {
            workers.delete(worker);
            await proc.stop();
          },
        };
        workers.add(worker);
        return worker;
      },

      async close() {
        await Promise.all([...workers].map((w) => w.stop()));
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
