/** graph/refusals.ts: Graph's refusals told apart by Graph's own words (sources in the module). */
import { describe, expect, it } from 'vitest';
import { graphRefusal } from '../../graph/refusals';
import { describeGraphErrorBody } from '../../graph/response-body';

const what = 'deviceManagementScript page of tenant t';

function detail(code: string, message: string): string {
  return describeGraphErrorBody(JSON.stringify({ error: { code, message } }));
}

describe('graphRefusal', () => {
  it('400 "Request not applicable to target tenant" is a tenant without Intune (msgraph-beta-sdk-go#198)', () => {
    const refusal = graphRefusal(
      'mobileApp',
      400,
      detail('BadRequest', 'Request not applicable to target tenant.'),
      what,
    );
    expect(refusal?.code).toBe('intune_not_provisioned');
  });

  it('a 403 whose message lists the scopes names the permission the registry gives (IntuneBackupAndRestore#55)', () => {
    const message = JSON.stringify({
      _version: 3,
      Message:
        'Application is not authorized to perform this operation. Application must have one of the following scopes: DeviceManagementScripts.Read.All, DeviceManagementScripts.ReadWrite.All - Operation ID …',
    });
    const refusal = graphRefusal('deviceManagementScript', 403, detail('Forbidden', message), what);
    expect(refusal?.code).toBe('graph_forbidden');
    expect(refusal?.message).toContain('DeviceManagementScripts.Read.All');
  });

  it('Entra’s 403 for Conditional Access names the permission, though Entra names no scope (Microsoft365DSC#3556)', () => {
    const refusal = graphRefusal(
      'conditionalAccessPolicy',
      403,
      detail(
        'AccessDenied',
        'You cannot perform the requested operation, required scopes are missing in the token.',
      ),
      what,
    );
    expect(refusal?.code).toBe('graph_forbidden');
    expect(refusal?.message).toContain('Policy.Read.All');
  });

  it('another 403 is a type the tenant cannot use (Micke-K/IntuneManagement#322)', () => {
    const refusal = graphRefusal(
      'windowsFeatureUpdateProfile',
      403,
      detail('Forbidden', '{"_version": 3, "Message": "An error has occurred - Operation ID …"}'),
      what,
    );
    expect(refusal?.code).toBe('graph_not_licensed');
  });

  it('a 401 for another audience names the settings that choose it, not consent', () => {
    const refusal = graphRefusal(
      'mobileApp',
      401,
      detail('InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.'),
      what,
    );
    expect(refusal?.code).toBe('graph_unauthorized');
    expect(refusal?.message).toContain('GRAPH_CLOUD');
    expect(
      graphRefusal(
        'mobileApp',
        401,
        detail('InvalidAuthenticationToken', 'Lifetime validation failed'),
        what,
      ),
    ).toBeNull();
  });

  it('other failures are not refusals', () => {
    expect(graphRefusal('mobileApp', 400, detail('BadRequest', 'Invalid request.'), what)).toBeNull();
    expect(
      graphRefusal('mobileApp', 404, detail('ResourceNotFound', 'Resource not found.'), what),
    ).toBeNull();
    expect(
      graphRefusal(
        'mobileApp',
        429,
        detail('TooManyRequests', 'Request not applicable to target tenant.'),
        what,
      ),
    ).toBeNull();
  });
});
