/**
 * Reading Graph answers safely: at most a bounded number of bytes (a page or an error can be large
 * or endless), and of an error only Graph's `error.code` / `error.message`, flattened to one line.
 * The excerpt is redacted here (and again when the GraphError is built), so an error body that
 * quotes the request's Authorization header never leaves the layer.
 */
import { sanitizeText } from '../inventory/postgres-text';
import { redactText } from '../inventory/redact';

const MAX_DETAIL_LENGTH = 300;

/**
 * Reads the body as UTF-8, streaming, until it ends or passes `maxBytes`, and cancels the rest:
 * at most `maxBytes` plus one network chunk is ever held. `text` is at most `maxBytes` bytes' worth;
 * `complete` is false when the body was longer (the caller decides whether a cut body will do).
 */
export async function readBounded(
  response: Response,
  maxBytes: number,
): Promise<{ text: string; complete: boolean }> {
  if (response.body === null) return { text: '', complete: true };
  const reader = response.body.getReader() as ReadableStreamDefaultReader<Uint8Array>;
  const chunks: Uint8Array[] = [];
  let size = 0;
  let complete = false;
  try {
    while (size <= maxBytes) {
      const { done, value } = await reader.read();
      if (done) {
        complete = true;
        break;
      }
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return { text: Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8'), complete };
}

/** The property a Graph 400 names as unknown (`Could not find a property named 'x' on type …`), or null. */
export function unknownPropertyNamed(text: string): string | null {
  return /Could not find a property named '([A-Za-z0-9_.@-]{1,128})'/.exec(text)?.[1] ?? null;
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
