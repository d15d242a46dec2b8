/**
 * What Graph answers, whatever the request, for a collection the tenant cannot read: a tenant
 * without Intune, an app without the collection's permission, a tenant without the licence a
 * collection needs. The shapes are Graph's own, taken from public reports (cited per case), and
 * differ by the service behind the collection: Intune's front end, Windows 365, Entra.
 */
import { dataset, type DatasetName } from './data';
import { type TenantState } from './state';

export interface Refusal {
  status: number;
  code: string;
  message: string;
}

/**
 * Intune's front end puts a JSON document (CRLF, two-space indentation) into Graph's
 * `error.message`; "Activity ID" is the request id (jseerden/IntuneBackupAndRestore#55,
 * mondoohq/cnspec#1708). `path` is the Intune URL's path, by default the collection's.
 */
export function intuneMessage(
  text: string,
  name: DatasetName,
  requestId: string,
  path = dataset(name).collectionPath,
): string {
  const url = `https://fef.msub01.manage.microsoft.com${path}?api-version=5025-01-01`;
  const document = {
    _version: 3,
    Message: `${text} - Operation ID (for customer support): 00000000-0000-0000-0000-000000000000 - Activity ID: ${requestId} - Url: ${url}`,
    CustomApiErrorPhrase: '',
    RetryAfter: null,
    ErrorSourceService: '',
    HttpHeaders: '{}',
  };
  return JSON.stringify(document, null, 2).replace(/\n/g, '\r\n');
}

/** The refusal the tenant's shape imposes on dataset `name`, or null when the request may proceed. */
export function tenantRefusal(tenant: TenantState, name: DatasetName, requestId: string): Refusal | null {
  const { service } = dataset(name);
  if (!tenant.intuneProvisioned && service === 'intune') {
    // Every Intune collection of a tenant without usable Intune (no licence or no MDM authority):
    // msgraph-beta-sdk-go#198, vanvfields/Microsoft-365#18 (full body), ugurkocde/IntuneGet#993.
    // Entra's and Windows 365's collections are other services and answer on their own terms.
    return { status: 400, code: 'BadRequest', message: 'Request not applicable to target tenant.' };
  }
  if (tenant.forbiddenTypes.has(name)) return forbidden(name, requestId);
  if (tenant.unlicensedTypes.has(name)) return unlicensed(name, requestId);
  return null;
}

/** A missing application permission, in the words of the collection's service. */
function forbidden(name: DatasetName, requestId: string): Refusal {
  const { service, scopes } = dataset(name);
  if (service === 'entra') {
    // Conditional Access without Policy.Read.All: Microsoft365DSC/Microsoft365DSC#3556,
    // hugobatista/zerotrust-ca-powertoys#8 (full body). Entra names no scope.
    return {
      status: 403,
      code: 'AccessDenied',
      message: 'You cannot perform the requested operation, required scopes are missing in the token.',
    };
  }
  if (service === 'windows365') return cloudPcAccessDenied();
  return {
    status: 403,
    code: 'Forbidden',
    message: intuneMessage(
      `Application is not authorized to perform this operation. Application must have one of the following scopes: ${scopes.join(', ')}`,
      name,
      requestId,
    ),
  };
}

/** A collection the tenant has no licence for. */
function unlicensed(name: DatasetName, requestId: string): Refusal {
  // Windows 365 without its licence answers as it does without permission (below); Entra's shape
  // for a tenant without Entra ID P1 is not public, so it is played like Windows 365's.
  if (dataset(name).service !== 'intune') return cloudPcAccessDenied();
  // No public report shows a list request of an unlicensed Intune collection. The closest
  // documented shape: Windows driver update profiles without Windows E3/E5 answer 403 with
  // Intune's "An error has occurred" document (Micke-K/IntuneManagement#322; the licence as the
  // cause: jorgeasaurus/IntuneHydrationKit#4). Feature and quality update profiles are served by
  // the same Intune update service.
  return { status: 403, code: 'Forbidden', message: intuneMessage('An error has occurred', name, requestId) };
}

/**
 * The Cloud PC service's 403, which names neither a permission nor a licence: "Access is denied to
 * the requested resource." with and without CloudPC.Read.All granted (microsoft/EntraExporter#102,
 * microsoftgraph/microsoft-graph-explorer-v4#2031).
 */
function cloudPcAccessDenied(): Refusal {
  return { status: 403, code: 'Forbidden', message: 'Access is denied to the requested resource.' };
}
