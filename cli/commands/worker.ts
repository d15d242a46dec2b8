import { type Command } from 'commander';
import { runWorker } from '../../worker/main';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('run the Temporal worker (workflows, run activities, Graph page activities) until Ctrl-C')
    .action(async () => {
      await runWorker();
    });
}
