/**
 * Text PostgreSQL accepts. `text` and `jsonb` reject U+0000, and `jsonb` rejects a lone surrogate
 * (JSON.stringify writes it as a `\udxxx` escape), which a cut by UTF-16 units creates when it
 * splits a pair. One rejected string aborts the whole statement (an item batch, a run's
 * finalize), so everything this service stores from outside, item fields, tenant names, error
 * messages and error context, passes through here.
 *
 * Pure: safe to import anywhere, including workflow code.
 */

/**
 * Removes U+0000, replaces lone surrogates with U+FFFD and keeps at most `maxLength` code points;
 * a string that was cut ends with `marker` (e.g. '…' for messages meant for people).
 */
export function sanitizeText(value: string, maxLength: number, marker = ''): string {
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/\u0000/g, '').toWellFormed();
  if (clean.length <= maxLength) return clean;
  const codePoints = [...clean];
  if (codePoints.length <= maxLength) return clean;
  return `${codePoints.slice(0, maxLength).join('')}${marker}`;
}
