import { resolve } from 'node:path';
import { type Command } from 'commander';
import type * as DevStack from '../../dev/stack';
import { loadDevTooling } from '../dev-tooling';
import { portFlag, textFlag } from '../flags';
import { printLine } from '../output';
import { createProgressDisplay } from '../progress-display';
import { waitForShutdownSignal } from '../shutdown-signal';

interface DevFlags {
  dataDir: string;
  postgresPort: number;
  temporalPort: number;
  uiPort: number;
  graphPort: number;
  demo: boolean;
  exitAfterDemo?: boolean;
}

/**
 * Registers `inventory dev`: the local stack until Ctrl-C, or `--exit-after-demo` (exit code 1 unless
 * the demo sync succeeded). `dev_command_unavailable` in a production build, `dev_stack_running` when
 * one already runs from `--data-dir`, `invalid_input` for a bad port.
 */
export function registerDev(program: Command): void {
  program
    .command('dev')
    .description(
      'run the whole stack locally (PostgreSQL, Temporal + UI, Graph simulator, worker) with a demo sync',
    )
    .option(
      '--data-dir <dir>',
      'where the stack keeps its state',
      textFlag('--data-dir'),
      resolve(__dirname, '../../.data'),
    )
    .option('--postgres-port <port>', 'embedded PostgreSQL port', portFlag('--postgres-port'), 54329)
    .option('--temporal-port <port>', 'Temporal dev server port', portFlag('--temporal-port'), 7233)
    .option('--ui-port <port>', 'Temporal UI port', portFlag('--ui-port'), 8233)
    .option('--graph-port <port>', 'Graph simulator port', portFlag('--graph-port'), 8443)
    .option('--no-demo', 'bring the stack up without the demo sync')
    .option('--exit-after-demo', 'shut down after the demo sync (exit code 1 unless it succeeded)')
    .action(async (flags: DevFlags) => {
      // Development tooling, absent from the production build: loaded only when this command runs.
      const { runDevStack } = loadDevTooling(
        'dev',
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose (see dev-tooling.ts)
        () => require('../../dev/stack') as typeof DevStack,
      );
      const display = createProgressDisplay(process.stdout);
      const outcome = await runDevStack({
        dataDir: resolve(flags.dataDir),
        postgresPort: flags.postgresPort,
        temporalPort: flags.temporalPort,
        uiPort: flags.uiPort,
        graphPort: flags.graphPort,
        demo: flags.demo,
        exitAfterDemo: flags.exitAfterDemo === true,
        say: printLine,
        onProgress: (progress) => display.update(progress),
        waitForShutdown: waitForShutdownSignal,
      });
      if (flags.exitAfterDemo && outcome?.status !== 'success') process.exitCode = 1;
    });
}
