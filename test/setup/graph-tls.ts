/**
 * vitest globalSetup: the Graph simulator's TLS material, created once per checkout under
 * .data/tls, and NODE_EXTRA_CA_CERTS pointing at its CA. Node reads that variable only at start,
 * and test processes are forked after global setup, so every test file trusts the simulator's
 * certificate — with the real TLS stack, for fetch and for @azure/identity alike.
 */
import { resolve } from 'node:path';
import { ensureSimulatorCertificates } from '../../simulator/tls';

export default async function setup(): Promise<void> {
  const { caCertPath } = await ensureSimulatorCertificates(resolve(__dirname, '../../.data/tls'));
  process.env.NODE_EXTRA_CA_CERTS = caCertPath;
}
