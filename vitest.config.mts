import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Temporal's native bridge misbehaves under worker threads; every test file gets a process.
    pool: 'forks',
    maxWorkers: 2,
    include: ['test/**/*.test.ts'],
    // Shared services for the whole run: one PostgreSQL cluster, the simulator's TLS material
    // (NODE_EXTRA_CA_CERTS must be set before test processes start) and one Temporal dev server.
    globalSetup: ['test/setup/postgres.ts', 'test/setup/graph-tls.ts', 'test/setup/temporal.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
