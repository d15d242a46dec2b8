/**
 * `inventory graph-sim --help` names every field a --config tenant spec may hold, and every fault
 * scope, so a person writing one needs no source to find `groupsReadable` or `itemId`.
 */
import { type Command } from 'commander';
import { expect, it } from 'vitest';
import { createProgram } from '../../cli/program';
import { tenantSpecSchema } from '../../simulator/types';

function helpOf(name: string): string {
  const command = createProgram().commands.find((c: Command) => c.name() === name)!;
  let text = '';
  command.configureOutput({ writeOut: (chunk) => (text += chunk) });
  command.outputHelp();
  return text;
}

it('lists every tenant spec field and the fault scopes', () => {
  const help = helpOf('graph-sim');
  const fields = Object.keys(tenantSpecSchema.shape).map((key) => (key === 'tenantId' ? key : `${key}?`));
  for (const field of fields) expect(help).toMatch(new RegExp(`[{\\s]${field.replace('?', '\\?')}[,\\s}]`));
  for (const scope of ['batched', 'itemId']) expect(help).toMatch(new RegExp(`\\b${scope}\\b`));
});
