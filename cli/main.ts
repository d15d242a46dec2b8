/**
 * The `inventory` CLI. Each command lives in cli/commands/ and talks to the service only through
 * the thin client (client/); program.ts wires them up, and this file turns failures into output
 * and exit codes. Every failure, usage errors included, is printed by reportFailure: one line
 * (and a hint) or, with --json, one JSON object on stderr; exit code 2 for bad input, 1 otherwise.
 */
import { reportFailure } from './output';
import { createProgram, failureOf, wantsJson } from './program';

// A reader that stops early (`inventory items --format csv | head`) closes the pipe: the output is
// no longer wanted, which is not a failure, so the process ends quietly as Unix tools do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});

const args = process.argv.slice(2);
const program = createProgram();

program.parseAsync(process.argv).catch((error: unknown) => {
  const failure = failureOf(error, program, args);
  if (failure !== null) process.exitCode = reportFailure(failure, { json: wantsJson(program, args) });
});
