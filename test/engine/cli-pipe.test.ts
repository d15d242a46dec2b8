/**
 * A reader that closes the pipe early (`| head`) ends the CLI quietly: exit 0, no stack trace
 * (found by a new user: `inventory policy-types | head -1` crashed with EPIPE).
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';

const BIN = resolve(__dirname, '../../bin/inventory.js');

it('a reader gone before the first write: the CLI ends quietly, exit 0', async () => {
  const child = spawn(process.execPath, [BIN, 'policy-types'], {
    env: { PATH: process.env.PATH ?? '', NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Closing our end of stdout makes the child's first write fail with EPIPE.
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const code = await new Promise<number | null>((done) => child.on('exit', done));
  expect(stderr).toBe('');
  expect(code).toBe(0);
});
