/**
 * Shared set-up for the Graph layer tests: a simulator on a free port with one registered app,
 * and the real token provider and page fetcher pointed at it. The CA is trusted through
 * NODE_EXTRA_CA_CERTS, set by test/setup/graph-tls.ts before this process started.
 */
import { webcrypto } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createGraphClient, type GraphClient } from '../../graph/client';
import { graphScope } from '../../graph/clouds';
import { createTokenProvider, type TokenProvider, type TokenProviderOptions } from '../../graph/credentials';
import { type TenantRequestLimiter } from '../../graph/request-pacing';
import { startGraphSimulator } from '../../simulator/server';
import { type GraphSimulator, type SimulatorOptions } from '../../simulator/types';
import { DEFAULT_GRAPH_MAX_PAGE_BYTES } from '../../config/fragments';

export const TLS_DIR = resolve(__dirname, '../../.data/tls');

export const TEST_APP = {
  clientId: '0d4f6c2a-1b3e-4a5c-9d7e-8f9a0b1c2d3e',
  clientSecret: 'test-app-secret-value',
};

export const TENANT_A = '11111111-aaaa-4aaa-8aaa-111111111111';
export const TENANT_B = '22222222-bbbb-4bbb-8bbb-222222222222';

export function startTestSimulator(options: Partial<SimulatorOptions> = {}): Promise<GraphSimulator> {
  return startGraphSimulator({
    tlsDir: TLS_DIR,
    seed: 7,
    clients: [TEST_APP],
    tenants: [{ tenantId: TENANT_A }, { tenantId: TENANT_B }],
    ...options,
  });
}

export function testTokens(
  sim: GraphSimulator,
  overrides: Partial<TokenProviderOptions> = {},
): TokenProvider {
  return createTokenProvider({
    clientId: TEST_APP.clientId,
    clientSecret: TEST_APP.clientSecret,
    authorityHost: sim.authorityHost,
    tokenScope: graphScope(sim.cloud),
    cloud: sim.cloud,
    ...overrides,
  });
}

export function testClient(
  sim: GraphSimulator,
  options: {
    tokens?: TokenProvider;
    timeoutMs?: number;
    maxPageBytes?: number;
    random?: () => number;
    graphOrigin?: string;
    /** Read assignments with pages (default false: these tests count page requests). */
    assignments?: boolean;
    tenantLimiter?: TenantRequestLimiter;
  } = {},
): GraphClient {
  return createGraphClient({
    baseUrl: sim.baseUrl,
    ...(options.graphOrigin !== undefined && { graphOrigin: options.graphOrigin }),
    tokens: options.tokens ?? testTokens(sim),
    timeoutMs: options.timeoutMs ?? 10_000,
    maxPageBytes: options.maxPageBytes ?? DEFAULT_GRAPH_MAX_PAGE_BYTES,
    ...(options.random !== undefined && { random: options.random }),
    assignments: options.assignments ?? false,
    ...(options.tenantLimiter !== undefined && { tenantLimiter: options.tenantLimiter }),
  });
}

/** Runs `fn` and returns what it threw; fails the test when it does not throw. */
export async function caught(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure, but the call succeeded');
}

/**
 * A self-signed RSA certificate and its key in one PEM file, as ClientCertificateCredential reads
 * it; returns the file path and the certificate PEM to register with the simulator.
 */
export async function createClientCertificate(
  dir: string,
  name: string,
): Promise<{ path: string; certificatePem: string }> {
  const algorithm = {
    name: 'RSASSA-PKCS1-v1_5',
    hash: 'SHA-256',
    publicExponent: new Uint8Array([1, 0, 1]),
    modulusLength: 2048,
  };
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=${name}`,
    keys,
    signingAlgorithm: algorithm,
    notBefore: new Date(Date.now() - 86_400_000),
    notAfter: new Date(Date.now() + 86_400_000),
  });
  const certificatePem = certificate.toString('pem');
  const keyPem = x509.PemConverter.encode(
    await webcrypto.subtle.exportKey('pkcs8', keys.privateKey),
    'PRIVATE KEY',
  );
  const path = join(dir, `${name}.pem`);
  await writeFile(path, `${certificatePem}\n${keyPem}\n`, { mode: 0o600 });
  return { path, certificatePem };
}
