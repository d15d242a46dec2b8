/**
 * Simulator datasets of apps: apps, app protection and configuration, categories, policy sets and
 * Apple VPP tokens. App configuration payloads (`encodedSettingXml`, `settings`, `payloadJson`,
 * `customSettings`) carry secrets and VPP tokens their `token`: the inventory must never store them.
 */
import { intBetween, pick, seededGuid } from '../random';
import { base64Blob, dayAfterBase, SCOPES, type Dataset } from './shared';

export const APP_DATASETS = {
  mobileApp: {
    collectionPath: '/deviceAppManagement/mobileApps',
    assignments: { entityType: 'mobileAppAssignment', expand: 'served', targets: 'intune' },
    inV1: true,
    service: 'intune',
    nameProperty: 'displayName',
    scopes: SCOPES.apps,
    noun: 'app',
    odataTypes: [
      '#microsoft.graph.win32LobApp',
      '#microsoft.graph.winGetApp',
      '#microsoft.graph.officeSuiteApp',
      '#microsoft.graph.iosStoreApp',
      '#microsoft.graph.iosVppApp',
      '#microsoft.graph.androidManagedStoreApp',
      '#microsoft.graph.macOSLobApp',
      '#microsoft.graph.webApp',
    ],
    make(rng, odataType) {
      const extra: Record<string, unknown> = {
        publisher: pick(rng, ['Microsoft Corporation', 'Contoso Ltd.', 'Adobe', 'Mozilla', 'Zoom Video']),
        isFeatured: rng() < 0.1,
        privacyInformationUrl: null,
        informationUrl: null,
        owner: '',
        developer: '',
        notes: '',
        uploadState: 1,
        publishingState: pick(rng, ['published', 'published', 'processing', 'notPublished']),
        isAssigned: rng() < 0.7,
        dependentAppCount: 0,
        supersedingAppCount: 0,
        supersededAppCount: 0,
        // Icons make app pages much larger than other collections, as in real tenants.
        largeIcon: rng() < 0.6 ? { type: 'image/png', value: base64Blob(rng, 1_024, 12_288) } : null,
      };
      if (odataType?.endsWith('win32LobApp')) {
        extra.installCommandLine = 'setup.exe /quiet /norestart';
        extra.uninstallCommandLine = 'setup.exe /uninstall /quiet';
        extra.fileName = `package-${intBetween(rng, 1, 999)}.intunewin`;
        extra.size = intBetween(rng, 1_000_000, 900_000_000);
      } else if (odataType?.includes('ios')) {
        extra.bundleId = `com.contoso.app${intBetween(rng, 1, 999)}`;
      } else if (odataType?.endsWith('webApp')) {
        extra.appUrl = `https://apps.contoso.example/${intBetween(rng, 1, 999)}`;
      }
      return extra;
    },
  },
  appProtectionPolicy: {
    collectionPath: '/deviceAppManagement/managedAppPolicies',
    inV1: true,
    service: 'intune',
    nameProperty: 'displayName',
    scopes: SCOPES.apps,
    noun: 'app protection policy',
    odataTypes: [
      '#microsoft.graph.iosManagedAppProtection',
      '#microsoft.graph.androidManagedAppProtection',
      '#microsoft.graph.windowsManagedAppProtection',
      '#microsoft.graph.mdmWindowsInformationProtectionPolicy',
      '#microsoft.graph.targetedManagedAppConfiguration',
    ],
    make(rng, odataType) {
      const pinRequired = rng() < 0.5;
      return {
        version: `"${intBetween(rng, 1, 30)}"`,
        isAssigned: rng() < 0.7,
        // Only the targetedManagedAppProtection family (iOS, Android) has a PIN setting.
        ...(/#microsoft\.graph\.(ios|android)ManagedAppProtection$/.test(odataType ?? '') && { pinRequired }),
      };
    },
  },
  mobileAppConfiguration: {
    collectionPath: '/deviceAppManagement/mobileAppConfigurations',
    assignments: { entityType: 'managedDeviceMobileAppConfigurationAssignment', targets: 'groups' },
    inV1: true,
    service: 'intune',
    nameProperty: 'displayName',
    scopes: SCOPES.apps,
    noun: 'app configuration (devices)',
    odataTypes: [
      '#microsoft.graph.iosMobileAppConfiguration',
      '#microsoft.graph.androidManagedStoreAppConfiguration',
      '#microsoft.graph.androidForWorkMobileAppConfiguration',
    ],
    make(rng, odataType) {
      const secret = `secret-${seededGuid(rng)}`;
      const extra: Record<string, unknown> = {
        version: intBetween(rng, 1, 10),
        targetedMobileApps: Array.from({ length: intBetween(rng, 1, 3) }, () => seededGuid(rng)),
      };
      if (odataType?.endsWith('iosMobileAppConfiguration')) {
        const plist = `<dict><key>ApiToken</key><string>${secret}</string></dict>`;
        extra.encodedSettingXml = Buffer.from(plist, 'utf8').toString('base64');
        extra.settings = [
          {
            appConfigKey: 'ServerUrl',
            appConfigKeyType: 'stringType',
            appConfigKeyValue: 'https://mail.contoso.example',
          },
          { appConfigKey: 'ApiToken', appConfigKeyType: 'stringType', appConfigKeyValue: secret },
        ];
      } else {
        extra.packageId = `com.contoso.app${intBetween(rng, 1, 99)}`;
        extra.payloadJson = Buffer.from(
          JSON.stringify({ kind: 'androidenterprise#managedConfiguration', apiToken: secret }),
          'utf8',
        ).toString('base64');
        extra.permissionActions = [];
        extra.profileApplicability = pick(rng, ['default', 'androidWorkProfile', 'androidDeviceOwner']);
        extra.connectedAppsEnabled = rng() < 0.3;
        if (odataType?.endsWith('androidManagedStoreAppConfiguration'))
          extra.appSupportsOemConfig = rng() < 0.2;
      }
      return extra;
    },
  },
  targetedManagedAppConfiguration: {
    collectionPath: '/deviceAppManagement/targetedManagedAppConfigurations',
    assignments: { entityType: 'targetedManagedAppPolicyAssignment', targets: 'groups' },
    inV1: true,
    service: 'intune',
    nameProperty: 'displayName',
    scopes: SCOPES.apps,
    noun: 'app configuration (apps)',
    odataTypes: null,
    make(rng) {
      return {
        version: `"${intBetween(rng, 1, 30)}"`,
        isAssigned: rng() < 0.7,
        deployedAppCount: intBetween(rng, 0, 12),
        appGroupType: pick(rng, [
          'selectedPublicApps',
          'allMicrosoftApps',
          'allCoreMicrosoftApps',
          'allApps',
        ]),
        targetedAppManagementLevels: pick(rng, ['unspecified', 'unmanaged', 'mdm', 'androidEnterprise']),
        customSettings: [
          { name: 'com.microsoft.outlook.Mail.FocusedInbox', value: 'false' },
          { name: 'com.contoso.sync.ApiKey', value: `key-${seededGuid(rng)}` },
        ],
      };
    },
  },
  mobileAppCategory: {
    collectionPath: '/deviceAppManagement/mobileAppCategories',
    inV1: true,
    service: 'intune',
    nameProperty: 'displayName',
    scopes: SCOPES.apps,
    noun: 'app category',
    odataTypes: null,
    make() {
      return {};
    },
  },
  policySet: {
    collectionPath: '/deviceAppManagement/policySets',
    assignments: { entityType: 'policySetAssignment', targets: 'groups' },
    inV1: false,
    service: 'intune',
    nameProperty: 'displayName',
    // graph/api/intune-policyset-policyset-list?view=graph-rest-beta names the configuration scopes.
    scopes: SCOPES.configuration,
    noun: 'policy set',
    odataTypes: null,
    make(rng) {
      return {
        status: pick(rng, ['notAssigned', 'success', 'success', 'partialSuccess', 'error', 'validating']),
        errorCode: 'noError',
        guidedDeploymentTags: [],
      };
    },
  },
  vppToken: {
    collectionPath: '/deviceAppManagement/vppTokens',
    inV1: true,
    service: 'intune',
    nameProperty: 'displayName',
    scopes: SCOPES.appsOrServiceConfig,
    noun: 'VPP token',
    odataTypes: null,
    make(rng) {
      return {
        organizationName: pick(rng, ['Contoso Ltd.', 'Fabrikam GmbH', 'Northwind Traders']),
        appleId: `vpp-${intBetween(rng, 1, 99)}@contoso.example`,
        vppTokenAccountType: pick(rng, ['business', 'business', 'education']),
        countryOrRegion: pick(rng, ['us', 'de', 'fr', 'jp']),
        locationName: pick(rng, ['Headquarters', 'Zürich Büro', 'Tōkyō 東京']),
        state: pick(rng, ['valid', 'valid', 'valid', 'expired', 'invalid']),
        expirationDateTime: dayAfterBase(rng, 600, 1_400),
        lastSyncDateTime: dayAfterBase(rng, 500, 900),
        lastSyncStatus: pick(rng, ['completed', 'completed', 'failed', 'inProgress']),
        automaticallyUpdateApps: rng() < 0.6,
        dataSharingConsentGranted: true,
        claimTokenManagementFromExternalMdm: false,
        tokenActionResults: [],
        // The uploaded .vpptoken content.
        token: base64Blob(rng, 256, 1_024),
      };
    },
  },
} satisfies Record<string, Dataset>;
