/** Keyset cursors and page limits of the data layer (pure logic). */
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, parsePageLimit } from '../../db/pagination';

describe('cursors', () => {
  it('round-trip their sort key, including text that needs escaping', () => {
    const key = ['deviceConfiguration', '2026-11-24T23:46:02.123456Z', 'id "with" / quotes ✓'];
    const cursor = encodeCursor('missing', key);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor('missing', cursor, ['text', 'timestamp', 'text'])).toEqual(key);
  });

  it.each([
    ['another list', encodeCursor('items', ['a', 'b'])],
    ['a different shape', encodeCursor('runs', ['a'])],
    [
      'a malformed timestamp',
      encodeCursor('runs', ['2026-11-24 23:46:02', '00000000-0000-0000-0000-000000000000']),
    ],
    ['a malformed uuid', encodeCursor('runs', ['2026-11-24T23:46:02.000000Z', "x' OR 1=1"])],
    ['not base64 JSON', 'definitely not a cursor'],
    ['a JSON object', Buffer.from('{"a":1}').toString('base64url')],
  ])('are refused with invalid_input when they carry %s', (_, cursor) => {
    expect(() => decodeCursor('runs', cursor, ['timestamp', 'uuid'])).toThrow(
      expect.objectContaining({ code: 'invalid_input' }) as Error,
    );
  });
});

describe('parsePageLimit', () => {
  it('accepts whole numbers from 1 to 1000 only', () => {
    expect(parsePageLimit(1)).toBe(1);
    expect(parsePageLimit(1000)).toBe(1000);
    for (const bad of [0, -1, 1001, 2.5, Number.NaN]) {
      expect(() => parsePageLimit(bad)).toThrow(expect.objectContaining({ code: 'invalid_input' }) as Error);
    }
  });
});
