/** Keyset cursors and page limits of the data layer (pure logic). */
import { describe, expect, it } from 'vitest';
import {
  decodeCursor,
  encodeCursor,
  MAX_CURSOR_LENGTH,
  parseCursorText,
  parsePageLimit,
} from '../../db/pagination';

const invalid = expect.objectContaining({ code: 'invalid_input' }) as Error;
const RUN_ID = '00000000-0000-4000-8000-000000000000';
const AT = '2026-11-24T23:46:02.123456Z';

/** A well-formed missing-list cursor whose key parts are `parts`, as a forger would build it. */
const missingCursor = (...parts: unknown[]): string =>
  Buffer.from(JSON.stringify(['missing', ...parts]), 'utf8').toString('base64url');
const MISSING_PARTS = ['uuid', 'policyType', 'timestamp', 'text'] as const;

describe('cursors', () => {
  it('round-trip their sort key, including text that needs escaping', () => {
    const key = ['deviceConfiguration', AT, 'id "with" / quotes ✓ and a\ttab'];
    const cursor = encodeCursor('missing', key);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor('missing', cursor, ['policyType', 'timestamp', 'text'])).toEqual(key);
  });

  it('stay within MAX_CURSOR_LENGTH for the longest key the service encodes', () => {
    const longestId = '\u0001'.repeat(256);
    const cursor = encodeCursor('missing', [RUN_ID, 'windowsAutopilotDeploymentProfile', AT, longestId]);
    expect(cursor.length).toBeLessThan(MAX_CURSOR_LENGTH);
    expect(decodeCursor('missing', cursor, MISSING_PARTS)[3]).toBe(longestId);
  });

  it.each([
    ['another list', encodeCursor('items', ['a', 'b'])],
    ['a different shape', encodeCursor('runs', ['a'])],
    [
      'a malformed timestamp',
      encodeCursor('runs', ['2026-11-24 23:46:02', '00000000-0000-0000-0000-000000000000']),
    ],
    ['a malformed uuid', encodeCursor('runs', ['2026-11-24T23:46:02.000000Z', "x' OR 1=1"])],
    ['an upper-case uuid', encodeCursor('runs', [AT, 'ABCDEF00-0000-4000-8000-000000000000'])],
    ['not base64 JSON', 'definitely not a cursor'],
    ['a JSON object', Buffer.from('{"a":1}').toString('base64url')],
  ])('are refused with invalid_input when they carry %s', (_, cursor) => {
    expect(() => decodeCursor('runs', cursor, ['timestamp', 'uuid'])).toThrow(invalid);
  });

  it.each([
    ['30 February', [RUN_ID, 'mobileApp', '2026-02-30T00:00:00.000000Z', 'x']],
    ['year 0000', [RUN_ID, 'mobileApp', '0000-01-01T00:00:00.000000Z', 'x']],
    ['hour 24', [RUN_ID, 'mobileApp', '2026-01-01T24:00:00.000000Z', 'x']],
    ['second 60', [RUN_ID, 'mobileApp', '2026-01-01T23:59:60.000000Z', 'x']],
    ['month 13', [RUN_ID, 'mobileApp', '2026-13-01T00:00:00.000000Z', 'x']],
    ['a NUL in the item id', [RUN_ID, 'mobileApp', AT, 'x\u0000y']],
    ['a lone surrogate in the item id', [RUN_ID, 'mobileApp', AT, 'x\ud800']],
    ['an item id longer than any item has', [RUN_ID, 'mobileApp', AT, 'x'.repeat(257)]],
    ['an unknown policy type', [RUN_ID, 'noSuchType', AT, 'x']],
    ['a number for text', [RUN_ID, 'mobileApp', AT, 5]],
    ['null for a uuid', [null, 'mobileApp', AT, 'x']],
    ['an extra part', [RUN_ID, 'mobileApp', AT, 'x', 'y']],
  ])('are refused when well-formed but forged: %s', (_, parts) => {
    expect(() => decodeCursor('missing', missingCursor(...parts), MISSING_PARTS)).toThrow(invalid);
  });

  it('accept a real leap day and the first and last instants PostgreSQL and the cursor share', () => {
    for (const at of [
      '2028-02-29T12:00:00.000000Z',
      '0001-01-01T00:00:00.000000Z',
      '9999-12-31T23:59:59.999999Z',
    ]) {
      expect(decodeCursor('missing', missingCursor(RUN_ID, 'mobileApp', at, 'x'), MISSING_PARTS)[2]).toBe(at);
    }
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['padded', ` ${encodeCursor('runs', [AT, RUN_ID])} `],
    ['a control character', 'abc\u0007'],
    ['base64 padding', 'YQ=='],
    ['standard base64 characters', 'a+b/'],
    ['too long', 'A'.repeat(MAX_CURSOR_LENGTH + 1)],
    ['not a string', 42],
  ])('are refused by their form before decoding: %s', (_, value) => {
    expect(() => parseCursorText(value, '--cursor')).toThrow(invalid);
    expect(() => parseCursorText(value, '--cursor')).toThrow(/^--cursor must be a cursor/);
    expect(() => decodeCursor('runs', value, ['timestamp', 'uuid'])).toThrow(invalid);
  });
});

describe('parsePageLimit', () => {
  it('accepts whole numbers from 1 to 1000, as numbers or plain digits', () => {
    expect(parsePageLimit(1)).toBe(1);
    expect(parsePageLimit(1000)).toBe(1000);
    expect(parsePageLimit('20', '--limit')).toBe(20);
  });

  it.each([0, -1, 1001, 2.5, Number.NaN, '1e2', '0x10', ' 5 ', '5.0', '+5', '', undefined])(
    'refuses %j naming the label',
    (bad) => {
      expect(() => parsePageLimit(bad, '--limit')).toThrow(invalid);
      expect(() => parsePageLimit(bad, '--limit')).toThrow(/^--limit must be a whole number from 1 to 1000/);
    },
  );
});
