/**
 * The assignments of a page's items, and the names of the groups they target. A type read with
 * `$expand=assignments` (inventory/policy-types/definition.ts) brings them on the page; an item the
 * expand left without them (a service that ignored it, an expanded list with its own nextLink,
 * a page asked again without `$select`/`$expand`) and every item of a `perItem` type is read
 * from `{collection}/{id}/assignments` in JSON batches (graph/batch.ts), following nextLinks.
 * Sources: REFERENCE.md "$expand=assignments" and "JSON batching";
 * https://learn.microsoft.com/graph/json-batching.
 */
import { normalizeAssignment, type NormalizedAssignment } from '../inventory/assignment';
import { type NormalizedItem } from '../inventory/item';
import { policyType, type PolicyType } from '../inventory/policy-types';
import { MAX_BATCH_REQUESTS, sendBatched, type BatchAnswer, type BatchTransport } from './batch';
import { GraphError, permanentGraphError } from './errors';
import { graphRefusal } from './refusals';
import { describeGraphErrorBody } from './response-body';
import { decide } from './retry-decision';

export interface BatchedReadOptions {
  transport: BatchTransport;
  /** Epoch ms after which a still-throttled request fails the read (graph/batch.ts). */
  deadlineMs: number;
  random?: () => number;
  /** Waits before throttled requests are sent again (default a timer); lets the caller count them. */
  sleep?: (ms: number) => Promise<void>;
}

/** Display names by group id; `forbidden` when Graph refused to let the app read groups. */
export interface GroupNames {
  names: Map<string, string>;
  forbidden: boolean;
}

function edgesOf(list: readonly unknown[]): NormalizedAssignment[] {
  const edges: NormalizedAssignment[] = [];
  for (const raw of list) {
    const result = normalizeAssignment(raw);
    // An assignment without a target names nothing it is tied to; there is no edge to keep.
    if (result.ok) edges.push(result.assignment);
  }
  return edges;
}

/** The path of a nextLink below its API version, as a batch request's relative `url`. */
function relativeUrl(link: string): string {
  const url = new URL(link);
  return `${url.pathname.replace(/^\/(beta|v1\.0)(?=\/)/, '')}${url.search}`;
}

/** A sub-request's final failure as the GraphError a single request would have thrown. */
function answerFailure(type: PolicyType | null, answer: BatchAnswer, what: string): GraphError {
  const detail = describeGraphErrorBody(JSON.stringify(answer.body ?? ''));
  const refusal = type === null ? null : graphRefusal(type, answer.status, detail, what);
  const requestId = answer.requestId !== undefined ? { requestId: answer.requestId } : {};
  if (refusal !== null) {
    return permanentGraphError(refusal.code, refusal.message, { httpStatus: answer.status, ...requestId });
  }
  return new GraphError(
    decide({ status: answer.status, attempt: 1, now: new Date(), ...requestId }),
    `Graph answered ${answer.status} for the ${what}${detail ? `: ${detail}` : ''}`,
  );
}

/**
 * `items` (with `raws`, the objects they came from, index for index) with their `assignments` set:
 * from the expansion where it is complete, else read per item. An item Graph no longer has (404
 * between the list and the read) keeps `assignments` unset, so it keeps its previous edges. Throws
 * GraphErrors: a refusal (`graph_forbidden`, …), another failure, or `graph_throttled` when a
 * throttled read outlasts the deadline.
 */
export async function readItemAssignments(
  type: PolicyType,
  items: readonly NormalizedItem[],
  raws: ReadonlyArray<Record<string, unknown>>,
  options: BatchedReadOptions,
): Promise<NormalizedItem[]> {
  const def = policyType(type);
  const result: Array<{ -readonly [K in keyof NormalizedItem]: NormalizedItem[K] }> = items.map((item) => ({
    ...item,
  }));
  const collected = new Map<number, unknown[]>();
  let requests: Array<{ id: string; url: string }> = [];
  result.forEach((item, index) => {
    const raw = raws[index]!;
    if (
      def.assignments === 'expand' &&
      Array.isArray(raw.assignments) &&
      raw['assignments@odata.nextLink'] === undefined
    ) {
      item.assignments = edgesOf(raw.assignments);
      return;
    }
    collected.set(index, []);
    requests.push({
      id: String(index),
      url: `${def.collectionPath}/${encodeURIComponent(item.external_id)}/assignments`,
    });
  });
  const vanished = new Set<number>();
  while (requests.length > 0) {
    const answers = await sendBatched(requests, options.transport, options);
    const next: typeof requests = [];
    for (const request of requests) {
      const index = Number(request.id);
      const answer = answers.get(request.id)!;
      const what = `assignments of ${type} ${result[index]!.external_id}`;
      if (answer.status === 404) {
        vanished.add(index);
        continue;
      }
      const body = answer.body as { value?: unknown; '@odata.nextLink'?: unknown } | null;
      if (answer.status !== 200 || !Array.isArray(body?.value)) {
        if (answer.status === 200) {
          throw new GraphError(
            decide({ invalidResponse: true, attempt: 1, now: new Date() }),
            `the ${what} is not a collection`,
          );
        }
        throw answerFailure(type, answer, what);
      }
      collected.get(index)!.push(...(body.value as unknown[]));
      if (typeof body['@odata.nextLink'] === 'string') {
        next.push({ id: request.id, url: relativeUrl(body['@odata.nextLink']) });
      }
    }
    requests = next;
  }
  for (const [index, list] of collected) {
    if (!vanished.has(index)) result[index]!.assignments = edgesOf(list);
  }
  return result;
}

/** How many `$batch` envelopes readGroupNames sends for `groups` distinct groups, none throttled. */
export function groupNameEnvelopes(groups: number): number {
  return groups === 0 ? 0 : 1 + Math.ceil((groups - 1) / MAX_BATCH_REQUESTS);
}

/**
 * The display names of `groupIds` (`GET /groups/{id}?$select=id,displayName`, v1.0, in batches);
 * a group that no longer exists is left out. A 403 on the first request answers `forbidden` with no
 * names. Throws GraphErrors for other failures.
 */
export async function readGroupNames(
  groupIds: readonly string[],
  options: BatchedReadOptions,
): Promise<GroupNames> {
  const requests = [...new Set(groupIds)].map((id, index) => ({
    id: String(index),
    url: `/groups/${encodeURIComponent(id)}?$select=id,displayName`,
    groupId: id,
  }));
  const names = new Map<string, string>();
  // One request first: an app without the permission is refused for every group alike, so a
  // tenant that never granted it costs one request per run, not one per group.
  for (const part of [requests.slice(0, 1), requests.slice(1)]) {
    if (part.length === 0) continue;
    const answers = await sendBatched(part, options.transport, options);
    for (const request of part) {
      const answer = answers.get(request.id)!;
      if (answer.status === 403) return { names: new Map(), forbidden: true };
      if (answer.status === 404) continue;
      if (answer.status !== 200) throw answerFailure(null, answer, `group ${request.groupId}`);
      const name = (answer.body as { displayName?: unknown } | null)?.displayName;
      if (typeof name === 'string') names.set(request.groupId, name);
    }
  }
  return { names, forbidden: false };
}
