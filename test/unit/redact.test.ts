import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ERROR_CONTEXT_MAX_BYTES, boundErrorContext, redact, redactText } from '../../inventory/redact';

const JWT = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJ0aWQiOiJ0In0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

describe('redactText', () => {
  it('removes bearer tokens', () => {
    expect(redactText('Authorization: Bearer abc.def-ghi')).not.toContain('abc.def-ghi');
    expect(redactText('sent bearer xyz123 to graph')).toBe('sent bearer [REDACTED] to graph');
  });

  it('removes JWT-shaped strings anywhere', () => {
    const out = redactText(`token was ${JWT} and more`);
    expect(out).not.toContain(JWT);
    expect(out).not.toContain('eyJ0eXAi');
  });

  it('removes client secrets and assertions in form and JSON bodies', () => {
    const form = redactText('grant_type=client_credentials&client_secret=s3cr3t~value&client_id=abc');
    expect(form).not.toContain('s3cr3t');
    expect(form).toContain('client_id=abc');
    expect(redactText('client_assertion=aaa.bbb.ccc&x=1')).not.toContain('aaa.bbb.ccc');
    expect(redactText('{"client_secret":"p@ss\\"word","ok":1}')).toBe(
      '{"client_secret":"[REDACTED]","ok":1}',
    );
  });

  it('removes authorization headers in JSON echoes', () => {
    const echo = '{"headers":{"authorization":"Bearer opaque-token-value"}}';
    expect(redactText(echo)).not.toContain('opaque-token-value');
  });

  it('leaves ordinary text alone', () => {
    expect(redactText('Graph returned 503 for deviceConfigurations')).toBe(
      'Graph returned 503 for deviceConfigurations',
    );
  });
});

describe('redact', () => {
  it('redacts nested error context by key and by content', () => {
    const value = redact({
      a: { headers: { Authorization: 'Basic dXNlcjpwYXNz' }, note: `Bearer ${JWT}` },
      list: [{ client_secret: 'shh' }, `access_token=${JWT}`],
      clientSecret: 'also-secret',
    });
    const text = JSON.stringify(value);
    expect(text).not.toContain('dXNlcjpwYXNz');
    expect(text).not.toContain('shh');
    expect(text).not.toContain('also-secret');
    expect(text).not.toContain(JWT);
    expect(inspect(value, { depth: 10 })).not.toContain('eyJ');
  });

  it('redacts a Temporal task token, which the SDK adds to every activity log line', () => {
    const value = redact({ activityId: '3', taskToken: 'CiQ4ZGQ5YmU2Zi1hYmNkLTQ', attempt: 2 });
    expect(value).toEqual({ activityId: '3', taskToken: '[REDACTED]', attempt: 2 });
  });

  it('survives cycles', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(redact(cyclic)).toEqual({ a: 1, self: '[Circular]' });
  });
});

describe('boundErrorContext', () => {
  it('keeps only whitelisted keys and redacts values', () => {
    const bounded = boundErrorContext({
      types: {
        deviceConfiguration: { code: 'graph_forbidden', message: `denied for Bearer ${JWT}`, body: 'raw' },
      },
      rawResponse: 'dropped',
    });
    expect(bounded).toEqual({
      types: { deviceConfiguration: { code: 'graph_forbidden', message: 'denied for Bearer [REDACTED]' } },
    });
  });

  it('bounds the size and says so', () => {
    const types: Record<string, unknown> = {};
    for (const key of ['mobileApp', 'deviceConfiguration', 'assignmentFilter', 'deviceCompliancePolicy']) {
      types[key] = { message: 'x'.repeat(5000), code: 'graph_unavailable' };
    }
    const bounded = boundErrorContext({ types, attempts: [...Array(500).keys()] });
    expect(Buffer.byteLength(JSON.stringify(bounded))).toBeLessThanOrEqual(ERROR_CONTEXT_MAX_BYTES);
    expect((bounded.attempts as unknown[]).length).toBeLessThanOrEqual(20);
    const message = (bounded.types as Record<string, { message: string }>).mobileApp!.message;
    expect(message.length).toBeLessThanOrEqual(501);
  });
});

describe('boundErrorContext text', () => {
  it('keeps only text PostgreSQL accepts in jsonb: no U+0000, no surrogate pair split by the cut', () => {
    const bounded = boundErrorContext({
      message: 'nul\u0000 in it',
      types: { mobileApp: { code: 'graph_bad_request', message: `${'x'.repeat(499)}🔒🔒` } },
    });
    expect(bounded.message).toBe('nul in it');
    const message = (bounded.types as Record<string, { message: string }>).mobileApp!.message;
    expect(message).toBe(`${'x'.repeat(499)}🔒…`);
    expect(JSON.stringify(bounded)).not.toMatch(/\\u(0000|d[89a-f])/i);
  });
});

describe('boundErrorContext truncation', () => {
  it('drops per-type entries beyond the byte cap and marks the context truncated', () => {
    const types: Record<string, unknown> = {};
    for (const key of [
      'mobileApp',
      'deviceConfiguration',
      'assignmentFilter',
      'deviceCompliancePolicy',
      'appProtectionPolicy',
    ]) {
      types[key] = { code: 'graph_unavailable', attempts: Array.from({ length: 20 }, () => 'y'.repeat(400)) };
    }
    const bounded = boundErrorContext({ types });
    expect(Buffer.byteLength(JSON.stringify(bounded))).toBeLessThanOrEqual(ERROR_CONTEXT_MAX_BYTES);
    expect(bounded.truncated).toBe(true);
    expect(Object.keys(bounded.types as object).length).toBeGreaterThan(0);
    expect(Object.keys(bounded.types as object).length).toBeLessThan(5);
  });
});
