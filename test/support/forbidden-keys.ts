/**
 * Property names that can carry script content, tokens, certificates, passwords, settings payloads
 * or uploaded files, as Graph spells them (`scriptContent`, `detectionScriptContent`, `token`,
 * `encodedSettingXml`, `payloadJson`, `settingInstance`, `content`, `grantControls`, …): no
 * registry whitelist entry may name one, and no stored `meta_jsonb` may hold one.
 */
export const FORBIDDEN_META_KEYS: readonly RegExp[] = [
  /scriptContent$/i,
  /scriptParameters$/i,
  /^token$/i,
  /tokenValue/i,
  /certificate/i,
  /password/i,
  /passcode/i,
  /secret/i,
  /preSharedKey/i,
  /privateKey/i,
  /settings$/i,
  /settingInstance$/i,
  /settingXml$/i,
  /^payload/i,
  /content$/i,
  /languageFiles$/i,
  /bodyText$/i,
  /^conditions$/i,
  /controls$/i,
];

/** The patterns a property name matches; empty when it may be kept. */
export function forbiddenKeyMatches(name: string): string[] {
  return FORBIDDEN_META_KEYS.filter((pattern) => pattern.test(name)).map(String);
}
