/**
 * `inventory graph-sim`: runs the Graph simulator in the foreground (HTTPS Graph + Entra-like
 * authority + admin API) with demo tenants and a demo app, until SIGINT or SIGTERM.
 */
import { resolve } from 'node:path';
import { type Command } from 'commander';
import { InventoryError } from '../../inventory/error-codes';
import { describeSimulator, simulatorClientEnv, startDemoSimulator } from '../../graph/simulator/demo';
import { printJson, printLine } from '../output';

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

function integer(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new InventoryError(
      'invalid_input',
      `--${name} must be a whole number from ${min} to ${max} (got "${value}")`,
    );
  }
  return n;
}

function waitForShutdownSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolveSignal) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolveSignal(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

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
        port: integer('port', flags.port, 0, 65_535),
        host: flags.host,
        seed: integer('seed', flags.seed, 0, 4_294_967_295),
        tenants: integer('tenants', flags.tenants, 1, 1_000),
        latencyMs: integer('latency-ms', flags.latencyMs, 0, 600_000),
      });
      if (flags.json) printJson({ env: simulatorClientEnv(sim), tenantIds });
      else for (const line of describeSimulator(sim, tenantIds)) printLine(line);
      const signal = await waitForShutdownSignal();
      await sim.close();
      if (!flags.json) printLine(`Graph simulator stopped (${signal})`);
    });
}
