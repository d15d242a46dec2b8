/**
 * Routes the Temporal SDK's own logs (worker state changes, activity and workflow loggers)
 * through our pino logger, so they are structured and redacted like everything else, and serves
 * the SDK's own worker metrics (`temporal_*`: task slots, poll and execution latencies, failures)
 * from its Prometheus exporter on TEMPORAL_METRICS_ADDRESS. The SDK runtime is process-wide and
 * can be installed once; later calls keep the first installation.
 */
import { Runtime } from '@temporalio/worker';
import { type LogLevel, type LogMetadata } from '@temporalio/common';
import { InventoryError } from '../inventory/error-codes';
import { type Logger } from '../logging/logger';

let installed = false;

/**
 * Installs the SDK runtime with `logger` (child `component: temporal-sdk`) as its logger and, with
 * `metricsAddress`, the SDK's Prometheus exporter listening there (`/metrics`; durations in
 * seconds, counters named as the SDK documents them, without `_total`). Call it before any
 * connection or Worker is created: those install a default runtime, which cannot be replaced.
 * Throws `config_invalid` when the exporter cannot listen on `metricsAddress`.
 */
export function installTemporalRuntime(
  logger: Logger,
  options: { metricsAddress?: { host: string; port: number } | null } = {},
): void {
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
    // The workflow bundler reports webpack's multi-line build statistics at INFO: detail for
    // whoever debugs a bundle, not a line for the operator's log ("Workflow bundle created" stays).
    const demoted = method === 'info' && message.includes('\n') ? 'debug' : method;
    sdk[demoted](meta ?? {}, message);
  };
  const address = options.metricsAddress;
  const bindAddress = address
    ? `${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`
    : null;
  try {
    Runtime.install({
      ...(bindAddress !== null && {
        telemetryOptions: { metrics: { prometheus: { bindAddress, useSecondsForDurations: true } } },
      }),
      logger: {
        log,
        trace: (message, meta) => log('TRACE', message, meta),
        debug: (message, meta) => log('DEBUG', message, meta),
        info: (message, meta) => log('INFO', message, meta),
        warn: (message, meta) => log('WARN', message, meta),
        error: (message, meta) => log('ERROR', message, meta),
      },
    });
  } catch (error) {
    if (bindAddress === null) throw error;
    throw new InventoryError(
      'config_invalid',
      `TEMPORAL_METRICS_ADDRESS ${bindAddress} cannot be listened on (${error instanceof Error ? error.message : String(error)}); choose another address, or off`,
    );
  }
  installed = true;
}
