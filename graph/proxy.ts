/**
 * The outbound proxy for Graph requests and the authority probe, from the standard variables:
 * HTTPS_PROXY (else HTTP_PROXY) and NO_PROXY, lower-case forms first, read by undici's
 * EnvHttpProxyAgent (https://undici.nodejs.org/#/docs/api/EnvHttpProxyAgent). Token requests go
 * through @azure/identity's own pipeline, which reads the same variables (see credentials.ts).
 */
import { EnvHttpProxyAgent } from 'undici';
import { InventoryError } from '../inventory/error-codes';

/** The dispatcher global fetch takes, as @types/node declares it (Node's bundled undici). */
export type FetchDispatcher = NonNullable<RequestInit['dispatcher']>;

/**
 * A fetch dispatcher that tunnels https requests through HTTPS_PROXY unless NO_PROXY names the
 * host, and connects directly without a proxy variable. The variables are read now, once.
 * `config_invalid` when a proxy variable is not a URL.
 */
export function createProxyDispatcher(): FetchDispatcher {
  try {
    // The npm undici (7.x) declares its own Dispatcher types; Node 20's fetch takes its
    // dispatchers at run time (test/graph/proxy.test.ts sends real requests through it).
    return new EnvHttpProxyAgent() as unknown as FetchDispatcher;
  } catch {
    throw new InventoryError(
      'config_invalid',
      'HTTPS_PROXY (or https_proxy, HTTP_PROXY, http_proxy) must be a proxy URL such as http://proxy.example:3128',
    );
  }
}
