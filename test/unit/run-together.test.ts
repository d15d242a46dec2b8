/**
 * The main and Graph workers of one process stop together: a failure of either shuts the other
 * down (gracefully) instead of leaving it running, and is reported once both have stopped.
 */
import { describe, expect, it } from 'vitest';
import { runTogether, type RunnableWorker } from '../../worker/run-together';

/** A worker that runs until shut down (after `drainMs`) or failed. */
class FakeWorker implements RunnableWorker {
  private state = 'INITIALIZED';
  private stop: (() => void) | null = null;
  private crash: ((error: Error) => void) | null = null;
  shutdownCalls = 0;

  constructor(private readonly drainMs = 0) {}

  run(): Promise<void> {
    this.state = 'RUNNING';
    return new Promise<void>((resolve, reject) => {
      this.stop = resolve;
      this.crash = reject;
    }).finally(() => {
      this.state = this.state === 'FAILED' ? 'FAILED' : 'STOPPED';
    });
  }

  shutdown(): void {
    if (this.state !== 'RUNNING') throw new Error(`not running: ${this.state}`);
    this.shutdownCalls += 1;
    this.state = 'DRAINING';
    setTimeout(() => this.stop?.(), this.drainMs);
  }

  fail(error: Error): void {
    this.state = 'FAILED';
    this.crash?.(error);
  }

  getState(): string {
    return this.state;
  }
}

describe('runTogether', () => {
  it('shuts the sibling down when one worker fails, and rejects once both have stopped', async () => {
    const failing = new FakeWorker();
    const sibling = new FakeWorker(50);
    const running = runTogether([failing, sibling]);
    const failure = new Error('poller failed');
    failing.fail(failure);
    await expect(running).rejects.toBe(failure);
    expect(sibling.shutdownCalls).toBe(1);
    expect(sibling.getState()).toBe('STOPPED');
  });

  it('stops the other worker when one is shut down, and resolves', async () => {
    const main = new FakeWorker();
    const graph = new FakeWorker(20);
    const running = runTogether([main, graph]);
    graph.shutdown();
    await expect(running).resolves.toBeUndefined();
    expect(main.shutdownCalls).toBe(1);
    expect(graph.shutdownCalls).toBe(1);
    expect([main.getState(), graph.getState()]).toEqual(['STOPPED', 'STOPPED']);
  });
});
