/**
 * Connection options for Temporal, shared by the worker (NativeConnection) and the client
 * (Connection): plain for the dev server, TLS with an API key for Temporal Cloud, or mTLS. The
 * client connection also checks that TEMPORAL_NAMESPACE exists, so a wrong one is one line naming
 * it at start-up instead of a NOT_FOUND from whichever call comes first.
 */
import { Connection, isGrpcServiceError, type ConnectionOptions } from '@temporalio/client';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import { ConfigError } from '../config/env';
import { readPemFile } from '../config/pem-file';
import { InventoryError } from '../inventory/error-codes';
import { orTemporalUnavailable } from './errors';

export interface TemporalSettings {
  TEMPORAL_ADDRESS: string;
  TEMPORAL_NAMESPACE: string;
  TEMPORAL_API_KEY?: string | undefined;
  TEMPORAL_TLS_CERT_PATH?: string | undefined;
  TEMPORAL_TLS_KEY_PATH?: string | undefined;
}

// gRPC status codes (grpc/grpc doc/statuscodes.md).
const INVALID_ARGUMENT = 3;
const NOT_FOUND = 5;
const UNAUTHENTICATED = 16;

function tlsOptions(settings: TemporalSettings): { tls?: NativeConnectionOptions['tls']; apiKey?: string } {
  const {
    TEMPORAL_TLS_CERT_PATH: certPath,
    TEMPORAL_TLS_KEY_PATH: keyPath,
    TEMPORAL_API_KEY: apiKey,
  } = settings;
  if (Boolean(certPath) !== Boolean(keyPath)) {
    throw new ConfigError('TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH must be set together');
  }
  if (certPath && keyPath) {
    return {
      tls: {
        clientCertPair: {
          crt: readPemFile('TEMPORAL_TLS_CERT_PATH', certPath, { certificate: true }),
          key: readPemFile('TEMPORAL_TLS_KEY_PATH', keyPath, { privateKey: true }),
        },
      },
      ...(apiKey && { apiKey }),
    };
  }
  return apiKey ? { tls: true, apiKey } : {};
}

/** Why TLS is on, for messages: a plain-text server answers a TLS client only with a timeout. */
function transport(settings: TemporalSettings): string {
  if (settings.TEMPORAL_TLS_CERT_PATH) return ' over mTLS (TEMPORAL_TLS_CERT_PATH is set)';
  if (settings.TEMPORAL_API_KEY) return ' over TLS (TEMPORAL_API_KEY is set, which implies TLS)';
  return '';
}

function unreachable(settings: TemporalSettings, error: unknown): InventoryError {
  const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return new InventoryError(
    'temporal_unavailable',
    `cannot connect to Temporal at ${settings.TEMPORAL_ADDRESS}${transport(settings)} (${reason})`,
  );
}

let ipServerNameWarningDropped = false;

/**
 * grpc-js sends the host as the TLS server name even when it is an IP address, and Node prints a
 * deprecation warning for that (DEP0123; grpc/grpc-node#1919) on the user's terminal: nothing they
 * set or can change, so that one warning, and no other, is not printed.
 */
function dropIpServerNameWarning(): void {
  if (ipServerNameWarningDropped) return;
  ipServerNameWarningDropped = true;
  const emitWarning = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = (...args: unknown[]) => {
    const [, typeOrOptions, code] = args;
    const warningCode =
      typeof typeOrOptions === 'object' && typeOrOptions !== null
        ? (typeOrOptions as { code?: unknown }).code
        : code;
    if (warningCode !== 'DEP0123') emitWarning(...args);
  };
}

/**
 * `config_invalid` naming TEMPORAL_NAMESPACE when the server does not know it, or the credentials
 * when it refuses them; a server that does not let this caller describe the namespace is left to
 * answer the real calls.
 */
async function assertNamespaceExists(connection: Connection, settings: TemporalSettings): Promise<void> {
  const namespace = settings.TEMPORAL_NAMESPACE;
  try {
    await orTemporalUnavailable(connection.workflowService.describeNamespace({ namespace }));
  } catch (error) {
    if (!isGrpcServiceError(error)) throw error;
    const details = (error.details || error.message).split('\n')[0];
    switch (Number(error.code)) {
      case NOT_FOUND:
        throw new ConfigError(
          `TEMPORAL_NAMESPACE names "${namespace}", which does not exist on ${settings.TEMPORAL_ADDRESS}; ` +
            `create it (temporal operator namespace create --namespace ${namespace}) or set TEMPORAL_NAMESPACE`,
        );
      case INVALID_ARGUMENT:
        throw new ConfigError(`TEMPORAL_NAMESPACE is not a valid namespace name (${details})`);
      case UNAUTHENTICATED:
        throw new ConfigError(
          `TEMPORAL_API_KEY or the TLS client certificate was refused by ${settings.TEMPORAL_ADDRESS} (${details})`,
        );
    }
  }
}

/**
 * The worker SDK's connection to TEMPORAL_ADDRESS. `config_invalid` for half an mTLS pair or a
 * PEM file that cannot be read or holds no certificate/key, `temporal_unavailable` when it cannot
 * connect.
 */
export async function connectNative(settings: TemporalSettings): Promise<NativeConnection> {
  const tls = tlsOptions(settings);
  try {
    return await NativeConnection.connect({ address: settings.TEMPORAL_ADDRESS, ...tls });
  } catch (error) {
    throw unreachable(settings, error);
  }
}

/**
 * Like connectNative, for the client SDK's Connection (clients, schedules, operator calls), and
 * checked against TEMPORAL_NAMESPACE: `config_invalid` when the namespace does not exist or the
 * credentials are refused.
 */
export async function connectClient(settings: TemporalSettings): Promise<Connection> {
  const tls = tlsOptions(settings) as Pick<ConnectionOptions, 'tls' | 'apiKey'>;
  if (tls.tls) dropIpServerNameWarning();
  let connection: Connection;
  try {
    connection = await Connection.connect({
      address: settings.TEMPORAL_ADDRESS,
      ...tls,
      // grpc-js would send Temporal's traffic through https_proxy/http_proxy/grpc_proxy, which are
      // meant for Graph and Entra (README, Configuration); Temporal is reached directly.
      channelArgs: { 'grpc.enable_http_proxy': 0 },
    });
  } catch (error) {
    throw unreachable(settings, error);
  }
  try {
    await assertNamespaceExists(connection, settings);
  } catch (error) {
    await connection.close();
    throw error;
  }
  return connection;
}
