/** The one whole-number parser behind every numeric flag and the client's limits. */
import { describe, expect, it } from 'vitest';
import { parseWholeNumber } from '../../inventory/whole-number';

const range = { min: 1, max: 1000 };
const invalid = expect.objectContaining({ code: 'invalid_input' }) as Error;

describe('parseWholeNumber', () => {
  it.each([
    ['1', 1],
    ['1000', 1000],
    ['007', 7],
    [42, 42],
  ])('reads %j as %d', (value, n) => {
    expect(parseWholeNumber('--limit', value, range)).toBe(n);
  });

  it.each([
    '',
    ' ',
    ' 5 ',
    '5 ',
    '+5',
    '-5',
    '5.0',
    '1e2',
    '0x10',
    '0b1',
    '١٢',
    '5\u0000',
    '0',
    '1001',
    '9'.repeat(400),
    0,
    2.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    null,
    true,
    [5],
  ])('refuses %j with invalid_input naming the flag and the range', (value) => {
    expect(() => parseWholeNumber('--limit', value, range)).toThrow(invalid);
    expect(() => parseWholeNumber('--limit', value, range)).toThrow(
      '--limit must be a whole number from 1 to 1000, in plain digits',
    );
  });
});
