/**
 * `inventory items --format csv` exports a tenant of 100,000 items in bounded memory: the real CLI
 * as a child process against the real database, its peak resident memory (VmHWM, polled from
 * /proc while it runs) well below what holding the export would take, and every row arrives.
 * The rows are seeded in one INSERT … SELECT generate_series as the owner; a sync would take
 * minutes to write as many.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withTenant } from '../../db/tenant-scope';
import { beginRun, selectionOf } from '../db/fixtures';
import { startEngine, type Engine } from '../support/engine';
import { watchPeakRss } from '../support/peak-rss';
import { randomUUID } from 'node:crypto';

const ITEMS = 100_000;
const MIB = 1024 * 1024;
/** Generous: Node, tsx, pg and Temporal's client take about 155 MiB before the first row. */
const PEAK_RSS_BOUND = 300 * MIB;
/**
 * V8 lets its heap grow towards its default limit (gigabytes) while garbage is plentiful, so
 * without a cap the peak measures how lazily it collects (about 270 MiB here), not what the export
 * holds. With the old space capped, an export that kept its rows (54 MiB of CSV, several times
 * that as objects) dies of heap exhaustion instead of passing.
 */
const HEAP_CAP = '--max-old-space-size=128';
const BIN = resolve(__dirname, '../../bin/inventory.js');

let engine: Engine;
let tenantId: string;

beforeAll(async () => {
  engine = await startEngine();
  tenantId = randomUUID();
  await engine.client.registerTenant({ tenantId, displayName: 'Big Tenant' });
  const run = await beginRun(engine.db.runtime, tenantId, selectionOf({ categories: ['configuration'] }));
  // As the owner; FORCE ROW LEVEL SECURITY applies to it too, hence the tenant scope.
  await withTenant(engine.db.admin, tenantId, (tx) =>
    tx.query(
      `INSERT INTO inventory_items
         (tenant_id, policy_type, external_id, display_name, platform, category, meta_jsonb, last_seen_at, last_seen_run_id)
       SELECT $1, 'deviceConfiguration', 'item-' || lpad(g::text, 6, '0'),
              'Policy ' || g || ', "quoted" and long enough to matter: ' || repeat('x', 100),
              'windows', 'configuration', jsonb_build_object('version', g, 'description', repeat('d', 200)),
              now(), $2
       FROM generate_series(1, $3) AS g`,
      [tenantId, run.id, ITEMS],
    ),
  );
}, 180_000);

afterAll(async () => {
  await engine?.close();
});

it(`exports ${ITEMS} items as CSV with a peak RSS under ${PEAK_RSS_BOUND / MIB} MiB`, async () => {
  const child = spawn(process.execPath, [BIN, 'items', '--tenant', tenantId, '--format', 'csv'], {
    cwd: mkdtempSync(join(tmpdir(), 'inventory-cli-')),
    env: {
      PATH: process.env.PATH ?? '',
      NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS ?? '',
      DATABASE_URL: engine.db.runtimeUrl,
      TEMPORAL_ADDRESS: process.env.INVENTORY_TEST_TEMPORAL_ADDRESS!,
      INVENTORY_TASK_QUEUE: engine.taskQueue,
      NODE_OPTIONS: HEAP_CAP,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const watch = watchPeakRss(child.pid!);
  const started = Date.now();
  // Count records without keeping the export: each ends with CRLF, and no value here holds one.
  let records = 0;
  let bytes = 0;
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) records += 1;
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((done) => child.on('close', done));
  const peak = watch.stop();
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `items export: ${ITEMS} items, ${(bytes / MIB).toFixed(1)} MiB of CSV in ${seconds.toFixed(1)} s; ` +
      `peak RSS ${(peak / MIB).toFixed(1)} MiB (${HEAP_CAP})`,
  );
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  expect(records).toBe(ITEMS + 1);
  // The export is several times the bound: holding it would show.
  expect(bytes).toBeGreaterThan(PEAK_RSS_BOUND / 6);
  // A measurement that read nothing would pass any bound: Node alone takes more than this.
  expect(peak).toBeGreaterThan(30 * MIB);
  expect(peak).toBeLessThan(PEAK_RSS_BOUND);
}, 300_000);

it('ends quietly, exit code 0, when the reader goes away early (`… | head`)', async () => {
  const command = `'${process.execPath}' '${BIN}' items --tenant ${tenantId} --format ndjson | head -c 1000 > /dev/null; echo "exit \${PIPESTATUS[0]}"`;
  const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((done, fail) =>
    execFile(
      'bash',
      // --norc: bash started with a socket as stdin would read ~/.bashrc, as if run by rshd.
      ['--norc', '-c', command],
      {
        cwd: mkdtempSync(join(tmpdir(), 'inventory-cli-')),
        env: {
          PATH: process.env.PATH ?? '',
          NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS ?? '',
          DATABASE_URL: engine.db.runtimeUrl,
          TEMPORAL_ADDRESS: process.env.INVENTORY_TEST_TEMPORAL_ADDRESS!,
          INVENTORY_TASK_QUEUE: engine.taskQueue,
        },
      },
      (error, out, err) => (error ? fail(new Error(error.message)) : done({ stdout: out, stderr: err })),
    ),
  );
  expect({ stdout, stderr }).toEqual({ stdout: 'exit 0\n', stderr: '' });
}, 120_000);
