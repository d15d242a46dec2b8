/** What an InventoryClient runs on; each concern module (tenants, syncs, reads, schedules) takes it. */
import { type Client, type Connection } from '@temporalio/client';
import { type DataSource } from 'typeorm';

export interface InventoryClientDeps {
  temporal: Client;
  /** Connected as the runtime role: row-level security applies to every read. */
  db: DataSource;
  /** Where sync workflows (and the schedules' trigger workflows) run. */
  taskQueue: string;
  /** Connections the client opened itself and closes in `close()`. */
  owned?: { temporalConnection?: Connection; db?: boolean };
}
