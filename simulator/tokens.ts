/**
 * The simulator's token machinery. Access tokens are JWT-shaped like Entra's (so clients and the
 * redaction patterns meet the real format) but HMAC-signed with a key that exists only in this
 * simulator process: a restarted simulator rejects old tokens, as a real authority would after
 * key rollover. Client assertions (certificate credentials) are verified against the registered
 * certificate with node:crypto, the way Entra checks them.
 */
import {
  createHash,
  createHmac,
  randomBytes,
  timingSafeEqual,
  verify,
  X509Certificate,
  constants,
} from 'node:crypto';

export interface AccessTokenClaims {
  aud: string;
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
  tid: string;
  appid: string;
  /** 1 = client secret, 2 = certificate, as Entra reports it. */
  appidacr: '1' | '2';
  idtyp: 'app';
  ver: '1.0';
  roles: string[];
  /** Unique token id; the simulator encodes the tenant's issue serial in it (for revocation). */
  uti: string;
}

const ROLES = [
  'DeviceManagementConfiguration.Read.All',
  'DeviceManagementApps.Read.All',
  'DeviceManagementServiceConfig.Read.All',
  'DeviceManagementManagedDevices.Read.All',
];

function base64UrlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function parseJwt(token: string): {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signed: string;
  signature: Buffer;
} | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as unknown;
    const payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as unknown;
    if (typeof header !== 'object' || header === null || typeof payload !== 'object' || payload === null) {
      return null;
    }
    return {
      header: header as Record<string, unknown>,
      payload: payload as Record<string, unknown>,
      signed: `${parts[0]}.${parts[1]}`,
      signature: Buffer.from(parts[2]!, 'base64url'),
    };
  } catch {
    return null;
  }
}

export class TokenAuthority {
  private readonly key = randomBytes(32);

  issue(claims: Omit<AccessTokenClaims, 'roles' | 'idtyp' | 'ver' | 'iss' | 'nbf'>): string {
    const full: AccessTokenClaims = {
      ...claims,
      iss: `https://sts.windows.net/${claims.tid}/`,
      nbf: claims.iat,
      idtyp: 'app',
      ver: '1.0',
      roles: ROLES,
    };
    const signed = `${base64UrlJson({ typ: 'JWT', alg: 'HS256', kid: 'simulator' })}.${base64UrlJson(full)}`;
    return `${signed}.${createHmac('sha256', this.key).update(signed).digest('base64url')}`;
  }

  /** The token's claims when its signature is ours, else null. Expiry is the caller's check. */
  verify(token: string): AccessTokenClaims | null {
    const jwt = parseJwt(token);
    if (jwt === null || jwt.header.alg !== 'HS256') return null;
    const expected = createHmac('sha256', this.key).update(jwt.signed).digest();
    if (expected.length !== jwt.signature.length || !timingSafeEqual(expected, jwt.signature)) return null;
    const claims = jwt.payload as Partial<AccessTokenClaims>;
    if (typeof claims.tid !== 'string' || typeof claims.exp !== 'number' || typeof claims.uti !== 'string') {
      return null;
    }
    return claims as AccessTokenClaims;
  }
}

/** A certificate registered for a client, indexed the ways MSAL names it in assertions. */
export interface RegisteredCertificate {
  x5t: string;
  x5tS256: string;
  certificate: X509Certificate;
}

export function registerCertificate(pem: string): RegisteredCertificate {
  const certificate = new X509Certificate(pem);
  return {
    certificate,
    x5t: createHash('sha1').update(certificate.raw).digest('base64url'),
    x5tS256: createHash('sha256').update(certificate.raw).digest('base64url'),
  };
}

export type AssertionCheck = { ok: true } | { ok: false; reason: string };

/**
 * Checks a client assertion as Entra does for the client-credentials grant: RS256 or PS256,
 * signed by a registered certificate named in x5t / x5t#S256, iss = sub = client id, aud = this
 * token endpoint, and within its validity window.
 */
export function verifyClientAssertion(
  assertion: string,
  options: {
    clientId: string;
    tokenEndpoint: string;
    certificates: readonly RegisteredCertificate[];
    now: number;
  },
): AssertionCheck {
  const jwt = parseJwt(assertion);
  if (jwt === null) return { ok: false, reason: 'the client assertion is not a JWT' };
  const { header, payload } = jwt;
  const thumbprint = header['x5t#S256'] ?? header.x5t;
  const match = options.certificates.find((c) => c.x5tS256 === thumbprint || c.x5t === thumbprint);
  if (match === undefined)
    return { ok: false, reason: 'the certificate named by the assertion is not registered' };
  const key = match.certificate.publicKey;
  let valid: boolean;
  if (header.alg === 'RS256') {
    valid = verify('sha256', Buffer.from(jwt.signed), key, jwt.signature);
  } else if (header.alg === 'PS256') {
    valid = verify(
      'sha256',
      Buffer.from(jwt.signed),
      { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST },
      jwt.signature,
    );
  } else {
    return { ok: false, reason: `unsupported assertion algorithm ${String(header.alg)}` };
  }
  if (!valid) return { ok: false, reason: 'the assertion signature is invalid' };
  if (payload.iss !== options.clientId || payload.sub !== options.clientId) {
    return { ok: false, reason: 'the assertion issuer and subject must be the client id' };
  }
  if (payload.aud !== options.tokenEndpoint)
    return { ok: false, reason: 'the assertion audience is not this token endpoint' };
  const nowSeconds = options.now / 1_000;
  const skew = 300;
  if (typeof payload.exp !== 'number' || payload.exp < nowSeconds - skew) {
    return { ok: false, reason: 'the assertion has expired' };
  }
  if (typeof payload.nbf === 'number' && payload.nbf > nowSeconds + skew) {
    return { ok: false, reason: 'the assertion is not yet valid' };
  }
  return { ok: true };
}
