/**
 * The peak resident memory of a child process and its descendants (a launcher may re-execute
 * itself), read from Linux's /proc while they run: `VmHWM` is each process's high-water mark,
 * so polling misses nothing that happened before the last poll, and a process that has exited
 * keeps the largest value seen while it lived.
 */
import { readFileSync } from 'node:fs';

function readProc(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null; // the process has exited
  }
}

/** `pid` and every process below it, through /proc/<pid>/task/<tid>/children. */
function processTree(pid: number): number[] {
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    const children = readProc(`/proc/${tree[i]}/task/${tree[i]}/children`);
    for (const child of children?.trim().split(/\s+/).filter(Boolean) ?? []) tree.push(Number(child));
  }
  return tree;
}

/** VmHWM of `pid` in bytes, or null once it has exited. */
function highWaterMark(pid: number): number | null {
  const status = readProc(`/proc/${pid}/status`);
  const match = status && /^VmHWM:\s+(\d+) kB$/m.exec(status);
  return match ? Number(match[1]) * 1024 : null;
}

export interface PeakRssWatch {
  /** The largest VmHWM seen of any process in the tree, in bytes. */
  readonly peakBytes: number;
  /** Polls once more (call it when the child is about to end) and stops polling. */
  stop(): number;
}

/** Polls the tree under `pid` every `intervalMs` until stopped. */
export function watchPeakRss(pid: number, intervalMs = 20): PeakRssWatch {
  const peaks = new Map<number, number>();
  const poll = () => {
    for (const member of processTree(pid)) {
      const bytes = highWaterMark(member);
      if (bytes !== null) peaks.set(member, Math.max(bytes, peaks.get(member) ?? 0));
    }
  };
  poll();
  const timer = setInterval(poll, intervalMs);
  const peak = () => Math.max(0, ...peaks.values());
  return {
    get peakBytes() {
      return peak();
    },
    stop() {
      poll();
      clearInterval(timer);
      return peak();
    },
  };
}
