/**
 * The whitelist rule of issue 11: no registry entry may keep a property that can carry script
 * content, tokens, certificates, passwords, settings payloads or uploaded files
 * (test/support/forbidden-keys.ts), applied to both halves of a `parent.child` entry.
 */
import { describe, expect, it } from 'vitest';
import { POLICY_TYPE_KEYS, metaKeyPath, policyType } from '../../inventory/policy-types';
import { forbiddenKeyMatches } from '../support/forbidden-keys';

/** The forbidden patterns a metadata whitelist entry matches (on either half of `a.b`). */
function forbiddenMatches(entry: string): string[] {
  const [parent, child] = metaKeyPath(entry);
  return [parent, child].filter((name): name is string => name !== undefined).flatMap(forbiddenKeyMatches);
}

describe.each(POLICY_TYPE_KEYS)('%s', (key) => {
  it('whitelists no key that can carry script content, tokens, certificates or payloads', () => {
    const offending = policyType(key).metaKeys.filter((entry) => forbiddenMatches(entry).length > 0);
    expect(offending).toEqual([]);
  });
});

describe('the forbidden-key rule itself', () => {
  it.each([
    'scriptContent',
    'detectionScriptContent',
    'remediationScriptContent',
    'detectionScriptParameters',
    'token',
    'settings',
    'customSettings',
    'omaSettings',
    'encodedSettingXml',
    'payloadJson',
    'settingInstance',
    'content',
    'groupPolicyUploadedLanguageFiles',
    'bodyText',
    'conditions',
    'grantControls',
    'sessionControls',
    'preSharedKey',
    'passwordRequired',
    'rootCertificate.value',
    'templateReference.secretThing',
  ])('catches %s', (entry) => {
    expect(forbiddenMatches(entry).length).toBeGreaterThan(0);
  });

  it.each([
    'tokenName',
    'tokenType',
    'tokenExpirationDateTime',
    'expirationDateTime',
    'settingCount',
    'settingDefinitionId',
    'deployableContentDisplayName',
    'customAttributeName',
  ])('lets the inventory metadata %s through', (entry) => {
    expect(forbiddenMatches(entry)).toEqual([]);
  });
});
