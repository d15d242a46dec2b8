/**
 * The one error type the Graph layer throws. It carries its RetryDecision as data so that callers
 * (the Temporal page activity, and the benchmarks' raw loop) act on it without parsing messages.
 *
 * Safety: the message is redacted and flattened to one line at construction, and the error never
 * holds a `cause`, a response body or a header, so neither logging it, JSON.stringify nor
 * util.inspect can leak a bearer token or a client secret.
 */
import { InventoryError } from '../inventory/error-codes';
import { sanitizeText } from '../inventory/postgres-text';
import { redactText } from '../inventory/redact';
import { type RetryDecision } from './retry-decision';

const MAX_MESSAGE_LENGTH = 500;

/** Redacts, collapses whitespace (one line) and bounds a message meant for people and logs. */
function safeMessage(text: string): string {
  const line = redactText(text).replace(/\s+/g, ' ').trim();
  // One code point is kept for the cut's marker, so a cut message is at most 500 characters too.
  return sanitizeText(line, MAX_MESSAGE_LENGTH - 1, '…');
}

/**
 * A failed Graph or token request: `code` is `decision.code`, and `decision` says whether to retry and
 * after how many ms (retry-decision.ts). The message is at most 500 characters.
 */
export class GraphError extends InventoryError {
  override readonly name = 'GraphError';
  readonly decision: RetryDecision;

  constructor(decision: RetryDecision, message: string) {
    super(decision.code, safeMessage(message));
    this.decision = decision;
  }

  toJSON(): { name: string; code: string; message: string; decision: RetryDecision } {
    return { name: this.name, code: this.code, message: this.message, decision: { ...this.decision } };
  }
}

/** A GraphError that no retry can fix (foreign nextLink, paging loop, rejected credentials). */
export function permanentGraphError(
  code: RetryDecision['code'],
  message: string,
  extras: Pick<RetryDecision, 'httpStatus' | 'requestId'> = {},
): GraphError {
  return new GraphError({ code, retryable: false, delayMs: null, ...extras }, message);
}
