/**
 * Input quoted back in error messages is bounded: the helper itself, and the parsers that echo
 * input (selections, tenant ids, workflow input, numeric CLI flags) given 100,000 characters.
 */
import { describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import { parseWholeNumber } from '../../inventory/whole-number';
import { boundedEcho, boundedEchoList, MAX_ECHO_LENGTH } from '../../inventory/bounded-echo';
import { InventoryError } from '../../inventory/error-codes';
import { parseSelection } from '../../inventory/selection';
import { parseTenantId } from '../../inventory/tenant-id';
import { parseSyncInput } from '../../workflows/sync-input';

const HUGE = 'a'.repeat(100_000);

function messageOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a failure');
}

describe('boundedEcho', () => {
  it('keeps a value of up to the limit as it is', () => {
    const limit = 'b'.repeat(MAX_ECHO_LENGTH);
    expect(boundedEcho('nope')).toBe('nope');
    expect(boundedEcho(limit)).toBe(limit);
    expect(boundedEcho('nope', { quote: true })).toBe('"nope"');
  });

  it('cuts a longer value, with an ellipsis and the original length', () => {
    expect(boundedEcho(HUGE)).toBe(`${'a'.repeat(MAX_ECHO_LENGTH)}… (100000 characters)`);
    expect(boundedEcho(HUGE, { quote: true })).toBe(`"${'a'.repeat(MAX_ECHO_LENGTH)}…" (100000 characters)`);
    expect(boundedEcho('c'.repeat(MAX_ECHO_LENGTH + 1))).toMatch(/… \(201 characters\)$/);
  });

  it('counts code points and never splits a surrogate pair', () => {
    const emoji = '😀'.repeat(MAX_ECHO_LENGTH);
    expect(boundedEcho(emoji)).toBe(emoji);
    const cut = boundedEcho('😀'.repeat(MAX_ECHO_LENGTH + 5));
    expect(cut).toBe(`${'😀'.repeat(MAX_ECHO_LENGTH)}… (205 characters)`);
    expect(cut.isWellFormed()).toBe(true);
  });

  it('bounds a list as a whole, however many entries', () => {
    expect(boundedEchoList(['x', 'y'])).toBe('x, y');
    const many = Array.from({ length: 50_000 }, () => 'z');
    expect(boundedEchoList(many).length).toBeLessThan(MAX_ECHO_LENGTH + 30);
  });
});

describe('messages that echo input stay well under 1 KB', () => {
  it.each([
    ['an unknown policy type', () => parseSelection({ policy_types: [HUGE] })],
    ['50,000 unknown policy types', () => parseSelection({ policy_types: HUGE.slice(0, 50_000).split('') })],
    ['an unknown category', () => parseSelection({ categories: [HUGE] })],
    ['an unknown selection key', () => parseSelection({ [HUGE]: [] })],
    ['a tenant id that is not a GUID', () => parseTenantId(HUGE)],
  ])('%s', (_kind, parse) => {
    const message = messageOf(parse);
    expect(message).toMatch(/…"? \(\d+ characters\)/);
    expect(Buffer.byteLength(message)).toBeLessThan(1024);
  });

  it('keeps what was wrong and what is valid in the message', () => {
    const message = messageOf(() => parseSelection({ policy_types: [HUGE] }));
    expect(message).toMatch(
      /^unknown policy type\(s\) a{200}… \(100000 characters\); valid: the \d+ types `inventory policy-types` lists$/,
    );
    expect(messageOf(() => parseTenantId('contoso'))).toBe(
      'tenant id must be a GUID such as 00000000-0000-0000-0000-000000000000 (got "contoso")',
    );
    expect(messageOf(() => parseTenantId(42))).toMatch(/GUID such as [0-9-]+$/);
    // A number's parser names the flag and the range and echoes nothing.
    expect(messageOf(() => parseWholeNumber('--limit', HUGE, { min: 1, max: 1000 }))).toBe(
      '--limit must be a whole number from 1 to 1000, in plain digits',
    );
  });

  it.each([
    ['an unknown input key', { tenantId: '00000000-0000-0000-0000-000000000001', [HUGE]: 1 }],
    [
      'an unknown policy type',
      { tenantId: '00000000-0000-0000-0000-000000000001', selection: { policy_types: [HUGE] } },
    ],
    ['a tenant id', { tenantId: HUGE, selection: { categories: ['apps'] } }],
    [
      'a bad value under a huge key in resume',
      {
        tenantId: '00000000-0000-0000-0000-000000000001',
        selection: { categories: ['apps'] },
        resume: { runId: '00000000-0000-4000-8000-000000000001', types: { [HUGE]: {} } },
      },
    ],
  ])('workflow input with %s fails with a bounded message', (_kind, input) => {
    let failure: unknown;
    try {
      parseSyncInput(input);
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect((failure as ApplicationFailure).type).toMatch(/^invalid_(input|selection)$/);
    expect(Buffer.byteLength((failure as ApplicationFailure).message)).toBeLessThan(1024);
  });

  it('is an InventoryError with the stable code', () => {
    expect(() => parseSelection({ policy_types: [HUGE] })).toThrow(InventoryError);
  });
});
