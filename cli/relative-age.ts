/**
 * Timestamps as people read them in tables: "3 h ago" rather than an ISO instant they have to
 * subtract from the clock themselves. Human output only; --json keeps ISO timestamps.
 *
 * Our own few lines rather than a package or Intl.RelativeTimeFormat: Intl's English forms are
 * "3 hr. ago" / "3 hours ago", and pretty-ms is ESM-only; the unit choice below is the whole rule.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The largest unit that keeps the number readable: 90 min is "90 min", 2 days is "2 d". */
function span(ms: number): string {
  if (ms < MINUTE) return `${Math.floor(ms / SECOND)} s`;
  if (ms < 2 * HOUR) return `${Math.floor(ms / MINUTE)} min`;
  if (ms < 2 * DAY) return `${Math.floor(ms / HOUR)} h`;
  return `${Math.floor(ms / DAY)} d`;
}

/**
 * How long before `now` the instant `then` was, rounded down to whole units: "just now" (under a
 * second), "42 s ago", "90 min ago", "3 h ago", "2 d ago"; "never" for null. An instant after
 * `now` (the database's clock ahead of this machine's) is "in 5 s", never a negative age.
 */
export function relativeAge(then: Date | null, now: Date = new Date()): string {
  if (then === null) return 'never';
  const ms = now.getTime() - then.getTime();
  if (Math.abs(ms) < SECOND) return 'just now';
  return ms > 0 ? `${span(ms)} ago` : `in ${span(-ms)}`;
}
