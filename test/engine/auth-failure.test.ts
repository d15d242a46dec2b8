/**
 * An authentication failure, end to end: a real `inventory worker` process syncs a tenant where
 * the app is not consented (Entra's AADSTS700016), and the CLI's failure line, the run row and the
 * worker's log all say why and what to do — the code and the admin-consent URL on the cloud's
 * authority — without the client secret anywhere.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { queryRows } from '../../db/sql';
import { TEST_APP } from '../graph/support';
import { runCli } from '../support/cli';
import { useWorkerProcesses } from '../support/worker-process';

const workers = useWorkerProcesses();

it('shows AADSTS700016 and the admin-consent URL in the CLI, the run row and the worker log', async () => {
  const { engine } = workers;
  const worker = await workers.start();
  const tenantId = await engine.addTenant({ consentedClients: [] });
  const why = `no token for tenant ${tenantId}: AADSTS700016 (unauthorized_client): app ${TEST_APP.clientId} is not consented in tenant ${tenantId}`;
  const hint = `an administrator of tenant ${tenantId} grants consent at https://login.microsoftonline.com/${tenantId}/adminconsent?client_id=${TEST_APP.clientId}`;

  const sync = await runCli(engine, [
    'sync',
    'start',
    '--tenant',
    tenantId,
    '--categories',
    'apps',
    '--wait',
  ]);
  expect(sync.code).toBe(1);
  expect(sync.stdout).toMatch(/^run \S+ failed: .*errors: auth_failed$/m);
  const failureLine = sync.stderr.split('\n').find((line) => line.startsWith('error [auth_failed]: '));
  expect(failureLine).toMatch(/^error \[auth_failed\]: run \S+ failed: no token for tenant /);
  expect(failureLine).toContain(why);
  expect(failureLine).toContain(hint);

  const [row] = await queryRows<{ status: string; error_codes: string[]; error_context: unknown }>(
    engine.db.admin,
    'SELECT status, error_codes, error_context FROM inventory_sync_runs WHERE tenant_id = $1',
    [tenantId],
  );
  expect(row).toMatchObject({ status: 'failed', error_codes: ['auth_failed'] });
  const types = (row!.error_context as { types: Record<string, { code: string; message: string }> }).types;
  expect(Object.keys(types).length).toBeGreaterThan(0);
  // Types whose page met the refusal carry Entra's reason; those after them were not asked again.
  const attempted = Object.values(types).filter((entry) => !entry.message.startsWith('not attempted: '));
  expect(attempted.length).toBeGreaterThan(0);
  for (const entry of Object.values(types)) expect(entry.code).toBe('auth_failed');
  for (const entry of attempted) {
    expect(entry.message).toContain(why);
    expect(entry.message).toContain(hint);
  }

  const failures = readFileSync(worker.logPath, 'utf8')
    .split('\n')
    .filter((line) => line.includes('"policy type failed"') || line.includes('"Activity failed"'));
  expect(failures.length).toBeGreaterThan(0);
  for (const line of failures) {
    const { error } = JSON.parse(line) as { error: { type: string; message: string } };
    expect(error.type).toBe('auth_failed');
    expect(error.message).toContain(why);
    expect(error.message).toContain(hint);
  }

  const everything = [sync.stdout, sync.stderr, JSON.stringify(row), readFileSync(worker.logPath, 'utf8')];
  for (const text of everything) expect(text).not.toContain(TEST_APP.clientSecret);
}, 120_000);
