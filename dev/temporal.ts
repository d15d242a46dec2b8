/**
 * The dev stack's Temporal: the service at TEMPORAL_ADDRESS when one answers there, otherwise the
 * dev server (`temporal server start-dev`) with its UI, persisting to the data dir.
 */
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { startTemporalDevServer } from './temporal-dev-server';

export interface DevTemporal {
  address: string;
  namespace: string;
  uiUrl: string | null;
  description: string;
  stop(): Promise<void>;
}

async function reachable(address: string): Promise<boolean> {
  try {
    const connection = await Connection.connect({ address, connectTimeout: 2_000 });
    await connection.close();
    return true;
  } catch {
    return false;
  }
}

export async function startDevTemporal(options: {
  dataDir: string;
  port: number;
  uiPort: number;
  env: NodeJS.ProcessEnv;
}): Promise<DevTemporal> {
  const namespace = options.env.TEMPORAL_NAMESPACE ?? 'default';
  const configured = options.env.TEMPORAL_ADDRESS;
  if (configured && (await reachable(configured))) {
    return {
      address: configured,
      namespace,
      uiUrl: null,
      description: `${configured} (TEMPORAL_ADDRESS)`,
      stop: async () => {},
    };
  }
  const server = await startTemporalDevServer({
    port: options.port,
    uiPort: options.uiPort,
    dbFilename: join(options.dataDir, 'temporal.db'),
    namespace,
  });
  return {
    address: server.address,
    namespace,
    uiUrl: server.uiUrl,
    description: `${server.address} (dev server, history in ${join(options.dataDir, 'temporal.db')})`,
    stop: () => server.stop(),
  };
}
