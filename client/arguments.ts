/**
 * Checks of the client's arguments that TypeScript cannot make for callers in plain JavaScript,
 * or for values that arrive from JSON: objects that are objects, booleans that are booleans,
 * Temporal ids that Temporal can look up. Each failure is InvalidInputError (`invalid_input`)
 * with a one-line message naming the argument; none quotes the input.
 */
import { parsePageLimit } from '../db/pagination';
import { hasControlCharacters } from '../inventory/control-characters';
import { InvalidInputError } from './errors';

/** Temporal's default limit on workflow and schedule ids (dynamic config `limit.maxIDLength`). */
export const MAX_TEMPORAL_ID_LENGTH = 1000;

/** `null`, `an array`, `a number`, …: what a wrongly typed argument was, for its message. */
function describeType(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** `value` as a plain object; `invalid_input` naming `name` for anything else (null, arrays, …). */
export function objectArgument(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidInputError(`${name} must be an object, not ${describeType(value)}`);
  }
  return value as Record<string, unknown>;
}

/** Like objectArgument, but an omitted (undefined) argument is an empty object. */
export function optionsArgument(value: unknown, name: string): Record<string, unknown> {
  return value === undefined ? {} : objectArgument(value, name);
}

/** `value` when it is a boolean; `invalid_input` naming `name` otherwise (no truthiness). */
export function booleanArgument(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') {
    throw new InvalidInputError(`${name} must be true or false, not ${describeType(value)}`);
  }
  return value;
}

/**
 * A page size: `fallback` when omitted, else a number within the limits parsePageLimit applies
 * (a digit string is the CLI's form, not a typed caller's); `invalid_input` naming `limit` otherwise.
 */
export function limitArgument(value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') {
    throw new InvalidInputError(`limit must be a number, not ${describeType(value)}`);
  }
  return parsePageLimit(value);
}

/** `value` when it is a string or undefined (omitted); `invalid_input` naming `name` otherwise. */
export function optionalStringArgument(value: unknown, name: string): string | undefined {
  if (value !== undefined && typeof value !== 'string') {
    throw new InvalidInputError(`${name} must be a string, not ${describeType(value)}`);
  }
  return value;
}

/**
 * A workflow or schedule id as Temporal takes it: a non-empty string, not only whitespace, of at
 * most MAX_TEMPORAL_ID_LENGTH characters, without control characters. Temporal itself answers an
 * empty id with a raw service error and would look up any other, so these never reach it.
 */
export function temporalIdArgument(value: unknown, name: string): string {
  if (typeof value !== 'string') {
    throw new InvalidInputError(`${name} must be a string, not ${describeType(value)}`);
  }
  if (value.trim().length === 0) throw new InvalidInputError(`${name} must not be empty or only whitespace`);
  if (value.length > MAX_TEMPORAL_ID_LENGTH) {
    throw new InvalidInputError(
      `${name} is ${value.length} characters long; Temporal ids have at most ${MAX_TEMPORAL_ID_LENGTH}`,
    );
  }
  if (hasControlCharacters(value)) throw new InvalidInputError(`${name} must not contain control characters`);
  return value;
}
