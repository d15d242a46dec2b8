import { type Command } from 'commander';
import { type InventoryClient, type InventorySyncResult } from '../../client';
import { ERROR_CODES, InventoryError, type ErrorCode } from '../../inventory/error-codes';
import { printJson, printLine, reportFailure } from '../output';
import { createProgressDisplay } from '../progress-display';
import { addSelectionOptions, selectionFromFlags, type SelectionFlags } from '../selection-options';
import { withClient } from '../with-client';
import { parseTenantId } from '../../inventory/tenant-id';
import { NOT_ATTEMPTED_PREFIX } from '../../workflows/type-progress';

/**
 * One line for a finished run: id, status, items observed and upserted (new, changed, unchanged),
 * and its error codes if any.
 */
export function describeResult(result: InventorySyncResult): string {
  const codes = result.errorCodes.length > 0 ? `; errors: ${result.errorCodes.join(', ')}` : '';
  const kinds = `${result.itemsNewCount} new, ${result.itemsChangedCount} changed, ${result.itemsUnchangedCount} unchanged`;
  return `run ${result.runId} ${result.status}: ${result.itemsObservedCount} items observed, ${result.itemsUpsertedCount} upserted (${kinds})${codes}`;
}

/**
 * The message a policy type recorded with `code` in a run's error context (`types.<type>.message`),
 * e.g. Entra's AADSTS code and what to do, preferring a type that met the failure over one failed
 * without a request after it; null when none did.
 */
export function recordedMessage(
  errorContext: Record<string, unknown> | null,
  code: ErrorCode,
): string | null {
  const types = errorContext?.types;
  if (typeof types !== 'object' || types === null) return null;
  const messages = Object.values(types as Record<string, unknown>).flatMap((entry) => {
    const { code: entryCode, message } = (entry ?? {}) as { code?: unknown; message?: unknown };
    return entryCode === code && typeof message === 'string' ? [message] : [];
  });
  // The type that met the failure holds its reason; the types failed after it only say so.
  return messages.find((m) => !m.startsWith(NOT_ATTEMPTED_PREFIX)) ?? messages[0] ?? null;
}

/**
 * A run that was skipped or failed is a failed command for scripts waiting on it: reported like
 * any other failure (its first error code, with that code's hint; the message a type recorded
 * with that code, else the code's summary) and exit code 1.
 */
async function reportUnsuccessful(
  client: InventoryClient,
  tenantId: string,
  result: InventorySyncResult,
  json: boolean,
): Promise<void> {
  if (result.status !== 'skipped' && result.status !== 'failed') return;
  const code = result.errorCodes[0] ?? 'internal_error';
  const run = await client.getRun(tenantId, result.runId);
  const reason = recordedMessage(run.errorContext, code) ?? ERROR_CODES[code].summary;
  reportFailure(new InventoryError(code, `run ${result.runId} ${result.status}: ${reason}`), { json });
  process.exitCode = 1;
}

/**
 * Registers `inventory sync start`: starts or joins a sync; with `--wait`, a skipped or failed run
 * exits 1.
 */
export function registerSync(program: Command): void {
  const sync = program.command('sync').description('start syncs');
  addSelectionOptions(
    sync
      .command('start')
      .description('start a sync of one tenant and selection, or join the one already running')
      .requiredOption('--tenant <id>', 'Entra tenant id', parseTenantId),
  )
    .option('--wait', 'wait for the run to finish, showing live progress')
    .option('--json', 'machine-readable output')
    .action(async (flags: SelectionFlags & { tenant: string; wait?: boolean; json?: boolean }) => {
      const selection = selectionFromFlags(flags);
      await withClient(async (client) => {
        const started = await client.startSync({ tenantId: flags.tenant, selection });
        if (!flags.json) {
          printLine(
            started.joined
              ? `a sync of this selection is already running; joined ${started.workflowId}`
              : `started ${started.workflowId}`,
          );
        }
        if (!flags.wait) {
          if (flags.json) printJson(started);
          return;
        }
        const display = flags.json ? null : createProgressDisplay();
        const result = await client.waitForSync(started.workflowId, {
          ...(display && { onProgress: (progress) => display.update(progress) }),
        });
        display?.finish();
        if (flags.json) printJson({ ...started, result });
        else printLine(describeResult(result));
        await reportUnsuccessful(client, flags.tenant, result, flags.json === true);
      });
    });
}
