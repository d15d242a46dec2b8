/**
 * Reading the inventory through the client and the real CLI: filters (selection, search with LIKE
 * wildcards taken literally, changed-since), keyset paging while other writers upsert between
 * pages, one item by key, row-level security between tenants, and the exports: CSV that parses
 * back to the same values (quotes, commas, line breaks, non-ASCII, formula-looking names escaped
 * per OWASP), NDJSON, and the progress line only a person watching sees.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InventoryItem } from '../../client';
import { upsertItems } from '../../db/repositories/inventory-items';
import { withTenant } from '../../db/tenant-scope';
import { type NormalizedItem } from '../../inventory/item';
import { type PolicyType } from '../../inventory/policy-types';
import { beginRun, item, selectionOf } from '../db/fixtures';
import { runCli } from '../support/cli';
import { startEngine, type Engine } from '../support/engine';
import { RAW_TERMINAL_CONTROL } from '../support/terminal';

let engine: Engine;
const TENANT = randomUUID();
const OTHER = randomUUID();
const UNKNOWN = randomUUID();
const ALL = selectionOf({ categories: ['configuration', 'scripts', 'apps'] });

/** Names a CSV writer or a spreadsheet can get wrong, by id. */
const HOSTILE: Record<string, string> = {
  'c-quotes': 'Baseline "Contoso", v2',
  'c-newline': 'Line one\nline two',
  'c-crlf': 'Windows\r\nline',
  'c-cr': 'Old Mac\rline',
  'c-unicode': 'Ünïcödé 設定 🚀',
  'c-formula': '=HYPERLINK("http://evil.example","click")',
  'c-plus': '+cmd|calc',
  'c-minus': '-2+3',
  'c-at': '@SUM(A1:A9)',
  'c-tab': '\tTabbed',
  'c-return': '\rReturned',
  'c-percent': '100% compliant',
  'c-underscore': 'under_score',
  'c-backslash': 'back\\slash',
  'c-plain': 'Plain policy',
};

function named(type: PolicyType, id: string, name: string): NormalizedItem {
  const nameField = type === 'settingsCatalogPolicy' ? 'name' : 'displayName';
  return item(type, id, { [nameField]: name, description: `about ${id}` });
}

async function upsert(tenantId: string, runId: string, batch: NormalizedItem[]): Promise<void> {
  await withTenant(engine.db.runtime, tenantId, (tx) => upsertItems(tx, tenantId, runId, batch));
}

/** Every item of `tenantId` through the client, page by page (`limit` each). */
async function listAll(
  tenantId: string,
  query: Parameters<Engine['client']['listItems']>[1] = {},
): Promise<InventoryItem[]> {
  const all: InventoryItem[] = [];
  let cursor: string | undefined;
  do {
    const page = await engine.client.listItems(tenantId, { ...query, ...(cursor && { cursor }) });
    all.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return all;
}

const keyOf = (i: { policyType: string; externalId: string }) => `${i.policyType}/${i.externalId}`;

let runId = '';

beforeAll(async () => {
  engine = await startEngine();
  await engine.client.registerTenant({ tenantId: TENANT, displayName: 'Contoso' });
  await engine.client.registerTenant({ tenantId: OTHER, displayName: 'Fabrikam' });
  runId = (await beginRun(engine.db.runtime, TENANT, ALL)).id;
  await upsert(TENANT, runId, [
    ...Object.entries(HOSTILE).map(([id, name]) => named('deviceConfiguration', id, name)),
    named('deviceManagementScript', 's-1', 'Cleanup script'),
    named('deviceManagementScript', 's-2', 'Contoso inventory script'),
    named('mobileApp', 'a-1', 'Company Portal'),
  ]);
  const otherRun = await beginRun(engine.db.runtime, OTHER, ALL);
  await upsert(OTHER, otherRun.id, [
    named('deviceConfiguration', 'c-plain', 'Fabrikam secret baseline'),
    named('deviceConfiguration', 'f-only', 'Fabrikam only'),
  ]);
}, 180_000);

afterAll(async () => {
  await engine?.close();
});

describe('listItems filters', () => {
  it('lists every item in (policy type, external id) order, and a selection narrows by type', async () => {
    const all = await listAll(TENANT, { limit: 4 });
    expect(all.map(keyOf)).toEqual([...all.map(keyOf)].sort());
    expect(all).toHaveLength(Object.keys(HOSTILE).length + 3);
    const scripts = await listAll(TENANT, { selection: { categories: ['scripts'] } });
    expect(scripts.map(keyOf)).toEqual(['deviceManagementScript/s-1', 'deviceManagementScript/s-2']);
    const apps = await listAll(TENANT, { selection: { policy_types: ['mobileApp'] } });
    expect(apps.map(keyOf)).toEqual(['mobileApp/a-1']);
  });

  it.each([
    ['CONTOSO', ['deviceConfiguration/c-quotes', 'deviceManagementScript/s-2']],
    ['設定', ['deviceConfiguration/c-unicode']],
    // Ids match as well as names.
    ['C-PLA', ['deviceConfiguration/c-plain']],
    // LIKE's wildcards and escape character are plain characters in a search.
    ['%', ['deviceConfiguration/c-percent']],
    ['_', ['deviceConfiguration/c-underscore']],
    ['\\', ['deviceConfiguration/c-backslash']],
    ['100%', ['deviceConfiguration/c-percent']],
    ['r_s', ['deviceConfiguration/c-underscore']],
    ['%%', []],
    ['zzz-nothing', []],
  ])('search %j finds %j', async (search, expected) => {
    expect((await listAll(TENANT, { search })).map(keyOf)).toEqual(expected);
  });

  it('combines search with a selection', async () => {
    const found = await listAll(TENANT, { search: 'contoso', selection: { categories: ['scripts'] } });
    expect(found.map(keyOf)).toEqual(['deviceManagementScript/s-2']);
  });

  it('changedSince keeps items whose content changed at or after the time, as ISO 8601, a duration or a Date', async () => {
    const tenantId = randomUUID();
    await engine.client.registerTenant({ tenantId, displayName: 'Changes' });
    const run = await beginRun(engine.db.runtime, tenantId, ALL);
    await upsert(tenantId, run.id, [named('mobileApp', 'old', 'Old'), named('mobileApp', 'new', 'New')]);
    // As the owner (row-level security is forced on it too): `old` last changed three days ago.
    await withTenant(engine.db.admin, tenantId, (tx) =>
      tx.query(
        `UPDATE inventory_items SET updated_at = now() - interval '3 days' WHERE tenant_id = $1 AND external_id = 'old'`,
        [tenantId],
      ),
    );
    const ids = async (changedSince: Date | string) =>
      (await listAll(tenantId, { changedSince })).map((i) => i.externalId);
    expect(await ids('2d')).toEqual(['new']);
    expect(await ids('4d')).toEqual(['new', 'old']);
    expect(await ids(new Date(Date.now() - 2 * 86_400_000).toISOString())).toEqual(['new']);
    expect(await ids(new Date(Date.now() - 2 * 86_400_000))).toEqual(['new']);
    expect(await ids('2000-01-01')).toEqual(['new', 'old']);
    expect(await ids('2999-01-01T00:00:00+02:00')).toEqual([]);
    // Only content changes move updated_at: seeing `old` again leaves it out of "changed".
    await upsert(tenantId, run.id, [named('mobileApp', 'old', 'Old')]);
    expect(await ids('2d')).toEqual(['new']);
    await upsert(tenantId, run.id, [named('mobileApp', 'old', 'Old, renamed')]);
    expect(await ids('2d')).toEqual(['new', 'old']);
  });
});

describe('paging while others write', () => {
  const EXISTING = Array.from({ length: 40 }, (_, i) => `p-${String(i * 2).padStart(3, '0')}`);

  /** A tenant with EXISTING, and a second live run (another sync) that writes between pages. */
  async function pagingTenant(): Promise<{ tenantId: string; write: (page: number) => Promise<void> }> {
    const tenantId = randomUUID();
    await engine.client.registerTenant({ tenantId, displayName: 'Busy' });
    const run = await beginRun(engine.db.runtime, tenantId, ALL);
    await upsert(
      tenantId,
      run.id,
      EXISTING.map((id) => named('deviceConfiguration', id, `Policy ${id}`)),
    );
    const writer = await beginRun(
      engine.db.runtime,
      tenantId,
      selectionOf({ categories: ['configuration'] }),
    );
    const odd = (n: number) => `p-${String(n).padStart(3, '0')}`;
    // New items on both sides of the page just read, and every existing one renamed.
    const write = (page: number) =>
      upsert(tenantId, writer.id, [
        named('deviceConfiguration', odd(1 + page * 2), `inserted behind, page ${page}`),
        named('deviceConfiguration', odd(79 - page * 2), `inserted ahead, page ${page}`),
        ...EXISTING.map((id) => named('deviceConfiguration', id, `Policy ${id}, renamed on page ${page}`)),
      ]);
    return { tenantId, write };
  }

  it('listItems pages never repeat an item nor skip one that existed throughout', async () => {
    const { tenantId, write } = await pagingTenant();
    const seen: string[] = [];
    let cursor: string | undefined;
    let page = 0;
    do {
      const result = await engine.client.listItems(tenantId, { limit: 7, ...(cursor && { cursor }) });
      seen.push(...result.items.map((i) => i.externalId));
      cursor = result.nextCursor ?? undefined;
      await write(page++);
    } while (cursor);
    expect(page).toBeGreaterThan(5);
    expect(new Set(seen).size).toBe(seen.length);
    expect(EXISTING.filter((id) => !seen.includes(id))).toEqual([]);
    // Items inserted ahead of the cursor show up; those behind it do not.
    expect(seen).toContain('p-079');
    expect(seen).not.toContain('p-011');
  });

  it('iterateItems, consumed while another writer upserts, yields each item once', async () => {
    const { tenantId, write } = await pagingTenant();
    const seen: string[] = [];
    let page = 0;
    for await (const found of engine.client.iterateItems(tenantId, { pageSize: 7 })) {
      seen.push(found.externalId);
      if (seen.length % 7 === 0) await write(page++);
    }
    expect(page).toBeGreaterThan(5);
    expect(new Set(seen).size).toBe(seen.length);
    expect(EXISTING.filter((id) => !seen.includes(id))).toEqual([]);
    expect(seen).toEqual([...seen].sort());
  });
});

describe('getItem and row-level security', () => {
  it('returns one item with its metadata and when and by which run it was last seen', async () => {
    const found = await engine.client.getItem(TENANT, 'deviceConfiguration', 'c-unicode');
    expect(found).toMatchObject({
      tenantId: TENANT,
      policyType: 'deviceConfiguration',
      externalId: 'c-unicode',
      displayName: HOSTILE['c-unicode'],
      lastSeenRunId: runId,
      meta: { description: 'about c-unicode' },
    });
    expect(found.lastSeenAt).toBeInstanceOf(Date);
  });

  it('tells an unknown item from an unknown tenant', async () => {
    await expect(engine.client.getItem(TENANT, 'deviceConfiguration', 'nope')).rejects.toMatchObject({
      code: 'item_not_found',
      message: 'no deviceConfiguration item nope was observed in this tenant',
    });
    await expect(engine.client.getItem(UNKNOWN, 'deviceConfiguration', 'c-plain')).rejects.toMatchObject({
      code: 'tenant_unknown',
    });
    await expect(engine.client.listItems(UNKNOWN)).rejects.toMatchObject({ code: 'tenant_unknown' });
    const iterate = async () => {
      for await (const found of engine.client.iterateItems(UNKNOWN)) void found;
    };
    await expect(iterate()).rejects.toMatchObject({ code: 'tenant_unknown' });
  });

  it('shows a tenant only its own items, even under the same key', async () => {
    const other = await listAll(OTHER);
    expect(other.map((i) => [i.tenantId, i.externalId])).toEqual([
      [OTHER, 'c-plain'],
      [OTHER, 'f-only'],
    ]);
    expect((await engine.client.getItem(OTHER, 'deviceConfiguration', 'c-plain')).displayName).toBe(
      'Fabrikam secret baseline',
    );
    expect((await engine.client.getItem(TENANT, 'deviceConfiguration', 'c-plain')).displayName).toBe(
      'Plain policy',
    );
    expect(await listAll(TENANT, { search: 'fabrikam' })).toEqual([]);
    await expect(engine.client.getItem(TENANT, 'deviceConfiguration', 'f-only')).rejects.toMatchObject({
      code: 'item_not_found',
    });
    expect((await listAll(TENANT)).every((i) => i.tenantId === TENANT)).toBe(true);
  });
});

describe('the CLI', () => {
  const cli = (args: string[]) => runCli(engine, args);

  async function clientRecords(tenantId: string) {
    return (await listAll(tenantId)).map((i) => ({
      policy_type: i.policyType,
      external_id: i.externalId,
      display_name: i.displayName,
      platform: i.platform ?? '',
      category: i.category ?? '',
      last_seen_at: i.lastSeenAt.toISOString(),
      last_seen_run_id: i.lastSeenRunId,
      updated_at: i.updatedAt.toISOString(),
      created_at: i.createdAt.toISOString(),
      meta: JSON.stringify(i.meta),
    }));
  }

  it('exports CSV that parses back to the stored values, formula-looking cells escaped with a quote', async () => {
    const result = await cli(['items', '--tenant', TENANT, '--format', 'csv', '--limit', '3']);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(result.stdout.split('\r\n')[0]).toBe(
      'policy_type,external_id,display_name,platform,category,last_seen_at,last_seen_run_id,updated_at,created_at,meta',
    );
    expect(result.stdout.endsWith('\r\n')).toBe(true);
    const parsed = parse<Record<string, string>>(result.stdout, { columns: true });
    const expected = await clientRecords(TENANT);
    expect(parsed).toHaveLength(expected.length);
    const formula = /^[=+\-@\t\r]/;
    expect(parsed).toEqual(
      expected.map((record) =>
        Object.fromEntries(
          Object.entries(record).map(([key, value]) => [key, formula.test(value) ? `'${value}` : value]),
        ),
      ),
    );
    const byId = new Map(parsed.map((row) => [row.external_id, row.display_name]));
    expect(byId.get('c-formula')).toBe(`'${HOSTILE['c-formula']}`);
    expect(byId.get('c-tab')).toBe(`'\tTabbed`);
    expect(byId.get('c-newline')).toBe('Line one\nline two');
    expect(byId.get('c-cr')).toBe('Old Mac\rline');
    expect(byId.get('c-quotes')).toBe('Baseline "Contoso", v2');
    expect(byId.get('c-unicode')).toBe('Ünïcödé 設定 🚀');
  });

  it('exports NDJSON, one item per line, every page', async () => {
    const result = await cli(['items', '--tenant', TENANT, '--format', 'ndjson', '--limit', '2']);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    const lines = result.stdout.split('\n');
    expect(lines.pop()).toBe('');
    const expected = (await clientRecords(TENANT)).map((r) => ({
      ...r,
      platform: r.platform || null,
      category: r.category || null,
      meta: JSON.parse(r.meta) as unknown,
    }));
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual(expected);
  });

  it('prints one page as JSON with the cursor of the next, and filters like the client', async () => {
    const first = await cli(['items', '--tenant', TENANT, '--format', 'json', '--limit', '5']);
    const page = JSON.parse(first.stdout) as { items: Array<{ external_id: string }>; next_cursor: string };
    expect(page.items).toHaveLength(5);
    const second = await cli([
      'items',
      '--tenant',
      TENANT,
      '--json',
      '--limit',
      '5',
      '--cursor',
      page.next_cursor,
    ]);
    const next = JSON.parse(second.stdout) as { items: Array<{ external_id: string }> };
    const all = await listAll(TENANT);
    expect([...page.items, ...next.items].map((i) => i.external_id)).toEqual(
      all.slice(0, 10).map((i) => i.externalId),
    );
    const searched = await cli([
      'items',
      '--tenant',
      TENANT,
      '--search',
      'contoso',
      '--categories',
      'scripts',
      '--changed-since',
      '1h',
      '--json',
    ]);
    expect((JSON.parse(searched.stdout) as { items: Array<{ external_id: string }> }).items).toEqual([
      expect.objectContaining({ external_id: 's-2', last_seen_run_id: runId }),
    ]);
  });

  it('prints a table one row per item, names escaped, and the next cursor', async () => {
    const result = await cli([
      'items',
      '--tenant',
      TENANT,
      '--types',
      'deviceConfiguration',
      '--limit',
      '20',
    ]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^policy_type\s+external_id\s+display_name\s+platform\s+last_seen_at\s+updated_at$/,
    );
    expect(lines).toHaveLength(1 + Object.keys(HOSTILE).length);
    expect(result.stdout).not.toMatch(RAW_TERMINAL_CONTROL);
    expect(result.stdout).toContain('Line one\\nline two');
    const paged = await cli(['items', '--tenant', TENANT, '--limit', '2']);
    expect(paged.stdout).toMatch(/\nmore: --cursor [A-Za-z0-9_-]+\n$/);
    const none = await cli(['items', '--tenant', TENANT, '--search', 'zzz-nothing']);
    expect(none.stdout).toBe('no items\n');
  });

  it('shows one item with its metadata, last seen time and run; an unknown one is item_not_found', async () => {
    const human = await cli([
      'item',
      '--tenant',
      TENANT,
      '--type',
      'deviceConfiguration',
      '--id',
      'c-newline',
    ]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^field\s+value\n/);
    expect(human.stdout).toMatch(new RegExp(`\\nlast_seen_run_id\\s+${runId}\\n`));
    expect(human.stdout).toMatch(/\ndisplay_name\s+Line one\\nline two\n/);
    expect(human.stdout).toMatch(/\nmeta\.description\s+"about c-newline"\n/);
    const json = await cli([
      'item',
      '--tenant',
      TENANT,
      '--type',
      'deviceConfiguration',
      '--id',
      'c-newline',
      '--json',
    ]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      policy_type: 'deviceConfiguration',
      external_id: 'c-newline',
      display_name: 'Line one\nline two',
      last_seen_run_id: runId,
      meta: { description: 'about c-newline' },
    });
    const missing = await cli([
      'item',
      '--tenant',
      TENANT,
      '--type',
      'deviceConfiguration',
      '--id',
      'f-only',
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(
      /^error \[item_not_found\]: no deviceConfiguration item f-only was observed/,
    );
  });

  it('draws a progress line on stderr only when a person watches: stderr a terminal, stdout not', async () => {
    const piped = await cli(['items', '--tenant', TENANT, '--format', 'csv']);
    expect(piped.stderr).toBe('');
    // `script` gives the command a pseudo-terminal; its stdout goes to a file, as in `… > out.csv`.
    const dir = mkdtempSync(join(tmpdir(), 'inventory-progress-'));
    const out = join(dir, 'out.csv');
    const bin = resolve(__dirname, '../../bin/inventory.js');
    const command = `'${process.execPath}' '${bin}' items --tenant ${TENANT} --format csv > '${out}'`;
    const terminal = await new Promise<string>((done, fail) =>
      execFile(
        'script',
        ['-qec', command, '/dev/null'],
        {
          cwd: dir,
          env: {
            PATH: process.env.PATH ?? '',
            NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS ?? '',
            DATABASE_URL: engine.db.runtimeUrl,
            TEMPORAL_ADDRESS: process.env.INVENTORY_TEST_TEMPORAL_ADDRESS!,
            INVENTORY_TASK_QUEUE: engine.taskQueue,
          },
        },
        (error, stdout) => (error ? fail(new Error(error.message)) : done(stdout)),
      ),
    );
    const count = Object.keys(HOSTILE).length + 3;
    expect(terminal).toContain(`exported ${count} items`);
    expect(terminal.trimEnd().endsWith(`exported ${count} items`)).toBe(true);
    expect(readFileSync(out, 'utf8')).toBe(piped.stdout);
  });
});
