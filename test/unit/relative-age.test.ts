/** relativeAge: the ages human tables show instead of ISO instants. */
import { describe, expect, it } from 'vitest';
import { relativeAge } from '../../cli/relative-age';

const NOW = new Date('2026-03-10T12:00:00.000Z');
const before = (ms: number) => new Date(NOW.getTime() - ms);
const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;
const D = 24 * H;

describe('relativeAge', () => {
  it.each([
    [0, 'just now'],
    [999, 'just now'],
    [S, '1 s ago'],
    [59 * S + 999, '59 s ago'],
    [MIN, '1 min ago'],
    [90 * MIN, '90 min ago'],
    [2 * H - 1, '119 min ago'],
    [2 * H, '2 h ago'],
    [3 * H + 59 * MIN, '3 h ago'],
    [47 * H + 59 * MIN, '47 h ago'],
    [2 * D, '2 d ago'],
    [400 * D + 23 * H, '400 d ago'],
  ])('%i ms before now is %s', (ms, shown) => {
    expect(relativeAge(before(ms), NOW)).toBe(shown);
  });

  it('shows an instant after now (clocks apart) as "in …", never a negative age', () => {
    expect(relativeAge(before(-5 * S), NOW)).toBe('in 5 s');
    expect(relativeAge(before(-3 * H), NOW)).toBe('in 3 h');
  });

  it('shows null as never', () => {
    expect(relativeAge(null, NOW)).toBe('never');
  });
});
