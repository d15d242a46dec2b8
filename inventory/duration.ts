/**
 * Durations as people write them (`500ms`, `30s`, `10m`, `6h`, `1d`, or combined `1h30m`), used by
 * configuration, CLI flags and the client alike.
 *
 * Pure: safe to import anywhere.
 */
import { InventoryError } from './error-codes';

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;

/** Inclusive bounds of a duration in milliseconds, and how messages write them. */
export interface DurationRange {
  readonly minMs: number;
  readonly maxMs: number;
  readonly text: string;
}

/**
 * A schedule's interval: at least a minute (a sync per minute is already more than Graph's
 * throttling budget wants) and at most a year, far inside what Temporal's schedule spec holds.
 */
export const SCHEDULE_EVERY_RANGE: DurationRange = {
  minMs: 60_000,
  maxMs: 365 * UNIT_MS.d,
  text: 'from 1m to 365d',
};

/** A schedule's jitter: none up to a year (the client also keeps it shorter than the interval). */
export const SCHEDULE_JITTER_RANGE: DurationRange = { minMs: 0, maxMs: 365 * UNIT_MS.d, text: 'up to 365d' };

/** Units largest first: a duration names each at most once, in this order (`1h30m`, not `30m1h`). */
const UNIT_ORDER = ['d', 'h', 'm', 's', 'ms'] as const;

/**
 * Milliseconds, or null when the text is not a duration (surrounding spaces included). Every part
 * carries its unit, each unit at most once and largest first (`1h30m`, `2.5s`); a bare number is
 * refused, since `30` could mean seconds to one operator and milliseconds to another, except `0`.
 * Unbounded: see parseDurationInput for the checked form.
 */
export function parseDuration(text: string): number | null {
  if (text === '0') return 0;
  if (text.length === 0) return null;
  PART.lastIndex = 0;
  let total = 0;
  let consumed = 0;
  let lastUnit = -1;
  for (let match = PART.exec(text); match !== null; match = PART.exec(text)) {
    const unit = UNIT_ORDER.indexOf(match[2] as (typeof UNIT_ORDER)[number]);
    if (unit <= lastUnit) return null;
    lastUnit = unit;
    total += Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
    consumed = PART.lastIndex;
  }
  return consumed === text.length ? Math.round(total) : null;
}

/**
 * `value` (duration text, or a whole number of milliseconds) in milliseconds within `range`;
 * `invalid_input` naming `label` (e.g. `--every`, `every`) and the range otherwise.
 */
export function parseDurationInput(label: string, value: unknown, range: DurationRange): number {
  const ms = typeof value === 'number' ? value : typeof value === 'string' ? parseDuration(value) : null;
  // A fraction of a millisecond given as a number is a caller's mistake, not a rounding matter.
  if (ms === null || (!Number.isInteger(ms) && Number.isFinite(ms)) || Number.isNaN(ms)) {
    throw new InventoryError(
      'invalid_input',
      `${label} must be a duration such as 30m, 6h or 1d (${range.text})`,
    );
  }
  if (ms < range.minMs || ms > range.maxMs) {
    throw new InventoryError('invalid_input', `${label} must be ${range.text}`);
  }
  return ms;
}

/**
 * `ms` in a form parseDuration reads back: `500ms`, `2.5s`, `10m30s`, `6h`, `1h30m` (from an hour
 * up, seconds are dropped).
 */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1_000);
  if (minutes < 60) return seconds > 0 ? `${minutes}m${seconds}s` : `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 > 0 ? `${hours}h${minutes % 60}m` : `${hours}h`;
}
