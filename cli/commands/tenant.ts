import { type Command } from 'commander';
import { printJson, printLine, printTable, toned, type TableCell } from '../output';
import { relativeAge } from '../relative-age';
import { withClient } from '../with-client';
import { parseTenantId } from '../../inventory/tenant-id';
import { type GroupNamesCheck, type Tenant, type TenantCheckResult, type TypeCheck } from '../../client';

/** A tenant as --json shows it (and `tenant add` answers), with its instant. */
function tenantRow(t: Tenant) {
  return {
    tenant_id: t.id,
    display_name: t.displayName,
    enabled: t.enabled,
    created_at: t.createdAt.toISOString(),
  };
}

/** A tenant as a row of the human table: disabled marked, its registration as an age. */
function tenantLine(t: Tenant, now: Date) {
  return {
    tenant_id: t.id,
    display_name: t.displayName,
    enabled: t.enabled ? t.enabled : toned(t.enabled, 'warn'),
    registered: relativeAge(t.createdAt, now),
  };
}

/** A type's status as a person reads it: `forbidden` names the permission to grant. */
function checkStatus(t: TypeCheck): TableCell {
  const text = t.status === 'forbidden' ? `forbidden (needs ${t.permission})` : t.status.replace('_', ' ');
  return toned(text, t.status === 'ok' ? 'good' : 'bad');
}

/** Graph's or Entra's reason, when the status alone does not say it. */
function checkDetail(t: TypeCheck): string {
  if (t.status === 'error') return `${t.code ?? 'internal_error'}: ${t.message ?? ''}`;
  if (t.status === 'not_licensed' || t.status === 'not_provisioned') return t.message ?? '';
  return '';
}

/** Prints a check; sets exit code 1 unless every type is readable. */
function groupNamesLine(check: GroupNamesCheck): string {
  if (check.status === 'ok') return 'group names: readable';
  if (check.status === 'forbidden') {
    return `group names: not available (needs ${check.permission} or Group.Read.All); assignments show group ids only`;
  }
  return `group names: ${check.status.replace('_', ' ')}${check.code ? ` (${check.code}: ${check.message ?? ''})` : ''}`;
}

/**
 * Why no token, without the "no token for tenant <id>: " Entra's wording starts with
 * (graph/entra-failure.ts): the line already names the tenant and says "no token".
 */
function tokenDetail(message: string, tenantId: string): string {
  const prefix = `no token for tenant ${tenantId}: `;
  return message.startsWith(prefix) ? message.slice(prefix.length) : message;
}

function printCheck(result: TenantCheckResult, json: boolean): void {
  const readable = result.types.filter((t) => t.status === 'ok').length;
  if (!result.token.ok || readable < result.types.length) process.exitCode = 1;
  if (json) {
    printJson(result);
    return;
  }
  printLine(
    result.token.ok
      ? `tenant ${result.tenantId}: token ok`
      : `tenant ${result.tenantId}: no token (${result.token.code}): ${tokenDetail(result.token.message, result.tenantId)}`,
  );
  if (result.token.ok) {
    printTable(
      result.types.map((t) => ({
        policy_type: t.policyType,
        status: checkStatus(t),
        detail: checkDetail(t),
      })),
    );
    printLine(`${readable} of ${result.types.length} policy types readable`);
  }
  // Without a token too, as --json says `not_checked`: silence would read as "nothing to say".
  printLine(groupNamesLine(result.groupNames));
  if (result.consentUrl !== null)
    printLine(`an administrator of the tenant consents at ${result.consentUrl}`);
}

/** Registers `inventory tenant add|list|enable|disable|check`. */
export function registerTenant(program: Command): void {
  const tenant = program.command('tenant').description('register, list, enable and disable tenants');

  tenant
    .command('add')
    .description('register a tenant (idempotent; updates the name of a known tenant)')
    .requiredOption('--tenant <id>', 'Entra tenant (directory) id', parseTenantId)
    .requiredOption('--name <display name>', 'display name')
    .option('--json', 'machine-readable output')
    .action(async (flags: { tenant: string; name: string; json?: boolean }) => {
      const result = await withClient((c) =>
        c.registerTenant({ tenantId: flags.tenant, displayName: flags.name }),
      );
      if (flags.json) printJson({ ...tenantRow(result.tenant), created: result.created });
      else
        printLine(
          `${result.created ? 'registered' : 'updated'} tenant ${result.tenant.id} (${result.tenant.displayName})`,
        );
    });

  tenant
    .command('list')
    .description('list registered tenants')
    .option('--json', 'machine-readable output')
    .action(async (flags: { json?: boolean }) => {
      const tenants = await withClient((c) => c.listTenants());
      if (flags.json) printJson(tenants.map(tenantRow));
      else if (tenants.length === 0)
        printLine('no tenants registered (inventory tenant add --tenant <id> --name <name>)');
      else {
        const now = new Date();
        printTable(tenants.map((t) => tenantLine(t, now)));
      }
    });

  tenant
    .command('check')
    .description(
      'onboarding check: get a token for the tenant and ask every policy type for one item (writes nothing; exit 1 unless all are readable)',
    )
    .requiredOption('--tenant <id>', 'Entra tenant id', parseTenantId)
    .option('--json', 'machine-readable output')
    .action(async (flags: { tenant: string; json?: boolean }) => {
      const result = await withClient((c) => c.checkTenant(flags.tenant));
      printCheck(result, flags.json === true);
    });

  for (const [name, enabled] of [
    ['disable', false],
    ['enable', true],
  ] as const) {
    tenant
      .command(name)
      .description(
        `${name} a tenant (${enabled ? 'syncs run again' : 'new syncs are refused; one already running finishes'})`,
      )
      .requiredOption('--tenant <id>', 'Entra tenant id', parseTenantId)
      .option('--json', 'machine-readable output')
      .action(async (flags: { tenant: string; json?: boolean }) => {
        const t = await withClient((c) => c.setTenantEnabled(flags.tenant, enabled));
        if (flags.json) printJson(tenantRow(t));
        else printLine(`tenant ${t.id} ${enabled ? 'enabled' : 'disabled'}`);
      });
  }
}
