/**
 * The human tables' layout at a given terminal width: nothing changes when the table fits, the
 * widest cells are cut with "…" when it does not, headers stay whole as long as they can, rows
 * never wrap, and widths are display columns (CJK and emoji take two).
 */
import { describe, expect, it } from 'vitest';
import {
  displayWidth,
  fitColumnWidths,
  layoutTable,
  truncateToWidth,
  type LayoutCell,
} from '../../cli/table-layout';

const cells = (...texts: string[]): LayoutCell[] => texts.map((text) => ({ text }));

describe('truncateToWidth', () => {
  it.each([
    ['fits as it is', 'abcdef', 6, 'abcdef'],
    ['cut with an ellipsis in the last column', 'abcdef', 4, 'abc…'],
    ['no space left just before the ellipsis', 'ab cdef', 4, 'ab…'],
    ['one column is the ellipsis alone', 'abcdef', 1, '…'],
    ['zero columns is nothing', 'abcdef', 0, ''],
    ['wide characters count two', '日本語の名前', 7, '日本語…'],
    ['a wide character that would cross the edge is left out', '日本語', 4, '日…'],
    ['an emoji sequence is never split', 'a👨\u200D👩\u200D👧b', 3, 'a…'],
    ['an accent stays with its letter', 'ce\u0301ce\u0301', 3, 'ce\u0301…'],
  ])('%s', (_case, text, width, shown) => {
    expect(truncateToWidth(text, width)).toBe(shown);
    expect(displayWidth(truncateToWidth(text, width))).toBeLessThanOrEqual(width);
  });

  it('can only shorten an escape terminalText wrote, never bring back the character', () => {
    expect(truncateToWidth('ab\\x1b[31m', 5)).toBe('ab\\x…');
  });
});

describe('fitColumnWidths', () => {
  it('leaves widths alone when they fit, gaps included', () => {
    expect(fitColumnWidths([10, 20, 5], [2, 4, 1], 39)).toEqual([10, 20, 5]);
  });

  it('narrows the widest column first', () => {
    expect(fitColumnWidths([10, 20, 5], [2, 4, 1], 35)).toEqual([10, 16, 5]);
  });

  it('narrows equally wide columns in turn, rightmost first', () => {
    expect(fitColumnWidths([30, 30, 5], [2, 4, 1], 55)).toEqual([23, 23, 5]);
    expect(fitColumnWidths([30, 30, 5], [2, 4, 1], 56)).toEqual([24, 23, 5]);
  });

  it('keeps headers whole while values can give, then narrows headers too', () => {
    expect(fitColumnWidths([12, 40], [12, 4], 20)).toEqual([12, 6]);
    expect(fitColumnWidths([12, 40], [12, 4], 10)).toEqual([4, 4]);
  });

  it('cuts identifiers only when cutting everything else to its header is not enough', () => {
    expect(fitColumnWidths([36, 40, 8], [9, 4, 8], 70, [true])).toEqual([36, 22, 8]);
    expect(fitColumnWidths([36, 40, 8], [9, 4, 8], 40, [true])).toEqual([24, 4, 8]);
    expect(fitColumnWidths([36, 40, 8], [9, 4, 8], 70)).toEqual([29, 29, 8]);
  });

  it('goes no narrower than one column each', () => {
    expect(fitColumnWidths([12, 40, 8], [12, 4, 8], 3)).toEqual([1, 1, 1]);
  });
});

describe('layoutTable', () => {
  const headers = ['policy_type', 'display_name', 'n'];
  const rows = [
    cells('mobileApp', 'A very long application name that goes on and on', '1'),
    cells('deviceConfiguration', 'short', '22'),
  ];

  it('without a width (piped) writes every cell whole, as before', () => {
    expect(layoutTable(headers, rows)).toEqual([
      'policy_type          display_name                                      n',
      'mobileApp            A very long application name that goes on and on  1',
      'deviceConfiguration  short                                             22',
    ]);
  });

  it('at a terminal width cuts the widest column, one line per row, none longer than the width', () => {
    const lines = layoutTable(headers, rows, { width: 50 });
    expect(lines).toEqual([
      'policy_type          display_name               n',
      'mobileApp            A very long application…   1',
      'deviceConfiguration  short                      22',
    ]);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(50);
  });

  it('aligns columns by display width, not by UTF-16 length', () => {
    expect(layoutTable(['name', 'n'], [cells('日本', '1'), cells('abcd', '2')])).toEqual([
      'name  n',
      '日本  1',
      'abcd  2',
    ]);
  });

  it('paints each cell after cutting and pads outside the colour', () => {
    const paint = (text: string, tone: string | undefined) => (tone ? `<${tone}>${text}</>` : text);
    const lines = layoutTable(['status', 'x'], [[{ text: 'failed', tone: 'bad' }, { text: 'y' }]], {
      width: 9,
      paint,
    });
    expect(lines).toEqual(['<header>status</>  <header>x</>', '<bad>failed</>  y']);
  });
});
