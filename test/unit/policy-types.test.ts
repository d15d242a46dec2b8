import { describe, expect, it } from 'vitest';
import {
  isIntuneType,
  CATEGORIES,
  POLICY_TYPES,
  POLICY_TYPE_KEYS,
  derivePlatform,
  platformFromToken,
  policyType,
  selectFields,
  typesInCategory,
} from '../../inventory/policy-types';

describe('policy type registry', () => {
  it('has every type the product promises', () => {
    expect(POLICY_TYPE_KEYS).toEqual(
      expect.arrayContaining([
        'deviceConfiguration',
        'deviceCompliancePolicy',
        'settingsCatalogPolicy',
        'groupPolicyConfiguration',
        'deviceManagementScript',
        'windowsAutopilotDeploymentProfile',
        'mobileApp',
        'appProtectionPolicy',
        'endpointSecurityIntent',
        'windowsFeatureUpdateProfile',
        'windowsQualityUpdateProfile',
        'enrollmentConfiguration',
        'assignmentFilter',
        // Issue 11.
        'deviceHealthScript',
        'deviceComplianceScript',
        'deviceShellScript',
        'deviceCustomAttributeShellScript',
        'compliancePolicy',
        'mobileAppConfiguration',
        'targetedManagedAppConfiguration',
        'mobileAppCategory',
        'policySet',
        'vppToken',
        'windowsDriverUpdateProfile',
        'windowsQualityUpdatePolicy',
        'depOnboardingSetting',
        'appleUserInitiatedEnrollmentProfile',
        'deviceCategory',
        'termsAndConditions',
        'roleScopeTag',
        'roleDefinition',
        'roleAssignment',
        'notificationMessageTemplate',
        'operationApprovalPolicy',
        'reusablePolicySetting',
        'groupPolicyUploadedDefinitionFile',
        'cloudPcProvisioningPolicy',
        'cloudPcUserSetting',
        'conditionalAccessPolicy',
      ]),
    );
    // The 13 of issue 10 and the 26 of issue 11.
    expect(POLICY_TYPE_KEYS).toHaveLength(39);
  });

  it('carries a per-type request rate only where Graph documents a lower limit (Conditional Access)', () => {
    const rated = POLICY_TYPE_KEYS.filter((key) => policyType(key).requestsPerSecond !== undefined);
    expect(rated).toEqual(['conditionalAccessPolicy']);
    expect(policyType('conditionalAccessPolicy').requestsPerSecond).toBe(1);
  });

  it('puts every category to use', () => {
    for (const category of CATEGORIES) expect(typesInCategory(category).length).toBeGreaterThan(0);
  });

  it('never whitelists script content or settings payloads', () => {
    for (const key of POLICY_TYPE_KEYS) {
      const keys = POLICY_TYPES[key].metaKeys as readonly string[];
      expect(keys).not.toContain('scriptContent');
      expect(keys).not.toContain('settings');
      expect(keys).not.toContain('omaSettings');
    }
  });

  it('selects the name field of settings catalog policies and never @odata.type', () => {
    expect(selectFields('settingsCatalogPolicy')).toEqual(
      expect.arrayContaining(['id', 'name', 'platforms', 'templateReference']),
    );
    expect(selectFields('settingsCatalogPolicy')).not.toContain('displayName');
    for (const key of POLICY_TYPE_KEYS) expect(selectFields(key).some((f) => f.startsWith('@'))).toBe(false);
  });
});

describe('platform derivation', () => {
  it.each([
    ['#microsoft.graph.windows10GeneralConfiguration', 'windows'],
    ['#microsoft.graph.iosCompliancePolicy', 'ios'],
    ['#microsoft.graph.macOSLobApp', 'macos'],
    ['#microsoft.graph.androidWorkProfileGeneralDeviceConfiguration', 'android'],
    ['#microsoft.graph.aospDeviceOwnerCompliancePolicy', 'android'],
    ['#microsoft.graph.managedIOSStoreApp', 'ios'],
    ['#microsoft.graph.win32LobApp', 'windows'],
    ['#microsoft.graph.webApp', null],
    ['windows10AndLater', 'windows'],
    ['linux', 'linux'],
  ])('%s → %s', (token, platform) => {
    expect(platformFromToken(token)).toBe(platform);
  });

  it('uses the configured source per type', () => {
    expect(
      derivePlatform('deviceConfiguration', {
        '@odata.type': '#microsoft.graph.iosGeneralDeviceConfiguration',
      }),
    ).toBe('ios');
    expect(derivePlatform('settingsCatalogPolicy', { platforms: 'windows10' })).toBe('windows');
    expect(derivePlatform('settingsCatalogPolicy', { platforms: 'windows10,macOS' })).toBeNull();
    expect(derivePlatform('assignmentFilter', { platform: 'iOS' })).toBe('ios');
    expect(derivePlatform('windowsQualityUpdateProfile', {})).toBe('windows');
    expect(derivePlatform('mobileApp', {})).toBeNull();
    expect(
      derivePlatform('mobileAppConfiguration', {
        '@odata.type': '#microsoft.graph.iosMobileAppConfiguration',
      }),
    ).toBe('ios');
    expect(derivePlatform('operationApprovalPolicy', { policyPlatform: 'iOSiPadOS' })).toBe('ios');
    expect(derivePlatform('appleUserInitiatedEnrollmentProfile', { platform: 'macOS' })).toBe('macos');
    expect(derivePlatform('deviceShellScript', {})).toBe('macos');
    // `none`: objects that span platforms get none, whatever they carry.
    expect(derivePlatform('conditionalAccessPolicy', { platform: 'windows' })).toBeNull();
  });
});

describe('isIntuneType', () => {
  it('is true for Intune collections and false for Windows 365 and Entra ones', () => {
    expect(isIntuneType('deviceConfiguration')).toBe(true);
    expect(isIntuneType('mobileApp')).toBe(true);
    expect(isIntuneType('cloudPcProvisioningPolicy')).toBe(false);
    expect(isIntuneType('conditionalAccessPolicy')).toBe(false);
  });
});
