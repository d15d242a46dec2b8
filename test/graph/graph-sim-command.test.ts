/**
 * `inventory graph-sim` as another process would use it: it prints the client environment, serves
 * its demo tenants (or a --config file's, faults included) to the real credential, and shuts down
 * cleanly on SIGTERM; a bad --config file stops it before it listens.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphClient, type GraphClient } from '../../graph/client';
import { graphScope } from '../../graph/clouds';
import { createTokenProvider } from '../../graph/credentials';
import { createSimulatorAdminClient } from '../../simulator/admin-client';
import { demoTenantIds } from '../../simulator/demo';
import { type TenantSpec } from '../../simulator/types';
import { TLS_DIR } from './support';
import { DEFAULT_GRAPH_MAX_PAGE_BYTES } from '../../config/fragments';

const BIN = resolve(__dirname, '../../bin/inventory.js');

interface Printed {
  env: Record<string, string>;
  tenantIds: string[];
}

/** Runs `inventory graph-sim --json …args` until its JSON document is out; stop with SIGTERM. */
async function startGraphSim(
  args: string[],
): Promise<{ child: ChildProcess; exited: Promise<number | null>; printed: Printed }> {
  const child = spawn(
    process.execPath,
    [BIN, 'graph-sim', '--port', '0', '--tls-dir', TLS_DIR, '--json', ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<number | null>((resolveExit) => child.on('exit', (code) => resolveExit(code)));
  let output = '';
  const printed = await new Promise<Printed>((resolveOutput, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      try {
        resolveOutput(JSON.parse(output) as Printed);
      } catch {
        // the document is not complete yet
      }
    });
    child.on('exit', (code) => reject(new Error(`graph-sim exited early (${code}): ${output}`)));
  });
  return { child, exited, printed };
}

/** The real credential and page fetcher, configured from what graph-sim printed. */
function clientFor(env: Record<string, string>): GraphClient {
  return createGraphClient({
    baseUrl: env.GRAPH_BASE_URL!,
    timeoutMs: 10_000,
    maxPageBytes: DEFAULT_GRAPH_MAX_PAGE_BYTES,
    tokens: createTokenProvider({
      clientId: env.AZURE_CLIENT_ID!,
      clientSecret: env.AZURE_CLIENT_SECRET!,
      authorityHost: env.AZURE_AUTHORITY_HOST!,
      // graph-sim plays the global cloud.
      tokenScope: graphScope('global'),
      cloud: 'global',
    }),
  });
}

describe('inventory graph-sim', () => {
  it('prints what a client needs, serves it, and stops on SIGTERM', async () => {
    const { child, exited, printed } = await startGraphSim(['--tenants', '2', '--seed', '5']);
    try {
      expect(printed.tenantIds).toEqual(demoTenantIds(2, 5));
      expect(printed.env.NODE_EXTRA_CA_CERTS).toBe(process.env.NODE_EXTRA_CA_CERTS);
      expect(printed.env.GRAPH_BASE_URL).toMatch(/^https:\/\/localhost:\d+$/);

      const tenants = await createSimulatorAdminClient(printed.env.GRAPH_BASE_URL!).listTenants();
      expect(tenants.map((t) => t.tenantId)).toEqual(printed.tenantIds);
      const page = await clientFor(printed.env).fetchPage(printed.tenantIds[0]!, 'deviceConfiguration');
      // Graph serves device configurations 100 to a page; the demo tenant may hold more.
      const count = tenants[0]!.counts.deviceConfiguration;
      expect(page.items.length).toBe(Math.min(count, 100));
      expect(page.nextLink !== null).toBe(count > 100);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});

describe('inventory graph-sim --config', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'graph-sim-config-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function tenantFile(name: string, content: string): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  }

  it('serves the file’s tenants instead of the demo ones, with their counts and faults', async () => {
    const specs: TenantSpec[] = [
      {
        tenantId: 'fabrikam.example',
        counts: { deviceConfiguration: 3, mobileApp: 4 },
        faults: [{ kind: 'itemsWithoutId', n: 2, type: 'deviceConfiguration' }],
      },
      { tenantId: 'contoso.example', counts: { mobileApp: 7 }, pageSizes: { mobileApp: 5 } },
    ];
    const path = await tenantFile('tenants.json', JSON.stringify(specs));
    const { child, exited, printed } = await startGraphSim(['--config', path]);
    try {
      expect(printed.tenantIds).toEqual(['fabrikam.example', 'contoso.example']);
      const admin = createSimulatorAdminClient(printed.env.GRAPH_BASE_URL!);
      expect((await admin.listTenants()).map((t) => t.tenantId)).toEqual(printed.tenantIds);

      const client = clientFor(printed.env);
      const faulted = await client.fetchPage('fabrikam.example', 'deviceConfiguration');
      expect(faulted).toMatchObject({ itemsInvalidCount: 2, nextLink: null });
      expect(faulted.items).toHaveLength(3);
      // The fault is scoped to its type: the tenant's other collections are clean.
      expect(await client.fetchPage('fabrikam.example', 'mobileApp')).toMatchObject({ itemsInvalidCount: 0 });
      const paged = await client.fetchPage('contoso.example', 'mobileApp');
      expect(paged.items).toHaveLength(5);
      expect(paged.nextLink).not.toBeNull();
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  /** `inventory graph-sim …args`, expected to stop before it listens. */
  function runGraphSim(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolveRun) => {
      execFile(
        process.execPath,
        [BIN, 'graph-sim', '--tls-dir', TLS_DIR, ...args],
        (error, stdout, stderr) => {
          resolveRun({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
        },
      );
    });
  }

  /** Exit code 1 and stderr exactly one config_invalid line: no hint, no stack trace. */
  function expectOneConfigLine(result: { code: number; stdout: string; stderr: string }): string {
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr.endsWith('\n')).toBe(true);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error \[config_invalid\]: /);
    return lines[0]!;
  }

  it('refuses a file that does not match the schema with one line naming the file and the problem', async () => {
    const path = await tenantFile(
      'bad.json',
      JSON.stringify([{ tenantId: 'fabrikam.example', faults: [{ kind: 'status', status: 418 }] }]),
    );
    const line = expectOneConfigLine(await runGraphSim(['--port', '0', '--config', path]));
    expect(line.startsWith(`error [config_invalid]: --config: ${path}: `)).toBe(true);
    expect(line).toContain('[0].faults[0].status');
  });

  it('refuses a file that is not JSON with one line, its line breaks folded', async () => {
    const path = await tenantFile('not-json.json', 'tenants:\n  - fabrikam\n');
    const line = expectOneConfigLine(await runGraphSim(['--port', '0', '--config', path]));
    // V8 quotes the text around the problem, line break included: echoed on one line.
    expect(line.startsWith(`error [config_invalid]: --config: ${path}: Unexpected token`)).toBe(true);
    expect(line).toContain('"tenants:   "...');
    expect(line.endsWith('is not valid JSON')).toBe(true);
  });

  it('names --port when the port is in use', async () => {
    const { child, exited, printed } = await startGraphSim([]);
    try {
      const port = new URL(printed.env.GRAPH_BASE_URL!).port;
      const line = expectOneConfigLine(await runGraphSim(['--port', port]));
      expect(line).toBe(
        `error [config_invalid]: --port ${port}: 127.0.0.1:${port} is already in use; choose another port, or --port 0 for any free one`,
      );
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
