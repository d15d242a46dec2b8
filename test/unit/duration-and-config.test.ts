import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../inventory/duration';
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
    ['1500', 1500],
    ['0.5s', 500],
  ])('%s → %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'abc', '5 minutes', '10x', '-5s', 'h'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeNull();
  });
});

describe('parseEnv', () => {
  const shape = { ...databaseEnv, ...graphEnv, ...limitsEnv };

  it('applies defaults and treats empty strings as unset', () => {
    const config = parseEnv(shape, { SYNC_MAX_CONCURRENT_GLOBAL: '', GRAPH_BASE_URL: '' });
    expect(config.SYNC_MAX_CONCURRENT_GLOBAL).toBe(10);
    expect(config.SYNC_MAX_CONCURRENT_PER_TENANT).toBe(2);
    expect(config.GRAPH_BASE_URL).toBe('https://graph.microsoft.com');
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
