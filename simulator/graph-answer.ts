/**
 * One Graph request as the handlers see it, and what the simulator's Graph decides for it before
 * it is written: a JSON answer (status, headers, body) or a broken connection. A direct request writes it as the HTTP response; a
 * request inside a JSON batch becomes one entry of the batch response, so both go through the
 * same handlers, refusals and faults.
 */
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type TerminalFault } from './faults';
import { sendJson, sendPaddedJson } from './http';

/** One Graph request as the handlers need it, whether it came alone or inside a batch. */
export interface GraphRequest {
  method: string;
  /** The full URL, `/{version}/…` with its query. */
  url: URL;
  version: string;
  /** The origin the client addressed; links and `@odata.context` use it. */
  origin: string;
  /** The request's Authorization header (a batch's sub-requests carry the batch's). */
  authorization: string;
  clientRequestId: string | null;
  batched: boolean;
  /** Latency to add before answering (a batch's sub-requests: none of their own). */
  latencyMs: number;
  /** Where a foreignNextLink fault without its own origin points: this server under another name. */
  foreignOrigin: string;
}

export type GraphAnswer =
  | {
      kind: 'json';
      status: number;
      /** Header names as Graph writes them inside a batch response (`Retry-After`, `Content-Type`). */
      headers: Record<string, string>;
      body: unknown;
      /** padPage fault: pad the body to this many bytes (direct requests only). */
      padBytes?: number;
    }
  | { kind: 'reset' | 'hang' | 'malformedJson' };

export const ODATA_JSON =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

/** Graph's `error.code` and `error.message` per status, for injected faults. */
export const STATUS_ERRORS: Record<number, readonly [string, string]> = {
  400: ['BadRequest', 'Invalid request.'],
  401: ['InvalidAuthenticationToken', 'Access token validation failure.'],
  403: [
    'Forbidden',
    'Application is not authorized to perform this operation. Application must have one of the following scopes: DeviceManagementConfiguration.Read.All, DeviceManagementConfiguration.ReadWrite.All',
  ],
  404: ['ResourceNotFound', 'Resource not found.'],
  429: ['TooManyRequests', 'Too many requests, please retry later.'],
  500: ['InternalServerError', 'An internal server error occurred.'],
  502: ['BadGateway', 'Bad gateway.'],
  503: ['ServiceUnavailable', 'The service is temporarily unavailable. Please retry after a delay.'],
  504: ['GatewayTimeout', 'The gateway timed out.'],
};

/** Graph's error answer: `{ error: { code, message, innerError: { date, request-id, client-request-id } } }`. */
export function errorAnswer(
  status: number,
  code: string,
  message: string,
  requestId: string,
  headers: Record<string, string> = {},
  inner: Record<string, string> = {},
): GraphAnswer {
  return {
    kind: 'json',
    status,
    headers: { 'Content-Type': 'application/json', 'request-id': requestId, ...headers },
    body: {
      error: {
        code,
        message,
        innerError: {
          date: new Date().toISOString().replace(/\.\d+Z$/, ''),
          'request-id': requestId,
          'client-request-id': requestId,
          ...inner,
        },
      },
    },
  };
}

/** A 200 JSON answer in Graph's OData content type. */
export function okAnswer(body: unknown, requestId: string, clientRequestId: string): GraphAnswer {
  return {
    kind: 'json',
    status: 200,
    headers: { 'Content-Type': ODATA_JSON, 'request-id': requestId, 'client-request-id': clientRequestId },
    body,
  };
}

/** The answer a fired terminal fault imposes. */
export function terminalAnswer(fault: TerminalFault, authorization: string, requestId: string): GraphAnswer {
  switch (fault.kind) {
    case 'reset':
    case 'hang':
    case 'malformedJson':
      return { kind: fault.kind };
    case 'echoAuthorization': {
      const [code] = STATUS_ERRORS[fault.status] ?? ['BadRequest'];
      return errorAnswer(
        fault.status,
        code,
        `Request rejected. Received headers: Authorization: ${authorization}; client-request-id: ${requestId}`,
        requestId,
        {},
        { authorization: authorization },
      );
    }
    case 'status': {
      const [code, message] = STATUS_ERRORS[fault.status] ?? ['UnknownError', 'Error.'];
      return errorAnswer(
        fault.status,
        code,
        fault.message ?? message,
        requestId,
        fault.retryAfter === null ? {} : { 'Retry-After': fault.retryAfter },
      );
    }
  }
}

/** The outcome the statistics record for an answer: its status, or `reset`/`hang`. */
export function outcomeOf(answer: GraphAnswer): string {
  if (answer.kind === 'json') return String(answer.status);
  return answer.kind === 'malformedJson' ? '200' : answer.kind;
}

const MALFORMED_BODY =
  '{"@odata.context":"https://graph.microsoft.com/beta/$metadata#deviceManagement","value":[{"id":"';

/** Writes `answer` as the HTTP response to `req`. */
export async function writeAnswer(
  req: IncomingMessage,
  res: ServerResponse,
  answer: GraphAnswer,
): Promise<void> {
  switch (answer.kind) {
    case 'reset':
      req.socket.destroy();
      return;
    case 'hang':
      return;
    case 'malformedJson':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(MALFORMED_BODY);
      return;
    case 'json': {
      // HTTP header names are case-insensitive; lower case keeps sendJson's defaults overridable.
      const headers = Object.fromEntries(
        Object.entries(answer.headers).map(([k, v]) => [k.toLowerCase(), v]),
      );
      if (answer.padBytes !== undefined)
        return sendPaddedJson(res, answer.body as Record<string, unknown>, headers, answer.padBytes);
      sendJson(res, answer.status, answer.body, headers);
    }
  }
}
