/**
 * Graph error messages end up in run rows (error_context is jsonb): they must come out of the
 * Graph layer without U+0000 and without a surrogate pair split by the length cut.
 */
import { describe, expect, it } from 'vitest';
import { permanentGraphError } from '../../graph/errors';
import { describeGraphErrorBody } from '../../graph/response-body';

const LOCK = '🔒';

describe('GraphError messages', () => {
  it('drop U+0000', () => {
    expect(permanentGraphError('graph_bad_request', 'nul\u0000 in it').message).toBe('nul in it');
  });

  it('cut to 500 code points, marker included, without splitting a pair', () => {
    const error = permanentGraphError('graph_bad_request', `${'x'.repeat(498)}${LOCK}${LOCK} tail`);
    expect(error.message.isWellFormed()).toBe(true);
    expect(error.message).toBe(`${'x'.repeat(498)}${LOCK}…`);
    expect([...error.message]).toHaveLength(500);
  });
});

describe('describeGraphErrorBody', () => {
  it('drops U+0000 from Graph’s error message', () => {
    const body = JSON.stringify({ error: { code: 'BadRequest', message: 'bad\u0000 value' } });
    expect(describeGraphErrorBody(body)).toBe('BadRequest: bad value');
  });

  it('cuts a body that is not JSON at 300 code points without splitting a pair', () => {
    const detail = describeGraphErrorBody(`${'y'.repeat(299)}${LOCK} and more`);
    expect(detail.isWellFormed()).toBe(true);
    expect(detail).toBe(`${'y'.repeat(299)}${LOCK}…`);
  });
});
