/**
 * Workflow history as searchable text. `fetchHistory()` returns protobuf objects whose payloads
 * (workflow input, activity inputs and results, memo, search attributes, failure details) hold
 * their data as bytes, so a plain JSON.stringify of a history never shows what is inside them.
 * Here every byte array is decoded as UTF-8, and JSON payloads are parsed and walked as well.
 */
import { expect } from 'vitest';
import { type Client } from '@temporalio/client';
import { type temporal } from '@temporalio/proto';
import { type SimulatorAdmin } from '../../simulator/types';
import { type PolicyType } from '../../inventory/policy-types';

type History = temporal.api.history.v1.IHistory;

/** Every string in the history, payload contents included, one per line. */
export function historyText(history: History): string {
  const parts: string[] = [];
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      parts.push(value);
    } else if (value instanceof Uint8Array) {
      const text = Buffer.from(value).toString('utf8');
      parts.push(text);
      try {
        visit(JSON.parse(text));
      } catch {
        // not JSON: the raw text is already there
      }
    } else if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (typeof value === 'object' && value !== null) {
      Object.values(value).forEach(visit);
    }
  };
  visit(history);
  return parts.join('\n');
}

/**
 * The decoded histories of one workflow execution and of every execution it continued as new
 * into, in order.
 */
export async function executionChainTexts(
  client: Client,
  workflowId: string,
  firstRunId: string,
): Promise<string[]> {
  const texts: string[] = [];
  for (let runId: string | null | undefined = firstRunId; runId;) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    texts.push(historyText(history));
    runId = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
  }
  return texts;
}

/** Things that must never reach workflow history: credentials, tokens, and Graph payloads. */
export function expectNoSecretsOrPayloads(
  text: string,
  forbidden: { secrets: readonly string[]; graphValues: readonly string[] },
): void {
  for (const secret of forbidden.secrets) expect(text).not.toContain(secret);
  // A JWT (header.payload.signature, base64url) or a bearer credential in any form.
  expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\./);
  expect(text.toLowerCase()).not.toContain('bearer ');
  for (const value of forbidden.graphValues) expect(text).not.toContain(value);
}

/** The names and ids of a tenant's simulated items: raw Graph payload that history must not hold. */
export async function graphItemValues(
  admin: SimulatorAdmin,
  tenantId: string,
  types: readonly PolicyType[],
): Promise<string[]> {
  const values: string[] = [];
  for (const type of types) {
    for (const item of await admin.listItems(tenantId, type)) values.push(item.id, item.name);
  }
  // Values of a few characters (a scope tag's id "0") cannot be told from the counts history holds.
  return values.filter((value) => value.length >= 4);
}
