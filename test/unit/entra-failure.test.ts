/**
 * Entra's answers mapped to what the person running the service does (graph/entra-failure.ts):
 * the AADSTS code and OAuth error parsed from @azure/identity's message, a hint per code, and one
 * line with the hint ahead of Entra's own words.
 */
import { describe, expect, it } from 'vitest';
import {
  authFailureMessage,
  entraHint,
  parseEntraAnswer,
  type EntraRequest,
} from '../../graph/entra-failure';
import { permanentGraphError } from '../../graph/errors';

const TENANT = '11111111-aaaa-4aaa-8aaa-111111111111';
const APP = '0d4f6c2a-1b3e-4a5c-9d7e-8f9a0b1c2d3e';
const REQUEST: EntraRequest = {
  tenantId: TENANT,
  clientId: APP,
  cloud: 'global',
  tokenScope: 'https://graph.microsoft.com/.default',
};

describe('parseEntraAnswer', () => {
  it('reads the OAuth error, the code and the description without the trace lines', () => {
    expect(
      parseEntraAnswer(
        "invalid_client: AADSTS7000222: The provided client secret keys for app 'x' are expired. Trace ID: 8c95acf1 Correlation ID: d655 Timestamp: 2023-01-09 14:06:14Z",
      ),
    ).toEqual({
      oauthError: 'invalid_client',
      code: 7000222,
      description: "The provided client secret keys for app 'x' are expired.",
    });
  });

  it('reads a message prefixed with the credential name, across line breaks', () => {
    expect(
      parseEntraAnswer(
        'ClientSecretCredential authentication failed: unauthorized_client: AADSTS7000112: Application is disabled.\r\nTrace ID: 1',
      ),
    ).toMatchObject({
      oauthError: 'unauthorized_client',
      code: 7000112,
      description: 'Application is disabled.',
    });
  });

  it('keeps a text without a code whole', () => {
    expect(parseEntraAnswer('something else went wrong')).toEqual({
      oauthError: 'error',
      code: null,
      description: 'something else went wrong',
    });
  });
});

describe('entraHint', () => {
  it.each([
    [
      700016,
      `an administrator of tenant ${TENANT} grants consent at https://login.microsoftonline.com/${TENANT}/adminconsent?client_id=${APP}`,
    ],
    [7000215, 'the client secret is wrong: set AZURE_CLIENT_SECRET'],
    [7000222, `the client secret of app ${APP} has expired: create a new secret`],
    [700027, 'register the certificate of AZURE_CLIENT_CERTIFICATE_PATH'],
    [90002, `tenant ${TENANT} was not found in the global cloud: check the tenant id and GRAPH_CLOUD`],
    [7000112, `app ${APP} is disabled in tenant ${TENANT}`],
    [900382, 'belongs to another cloud than global: check GRAPH_CLOUD'],
    [500011, 'check GRAPH_TOKEN_SCOPE and GRAPH_CLOUD'],
    [1002012, 'check GRAPH_TOKEN_SCOPE and GRAPH_CLOUD'],
  ])('AADSTS%i: %s', (code, hint) => {
    expect(entraHint(code, REQUEST)).toContain(hint);
  });

  it('builds the consent URL on the cloud’s own authority', () => {
    expect(entraHint(700016, { ...REQUEST, cloud: 'china' })).toContain(
      `https://login.chinacloudapi.cn/${TENANT}/adminconsent?client_id=${APP}`,
    );
    expect(entraHint(700016, { ...REQUEST, cloud: 'usgov-dod' })).toContain(
      `https://login.microsoftonline.us/${TENANT}/adminconsent?client_id=${APP}`,
    );
  });

  it('has none for other codes', () => {
    expect(entraHint(50034, REQUEST)).toBeNull();
    expect(entraHint(null, REQUEST)).toBeNull();
  });
});

describe('authFailureMessage', () => {
  it('puts the hint before Entra’s description, so the 500-character cut keeps it', () => {
    const answer = { oauthError: 'unauthorized_client', code: 700016, description: 'x'.repeat(1_000) };
    const message = permanentGraphError('auth_failed', authFailureMessage(answer, REQUEST)).message;
    expect([...message]).toHaveLength(500);
    expect(message).toMatch(
      new RegExp(
        `^no token for tenant ${TENANT}: AADSTS700016 \\(unauthorized_client\\): app ${APP} is not consented`,
      ),
    );
    expect(message).toContain(`adminconsent?client_id=${APP}. Entra: xxx`);
  });

  it('gives Entra’s code and description alone for a code without a hint', () => {
    expect(
      authFailureMessage({ oauthError: 'invalid_grant', code: 50034, description: 'No such user.' }, REQUEST),
    ).toBe(`no token for tenant ${TENANT}: AADSTS50034 (invalid_grant): No such user.`);
  });
});
