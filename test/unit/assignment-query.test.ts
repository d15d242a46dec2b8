/** The strict readers of assignment inputs (inventory/assignment-query.ts): scope tags. */
import { describe, expect, it } from 'vitest';
import { parseScopeTagInput } from '../../inventory/assignment-query';

describe('parseScopeTagInput', () => {
  it('takes an id or a name exactly as given', () => {
    expect(parseScopeTagInput('--scope-tag', '1')).toBe('1');
    expect(parseScopeTagInput('--scope-tag', 'Paris office')).toBe('Paris office');
  });

  it.each([' 1', '1 ', ' Paris', 'Paris\u00a0', '\t1'])(
    'refuses %j: surrounding whitespace, as --limit refuses " 5 "',
    (value) => {
      expect(() => parseScopeTagInput('--scope-tag', value)).toThrow(
        /^--scope-tag must (not begin or end with whitespace|not contain control characters)$/,
      );
    },
  );
});
