/** graph/request-pacing.ts: GCRA spacing per key, with headroom, burst allowance and request counts. */
import { describe, expect, it } from 'vitest';
import { createRequestPacer, STRICT_HEADROOM } from '../../graph/request-pacing';

describe('createRequestPacer', () => {
  it('spaces the requests of one key by 1/rate plus headroom, and leaves other keys alone', async () => {
    const pacer = createRequestPacer({ headroom: STRICT_HEADROOM });
    const start = Date.now();
    const times: Array<[string, number]> = [];
    await Promise.all(
      ['a', 'a', 'a', 'b'].map((key) =>
        pacer.wait(key, 10).then(() => times.push([key, Date.now() - start])),
      ),
    );
    const a = times.filter(([key]) => key === 'a').map(([, at]) => at);
    // Measured from the start (a late-recorded first request cannot shrink them): 120 ms apart.
    expect(a[1]!).toBeGreaterThanOrEqual(115);
    expect(a[2]!).toBeGreaterThanOrEqual(235);
    expect(times.find(([key]) => key === 'b')![1]).toBeLessThan(50);
  });

  it('charges a batch of n requests n intervals: the next request waits for all of them', async () => {
    const pacer = createRequestPacer();
    const start = Date.now();
    await pacer.wait('t', 100, undefined, 20); // 20 requests at 100/s: the next is due in 200 ms
    await pacer.wait('t', 100);
    expect(Date.now() - start).toBeGreaterThanOrEqual(195);
  });

  it('lets up to burstMs of requests through at once, then spaces the rest', async () => {
    const pacer = createRequestPacer({ burstMs: 100 });
    const start = Date.now();
    for (let i = 0; i < 11; i++) await pacer.wait('t', 100); // 10 ms each: 100 ms of burst
    expect(Date.now() - start).toBeLessThan(60);
    for (let i = 0; i < 10; i++) await pacer.wait('t', 100); // the 21st is due 100 ms after the first
    expect(Date.now() - start).toBeGreaterThanOrEqual(95);
  });

  it('rejects with the signal’s reason when aborted while waiting', async () => {
    const pacer = createRequestPacer();
    await pacer.wait('k', 1);
    const controller = new AbortController();
    const waiting = pacer.wait('k', 1, controller.signal);
    const reason = new Error('cancelled');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
  });
});
