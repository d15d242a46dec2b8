/** Small request/response helpers shared by the simulator's authority, Graph and admin handlers. */
import { type IncomingMessage, type ServerResponse } from 'node:http';

export class BodyTooLargeError extends Error {}

export async function readBody(req: IncomingMessage, limitBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limitBytes) throw new BodyTooLargeError(`request body exceeds ${limitBytes} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed || res.headersSent) return;
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

const PADDING_CHUNK = 'x'.repeat(64 * 1_024);

/**
 * A 200 JSON answer padded to at least `bytes` bytes by a leading `@sim.padding` string member,
 * streamed in chunks with backpressure and without a content-length, so neither side needs the
 * whole body in memory; stops writing once the client goes away.
 */
export async function sendPaddedJson(
  res: ServerResponse,
  body: Record<string, unknown>,
  headers: Record<string, string>,
  bytes: number,
): Promise<void> {
  if (res.destroyed || res.headersSent) return;
  const rest = JSON.stringify(body).slice(1);
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', ...headers });
  const write = (chunk: string) =>
    res.write(chunk)
      ? Promise.resolve()
      : new Promise<void>((resolve) => res.once('drain', resolve).once('close', resolve));
  await write('{"@sim.padding":"');
  for (let left = bytes; left > 0 && !res.destroyed; left -= PADDING_CHUNK.length) {
    await write(left >= PADDING_CHUNK.length ? PADDING_CHUNK : PADDING_CHUNK.slice(0, left));
  }
  if (!res.destroyed) res.end(`",${rest}`);
}

export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

/** The origin the client addressed (https://localhost:PORT or https://127.0.0.1:PORT). */
export function requestOrigin(req: IncomingMessage): string {
  return `https://${req.headers.host ?? 'localhost'}`;
}
