/**
 * upsert: how close the data layer's write path comes to what PostgreSQL can physically take in.
 * 100,000 realistic items are written with `upsertItems`, one `withTenant` transaction per batch as
 * the engine's page activity does: as inserts in batches of 100 (the engine's page size) and
 * 1,000, and re-applied as updates in batches of 100 by a second run. The baseline is COPY of the
 * same rows into an UNLOGGED table without indexes: no WAL, no index maintenance, no conflict
 * check, no row-level security, so the ratio shows what the upsert's guarantees cost. All data is
 * built before the clock starts; every sync gets a fresh tenant and a run row that is finalized.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { upsertItems } from '../../db/repositories/inventory-items';
import { markRunsAbandoned } from '../../db/repositories/sync-runs';
import { withTenant } from '../../db/tenant-scope';
import { type NormalizedItem } from '../../inventory/item';
import { policyType } from '../../inventory/policy-types';
import { check, median, row } from '../report';
import { type Scenario } from '../scenario';
import { EIGHT_TYPES } from '../shapes';
import { type BenchStack } from '../stack';
import {
  chunk,
  finishBenchRun,
  registerBenchTenant,
  selectionOf,
  startBenchRun,
  storedItems,
} from '../sync-runs';

const SELECTION = selectionOf(EIGHT_TYPES);
const ENGINE_PAGE = 100;
const LARGE_BATCH = 1_000;
const COPY_TABLE = 'bench_copy_baseline';
const COPY_COLUMNS =
  'tenant_id, policy_type, external_id, display_name, platform, category, meta_jsonb, last_seen_at, last_seen_run_id';
/** Name stems of about 25 characters, with accents, a dash and CJK as real tenants name things. */
const NAME_STEMS = [
  'Sécurité des postes – Lyon',
  'Gerätekonformität Zürich ✓',
  'Windows 11 基线 — Tokyo HQ',
  'BitLocker-Richtlinie (Ω) EU',
];

/** N items spread round-robin over eight policy types, each with the common metadata keys. */
function makeItems(n: number): NormalizedItem[] {
  const epoch = Date.UTC(2024, 0, 1);
  return Array.from({ length: n }, (_, i) => {
    const type = EIGHT_TYPES[i % EIGHT_TYPES.length]!;
    return {
      policy_type: type,
      external_id: randomUUID(),
      display_name: `${NAME_STEMS[i % NAME_STEMS.length]!} #${i}`,
      platform: 'windows',
      category: policyType(type).category,
      meta: {
        '@odata.type': '#microsoft.graph.windows10GeneralConfiguration',
        description: `Managed by the platform team, revision ${i % 17}`,
        createdDateTime: new Date(epoch + i * 60_000).toISOString(),
        lastModifiedDateTime: new Date(epoch + i * 90_000).toISOString(),
        version: 3,
        roleScopeTagIds: ['0'],
      },
    };
  });
}

/**
 * One run of the tenant that upserts `batches` one transaction each, timed from the first batch to
 * the last commit. The run is always closed, so no live run is left to count against the
 * concurrency limits of the scenarios that run later.
 */
async function timedUpserts(
  stack: BenchStack,
  tenantId: string,
  batches: readonly NormalizedItem[][],
): Promise<{ ms: number; upserted: number; inserted: number }> {
  const benchRun = await startBenchRun(stack.runtime, tenantId, SELECTION, 'upsert');
  const { runId } = benchRun;
  try {
    let upserted = 0;
    let inserted = 0;
    const started = performance.now();
    for (const batch of batches) {
      const written = await withTenant(stack.runtime, tenantId, (manager) =>
        upsertItems(manager, tenantId, runId, batch),
      );
      upserted += written.itemsUpsertedCount;
      inserted += written.itemsNewCount;
    }
    const ms = performance.now() - started;
    await finishBenchRun(stack.runtime, tenantId, benchRun, {
      itemsObservedCount: upserted,
      itemsUpsertedCount: upserted,
    });
    return { ms, upserted, inserted };
  } catch (error) {
    await withTenant(stack.runtime, tenantId, (tx) => markRunsAbandoned(tx, tenantId, [runId]));
    throw error;
  }
}

/** One field of COPY's text format: \N for null, backslash, tab, newline and CR escaped. */
function copyField(value: string | null): string {
  if (value === null) return '\\N';
  return value.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!);
}

/** The items as COPY text rows of one tenant and run, in chunks of 1,000 rows. */
function copyChunks(items: readonly NormalizedItem[]): Buffer[] {
  const tenantId = randomUUID();
  const runId = randomUUID();
  const lastSeenAt = new Date().toISOString();
  return chunk(items, 1_000).map((chunk) =>
    Buffer.from(
      chunk
        .map(
          (item) =>
            [
              tenantId,
              item.policy_type,
              item.external_id,
              item.display_name,
              item.platform,
              item.category,
              JSON.stringify(item.meta),
              lastSeenAt,
              runId,
            ]
              .map(copyField)
              .join('\t') + '\n',
        )
        .join(''),
    ),
  );
}

/** COPY of the pre-built chunks into the emptied baseline table, timed. */
async function timedCopy(client: Client, chunks: readonly Buffer[], rows: number): Promise<number> {
  await client.query(`TRUNCATE ${COPY_TABLE}`);
  const started = performance.now();
  const copy = client.query(copyFrom(`COPY ${COPY_TABLE} (${COPY_COLUMNS}) FROM STDIN`));
  await pipeline(Readable.from(chunks), copy);
  const ms = performance.now() - started;
  if (copy.rowCount !== rows) throw new Error(`COPY wrote ${copy.rowCount} rows, expected ${rows}`);
  return ms;
}

/** A plain pg client as the owner, for COPY (TypeORM has no streaming COPY). */
async function ownerClient(stack: BenchStack): Promise<Client> {
  const url = stack.owner.options.type === 'postgres' ? stack.owner.options.url : undefined;
  if (url === undefined) throw new Error('the owner data source has no connection URL');
  const client = new Client({ connectionString: url, application_name: 'inventory-bench-copy' });
  await client.connect();
  return client;
}

const perSecond = (rows: number, ms: number) => (rows / ms) * 1000;

export const upsert: Scenario = {
  name: 'upsert',
  summary: 'batch upsert vs COPY, 100,000 rows',
  async run({ stack, quick, say }) {
    const n = quick ? 10_000 : 100_000;
    const reps = quick ? 1 : 3;
    const items = makeItems(n);
    const small = chunk(items, ENGINE_PAGE);
    const large = chunk(items, LARGE_BATCH);
    const chunks = copyChunks(items);

    const client = await ownerClient(stack);
    try {
      await client.query(`DROP TABLE IF EXISTS ${COPY_TABLE}`);
      await client.query(`
        CREATE UNLOGGED TABLE ${COPY_TABLE} (
          tenant_id uuid, policy_type text, external_id text, display_name text, platform text,
          category text, meta_jsonb jsonb, last_seen_at timestamptz, last_seen_run_id uuid
        )`);

      // Warm-up on both sides: JIT, the runtime pool's connections, the server's plan and caches.
      await timedUpserts(
        stack,
        await registerBenchTenant(stack, 'upsert warm-up'),
        chunk(items.slice(0, 2_000), ENGINE_PAGE),
      );
      await timedCopy(client, chunks, n);

      const insertSmallMs: number[] = [];
      const insertLargeMs: number[] = [];
      const updateSmallMs: number[] = [];
      const copyMs: number[] = [];
      let insertsExact = true;
      let updatesExact = true;
      for (let rep = 1; rep <= reps; rep++) {
        const smallTenant = await registerBenchTenant(stack, `upsert batch ${ENGINE_PAGE} ${rep}`);
        const inserted = await timedUpserts(stack, smallTenant, small);
        insertsExact &&= inserted.inserted === n && (await storedItems(stack.runtime, smallTenant)) === n;
        insertSmallMs.push(inserted.ms);

        // The same batches again, by the tenant's next run: every row exists, so every row updates.
        const updated = await timedUpserts(stack, smallTenant, small);
        updatesExact &&=
          updated.upserted === n &&
          updated.inserted === 0 &&
          (await storedItems(stack.runtime, smallTenant)) === n;
        updateSmallMs.push(updated.ms);

        const largeTenant = await registerBenchTenant(stack, `upsert batch ${LARGE_BATCH} ${rep}`);
        const insertedLarge = await timedUpserts(stack, largeTenant, large);
        insertsExact &&=
          insertedLarge.inserted === n && (await storedItems(stack.runtime, largeTenant)) === n;
        insertLargeMs.push(insertedLarge.ms);

        copyMs.push(await timedCopy(client, chunks, n));
        say(
          `  rep ${rep}/${reps} (rows/s): insert/${ENGINE_PAGE} ${perSecond(n, inserted.ms).toFixed(0)}, ` +
            `insert/${LARGE_BATCH} ${perSecond(n, insertedLarge.ms).toFixed(0)}, ` +
            `update/${ENGINE_PAGE} ${perSecond(n, updated.ms).toFixed(0)}, COPY ${perSecond(n, copyMs.at(-1)!).toFixed(0)}`,
        );
      }

      const copyRate = perSecond(n, median(copyMs));
      const note = `COPY into an unlogged table without indexes = baseline; ${reps} reps`;
      return {
        rows: [
          ...(
            [
              [ENGINE_PAGE, insertSmallMs],
              [LARGE_BATCH, insertLargeMs],
            ] as const
          ).map(([size, ms]) =>
            row({
              scenario: 'upsert',
              metric: `insert, batch ${size}`,
              value: perSecond(n, median(ms)),
              unit: 'rows/s',
              baseline: copyRate,
              target: { kind: 'min', limit: 0.5 },
              note,
            }),
          ),
          row({
            scenario: 'upsert',
            metric: `update, batch ${ENGINE_PAGE}`,
            value: perSecond(n, median(updateSmallMs)),
            unit: 'rows/s',
            baseline: copyRate,
            note: 'the same batches re-applied by the next run',
          }),
          check(
            'upsert',
            'insert exact',
            insertsExact,
            `${n} rows inserted and stored per tenant, both batch sizes`,
          ),
          check('upsert', 'update exact', updatesExact, `${n} rows updated, none inserted, ${n} stored`),
        ],
        details: {
          items: n,
          reps,
          insertSmallMs,
          insertLargeMs,
          updateSmallMs,
          copyMs,
          copyBytes: chunks.reduce((sum, chunk) => sum + chunk.length, 0),
        },
      };
    } finally {
      await client.query(`DROP TABLE IF EXISTS ${COPY_TABLE}`).catch(() => undefined);
      await client.end();
    }
  },
};
