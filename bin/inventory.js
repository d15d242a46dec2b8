#!/usr/bin/env node
// The `inventory` command. In a source checkout (development, tests, scripts/dev) the TypeScript
// sources run through tsx's require hook, so the CLI, the worker and the dev stack execute the
// same files the tests do; a dist/ built there is ignored. A production build holds no sources
// (the image has bin/ and dist/ only) and runs the compiled JavaScript, without tsx.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { spawn } = require('node:child_process');

/** Set in the environment of the re-executed child only; it never reaches the commands. */
const REEXEC_MARKER = 'INVENTORY_REEXECUTED_CHILD';

// Settings files fill in what the environment leaves unset: ./.env, then, when no database is
// configured at all, the running dev stack's connection settings (written by `inventory dev`,
// which must not read its own).
const caBefore = process.env.NODE_EXTRA_CA_CERTS;
const dotEnv = join(process.cwd(), '.env');
if (existsSync(dotEnv)) process.loadEnvFile(dotEnv);
const devEnv = join(__dirname, '..', '.data', 'dev.env');
if (process.argv[2] !== 'dev' && !process.env.DATABASE_URL && existsSync(devEnv)) process.loadEnvFile(devEnv);

// The re-executed child (below) watches its parent through an IPC channel: when the parent is
// gone, even killed with SIGKILL, which it cannot pass on, the channel closes and the child stops
// as if sent SIGTERM (a worker shuts down gracefully). The channel must not keep the child alive.
if (process.env[REEXEC_MARKER] === '1' && typeof process.send === 'function') {
  delete process.env[REEXEC_MARKER];
  const parentGone = () => process.kill(process.pid, 'SIGTERM');
  process.once('disconnect', parentGone);
  if (!process.connected) parentGone();
  process.channel?.unref();
}

if (caBefore === undefined && process.env.NODE_EXTRA_CA_CERTS) {
  // Node reads NODE_EXTRA_CA_CERTS only at start-up: run again with it in the environment.
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [REEXEC_MARKER]: '1' },
  });
  // Ctrl-C reaches the whole process group, the child included; a SIGTERM sent to this process
  // alone (a process manager) is passed on.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else if (existsSync(join(__dirname, '..', 'cli', 'main.ts'))) {
  require('tsx/cjs');
  require('../cli/main.ts');
} else {
  require('../dist/cli/main.js');
}
