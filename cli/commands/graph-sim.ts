/**
 * `inventory graph-sim`: runs the Graph simulator in the foreground (HTTPS Graph + Entra-like
 * authority + admin API) with demo tenants and a demo app, until SIGINT or SIGTERM. `--config`
 * replaces the demo tenants with a file's, faults included, so a fault scenario needs no admin
 * calls after start-up.
 */
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type * as SimulatorDemo from '../../simulator/demo';
import type * as SimulatorTenantFile from '../../simulator/tenant-file';
import { InventoryError } from '../../inventory/error-codes';
import { loadDevTooling } from '../dev-tooling';
import { portFlag, textFlag, wholeNumberFlag } from '../flags';
import { printJson, printLine } from '../output';
import { waitForShutdownSignal } from '../shutdown-signal';

interface GraphSimFlags {
  port: number;
  host: string;
  seed: number;
  tenants: number;
  config?: string;
  tlsDir?: string;
  latencyMs: number;
  json?: boolean;
}

/** The same CA for the CLI, the dev stack and the tests, wherever the command is run from. */
const DEFAULT_TLS_DIR = resolve(__dirname, '../../.data/tls');

const CONFIG_HELP = `
The --config file is a JSON array of tenant specs, the admin API's PUT /_sim/tenants/<id> bodies
with their tenant ids: { tenantId, seed?, counts?, pageSizes?, consentedClients?,
intuneProvisioned?, forbiddenTypes?, unlicensedTypes?, disabledClients?, cloud?, groupsReadable?,
faults? } (tenant shapes and fault rules are described in simulator/types.ts; a rule's scope is
any of endpoint, type, page, count, probability, forMs, select, batched and itemId). For example,
one tenant whose mobileApp pages all fail with 503:
  [{ "tenantId": "contoso.example", "counts": { "mobileApp": 30 },
     "faults": [{ "kind": "status", "status": 503, "type": "mobileApp" }] }]`;

/**
 * Why the simulator could not listen on `host:port`, as one `config_invalid` line naming the flag
 * to change; other failures pass through.
 */
function listenError(error: unknown, host: string, port: number): unknown {
  switch ((error as NodeJS.ErrnoException | null)?.code) {
    case 'EADDRINUSE':
      return new InventoryError(
        'config_invalid',
        `--port ${port}: ${host}:${port} is already in use; choose another port, or --port 0 for any free one`,
      );
    case 'EACCES':
      return new InventoryError(
        'config_invalid',
        `--port ${port}: not allowed to listen on ${host}:${port}; choose a port from 1024 up`,
      );
    case 'EADDRNOTAVAIL':
      return new InventoryError('config_invalid', `--host ${host} is not an address of this machine`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new InventoryError('config_invalid', `--host ${host} does not resolve to an address`);
    default:
      return error;
  }
}

/**
 * Registers `inventory graph-sim`; `dev_command_unavailable` in a production build, `invalid_input` for
 * a bad numeric flag, `config_invalid` for a bad `--config` file or an address it cannot listen on.
 */
export function registerGraphSim(program: Command): void {
  program
    .command('graph-sim')
    .description(
      'run a local Microsoft Graph and Entra authority simulator over HTTPS (development and tests)',
    )
    .option('--port <port>', 'port to listen on (0 = any free port)', portFlag('--port', 0), 8443)
    .option('--host <address>', 'address to listen on', textFlag('--host'), '127.0.0.1')
    .option(
      '--seed <n>',
      'seed of the synthetic tenants and items (0 to 4294967295)',
      wholeNumberFlag('--seed', { min: 0, max: 4_294_967_295 }),
      42,
    )
    .option(
      '--tenants <n>',
      'number of demo tenants, 1 to 1000 (not with --config)',
      wholeNumberFlag('--tenants', { min: 1, max: 1_000 }),
      3,
    )
    .addOption(
      new Option(
        '--config <file>',
        'serve the tenants of this JSON file instead of the demo ones (see below)',
      )
        .argParser(textFlag('--config'))
        .conflicts('tenants'),
    )
    .option(
      '--tls-dir <dir>',
      'where the CA and server certificate are kept (default: .data/tls)',
      textFlag('--tls-dir'),
    )
    .option(
      '--latency-ms <ms>',
      'latency added to every Graph request (0 to 600000)',
      wholeNumberFlag('--latency-ms', { min: 0, max: 600_000 }),
      0,
    )
    .option('--json', 'print the environment and tenant ids as one JSON document')
    .addHelpText('after', CONFIG_HELP)
    .action(async (flags: GraphSimFlags) => {
      // Development tooling, absent from the production build: loaded only when this command runs.
      const [{ describeSimulator, simulatorClientEnv, startDemoSimulator }, { readTenantFile }] =
        loadDevTooling('graph-sim', () => [
          // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose (see dev-tooling.ts)
          require('../../simulator/demo') as typeof SimulatorDemo,
          // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose (see dev-tooling.ts)
          require('../../simulator/tenant-file') as typeof SimulatorTenantFile,
        ]);
      const tenantSpecs =
        flags.config === undefined ? undefined : await readTenantFile(resolve(flags.config));
      const { sim, tenantIds } = await startDemoSimulator({
        tlsDir: flags.tlsDir === undefined ? DEFAULT_TLS_DIR : resolve(flags.tlsDir),
        port: flags.port,
        host: flags.host,
        seed: flags.seed,
        tenants: flags.tenants,
        latencyMs: flags.latencyMs,
        ...(tenantSpecs !== undefined && { tenantSpecs }),
      }).catch((error: unknown) => {
        throw listenError(error, flags.host, flags.port);
      });
      if (flags.json) printJson({ env: simulatorClientEnv(sim), tenantIds });
      else for (const line of describeSimulator(sim, tenantIds)) printLine(line);
      const signal = await waitForShutdownSignal();
      await sim.close();
      if (!flags.json) printLine(`Graph simulator stopped (${signal})`);
    });
}
