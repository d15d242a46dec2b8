/** graph/request-pacing.ts: requests of one key spaced one interval (+20 %) apart, keys apart. */
import { describe, expect, it } from 'vitest';
import { createRequestPacer } from '../../graph/request-pacing';

describe('createRequestPacer', () => {
  it('spaces the requests of one key by 1/rate plus headroom, and leaves other keys alone', async () => {
    const pacer = createRequestPacer();
    const start = Date.now();
    const times: Array<[string, number]> = [];
    await Promise.all(
      ['a', 'a', 'a', 'b'].map((key) =>
        pacer.wait(key, 10).then(() => times.push([key, Date.now() - start])),
      ),
    );
    const a = times.filter(([key]) => key === 'a').map(([, at]) => at);
    expect(a[1]! - a[0]!).toBeGreaterThanOrEqual(115);
    expect(a[2]! - a[1]!).toBeGreaterThanOrEqual(115);
    expect(times.find(([key]) => key === 'b')![1]).toBeLessThan(50);
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
