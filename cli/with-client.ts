/** Opens the thin client for one command and always closes it. */
import { InventoryClient } from '../client';

/**
 * Runs `work` on a client connected from the environment and closes it whether `work` succeeds or
 * throws; connecting fails with `config_invalid`, `db_error` or `temporal_unavailable`.
 */
export async function withClient<T>(work: (client: InventoryClient) => Promise<T>): Promise<T> {
  const client = await InventoryClient.connect();
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}
