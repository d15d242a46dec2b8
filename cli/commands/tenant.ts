import { type Command } from 'commander';
import { printJson, printLine, printTable } from '../output';
import { withClient } from '../with-client';
import { parseTenantId } from '../../inventory/tenant-id';
import { type Tenant } from '../../client';

function tenantRow(t: Tenant) {
  return {
    tenant_id: t.id,
    display_name: t.displayName,
    enabled: t.enabled,
    created_at: t.createdAt.toISOString(),
  };
}

/** Registers `inventory tenant add|list|enable|disable`. */
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
      else printTable(tenants.map(tenantRow));
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
