/**
 * `inventory tenant check` and `InventoryClient.checkTenant` (issue 10, item 6) against the
 * simulator's Entra and Graph over HTTPS with the real token flow, through Temporal: one forbidden
 * type, one unlicensed type, a tenant that never consented to the app, a tenant without Intune.
 * The check writes nothing and needs no registered tenant.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { InventoryClient } from '../../client';
import { queryRows } from '../../db/sql';
import { POLICY_TYPE_KEYS } from '../../inventory/policy-types';
import { runCli } from '../support/cli';
import { useEngine } from '../support/engine';
import { TEST_APP } from '../graph/support';

const ctx = useEngine();

async function rowsOf(tenantId: string): Promise<number> {
  const [row] = await queryRows<{ n: string }>(
    ctx.engine.db.admin,
    `SELECT (SELECT count(*) FROM inventory_items WHERE tenant_id = $1)
          + (SELECT count(*) FROM inventory_sync_runs WHERE tenant_id = $1) AS n`,
    [tenantId],
  );
  return Number(row!.n);
}

describe('a tenant with one forbidden and one unlicensed type', () => {
  const tenantId = randomUUID();
  beforeAll(async () => {
    await ctx.engine.sim.admin.upsertTenant({
      tenantId,
      forbiddenTypes: ['deviceManagementScript'],
      unlicensedTypes: ['windowsFeatureUpdateProfile'],
      groupsReadable: false,
    });
  });

  it('the client reports each type, the permission the forbidden one needs and the consent URL', async () => {
    const result = await ctx.engine.client.checkTenant(tenantId.toUpperCase());
    expect(result.tenantId).toBe(tenantId);
    expect(result.token).toEqual({ ok: true });
    expect(result.types.map((t) => t.policyType)).toEqual(POLICY_TYPE_KEYS);
    const byType = Object.fromEntries(result.types.map((t) => [t.policyType, t]));
    expect(byType.deviceManagementScript).toMatchObject({
      status: 'forbidden',
      code: 'graph_forbidden',
      permission: 'DeviceManagementScripts.Read.All',
    });
    expect(byType.deviceManagementScript!.message).toContain('DeviceManagementScripts.Read.All');
    expect(byType.windowsFeatureUpdateProfile).toMatchObject({
      status: 'not_licensed',
      code: 'graph_not_licensed',
    });
    const others = result.types.filter(
      (t) => t.policyType !== 'deviceManagementScript' && t.policyType !== 'windowsFeatureUpdateProfile',
    );
    expect(others.every((t) => t.status === 'ok')).toBe(true);
    expect(result.consentUrl).toBe(
      `https://login.microsoftonline.com/${tenantId}/adminconsent?client_id=${TEST_APP.clientId}`,
    );
    // Group names are optional: said, never a reason for exit code 1 on their own.
    expect(result.groupNames).toEqual({ status: 'forbidden', permission: 'GroupMember.Read.All' });
    expect(await rowsOf(tenantId)).toBe(0);
  });

  it('the CLI prints one row per type, what to grant, the consent URL, and exits 1', async () => {
    const result = await runCli(ctx.engine, ['tenant', 'check', '--tenant', tenantId]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toContain(`tenant ${tenantId}: token ok`);
    expect(result.stdout).toMatch(
      /deviceManagementScript\s+forbidden \(needs DeviceManagementScripts\.Read\.All\)/,
    );
    expect(result.stdout).toMatch(/windowsFeatureUpdateProfile\s+not licensed/);
    expect(result.stdout).toContain(
      `${POLICY_TYPE_KEYS.length - 2} of ${POLICY_TYPE_KEYS.length} policy types readable`,
    );
    expect(result.stdout).toContain(`/${tenantId}/adminconsent?client_id=${TEST_APP.clientId}`);
    expect(result.stdout).toContain(
      'group names: not available (needs GroupMember.Read.All or Group.Read.All); assignments show group ids only',
    );
    const json = await runCli(ctx.engine, ['tenant', 'check', '--tenant', tenantId, '--json']);
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout) as { types: Array<{ status: string }> };
    expect(parsed.types.filter((t) => t.status === 'ok')).toHaveLength(POLICY_TYPE_KEYS.length - 2);
  });
});

it('a tenant that never consented: no token, Entra’s AADSTS700016, the consent URL, no type asked', async () => {
  const tenantId = randomUUID();
  await ctx.engine.sim.admin.upsertTenant({ tenantId, consentedClients: [] });
  const before = (await ctx.engine.sim.admin.stats()).tenants[tenantId]?.graphRequests ?? 0;
  const result = await ctx.engine.client.checkTenant(tenantId);
  expect(result.token).toMatchObject({ ok: false, code: 'auth_failed' });
  expect(result.token.ok === false && result.token.message).toContain('AADSTS700016');
  expect(result.types.every((t) => t.status === 'not_checked')).toBe(true);
  expect(result.groupNames.status).toBe('not_checked');
  expect(result.consentUrl).toBe(
    `https://login.microsoftonline.com/${tenantId}/adminconsent?client_id=${TEST_APP.clientId}`,
  );
  expect((await ctx.engine.sim.admin.stats()).tenants[tenantId]?.graphRequests ?? 0).toBe(before);
  // The human form: one clean line on the token ("no token" said once), and the
  // group names not checked, as --json says.
  const human = await runCli(ctx.engine, ['tenant', 'check', '--tenant', tenantId]);
  expect(human.code).toBe(1);
  const lines = human.stdout.trimEnd().split('\n');
  expect(lines[0]).toMatch(new RegExp(`^tenant ${tenantId}: no token \\(auth_failed\\): AADSTS700016`));
  expect(lines[0]!.match(/no token/g)).toHaveLength(1);
  expect(lines).toContain('group names: not checked');
}, 120_000);

it('a tenant without Intune: every Intune type is not provisioned, with Graph’s reason; Entra and Windows 365 are read', async () => {
  const tenantId = randomUUID();
  await ctx.engine.sim.admin.upsertTenant({ tenantId, intuneProvisioned: false });
  const result = await ctx.engine.client.checkTenant(tenantId);
  expect(result.token).toEqual({ ok: true });
  const otherServices = ['cloudPcProvisioningPolicy', 'cloudPcUserSetting', 'conditionalAccessPolicy'];
  const intune = result.types.filter((t) => !otherServices.includes(t.policyType));
  expect(intune).toHaveLength(POLICY_TYPE_KEYS.length - otherServices.length);
  expect(intune.every((t) => t.status === 'not_provisioned' && t.code === 'intune_not_provisioned')).toBe(
    true,
  );
  expect(
    result.types.filter((t) => otherServices.includes(t.policyType)).every((t) => t.status === 'ok'),
  ).toBe(true);
  // Entra still answers for groups: the names are readable.
  expect(result.groupNames).toEqual({ status: 'ok', permission: 'GroupMember.Read.All' });
  expect(result.consentUrl).toBeNull();
});

it('a malformed tenant id is refused in one line (and its hint), exit code 2', async () => {
  const result = await runCli(ctx.engine, ['tenant', 'check', '--tenant', 'not a tenant']);
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  const [first, hint, end] = result.stderr.split('\n');
  expect(first).toMatch(/^error \[invalid_input\]: .*tenant/);
  expect(hint).toMatch(/^ {2}hint: /);
  expect(end).toBe('');
});

it('no worker polling the task queue: worker_unavailable at once, instead of a silent wait', async () => {
  const alone = new InventoryClient({
    temporal: ctx.engine.temporal,
    db: ctx.engine.db.runtime,
    taskQueue: `nobody-polls-${randomUUID()}`,
  });
  const started = Date.now();
  await expect(alone.checkTenant(randomUUID())).rejects.toMatchObject({ code: 'worker_unavailable' });
  expect(Date.now() - started).toBeLessThan(10_000);
});

it('a token request that keeps failing is the check’s answer, with its code, not an internal error', async () => {
  const tenantId = randomUUID();
  await ctx.engine.sim.admin.upsertTenant({
    tenantId,
    faults: [{ kind: 'status', status: 503, endpoint: 'token' }],
  });
  const result = await ctx.engine.client.checkTenant(tenantId);
  expect(result.token).toMatchObject({ ok: false, code: 'graph_unavailable' });
  expect(result.types.every((t) => t.status === 'not_checked')).toBe(true);
}, 120_000);
