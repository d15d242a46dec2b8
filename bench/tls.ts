/**
 * Prints the path of the Graph simulator's CA (creating it on first use), for scripts/bench to put
 * into NODE_EXTRA_CA_CERTS before the benchmark process starts: Node reads it only at start-up.
 */
import { resolve } from 'node:path';
import { ensureSimulatorCertificates } from '../simulator/tls';

ensureSimulatorCertificates(resolve(__dirname, '../.data/tls')).then(
  ({ caCertPath }) => process.stdout.write(`${caCertPath}\n`),
  (error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
