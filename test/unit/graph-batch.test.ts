/**
 * graph/batch.ts on a virtual clock: each throttled request inside a batch is sent again on its
 * own, after its own Retry-After, and never dropped (https://learn.microsoft.com/graph/json-batching:
 * "each request in a batch can be throttled individually").
 */
import { describe, expect, it } from 'vitest';
import { MAX_BATCH_REQUESTS, sendBatched, type BatchAnswer, type BatchRequest } from '../../graph/batch';
import { GraphError } from '../../graph/errors';

/**
 * A transport whose answers come from `answer(id, sendCount)`: a status and an optional Retry-After
 * in seconds; it records every envelope with the clock when sent.
 */
function fakeGraph(answer: (id: string, sends: number) => { status: number; retryAfter?: string } | null) {
  let clock = 0;
  const sends = new Map<string, number>();
  const envelopes: Array<{ at: number; ids: string[] }> = [];
  const paced: number[] = [];
  return {
    envelopes,
    paced,
    now: () => clock,
    sleep: (ms: number) => {
      clock += ms;
      return Promise.resolve();
    },
    transport: {
      pace: (count: number) => {
        paced.push(count);
        return Promise.resolve();
      },
      post: (requests: readonly BatchRequest[]) => {
        envelopes.push({ at: clock, ids: requests.map((r) => r.id) });
        const answers = new Map<string, BatchAnswer>();
        for (const request of requests) {
          const count = (sends.get(request.id) ?? 0) + 1;
          sends.set(request.id, count);
          const a = answer(request.id, count);
          if (a === null) continue;
          answers.set(request.id, {
            status: a.status,
            headers: a.retryAfter === undefined ? {} : { 'retry-after': a.retryAfter },
            body: { value: [request.id] },
          });
        }
        return Promise.resolve(answers);
      },
    },
  };
}

const requests = (n: number): BatchRequest[] =>
  Array.from({ length: n }, (_, i) => ({ id: String(i), url: `/things/${i}/assignments` }));

describe('sendBatched', () => {
  it('sends again exactly the throttled requests, after their own Retry-After, and keeps the rest', async () => {
    const graph = fakeGraph((id, sends) =>
      sends === 1 && (id === '2' || id === '5')
        ? { status: 429, retryAfter: id === '2' ? '3' : '1' }
        : { status: 200 },
    );
    const answers = await sendBatched(requests(8), graph.transport, {
      deadlineMs: 60_000,
      now: graph.now,
      sleep: graph.sleep,
      random: () => 0,
    });
    expect([...answers.keys()].sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
    expect([...answers.values()].every((a) => a.status === 200)).toBe(true);
    expect(graph.envelopes).toEqual([
      { at: 0, ids: ['0', '1', '2', '3', '4', '5', '6', '7'] },
      { at: 1_000, ids: ['5'] },
      { at: 3_000, ids: ['2'] },
    ]);
    expect(graph.paced).toEqual([8, 1, 1]);
  });

  it('never puts more than 20 requests in one envelope', async () => {
    const graph = fakeGraph(() => ({ status: 200 }));
    const answers = await sendBatched(requests(45), graph.transport, {
      deadlineMs: 60_000,
      now: graph.now,
      sleep: graph.sleep,
    });
    expect(answers.size).toBe(45);
    expect(graph.envelopes.map((e) => e.ids.length)).toEqual([MAX_BATCH_REQUESTS, MAX_BATCH_REQUESTS, 5]);
  });

  it('sends again a request the answer left out, and returns final failures as answers', async () => {
    const graph = fakeGraph((id, sends) =>
      id === '1' && sends === 1 ? null : { status: id === '0' ? 404 : 200 },
    );
    const answers = await sendBatched(requests(2), graph.transport, {
      deadlineMs: 60_000,
      now: graph.now,
      sleep: graph.sleep,
      random: () => 0,
    });
    expect(answers.get('0')!.status).toBe(404);
    expect(answers.get('1')!.status).toBe(200);
    expect(graph.envelopes.map((e) => e.ids)).toEqual([['0', '1'], ['1']]);
  });

  it('fails retryably as graph_throttled when a request is still throttled past the deadline', async () => {
    const graph = fakeGraph((id) => (id === '3' ? { status: 429, retryAfter: '10' } : { status: 200 }));
    const error = await sendBatched(requests(4), graph.transport, {
      deadlineMs: 25_000,
      now: graph.now,
      sleep: graph.sleep,
      random: () => 0,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphError);
    expect((error as GraphError).code).toBe('graph_throttled');
    expect((error as GraphError).decision).toMatchObject({ retryable: true, retryAfterMs: 10_000 });
    // Sent at 0, 10 s and 20 s; the next would be at 30 s, past the deadline.
    expect(graph.envelopes.map((e) => e.at)).toEqual([0, 10_000, 20_000]);
  });
});
