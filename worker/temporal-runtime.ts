/**
 * Routes the Temporal SDK's own logs (worker state changes, activity and workflow loggers)
 * through our pino logger, so they are structured and redacted like everything else. The SDK
 * runtime is process-wide and can be installed once; later calls keep the first installation.
 */
import { Runtime } from '@temporalio/worker';
import { type LogLevel, type LogMetadata } from '@temporalio/common';
import { type Logger } from '../logging/logger';

let installed = false;

/**
 * Installs the SDK runtime with `logger` (child `component: temporal-sdk`) as its logger. Call it
 * before any connection or Worker is created: those install a default runtime, which cannot be replaced.
 */
export function installTemporalRuntime(logger: Logger): void {
  if (installed) return;
  const sdk = logger.child({ component: 'temporal-sdk' });
  const log = (level: LogLevel, message: string, meta?: LogMetadata) => {
    const method =
      level === 'TRACE'
        ? 'trace'
        : level === 'DEBUG'
          ? 'debug'
          : level === 'INFO'
            ? 'info'
            : level === 'WARN'
              ? 'warn'
              : 'error';
    sdk[method](meta ?? {}, message);
  };
  Runtime.install({
    logger: {
      log,
      trace: (message, meta) => log('TRACE', message, meta),
      debug: (message, meta) => log('DEBUG', message, meta),
      info: (message, meta) => log('INFO', message, meta),
      warn: (message, meta) => log('WARN', message, meta),
      error: (message, meta) => log('ERROR', message, meta),
    },
  });
  installed = true;
}
