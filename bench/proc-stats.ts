/**
 * CPU time and peak memory of the stack's processes, read from Linux's /proc: what a scenario needs
 * to say which process spent the machine's cores (worker, Temporal server, PostgreSQL, simulator).
 * Elsewhere (no /proc) every reading is null and the rows that need it are left out.
 */
import { readFileSync, readdirSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat's times: USER_HZ, 100 on every Linux build Node runs on. */
const CLOCK_TICKS = 100;

interface ProcStat {
  pid: number;
  comm: string;
  ppid: number;
  /** utime + stime of the process itself, in seconds. */
  ownSeconds: number;
  /** cutime + cstime: children it has waited for (exited PostgreSQL backends, for the postmaster). */
  reapedChildrenSeconds: number;
}

function readStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // comm is in parentheses and may itself contain spaces or parentheses: split after the last ")".
  const close = text.lastIndexOf(')');
  const comm = text.slice(text.indexOf('(') + 1, close);
  const fields = text.slice(close + 2).split(' ');
  // fields[0] is field 3 (state) of proc(5): utime is field 14, so fields[11].
  const n = (field: number) => Number(fields[field - 3]);
  return {
    pid,
    comm,
    ppid: n(4),
    ownSeconds: (n(14) + n(15)) / CLOCK_TICKS,
    reapedChildrenSeconds: (n(16) + n(17)) / CLOCK_TICKS,
  };
}

function allStats(): ProcStat[] {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    if (!/^\d+$/.test(name)) return [];
    const stat = readStat(Number(name));
    return stat === null ? [] : [stat];
  });
}

/** User + system CPU seconds the process has used so far, or null when it cannot be read. */
export function cpuSeconds(pid: number): number | null {
  return readStat(pid)?.ownSeconds ?? null;
}

/**
 * CPU seconds of the process and all its descendants, living or reaped: for PostgreSQL, the
 * postmaster with its backends (connections come and go, their time stays in the parent's cutime).
 */
export function treeCpuSeconds(rootPid: number): number | null {
  const stats = allStats();
  const root = stats.find((s) => s.pid === rootPid);
  if (root === undefined) return null;
  const byParent = new Map<number, ProcStat[]>();
  for (const stat of stats) byParent.set(stat.ppid, [...(byParent.get(stat.ppid) ?? []), stat]);
  let total = 0;
  const visit = (stat: ProcStat) => {
    total += stat.ownSeconds + stat.reapedChildrenSeconds;
    for (const child of byParent.get(stat.pid) ?? []) visit(child);
  };
  visit(root);
  return total;
}

/** The pids of the direct children of `parentPid` whose command name is `comm`. */
export function childPids(parentPid: number, comm: string): number[] {
  return allStats()
    .filter((s) => s.ppid === parentPid && s.comm === comm)
    .map((s) => s.pid);
}

/** Peak resident memory of the process so far (VmHWM), in MiB, or null. */
export function peakRssMiB(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb === undefined ? null : Math.round(Number(kb) / 1024);
  } catch {
    return null;
  }
}

/**
 * CPU seconds the whole machine has spent so far, all cores together: `busy` (user, nice, system,
 * irq, softirq, steal) and `total` (busy plus idle and iowait), from /proc/stat; null elsewhere.
 * Other processes on a shared machine show as busy time no process of the stack accounts for.
 */
export function machineCpuSeconds(): { busy: number; total: number } | null {
  let line: string | undefined;
  try {
    line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  } catch {
    return null;
  }
  if (line === undefined || !line.startsWith('cpu ')) return null;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line
    .trim()
    .split(/\s+/)
    .slice(1, 9)
    .map(Number);
  const busy = user! + nice! + system! + irq! + softirq! + steal!;
  return { busy: busy / CLOCK_TICKS, total: (busy + idle! + iowait!) / CLOCK_TICKS };
}
