import { describe, expect, it } from 'vitest';
import {
  parseDuration,
  parseDurationInput,
  SCHEDULE_EVERY_RANGE,
  SCHEDULE_JITTER_RANGE,
} from '../../inventory/duration';
import { ConfigError, parseEnv } from '../../config/env';
import { databaseEnv, graphEnv, limitsEnv } from '../../config/fragments';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['10m', 600_000],
    ['6h', 21_600_000],
    ['1d', 86_400_000],
    ['1h30m', 5_400_000],
    ['0', 0],
    ['1d2h3m4s5ms', 93_784_005],
    ['0.5s', 500],
  ])('%s → %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    '',
    'abc',
    '5 minutes',
    '10x',
    '-5s',
    'h',
    ' 30s',
    '30s ',
    '1e3s',
    '0x10s',
    '6h\u0000',
    // A unit is required (found by a user: GRAPH_REQUEST_TIMEOUT=30 meant 30 ms), once each, largest first.
    '30',
    '60000',
    '30s30s',
    '1d1d',
    '0m1m',
    '30m1h',
  ])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeNull();
  });
});

describe('parseDurationInput', () => {
  const invalid = expect.objectContaining({ code: 'invalid_input' }) as Error;

  it('reads text and whole milliseconds within the range', () => {
    expect(parseDurationInput('--every', '6h', SCHEDULE_EVERY_RANGE)).toBe(21_600_000);
    expect(parseDurationInput('every', 60_000, SCHEDULE_EVERY_RANGE)).toBe(60_000);
    expect(parseDurationInput('--every', '365d', SCHEDULE_EVERY_RANGE)).toBe(365 * 86_400_000);
    expect(parseDurationInput('--jitter', '0s', SCHEDULE_JITTER_RANGE)).toBe(0);
  });

  it.each([
    ['99999999999999d', 'must be from 1m to 365d'],
    [`${'9'.repeat(400)}d`, 'must be from 1m to 365d'],
    ['366d', 'must be from 1m to 365d'],
    ['59s', 'must be from 1m to 365d'],
    [Number.MAX_SAFE_INTEGER, 'must be from 1m to 365d'],
    [Number.POSITIVE_INFINITY, 'must be from 1m to 365d'],
    ['', 'must be a duration such as 30m, 6h or 1d (from 1m to 365d)'],
    [' 6h ', 'must be a duration such as 30m, 6h or 1d (from 1m to 365d)'],
    ['6 hours', 'must be a duration such as 30m, 6h or 1d (from 1m to 365d)'],
    [60_000.5, 'must be a duration such as 30m, 6h or 1d (from 1m to 365d)'],
    [Number.NaN, 'must be a duration such as 30m, 6h or 1d (from 1m to 365d)'],
    [null, 'must be a duration such as 30m, 6h or 1d (from 1m to 365d)'],
    [{ ms: 60_000 }, 'must be a duration such as 30m, 6h or 1d (from 1m to 365d)'],
  ])('refuses %j, saying the bound', (value, message) => {
    expect(() => parseDurationInput('--every', value, SCHEDULE_EVERY_RANGE)).toThrow(invalid);
    expect(() => parseDurationInput('--every', value, SCHEDULE_EVERY_RANGE)).toThrow(`--every ${message}`);
  });
});

describe('parseEnv', () => {
  const shape = { ...databaseEnv, ...graphEnv, ...limitsEnv };

  it('applies defaults and treats empty strings as unset', () => {
    const config = parseEnv(shape, { SYNC_MAX_CONCURRENT_GLOBAL: '', GRAPH_BASE_URL: '', GRAPH_CLOUD: '' });
    expect(config.SYNC_MAX_CONCURRENT_GLOBAL).toBe(10);
    expect(config.SYNC_MAX_CONCURRENT_PER_TENANT).toBe(2);
    // Unset: the cloud's Graph (config/worker.ts resolves it).
    expect(config.GRAPH_BASE_URL).toBeUndefined();
    expect(config.GRAPH_CLOUD).toBe('global');
    expect(config.INVENTORY_ALLOW_RLS_BYPASS).toBe(false);
  });

  it('fails with one line naming the variable', () => {
    expect(() => parseEnv(shape, { SYNC_MAX_CONCURRENT_GLOBAL: 'lots' })).toThrow(
      new ConfigError('SYNC_MAX_CONCURRENT_GLOBAL must be a whole number (got "lots")'),
    );
    expect(() => parseEnv(shape, { GRAPH_BASE_URL: 'http://graph.local' })).toThrow(
      /^GRAPH_BASE_URL must use https/,
    );
    expect(() => parseEnv(shape, { SYNC_SLOT_WAIT: 'forever' })).toThrow(
      /^SYNC_SLOT_WAIT must be a duration/,
    );
  });

  it('parses booleans strictly ("false" is false, typos fail)', () => {
    expect(parseEnv(shape, { INVENTORY_ALLOW_RLS_BYPASS: 'false' }).INVENTORY_ALLOW_RLS_BYPASS).toBe(false);
    expect(parseEnv(shape, { INVENTORY_ALLOW_RLS_BYPASS: 'true' }).INVENTORY_ALLOW_RLS_BYPASS).toBe(true);
    expect(() => parseEnv(shape, { INVENTORY_ALLOW_RLS_BYPASS: 'ture' })).toThrow(
      /INVENTORY_ALLOW_RLS_BYPASS must be true or false/,
    );
  });

  it('never echoes secret values', () => {
    let message = '';
    try {
      parseEnv(shape, { DATABASE_URL: 'mysql://user:hunter2@db/x' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ connection URL$/);
    expect(message).not.toContain('hunter2');
  });
});
