/**
 * The tree's static checks as part of the test command, so CI (which runs only the README's test
 * command) fails on them: the type check, ESLint (the import boundaries of
 * eslint/import-boundaries.mjs among its rules) and Prettier, each over the whole tree, and no
 * merge conflict marker left in a tracked file (Prettier reformats those in Markdown, as
 * `> > > > > > > theirs`, and calls the file formatted).
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const run = promisify(execFile);

async function check(bin: string, args: string[]): Promise<string> {
  try {
    await run(resolve(ROOT, 'node_modules/.bin', bin), args, { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
    return '';
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    return `${stdout ?? ''}${stderr ?? ''}`.trim() || String(error);
  }
}

describe('static checks over the whole tree', () => {
  it('type-checks', async () => {
    expect(await check('tsc', ['--noEmit'])).toBe('');
  }, 180_000);

  it('lints clean, import boundaries included', async () => {
    expect(await check('eslint', ['.'])).toBe('');
  }, 180_000);

  it('holds no merge conflict markers', async () => {
    const markers = '^(<{7} |>{7} |> > > > > > > )';
    const found = await run('git', ['grep', '-n', '-E', markers, '--', '.'], { cwd: ROOT }).then(
      ({ stdout }) => stdout,
      // `git grep` exits 1 when nothing matches: the pass.
      (error: { code?: number; stdout?: string; stderr?: string }) =>
        error.code === 1 ? '' : `${error.stdout ?? ''}${error.stderr ?? ''}`,
    );
    expect(found).toBe('');
  });

  it('is formatted', async () => {
    expect(await check('prettier', ['--check', '.', '--log-level', 'warn'])).toBe('');
  }, 180_000);
});
