/**
 * How the CLI prints an expected failure: a configuration error is one line naming the setting,
 * every other error keeps its hint line, and --json carries the hint either way.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { reportFailure } from '../../cli/output';
import { ConfigError } from '../../config/env';
import { ERROR_CODES, InventoryError } from '../../inventory/error-codes';

let stderr: string;

beforeEach(() => {
  stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('reportFailure', () => {
  it('prints a configuration error as exactly one line', () => {
    const code = reportFailure(
      new ConfigError('SYNC_MAX_CONCURRENT_GLOBAL must be a whole number (got "lots")'),
    );
    expect(stderr).toBe(
      'error [config_invalid]: SYNC_MAX_CONCURRENT_GLOBAL must be a whole number (got "lots")\n',
    );
    expect(code).toBe(1);
  });

  it('keeps the hint line for other errors', () => {
    const code = reportFailure(new InventoryError('invalid_input', '--port must be a whole number'));
    expect(stderr).toBe(
      `error [invalid_input]: --port must be a whole number\n  hint: ${ERROR_CODES.invalid_input.hint}\n`,
    );
    expect(code).toBe(2);
  });

  it('still gives the hint of a configuration error with --json', () => {
    reportFailure(new ConfigError('DATABASE_URL is required'), { json: true });
    expect(JSON.parse(stderr)).toEqual({
      error: {
        code: 'config_invalid',
        message: 'DATABASE_URL is required',
        hint: ERROR_CODES.config_invalid.hint,
      },
    });
  });
});
