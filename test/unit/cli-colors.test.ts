/**
 * When human output is coloured: only on a terminal that has colours, and never with NO_COLOR
 * (https://no-color.org) or FORCE_COLOR=0, whatever else is set; and what printTable writes to a
 * terminal and to a pipe.
 */
import { describe, expect, it } from 'vitest';
import { colorsEnabled, painter } from '../../cli/colors';
import { printTable, toned } from '../../cli/output';
import { RAW_TERMINAL_CONTROL } from '../support/terminal';

const terminal = { isTTY: true, hasColors: () => true };
const SGR = new RegExp(String.raw`\x1b\[\d+m`, 'g');

describe('colorsEnabled', () => {
  it.each([
    ['a terminal with colours', terminal, {}, true],
    ['a pipe', { hasColors: () => true }, {}, false],
    ['a pipe with FORCE_COLOR=1', { hasColors: () => true }, { FORCE_COLOR: '1' }, false],
    ['a terminal with NO_COLOR', terminal, { NO_COLOR: '1' }, false],
    ['a terminal with NO_COLOR and FORCE_COLOR=1', terminal, { NO_COLOR: '1', FORCE_COLOR: '1' }, false],
    ['a terminal with an empty NO_COLOR (the spec: set and not empty)', terminal, { NO_COLOR: '' }, true],
    ['a terminal with FORCE_COLOR=0', terminal, { FORCE_COLOR: '0' }, false],
    ['a terminal without colours (TERM=dumb)', { isTTY: true, hasColors: () => false }, {}, false],
  ])('%s: %s', (_case, stream, env, enabled) => {
    expect(colorsEnabled(stream, env)).toBe(enabled);
  });
});

describe('painter', () => {
  it('adds colour only when enabled, and never to an empty cell', () => {
    expect(painter(true)('failed', 'bad')).toBe('\x1b[31mfailed\x1b[39m');
    expect(painter(false)('failed', 'bad')).toBe('failed');
    expect(painter(true)('', 'bad')).toBe('');
    expect(painter(true)('plain', undefined)).toBe('plain');
  });
});

describe('printTable on a terminal and on a pipe', () => {
  function capture(stream: Partial<NodeJS.WriteStream>): { out: () => string; stream: NodeJS.WriteStream } {
    let text = '';
    const target = { ...stream, write: (chunk: string) => ((text += chunk), true) };
    return { out: () => text, stream: target as unknown as NodeJS.WriteStream };
  }
  const rows = [
    { tenant: 'Contoso \x1b[2J', status: toned('failed', 'bad'), note: 'x'.repeat(80) },
    { tenant: 'Fabrikam', status: toned('success', 'good'), note: 'short' },
  ];

  it('piped: whole and plain, exactly as without tones', () => {
    const piped = capture({ isTTY: false });
    printTable(rows, piped.stream);
    expect(piped.out()).not.toMatch(SGR);
    expect(piped.out().split('\n')[1]).toBe(`Contoso \\x1b[2J  failed   ${'x'.repeat(80)}`);
  });

  it('on a 60-column terminal: coloured, cut to the width, no raw control from the data', () => {
    const previous = process.env.NO_COLOR;
    delete process.env.NO_COLOR;
    try {
      const tty = capture({ isTTY: true, columns: 60, hasColors: () => true });
      printTable(rows, tty.stream);
      const lines = tty.out().trimEnd().split('\n');
      expect(tty.out()).toMatch(SGR);
      for (const line of lines) {
        expect(line.replace(SGR, '').length).toBeLessThanOrEqual(60);
        expect(line.replace(SGR, '')).not.toMatch(RAW_TERMINAL_CONTROL);
      }
      expect(lines[1]!.replace(SGR, '')).toMatch(/^Contoso \\x1b\[2J {2}failed {3}x+…$/);
    } finally {
      if (previous !== undefined) process.env.NO_COLOR = previous;
    }
  });

  it('on a terminal with NO_COLOR: cut to the width but plain', () => {
    const previous = process.env.NO_COLOR;
    process.env.NO_COLOR = '1';
    try {
      const tty = capture({ isTTY: true, columns: 60, hasColors: () => true });
      printTable(rows, tty.stream);
      expect(tty.out()).not.toMatch(SGR);
      expect(tty.out()).toContain('…');
    } finally {
      if (previous === undefined) delete process.env.NO_COLOR;
      else process.env.NO_COLOR = previous;
    }
  });
});
