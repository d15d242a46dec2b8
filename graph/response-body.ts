/**
 * Reading Graph error answers safely: at most a bounded number of bytes (an error page can be
 * large or endless), and only Graph's `error.code` / `error.message` kept, flattened to one line.
 * The excerpt is redacted here (and again when the GraphError is built), so an error body that
 * quotes the request's Authorization header never leaves the layer.
 */
import { sanitizeText } from '../inventory/postgres-text';
import { redactText } from '../inventory/redact';

const MAX_DETAIL_LENGTH = 300;

/** Reads up to `maxBytes` of the body as UTF-8 and cancels the rest. */
export async function readBounded(response: Response, maxBytes: number): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader() as ReadableStreamDefaultReader<Uint8Array>;
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
}

/** `code: message` from a Graph error body, or a short excerpt of a body that is not one. */
export function describeGraphErrorBody(body: string): string {
  let detail: string;
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
    const code = typeof parsed.error?.code === 'string' ? parsed.error.code : '';
    const message = typeof parsed.error?.message === 'string' ? parsed.error.message : '';
    detail = [code, message].filter((part) => part.length > 0).join(': ');
  } catch {
    detail = body;
  }
  // Redact before cutting: a token cut in half no longer looks like one.
  return sanitizeText(redactText(detail).replace(/\s+/g, ' ').trim(), MAX_DETAIL_LENGTH, '…');
}
