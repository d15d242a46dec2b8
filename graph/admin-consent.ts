/**
 * Where an administrator of a customer tenant grants the app's application permissions: the
 * admin-consent endpoint of the cloud's public authority (a person opens it in a browser, so never
 * an AZURE_AUTHORITY_HOST override), `<authority>/<tenant>/adminconsent?client_id=<app>`
 * (https://learn.microsoft.com/entra/identity-platform/v2-admin-consent). Consent is per tenant,
 * and again after a permission is added to the app registration.
 */
import { GRAPH_CLOUDS, type GraphCloud } from './clouds';

export function adminConsentUrl(cloud: GraphCloud, tenantId: string, clientId: string): string {
  return `${GRAPH_CLOUDS[cloud].authorityHost}/${encodeURIComponent(tenantId)}/adminconsent?client_id=${encodeURIComponent(clientId)}`;
}
