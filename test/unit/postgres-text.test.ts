/** sanitizeText: what PostgreSQL refuses is removed or repaired, and cuts never split a character. */
import { describe, expect, it } from 'vitest';
import { sanitizeText } from '../../inventory/postgres-text';

describe('sanitizeText', () => {
  it('bounds by code points without splitting surrogate pairs', () => {
    expect(sanitizeText('🔒🔒🔒', 2)).toBe('🔒🔒');
    expect(sanitizeText(`${'x'.repeat(9)}🔒`, 10)).toBe(`${'x'.repeat(9)}🔒`);
  });

  it('removes U+0000 and replaces lone surrogates', () => {
    expect(sanitizeText('a\u0000b', 10)).toBe('ab');
    expect(sanitizeText('a\ud83d', 10)).toBe('a\ufffd');
    expect(sanitizeText('\udd12b', 10)).toBe('\ufffdb');
  });

  it('marks a cut, and only a cut', () => {
    expect(sanitizeText('abcdef', 3, '…')).toBe('abc…');
    expect(sanitizeText('abc', 3, '…')).toBe('abc');
    expect(sanitizeText('ab\u0000c', 3, '…')).toBe('abc');
    expect(sanitizeText('🔒🔒', 3, '…')).toBe('🔒🔒');
  });
});
