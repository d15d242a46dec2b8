/**
 * The production build for real: `npm run build`, then its output laid out as the image holds it
 * (bin/, dist/, package.json and the installed packages; no sources, so bin/inventory.js runs
 * dist/) in a temporary folder, so this checkout keeps running its sources. The compiled worker
 * runs a sync end to end on the prebuilt workflow bundle; a bundle that does not match the
 * compiled code beside it is refused before the worker connects to anything.
 */
import { execFile } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../inventory/error-codes';
import { queryRows } from '../../db/sql';
import { useWorkerProcesses } from '../support/worker-process';

const ROOT = resolve(__dirname, '../..');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Run> {
  return new Promise((resolveRun) => {
    execFile(file, args, { ...options, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolveRun({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Lays the build out in `app` as the image holds it, the packages linked from this checkout. */
function installBuild(app: string): void {
  mkdirSync(app, { recursive: true });
  for (const entry of ['dist', 'bin', 'package.json']) {
    cpSync(join(ROOT, entry), join(app, entry), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(app, 'node_modules'));
}

/** `inventory …args` from an installed build, in a folder without a .env. */
function runInventory(app: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return run(process.execPath, [join(app, 'bin', 'inventory.js'), ...args], {
    cwd: mkdtempSync(join(tmpdir(), 'inventory-cwd-')),
    env: { PATH: process.env.PATH ?? '', NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS ?? '', ...env },
  });
}

const builds = mkdtempSync(join(tmpdir(), 'inventory-build-'));
const app = join(builds, 'app');

beforeAll(async () => {
  const build = await run('npm', ['run', 'build'], { cwd: ROOT });
  if (build.code !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
  installBuild(app);
}, 300_000);
// The copies only; the node_modules links inside are removed, not followed.
afterAll(() => rmSync(builds, { recursive: true, force: true }));

// Declared after the build: its hooks start the engine once the build is in place.
const workers = useWorkerProcesses({ bin: join(app, 'bin', 'inventory.js') });

describe('the build', () => {
  it('holds the production folders, the workflow bundle and its manifest, and no sources', () => {
    const { include } = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as {
      include: string[];
    };
    expect(readdirSync(join(app, 'dist')).sort()).toEqual(
      [...include, 'workflow-bundle.js', 'workflow-bundle.manifest.json'].sort(),
    );
    const manifest = JSON.parse(readFileSync(join(app, 'dist', 'workflow-bundle.manifest.json'), 'utf8')) as {
      inputs: Record<string, string>;
    };
    expect(Object.keys(manifest.inputs)).toContain('workflows/index.js');
    expect(existsSync(join(app, 'cli', 'main.ts'))).toBe(false);
  });

  it('answers a development command with one line: its tooling is not in the build', async () => {
    for (const command of ['dev', 'graph-sim']) {
      const result = await runInventory(app, [command]);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `error [dev_command_unavailable]: inventory ${command} is a development command and its tooling is not in this build; run it from a source checkout\n`,
      );
    }
  });
});

describe('the compiled worker', () => {
  it('syncs end to end on the prebuilt bundle, with exact counts', async () => {
    const { engine } = workers;
    const tenantId = await engine.addTenant({
      counts: { deviceConfiguration: 45, mobileApp: 30, assignmentFilter: 12 },
      pageSizes: { deviceConfiguration: 10, mobileApp: 7 },
    });
    const worker = await workers.start();

    const started = await engine.client.startSync({
      tenantId,
      selection: { policy_types: ['deviceConfiguration', 'mobileApp', 'assignmentFilter'] },
    });
    const result = await engine.client.waitForSync(started.workflowId);
    expect(result).toMatchObject({
      status: 'success',
      itemsObservedCount: 87,
      itemsUpsertedCount: 87,
      hadErrors: false,
      errorCodes: [],
    });
    const [items] = await queryRows<{ n: number }>(
      engine.db.admin,
      'SELECT count(*)::int AS n FROM inventory_items WHERE tenant_id = $1',
      [tenantId],
    );
    expect(items!.n).toBe(87);

    // It ran the build's bundle: no webpack at start, unlike a worker run from the sources.
    await worker.stop();
    const log = readFileSync(worker.logPath, 'utf8');
    expect(log).toContain(`"codePath":"${join(app, 'dist', 'workflow-bundle.js')}"`);
    expect(log).not.toContain('Workflow bundle created');
  }, 180_000);

  it.each([
    [
      'a compiled workflow file rebuilt without re-bundling',
      'workflows/reaper.js',
      'is stale: workflows/reaper.js changed since it was bundled',
    ],
    [
      'a bundle changed after the build',
      'workflow-bundle.js',
      'does not match its manifest: workflow-bundle.js was replaced or changed after the build',
    ],
  ])('refuses to start on %s, in one line with the code', async (_, file, problem) => {
    const stale = join(builds, `stale-${file.replace(/\W/g, '-')}`);
    installBuild(stale);
    appendFileSync(join(stale, 'dist', file), '\n// changed\n');

    const result = await runInventory(stale, ['worker'], workers.engine.workerProcessEnv());
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `error [workflow_bundle_stale]: the workflow bundle in ${join(stale, 'dist')} ${problem}\n` +
        `  hint: ${ERROR_CODES.workflow_bundle_stale.hint}\n`,
    );
  });
});
