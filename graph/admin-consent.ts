/**
 * Where an administrator of a customer tenant grants the app's application permissions: the
 * admin-consent endpoint of the cloud's authority,
 * `<authority>/<tenant>/adminconsent?client_id=<app>`
 * (https://learn.microsoft.com/entra/identity-platform/v2-admin-consent). Consent is per tenant,
 * and again after a permission is added to the app registration.
 */
export function adminConsentUrl(authorityHost: string, tenantId: string, clientId: string): string {
  const url = new URL(`/${encodeURIComponent(tenantId)}/adminconsent`, new URL(authorityHost).origin);
  url.searchParams.set('client_id', clientId);
  return url.toString();
}
