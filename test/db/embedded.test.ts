/** The embedded cluster the dev stack relies on: a data dir survives a restart and is not initialised twice. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../dev/embedded-postgres';

let dir: string | undefined;
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function query(url: string, text: string): Promise<Array<Record<string, unknown>>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as Array<Record<string, unknown>>;
  } finally {
    await client.end();
  }
}

describe('startEmbeddedPostgres', () => {
  it('keeps its data across a restart, on a free loopback port', async () => {
    // mkdtemp makes a 0700 dir: startEmbeddedPostgres must open it to the postgres OS user itself.
    dir = await mkdtemp(join(tmpdir(), 'inventory-embedded-'));
    const dataDir = join(dir, 'postgres');

    const first = await startEmbeddedPostgres({ dataDir });
    try {
      expect(first.adminUrl).toBe(`postgres://postgres:inventory-dev@127.0.0.1:${first.port}/postgres`);
      await query(first.adminUrl, `CREATE TABLE kept (note text); INSERT INTO kept VALUES ('still here')`);
      const [settings] = await query(
        first.adminUrl,
        `SELECT current_setting('listen_addresses') AS listen, current_setting('unix_socket_directories') AS sockets`,
      );
      expect(settings).toEqual({ listen: '127.0.0.1', sockets: '' });
    } finally {
      await first.stop();
    }
    const systemId = await readFile(join(dataDir, 'global', 'pg_control'));

    const logs: string[] = [];
    const second = await startEmbeddedPostgres({ dataDir, onLog: (line) => logs.push(line) });
    try {
      expect(await query(second.adminUrl, 'SELECT note FROM kept')).toEqual([{ note: 'still here' }]);
    } finally {
      await second.stop();
    }
    // Not initialised again: initdb would have printed its banner and written a new control file.
    expect(logs.some((line) => line.includes('initdb') || line.includes('Success. You can now start'))).toBe(
      false,
    );
    expect((await readFile(join(dataDir, 'global', 'pg_control'))).subarray(0, 8)).toEqual(
      systemId.subarray(0, 8),
    );
  });
});
