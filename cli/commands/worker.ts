import { type Command } from 'commander';
import { runWorker } from '../../worker/main';

/** Registers `inventory worker`: runs the worker process (worker/main.ts) until SIGINT or SIGTERM. */
export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('run the Temporal worker (workflows, run activities, Graph page activities) until Ctrl-C')
    .action(async () => {
      await runWorker();
    });
}
