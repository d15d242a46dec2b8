/** Sizes in configuration (config/env.ts envByteSize): GRAPH_MAX_PAGE_BYTES as operators write it. */
import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../config/env';
import { graphEnv } from '../../config/fragments';

const pageBytes = (value?: string) =>
  parseEnv(
    { GRAPH_MAX_PAGE_BYTES: graphEnv.GRAPH_MAX_PAGE_BYTES },
    value === undefined ? {} : { GRAPH_MAX_PAGE_BYTES: value },
  ).GRAPH_MAX_PAGE_BYTES;

describe('GRAPH_MAX_PAGE_BYTES', () => {
  it('takes bytes or binary units, and defaults to 64 MiB', () => {
    expect(pageBytes()).toBe(64 * 1_024 * 1_024);
    expect(pageBytes('64MiB')).toBe(64 * 1_024 * 1_024);
    expect(pageBytes('512KiB')).toBe(512 * 1_024);
    expect(pageBytes('1048576')).toBe(1_048_576);
    expect(pageBytes('256MiB')).toBe(256 * 1_024 * 1_024);
    expect(pageBytes('64KiB')).toBe(64 * 1_024);
  });

  it.each(['64MB', '1.5MiB', ' 64MiB', '64 MiB', '-1', 'lots', '99999999999999MiB'])(
    'refuses %j',
    (value) => {
      expect(() => pageBytes(value)).toThrow(/^GRAPH_MAX_PAGE_BYTES must be a size such as 64MiB/);
    },
  );

  it.each(['65535', '63KiB', '257MiB', '1GiB'])('refuses %s as out of range', (value) => {
    expect(() => pageBytes(value)).toThrow(/^GRAPH_MAX_PAGE_BYTES must be from 64KiB to 256MiB/);
  });
});
