/**
 * `inventory graph-sim` as another process would use it: it prints the client environment, serves
 * its demo tenants to the real credential, and shuts down cleanly on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGraphClient } from '../../graph/client';
import { createTokenProvider } from '../../graph/credentials';
import { createSimulatorAdminClient } from '../../graph/simulator/admin-client';
import { demoTenantIds } from '../../graph/simulator/demo';
import { TLS_DIR } from './support';

const BIN = resolve(__dirname, '../../bin/inventory.js');

describe('inventory graph-sim', () => {
  it('prints what a client needs, serves it, and stops on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [BIN, 'graph-sim', '--port', '0', '--tenants', '2', '--seed', '5', '--tls-dir', TLS_DIR, '--json'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<number | null>((resolveExit) => child.on('exit', (code) => resolveExit(code)));
    try {
      let output = '';
      const printed = await new Promise<{ env: Record<string, string>; tenantIds: string[] }>(
        (resolveOutput, reject) => {
          child.stdout.on('data', (chunk: Buffer) => {
            output += chunk.toString('utf8');
            try {
              resolveOutput(JSON.parse(output) as { env: Record<string, string>; tenantIds: string[] });
            } catch {
              // the document is not complete yet
            }
          });
          child.on('exit', (code) => reject(new Error(`graph-sim exited early (${code}): ${output}`)));
        },
      );
      expect(printed.tenantIds).toEqual(demoTenantIds(2, 5));
      expect(printed.env.NODE_EXTRA_CA_CERTS).toBe(process.env.NODE_EXTRA_CA_CERTS);
      expect(printed.env.GRAPH_BASE_URL).toMatch(/^https:\/\/localhost:\d+$/);

      const tenants = await createSimulatorAdminClient(printed.env.GRAPH_BASE_URL!).listTenants();
      expect(tenants.map((t) => t.tenantId)).toEqual(printed.tenantIds);
      const client = createGraphClient({
        baseUrl: printed.env.GRAPH_BASE_URL!,
        timeoutMs: 10_000,
        tokens: createTokenProvider({
          clientId: printed.env.AZURE_CLIENT_ID!,
          clientSecret: printed.env.AZURE_CLIENT_SECRET!,
          authorityHost: printed.env.AZURE_AUTHORITY_HOST!,
          graphBaseUrl: printed.env.GRAPH_BASE_URL!,
        }),
      });
      const page = await client.fetchPage(printed.tenantIds[0]!, 'deviceConfiguration');
      expect(page.items.length).toBe(tenants[0]!.counts.deviceConfiguration);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
