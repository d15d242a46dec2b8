/** Opens the thin client for one command and always closes it. */
import { InventoryClient } from '../client';

export async function withClient<T>(work: (client: InventoryClient) => Promise<T>): Promise<T> {
  const client = await InventoryClient.connect();
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}
