/**
 * Seeded randomness for the simulator: the same seed always yields the same tenants, items, ids
 * and fault draws, so tests and benchmarks can state exact expectations.
 */
import { createHash } from 'node:crypto';

export type Rng = () => number;

/** A 32-bit seed derived from any mix of strings and numbers (sha256, first 4 bytes). */
export function deriveSeed(...parts: ReadonlyArray<string | number>): number {
  return createHash('sha256').update(parts.join('\u001f')).digest().readUInt32BE(0);
}

/** mulberry32: small, fast and good enough for synthetic data; returns values in [0, 1). */
export function seededRng(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function pick<T>(rng: Rng, values: readonly T[]): T {
  return values[Math.floor(rng() * values.length)]!;
}

export function intBetween(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

/** A version-4-shaped GUID whose bits come from the RNG. */
export function seededGuid(rng: Rng): string {
  const bytes = Array.from({ length: 16 }, () => Math.floor(rng() * 256));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
