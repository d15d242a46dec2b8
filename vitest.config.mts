import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Temporal's native bridge misbehaves under worker threads; every test file gets a process.
    pool: 'forks',
    maxWorkers: 2,
    include: ['test/**/*.test.ts'],
    // Shared services for the whole run: one PostgreSQL cluster.
    globalSetup: ['test/setup/postgres.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
