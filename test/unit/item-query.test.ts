/** The inputs of item reads: when `--changed-since` is, and what a search pattern matches. */
import { describe, expect, it } from 'vitest';
import { containsPattern } from '../../db/like';
import { parseChangedSince, parseExternalId, parseSearchText } from '../../inventory/item-query';

const NOW = new Date('2026-06-15T12:00:00.000Z');

describe('parseChangedSince', () => {
  it.each([
    ['2026-05-01', '2026-05-01T00:00:00.000Z'],
    ['2026-05-01T08:00Z', '2026-05-01T08:00:00.000Z'],
    ['2026-05-01T08:00:30Z', '2026-05-01T08:00:30.000Z'],
    ['2026-05-01T08:00:30.123456Z', '2026-05-01T08:00:30.123Z'],
    ['2026-05-01T10:00+02:00', '2026-05-01T08:00:00.000Z'],
    ['2026-04-30T23:30-08:30', '2026-05-01T08:00:00.000Z'],
    ['2024-02-29T00:00Z', '2024-02-29T00:00:00.000Z'],
    ['24h', '2026-06-14T12:00:00.000Z'],
    ['1d12h', '2026-06-14T00:00:00.000Z'],
    ['90m', '2026-06-15T10:30:00.000Z'],
    ['0', '2026-06-15T12:00:00.000Z'],
  ])('%s is %s', (text, iso) => {
    expect(parseChangedSince('--changed-since', text, NOW).toISOString()).toBe(iso);
  });

  it.each(['2025-02-29', '2026-04-31T00:00Z', '2026-05-01T23:60Z', '2026-05-01T08:00:61Z', '0000-01-01'])(
    'refuses %s, which is no real time',
    (text) => {
      expect(() => parseChangedSince('--changed-since', text, NOW)).toThrow(/must be an ISO 8601 time/);
    },
  );
});

describe('parseSearchText', () => {
  it('counts code points: 256 emoji are 256 characters', () => {
    expect(parseSearchText('search', '😀'.repeat(256))).toHaveLength(512);
    expect(() => parseSearchText('search', '😀'.repeat(257))).toThrow(/257 characters long/);
  });
});

describe('parseExternalId', () => {
  it('keeps control characters a Graph id may hold, but not NUL', () => {
    expect(parseExternalId('id', 'a\u001bb')).toBe('a\u001bb');
    expect(() => parseExternalId('id', 'a\u0000b')).toThrow(/item id of 1 to 256/);
  });
});

describe('containsPattern', () => {
  it.each([
    ['abc', '%abc%'],
    ['50%_off', '%50\\%\\_off%'],
    ['back\\slash', '%back\\\\slash%'],
    ['\\', '%\\\\%'],
  ])('%s → %s', (text, pattern) => {
    expect(containsPattern(text)).toBe(pattern);
  });
});
