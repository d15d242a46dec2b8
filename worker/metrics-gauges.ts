/**
 * Gauges read at scrape time: live runs and the age of the oldest (one statement through the
 * cross-tenant `inventory_live_runs()`), each enabled tenant's last successful sync (one short
 * statement per tenant under its own row-level security, at most once per `tenantRefreshMs`, so
 * frequent scrapes of a large fleet do not load the database), and whether the worker is ready.
 * They read through `db`, best a small pool of its own so a scrape neither waits for nor delays
 * the syncs. A failed read is logged and reported as NaN (live runs) or without series (tenants)
 * until a scrape reads again, rather than as stale figures or a reassuring 0.
 */
import { Gauge, type Registry } from 'prom-client';
import { type DataSource } from 'typeorm';
import { orDbError } from '../db/errors';
import {
  lastSuccessfulRunFinishedAt,
  summarizeLiveRuns,
  type LiveRunsSummary,
} from '../db/repositories/run-gauges';
import { listTenants } from '../db/repositories/tenants';
import { withTenant } from '../db/tenant-scope';
import { type Logger } from '../logging/logger';
import { type Readiness } from './readiness';

export interface DatabaseGaugeOptions {
  registry: Registry;
  db: DataSource;
  ready: () => Promise<Readiness>;
  logger: Logger;
  /** The per-tenant reads are reused for this long (default 60 s); 0 reads them at every scrape. */
  tenantRefreshMs?: number;
}

/** Registers the scrape-time gauges on `options.registry`. */
export function registerDatabaseGauges(options: DatabaseGaugeOptions): void {
  const { registry, db, logger } = options;
  const registers = [registry];
  const tenantRefreshMs = options.tenantRefreshMs ?? 60_000;

  // Both live-run gauges come from one statement: the scrape collects them concurrently.
  let liveRead: Promise<LiveRunsSummary | null> | null = null;
  function readLiveRuns(): Promise<LiveRunsSummary | null> {
    liveRead ??= orDbError('cannot count the live runs', summarizeLiveRuns(db.manager))
      .catch((error: unknown) => {
        logger.warn({ err: error }, 'metrics: live runs not read');
        return null;
      })
      .finally(() => {
        liveRead = null;
      });
    return liveRead;
  }

  new Gauge({
    name: 'inventory_sync_runs_live',
    help: 'Sync runs pending or running, every tenant (read from the database at scrape).',
    registers,
    async collect() {
      const live = await readLiveRuns();
      this.set(live === null ? NaN : live.count);
    },
  });
  new Gauge({
    name: 'inventory_sync_run_oldest_live_age_seconds',
    help: 'Seconds since the oldest pending or running run started; 0 when there is none.',
    registers,
    async collect() {
      const live = await readLiveRuns();
      this.set(live === null ? NaN : live.oldestAgeSeconds);
    },
  });

  let tenantsReadAt = -Infinity;
  new Gauge({
    name: 'inventory_tenant_last_success_timestamp_seconds',
    help: "Unix time the enabled tenant's latest successful sync finished; 0 when it never had one.",
    labelNames: ['tenant_id'],
    registers,
    async collect() {
      if (performance.now() - tenantsReadAt < tenantRefreshMs) return;
      try {
        const values = await orDbError(
          'cannot read the tenants’ last successful syncs',
          readLastSuccesses(db),
        );
        this.reset();
        for (const [tenantId, at] of values)
          this.labels(tenantId).set(at === null ? 0 : at.getTime() / 1_000);
        tenantsReadAt = performance.now();
      } catch (error) {
        logger.warn({ err: error }, 'metrics: tenants’ last successful syncs not read');
        this.reset();
      }
    },
  });

  new Gauge({
    name: 'inventory_worker_ready',
    help: '1 when /readyz answers 200: every worker polling and the database answering.',
    registers,
    async collect() {
      this.set((await options.ready()).ready ? 1 : 0);
    },
  });
}

/** Each enabled tenant's last successful finish, one tenant at a time (leaves the pool to the syncs). */
async function readLastSuccesses(db: DataSource): Promise<Array<[string, Date | null]>> {
  const values: Array<[string, Date | null]> = [];
  for (const tenant of await listTenants(db.manager)) {
    if (!tenant.enabled) continue;
    values.push([
      tenant.id,
      await withTenant(db, tenant.id, (tx) => lastSuccessfulRunFinishedAt(tx, tenant.id)),
    ]);
  }
  return values;
}
