/**
 * The tree's static checks as part of the test command, so CI (which runs only the README's test
 * command) fails on them: the type check, ESLint (the import boundaries of
 * eslint/import-boundaries.mjs among its rules) and Prettier, each over the whole tree.
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

  it('is formatted', async () => {
    expect(await check('prettier', ['--check', '.', '--log-level', 'warn'])).toBe('');
  }, 180_000);
});
