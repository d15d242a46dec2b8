/**
 * Colour in human output: only on a terminal, never with --json, and never when the user said no
 * (NO_COLOR, https://no-color.org; FORCE_COLOR=0; TERM=dumb). Colour carries emphasis only; every
 * coloured word is also there in plain text, so nothing is lost without it.
 */
import { createColors } from 'picocolors';

/** What a cell means, which decides its colour: `bad` needs attention, `warn` may. */
export type Tone = 'header' | 'good' | 'warn' | 'bad' | 'dim';

/** The stream facts colour depends on (a tty.WriteStream has them; a pipe has no isTTY). */
export interface ColorTarget {
  isTTY?: boolean;
  hasColors?: () => boolean;
}

/**
 * Whether human output written to `stream` may be coloured. NO_COLOR is read here rather than left
 * to Node's `hasColors()`, which lets FORCE_COLOR override it; FORCE_COLOR itself never colours a
 * pipe. `hasColors()` adds FORCE_COLOR=0, NODE_DISABLE_COLORS and TERM=dumb.
 */
export function colorsEnabled(
  stream: ColorTarget = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (stream.isTTY !== true) return false;
  if ((env.NO_COLOR ?? '') !== '' || env.FORCE_COLOR === '0') return false;
  return stream.hasColors?.() ?? false;
}

/**
 * Paints `text` (already escaped by terminalText) for its tone, or returns it unchanged when
 * `enabled` is false. The escape sequences it adds are our own; they never come from the text.
 */
export function painter(enabled: boolean): (text: string, tone: Tone | undefined) => string {
  const c = createColors(enabled);
  const byTone: Record<Tone, (text: string) => string> = {
    header: c.bold,
    good: c.green,
    warn: c.yellow,
    bad: c.red,
    dim: c.dim,
  };
  return (text, tone) => (enabled && tone !== undefined && text !== '' ? byTone[tone](text) : text);
}
