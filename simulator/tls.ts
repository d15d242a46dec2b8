/**
 * TLS material for the Graph simulator: a private CA and a server certificate for localhost,
 * 127.0.0.1 and ::1, generated once into a directory and reused by every later start (tests,
 * the dev stack, `inventory graph-sim`). Clients trust the CA through NODE_EXTRA_CA_CERTS, which
 * Node reads only at start-up, so the CA must stay stable across runs: it is regenerated only when
 * missing or about to expire, and the server certificate only when it no longer chains to it.
 */
import { X509Certificate as NodeX509Certificate, webcrypto } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata API
// loaded first (reflect-metadata is installed with typeorm, which needs it as well).
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

export interface SimulatorCertificates {
  caCertPath: string;
  certPath: string;
  keyPath: string;
}

const FILES = {
  caCert: 'ca.pem',
  caKey: 'ca-key.pem',
  cert: 'server.pem',
  key: 'server-key.pem',
} as const;

const DAY_MS = 86_400_000;
const CA_VALIDITY_DAYS = 3650;
const SERVER_VALIDITY_DAYS = 365;
/** Certificates this close to expiry are replaced, so a long-running stack does not hit the date. */
const RENEW_BEFORE_MS = 7 * DAY_MS;
const SERVER_NAMES = { dns: ['localhost'], ip: ['127.0.0.1', '::1'] } as const;

const LOCK_FILE = '.lock';
const LOCK_STALE_MS = 30_000;
const LOCK_WAIT_MS = 20_000;

const ALGORITHM: webcrypto.EcKeyGenParams & webcrypto.EcdsaParams = {
  name: 'ECDSA',
  namedCurve: 'P-256',
  hash: 'SHA-256',
};

x509.cryptoProvider.set(webcrypto);

async function readIfExists(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return null;
  }
}

function usable(pem: string | null): NodeX509Certificate | null {
  if (pem === null) return null;
  try {
    const cert = new NodeX509Certificate(pem);
    return new Date(cert.validTo).getTime() - Date.now() > RENEW_BEFORE_MS ? cert : null;
  } catch {
    return null;
  }
}

function coversServerNames(cert: NodeX509Certificate): boolean {
  return (
    SERVER_NAMES.dns.every((name) => cert.checkHost(name) !== undefined) &&
    SERVER_NAMES.ip.every((ip) => cert.checkIP(ip) !== undefined)
  );
}

async function exportKeyPem(key: webcrypto.CryptoKey): Promise<string> {
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(pkcs8, 'PRIVATE KEY');
}

async function importKeyPem(pem: string): Promise<webcrypto.CryptoKey> {
  const der = x509.PemConverter.decodeFirst(pem);
  return webcrypto.subtle.importKey('pkcs8', der, ALGORITHM, false, ['sign']);
}

async function createCa(): Promise<{ certPem: string; keyPem: string }> {
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: 'CN=Inventory Sync Graph Simulator CA, O=Inventory Sync (development only)',
    keys,
    signingAlgorithm: ALGORITHM,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + CA_VALIDITY_DAYS * DAY_MS),
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await exportKeyPem(keys.privateKey) };
}

async function createServerCert(
  caCertPem: string,
  caKeyPem: string,
): Promise<{ certPem: string; keyPem: string }> {
  const caCert = new x509.X509Certificate(caCertPem);
  const caKey = await importKeyPem(caKeyPem);
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    subject: 'CN=localhost',
    issuer: caCert.subject,
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: ALGORITHM,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + SERVER_VALIDITY_DAYS * DAY_MS),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...SERVER_NAMES.dns.map((value) => ({ type: 'dns' as const, value })),
        ...SERVER_NAMES.ip.map((value) => ({ type: 'ip' as const, value })),
      ]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await exportKeyPem(keys.privateKey) };
}

/** Writes through a temporary file and a rename, so a reader never sees half a PEM. */
async function writeAtomically(file: string, content: string, mode: number): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, content, { mode });
  await rename(temporary, file);
}

/**
 * A lock file serialises generation between processes started at the same time (test runner,
 * dev stack, a hand-started simulator), which would otherwise write a CA and a server
 * certificate from two different runs.
 */
async function withLock<T>(dir: string, work: () => Promise<T>): Promise<T> {
  const lockPath = path.join(dir, LOCK_FILE);
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = await stat(lockPath).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > LOCK_STALE_MS) await rm(lockPath, { force: true });
      else if (Date.now() > deadline) throw new Error(`timed out waiting for ${lockPath}`);
      else await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lockPath, { force: true });
  }
}

/**
 * Returns the paths of the CA certificate, server certificate and server key in `dir`, creating
 * or renewing what is missing, expiring or inconsistent.
 */
export async function ensureSimulatorCertificates(dir: string): Promise<SimulatorCertificates> {
  const root = path.resolve(dir);
  const paths = {
    caCert: path.join(root, FILES.caCert),
    caKey: path.join(root, FILES.caKey),
    cert: path.join(root, FILES.cert),
    key: path.join(root, FILES.key),
  };
  await mkdir(root, { recursive: true });
  await withLock(root, async () => {
    let caCertPem = await readIfExists(paths.caCert);
    let caKeyPem = await readIfExists(paths.caKey);
    const ca = usable(caCertPem);
    if (ca === null || caKeyPem === null) {
      ({ certPem: caCertPem, keyPem: caKeyPem } = await createCa());
      await writeAtomically(paths.caKey, caKeyPem, 0o600);
      await writeAtomically(paths.caCert, caCertPem, 0o644);
    }
    const caCert = new NodeX509Certificate(caCertPem!);
    const server = usable(await readIfExists(paths.cert));
    const keyPem = await readIfExists(paths.key);
    const serverValid =
      server !== null && keyPem !== null && server.checkIssued(caCert) && server.verify(caCert.publicKey);
    if (!serverValid || !coversServerNames(server)) {
      const created = await createServerCert(caCertPem!, caKeyPem);
      await writeAtomically(paths.key, created.keyPem, 0o600);
      await writeAtomically(paths.cert, created.certPem, 0o644);
    }
  });
  return { caCertPath: paths.caCert, certPath: paths.cert, keyPath: paths.key };
}
