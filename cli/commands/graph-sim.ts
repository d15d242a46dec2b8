/**
 * `inventory graph-sim`: runs the Graph simulator in the foreground (HTTPS Graph + Entra-like
 * authority + admin API) with demo tenants and a demo app, until SIGINT or SIGTERM.
 */
import { resolve } from 'node:path';
import { type Command } from 'commander';
import { describeSimulator, simulatorClientEnv, startDemoSimulator } from '../../graph/simulator/demo';
import { integerFlag } from '../flags';
import { printJson, printLine } from '../output';
import { waitForShutdownSignal } from '../shutdown-signal';

interface GraphSimFlags {
  port: string;
  host: string;
  seed: string;
  tenants: string;
  tlsDir?: string;
  latencyMs: string;
  json?: boolean;
}

/** The same CA for the CLI, the dev stack and the tests, wherever the command is run from. */
const DEFAULT_TLS_DIR = resolve(__dirname, '../../.data/tls');

export function registerGraphSim(program: Command): void {
  program
    .command('graph-sim')
    .description(
      'run a local Microsoft Graph and Entra authority simulator over HTTPS (development and tests)',
    )
    .option('--port <port>', 'port to listen on (0 = any free port)', '8443')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--seed <n>', 'seed of the synthetic tenants and items', '42')
    .option('--tenants <n>', 'number of demo tenants', '3')
    .option('--tls-dir <dir>', 'where the CA and server certificate are kept (default: .data/tls)')
    .option('--latency-ms <ms>', 'latency added to every Graph request', '0')
    .option('--json', 'print the environment and tenant ids as one JSON document')
    .action(async (flags: GraphSimFlags) => {
      const { sim, tenantIds } = await startDemoSimulator({
        tlsDir: flags.tlsDir === undefined ? DEFAULT_TLS_DIR : resolve(flags.tlsDir),
        port: integerFlag('port', flags.port, 0, 65_535),
        host: flags.host,
        seed: integerFlag('seed', flags.seed, 0, 4_294_967_295),
        tenants: integerFlag('tenants', flags.tenants, 1, 1_000),
        latencyMs: integerFlag('latency-ms', flags.latencyMs, 0, 600_000),
      });
      if (flags.json) printJson({ env: simulatorClientEnv(sim), tenantIds });
      else for (const line of describeSimulator(sim, tenantIds)) printLine(line);
      const signal = await waitForShutdownSignal();
      await sim.close();
      if (!flags.json) printLine(`Graph simulator stopped (${signal})`);
    });
}
