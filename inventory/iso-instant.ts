/**
 * One reader of ISO 8601 instants (the extended form as RFC 3339 profiles it) for every input that
 * names a time: `--changed-since` and the timestamps inside pagination cursors. It refuses what
 * PostgreSQL would (`2026-02-30`, year 0) instead of letting `Date` roll it over.
 *
 * Pure: safe to import anywhere.
 */

// A date, or a date and time with seconds optional, a fraction of up to 6 digits and an offset
// (`Z` or ±hh:mm): ISO 8601's extended form, as RFC 3339 profiles it, and a local time without
// an offset is refused because it would mean another instant on every machine.
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-](\d{2}):(\d{2})))?$/;

/** The instant `text` names, or null when it is not one of ISO_INSTANT's forms or not a real time. */
export function parseIsoInstant(text: string): Date | null {
  const match = ISO_INSTANT.exec(text);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = Number((match[7] ?? '0').padEnd(3, '0').slice(0, 3));
  const offsetSign = match[8]?.startsWith('-') ? -1 : 1;
  const offsetHours = Number(match[9] ?? 0);
  const offsetMinutes = Number(match[10] ?? 0);
  const wallClock = new Date(0);
  wallClock.setUTCFullYear(year, month - 1, day);
  wallClock.setUTCHours(hour, minute, second, ms);
  const real =
    year >= 1 &&
    wallClock.getUTCFullYear() === year &&
    wallClock.getUTCMonth() === month - 1 &&
    wallClock.getUTCDate() === day &&
    wallClock.getUTCHours() === hour &&
    wallClock.getUTCMinutes() === minute &&
    wallClock.getUTCSeconds() === second &&
    offsetHours <= 14 &&
    offsetMinutes <= 59;
  if (!real) return null;
  return new Date(wallClock.getTime() - offsetSign * (offsetHours * 60 + offsetMinutes) * 60_000);
}
