/**
 * The CLI's development commands (`dev`, `graph-sim`) need tooling that lives outside the
 * production folders (dev/, simulator/) and is left out of the production build. They load it
 * only when run, through this function, so every other command works without it and a production
 * image answers a development command with one clear line instead of a module-resolution trace.
 */
import { InventoryError } from '../inventory/error-codes';

/**
 * Runs `load` (a `require` of tooling modules, the lazy form the production-import lint rule
 * allows). Throws `dev_command_unavailable` when one is not part of this build; any other failure
 * passes through unchanged.
 */
export function loadDevTooling<T>(command: string, load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (isModuleNotFound(error)) {
      throw new InventoryError(
        'dev_command_unavailable',
        `inventory ${command} is a development command and its tooling is not in this build; run it from a source checkout`,
      );
    }
    throw error;
  }
}

function isModuleNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND';
}
