/**
 * A Graph error body that echoes the request's Authorization header must not carry the bearer
 * token out of the Graph layer: not in the message, not in JSON, not in util.inspect output.
 */
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstPageUrl } from '../../graph/client';
import { GraphError } from '../../graph/errors';
import { type TokenProvider } from '../../graph/credentials';
import { type GraphSimulator } from '../../simulator/types';
import { caught, startTestSimulator, testClient, testTokens, TENANT_A } from './support';

const TYPE = 'deviceManagementScript';

let sim: GraphSimulator;

beforeAll(async () => {
  sim = await startTestSimulator();
});

afterAll(async () => {
  await sim.close();
});

/** A token provider that remembers every token it handed out. */
function recordingTokens(inner: TokenProvider, seen: string[]): TokenProvider {
  return {
    async getToken(tenantId, options) {
      const token = await inner.getToken(tenantId, options);
      seen.push(token);
      return token;
    },
  };
}

function leaks(text: string, tokens: readonly string[]): boolean {
  // Any of the token's three parts would be a leak, not only the whole token.
  return tokens.some((token) => token.split('.').some((part) => part.length > 8 && text.includes(part)));
}

describe('error bodies echoing the Authorization header', () => {
  it('really echo the token (the fault under test)', async () => {
    await sim.admin.setFaults(TENANT_A, [{ kind: 'echoAuthorization' }]);
    const token = await testTokens(sim).getToken(TENANT_A);
    const response = await fetch(firstPageUrl(sim.baseUrl, TYPE), {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(token);
  });

  it.each([400, 403, 503])('never leave the layer unredacted (status %i)', async (status) => {
    await sim.admin.setFaults(TENANT_A, [{ kind: 'echoAuthorization', status }]);
    const seen: string[] = [];
    const client = testClient(sim, { tokens: recordingTokens(testTokens(sim), seen) });
    const error = await caught(() => client.fetchPage(TENANT_A, TYPE));
    expect(error).toBeInstanceOf(GraphError);
    expect(seen.length).toBeGreaterThan(0);
    const graphError = error as GraphError;
    expect(graphError.decision.httpStatus).toBe(status);
    expect(graphError.message).toContain('[REDACTED]');
    for (const rendering of [
      graphError.message,
      JSON.stringify(graphError),
      inspect(graphError, { depth: 10 }),
      String(graphError.stack),
    ]) {
      expect(leaks(rendering, seen)).toBe(false);
    }
    expect(graphError.message).not.toMatch(/[\r\n]/);
  });
});
