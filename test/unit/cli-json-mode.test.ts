/**
 * Which failures the CLI prints as JSON (cli/program.ts wantsJson): a `--json` option, wherever
 * it stands, but not a `--json` that is another option's value or an operand after `--` (a user
 * found `tenant add --name --json` renamed the tenant "--json" in human mode while its errors came
 * out as JSON).
 */
import { describe, expect, it } from 'vitest';
import { createProgram, wantsJson } from '../../cli/program';

const T = '11111111-2222-4333-8444-555555555555';

describe('wantsJson', () => {
  it.each([
    [['tenant', 'list', '--json'], true],
    [['--json', 'tenant', 'list'], true],
    [['runs', '--tenant', T, '--json', '--bogus'], true],
    [['runs', '--tenant', T, '--limit', '5', '--json'], true],
    [['tenant', 'add', '--tenant', T, '--name', '--json'], false],
    [['schedule', 'delete', '--id', '--json'], false],
    [['tenant', 'list', '--', '--json'], false],
    [['tenant', 'list'], false],
    [['items', '--tenant', T, '--format', 'json'], true],
    [['items', '--tenant', T, '--format', 'ndjson', '--bogus'], true],
    [['items', '--tenant', T, '--format=json'], true],
    [['items', '--tenant', T, '--format', 'csv'], false],
    [['items', '--tenant', T, '--format', 'jsonl'], false],
    [['items', '--tenant', T, '--search', '--format', 'json'], false],
  ])('%j → %s', (args, expected) => {
    expect(wantsJson(createProgram(), args)).toBe(expected);
  });
});
