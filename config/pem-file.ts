/**
 * PEM files named by the environment (Temporal mTLS pair, the Entra app's certificate), read and
 * checked at start-up so a wrong path or file is one line naming the variable instead of a TLS or
 * token failure later. Messages name the path, never the file's content.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from './env';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]+?-----END \1-----/g;

function parses(parse: () => unknown): boolean {
  try {
    parse();
    return true;
  } catch {
    return false;
  }
}

/**
 * The content of the PEM file at `path`, named by the variable `name`, holding a parseable
 * certificate and/or unencrypted private key as `needs` says. `config_invalid` naming `name` when
 * the file cannot be read or lacks one of them.
 */
export function readPemFile(
  name: string,
  path: string,
  needs: { certificate?: boolean; privateKey?: boolean },
): Buffer {
  let content: Buffer;
  try {
    content = readFileSync(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError(`${name} cannot be read (${path}: ${reason})`);
  }
  const blocks = content.toString('utf8').match(PEM_BLOCK) ?? [];
  const missing = [
    needs.certificate &&
      !blocks.some((b) => b.startsWith('-----BEGIN CERTIFICATE') && parses(() => new X509Certificate(b))) &&
      'a certificate',
    needs.privateKey &&
      !blocks.some((b) => /^-----BEGIN [A-Z ]*PRIVATE KEY/.test(b) && parses(() => createPrivateKey(b))) &&
      'an unencrypted private key',
  ].filter((item): item is string => typeof item === 'string');
  if (missing.length > 0) {
    throw new ConfigError(`${name} must be a PEM file with ${missing.join(' and ')} (${path} is not)`);
  }
  return content;
}
