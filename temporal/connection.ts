/**
 * Connection options for Temporal, shared by the worker (NativeConnection) and the client
 * (Connection): plain for the dev server, TLS with an API key for Temporal Cloud, or mTLS.
 */
import { readFileSync } from 'node:fs';
import { Connection, type ConnectionOptions } from '@temporalio/client';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import { ConfigError } from '../config/env';
import { InventoryError } from '../inventory/error-codes';

export interface TemporalSettings {
  TEMPORAL_ADDRESS: string;
  TEMPORAL_NAMESPACE: string;
  TEMPORAL_API_KEY?: string | undefined;
  TEMPORAL_TLS_CERT_PATH?: string | undefined;
  TEMPORAL_TLS_KEY_PATH?: string | undefined;
}

function readPem(name: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch {
    throw new ConfigError(`${name} cannot be read (${path})`);
  }
}

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
          crt: readPem('TEMPORAL_TLS_CERT_PATH', certPath),
          key: readPem('TEMPORAL_TLS_KEY_PATH', keyPath),
        },
      },
      ...(apiKey && { apiKey }),
    };
  }
  return apiKey ? { tls: true, apiKey } : {};
}

function unreachable(settings: TemporalSettings, error: unknown): InventoryError {
  const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return new InventoryError(
    'temporal_unavailable',
    `cannot connect to Temporal at ${settings.TEMPORAL_ADDRESS} (${reason})`,
  );
}

/**
 * The worker SDK's connection to TEMPORAL_ADDRESS. `config_invalid` for half an mTLS pair or an
 * unreadable PEM file, `temporal_unavailable` when it cannot connect.
 */
export async function connectNative(settings: TemporalSettings): Promise<NativeConnection> {
  try {
    return await NativeConnection.connect({ address: settings.TEMPORAL_ADDRESS, ...tlsOptions(settings) });
  } catch (error) {
    throw unreachable(settings, error);
  }
}

/** Like connectNative, for the client SDK's Connection (clients, schedules, operator calls). */
export async function connectClient(settings: TemporalSettings): Promise<Connection> {
  const options: ConnectionOptions = {
    address: settings.TEMPORAL_ADDRESS,
    ...(tlsOptions(settings) as Pick<ConnectionOptions, 'tls' | 'apiKey'>),
  };
  try {
    return await Connection.connect(options);
  } catch (error) {
    throw unreachable(settings, error);
  }
}
