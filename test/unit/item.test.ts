import { describe, expect, it } from 'vitest';
import {
  MAX_DISPLAY_NAME,
  MAX_EXTERNAL_ID,
  MAX_META_BYTES,
  MAX_META_STRING,
  normalizeItem,
} from '../../inventory/item';

describe('normalizeItem', () => {
  it('keeps whitelisted metadata and drops everything else silently', () => {
    const result = normalizeItem('deviceManagementScript', {
      id: 'a1',
      displayName: 'Script',
      description: 'd',
      scriptContent: 'V3JpdGUtSG9zdCAnc2VjcmV0Jw==',
      runAsAccount: 'system',
      someFutureField: { nested: true },
    });
    expect(result).toEqual({
      ok: true,
      item: {
        policy_type: 'deviceManagementScript',
        external_id: 'a1',
        display_name: 'Script',
        platform: 'windows',
        category: 'scripts',
        meta: { description: 'd', runAsAccount: 'system' },
      },
    });
  });

  it('uses `name` for settings catalog policies and keeps only whitelisted nested keys', () => {
    const result = normalizeItem('settingsCatalogPolicy', {
      id: 'p1',
      name: 'Baseline',
      displayName: 'wrong field',
      platforms: 'macOS',
      templateReference: { templateId: 't', templateFamily: 'endpointSecurityAntivirus', secretThing: 'x' },
      settings: [{ value: 'big payload' }],
    });
    expect(result.ok && result.item.display_name).toBe('Baseline');
    expect(result.ok && result.item.platform).toBe('macos');
    expect(result.ok && result.item.meta).toEqual({
      platforms: 'macOS',
      templateReference: { templateId: 't', templateFamily: 'endpointSecurityAntivirus' },
    });
  });

  it('reports items without a usable id instead of throwing', () => {
    expect(normalizeItem('mobileApp', { displayName: 'x' })).toEqual({ ok: false, reason: 'item has no id' });
    expect(normalizeItem('mobileApp', { id: '  ' }).ok).toBe(false);
    expect(normalizeItem('mobileApp', { id: 42 }).ok).toBe(false);
    expect(normalizeItem('mobileApp', 'string').ok).toBe(false);
    expect(normalizeItem('mobileApp', { id: 'x'.repeat(300) }).ok).toBe(false);
  });

  it('says why an item was refused', () => {
    expect(normalizeItem('mobileApp', null)).toEqual({ ok: false, reason: 'item is not an object' });
    expect(normalizeItem('mobileApp', [{ id: 'a' }])).toEqual({ ok: false, reason: 'item is not an object' });
    expect(normalizeItem('mobileApp', { id: ' \t ' })).toEqual({ ok: false, reason: 'item has no id' });
    expect(normalizeItem('mobileApp', { id: '\u0000' })).toEqual({
      ok: false,
      reason: 'item id is empty or too long',
    });
  });

  it('trims the id and bounds it in UTF-16 units after sanitizing', () => {
    const id = (value: string) => {
      const result = normalizeItem('mobileApp', { id: value });
      return result.ok ? result.item.external_id : result.reason;
    };
    expect(id('  a1 ')).toBe('a1');
    expect(id(`x\u0000${'y'.repeat(MAX_EXTERNAL_ID - 1)}`)).toBe(`x${'y'.repeat(MAX_EXTERNAL_ID - 1)}`);
    expect(id('y'.repeat(MAX_EXTERNAL_ID + 1))).toBe('item id is empty or too long');
    // 129 emoji are 129 code points but 258 UTF-16 units: too long.
    expect(id('\u{1F600}'.repeat(MAX_EXTERNAL_ID / 2))).toBe('\u{1F600}'.repeat(MAX_EXTERNAL_ID / 2));
    expect(id('\u{1F600}'.repeat(MAX_EXTERNAL_ID / 2 + 1))).toBe('item id is empty or too long');
  });

  it('removes NUL characters and lone surrogates that PostgreSQL rejects', () => {
    const result = normalizeItem('deviceConfiguration', {
      id: 'n1',
      displayName: 'bad\u0000name\ud800',
      description: 'x\u0000y',
    });
    expect(result.ok && result.item.display_name).toBe('badname\ufffd');
    expect(result.ok && result.item.meta.description).toBe('xy');
  });

  it('bounds names, strings, arrays and total metadata size', () => {
    const result = normalizeItem('deviceConfiguration', {
      id: 'big',
      displayName: 'n'.repeat(5000),
      description: 'd'.repeat(50_000),
      roleScopeTagIds: Array.from({ length: 1000 }, (_, i) => `tag-${i}`),
    });
    if (!result.ok) throw new Error('expected ok');
    expect(result.item.display_name.length).toBe(MAX_DISPLAY_NAME);
    expect((result.item.meta.description as string).length).toBe(MAX_META_STRING);
    expect((result.item.meta.roleScopeTagIds as string[]).length).toBe(100);
    expect(Buffer.byteLength(JSON.stringify(result.item.meta))).toBeLessThanOrEqual(MAX_META_BYTES);
  });
});

describe('@odata.type in metadata', () => {
  it('is kept as one key, not read as a nested path', () => {
    const result = normalizeItem('deviceConfiguration', {
      id: 'c1',
      displayName: 'Wi-Fi',
      '@odata.type': '#microsoft.graph.windows10GeneralConfiguration',
    });
    expect(result.ok && result.item.meta).toEqual({
      '@odata.type': '#microsoft.graph.windows10GeneralConfiguration',
    });
  });
});
