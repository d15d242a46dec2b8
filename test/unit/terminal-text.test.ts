/**
 * terminalText, each kind of character it must show instead of letting the terminal act on it,
 * and what it must keep as it is; then the CLI's printers, which apply it to every human line.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { printLine, printTable, reportFailure } from '../../cli/output';
import { createProgressDisplay } from '../../cli/progress-display';
import { terminalText } from '../../cli/terminal-text';
import { InventoryError } from '../../inventory/error-codes';
import { type SyncProgress } from '../../client';
import { RAW_TERMINAL_CONTROL } from '../support/terminal';

describe('terminalText', () => {
  it.each([
    ['ESC/CSI colour', 'a\x1b[31mred\x1b[0m', 'a\\x1b[31mred\\x1b[0m'],
    ['OSC window title ended by BEL', '\x1b]0;owned\x07x', '\\x1b]0;owned\\x07x'],
    ['OSC ended by ST', '\x1b]8;;https://evil\x1b\\link', '\\x1b]8;;https://evil\\x1b\\\\link'],
    ['BEL', 'ding\x07', 'ding\\x07'],
    ['CR (overwrites the line)', 'safe\rEVIL', 'safe\\rEVIL'],
    ['backspace', 'abc\b\b\bxyz', 'abc\\x08\\x08\\x08xyz'],
    ['tab', 'a\tb', 'a\\tb'],
    ['newline', 'one\ntwo', 'one\\ntwo'],
    ['NUL and other C0', '\x00\x01\x1f', '\\x00\\x01\\x1f'],
    ['DEL', 'x\x7f', 'x\\x7f'],
    ['C1 NEL', 'a\u0085b', 'a\\x85b'],
    ['C1 single-byte CSI', '\u009b31mred', '\\x9b31mred'],
    ['bidi override RLO', 'invoice\u202Egnp.exe', 'invoice\\u202egnp.exe'],
    ['bidi embeddings and PDF', '\u202A\u202B\u202C\u202D', '\\u202a\\u202b\\u202c\\u202d'],
    ['bidi isolates', '\u2066a\u2067b\u2068c\u2069', '\\u2066a\\u2067b\\u2068c\\u2069'],
    ['bidi marks', '\u200E\u200F\u061C', '\\u200e\\u200f\\u061c'],
    ['line and paragraph separators', 'a\u2028b\u2029c', 'a\\u2028b\\u2029c'],
    ['backslash, so a shown escape is unambiguous', 'C:\\x1b', 'C:\\\\x1b'],
  ])('shows %s as escapes', (_kind, input, shown) => {
    expect(terminalText(input)).toBe(shown);
    expect(terminalText(input)).not.toMatch(RAW_TERMINAL_CONTROL);
  });

  it.each([
    ['plain ASCII', 'Contoso Ltd. (EU) #1'],
    ['accented letters', 'Société Générale Müller'],
    ['CJK and Arabic text', '日本の会社 شركة'],
    ['emoji', '🚀 team 😀'],
    // Zero-width joiners stay: emoji sequences and Indic/Persian scripts need them, and they
    // cannot move, recolour or hide other text.
    ['an emoji ZWJ sequence', '👨\u200D👩\u200D👧'],
    ['a zero-width non-joiner', 'می\u200Cخواهم'],
  ])('keeps %s as it is', (_kind, input) => {
    expect(terminalText(input)).toBe(input);
  });

  it('never produces a line break, whatever the input', () => {
    const everyControl = Array.from({ length: 0xa0 }, (_, i) => String.fromCharCode(i)).join('');
    const shown = terminalText(everyControl);
    expect(shown).not.toMatch(RAW_TERMINAL_CONTROL);
    expect(shown).not.toContain('\n');
  });
});

describe('the CLI printers', () => {
  let stdout: string;
  let stderr: string;

  beforeEach(() => {
    stdout = '';
    stderr = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdout += String(chunk);
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr += String(chunk);
      return true;
    });
  });

  afterEach(() => {
    vi.restoreAllMocks();
    delete process.env.INVENTORY_DEBUG;
  });

  const evil = 'evil\x1b]0;title\x07\u202Eeman\nsecond';
  const shown = 'evil\\x1b]0;title\\x07\\u202eeman\\nsecond';

  it('printLine escapes the whole line', () => {
    printLine(`tenant x (${evil})`);
    expect(stdout).toBe(`tenant x (${shown})\n`);
  });

  it('printTable escapes cells before measuring columns, one row per line', () => {
    printTable([
      { id: 'a', name: evil, n: 1 },
      { id: 'b', name: 'plain', n: 2 },
    ]);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toEqual([
      `id  name${' '.repeat(shown.length - 4)}  n`,
      `a   ${shown}  1`,
      `b   plain${' '.repeat(shown.length - 5)}  2`,
    ]);
    expect(stdout).not.toMatch(RAW_TERMINAL_CONTROL);
  });

  it('reportFailure escapes the message of the human line but keeps it exact in JSON', () => {
    reportFailure(new InventoryError('invalid_input', `bad ${evil}`));
    expect(stderr.split('\n')[0]).toBe(`error [invalid_input]: bad ${shown}`);
    expect(stderr).not.toMatch(RAW_TERMINAL_CONTROL);
    stderr = '';
    reportFailure(new InventoryError('invalid_input', `bad ${evil}`), { json: true });
    expect((JSON.parse(stderr) as { error: { message: string } }).error.message).toBe(`bad ${evil}`);
  });

  it('reportFailure escapes each line of a debug stack trace', () => {
    process.env.INVENTORY_DEBUG = '1';
    reportFailure(new InventoryError('invalid_input', `bad ${evil}`));
    // A stack trace is lines by nature: it is escaped line by line, so a line break in the
    // message starts a new line there, but nothing raw reaches the terminal.
    expect(stderr).toContain('InventoryError: bad evil\\x1b]0;title\\x07\\u202eeman\nsecond\n    at ');
    expect(stderr).not.toMatch(RAW_TERMINAL_CONTROL);
  });

  it('the progress display writes its own cursor moves and nothing raw from the progress', () => {
    const writes: string[] = [];
    const stream = {
      isTTY: true,
      write: (text: string) => writes.push(text),
    } as unknown as NodeJS.WriteStream;
    const progress = {
      phase: 'enumerating',
      totals: { pagesCount: 1, itemsObservedCount: 2 },
      types: {
        [`mobileApp${evil}`]: {
          state: 'running',
          pagesCount: 1,
          itemsObservedCount: 2,
          itemsInvalidCount: 0,
          code: null,
        },
      },
    } as unknown as SyncProgress;
    const display = createProgressDisplay(stream);
    display.update(progress);
    display.update(progress);
    const ownSequences = new RegExp(String.raw`\x1b\[2K|\x1b\[\d+A`, 'g');
    const text = writes.join('');
    expect(text).toContain(`mobileApp${shown}`);
    expect(text.replace(ownSequences, '')).not.toMatch(RAW_TERMINAL_CONTROL);
  });
});
