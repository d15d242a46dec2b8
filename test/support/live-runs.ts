/** Live (pending or running) run rows, counted and watched: what the concurrency caps bound. */
import { type DataSource } from 'typeorm';
import { queryRows } from '../../db/sql';

/** Live run rows of one tenant, or of all tenants, read as the owner (across tenants). */
export async function liveRunCount(db: DataSource, tenantId?: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    `SELECT count(*)::int AS n FROM inventory_sync_runs WHERE status IN ('pending', 'running') AND ($1::uuid IS NULL OR tenant_id = $1)`,
    [tenantId ?? null],
  );
  return row!.n;
}

/** Samples liveRunCount every 25 ms until stopped; `stop()` answers the maximum seen. */
export function watchLiveRuns(db: DataSource, tenantId?: string): { stop(): Promise<number> } {
  let max = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      max = Math.max(max, await liveRunCount(db, tenantId));
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return max;
    },
  };
}
