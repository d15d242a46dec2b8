/**
 * Makes sure the namespace knows the search attributes sync workflows set. Without them, starts
 * that set them are rejected and workflows that upsert them fail their tasks, so the worker checks
 * at start and registers what is missing (needs operator permission; otherwise it says what to run).
 */
import { type Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { InventoryError } from '../inventory/error-codes';
import { SEARCH_ATTRIBUTES } from '../inventory/search-attributes';

/**
 * Adds the sync workflows' missing search attributes to `namespace` as Keyword. `temporal_unavailable`,
 * with the `temporal operator` commands to run, when adding fails; a failed listing is thrown unchanged.
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const known = new Set(Object.keys(existing.customAttributes ?? {}));
  const missing = SEARCH_ATTRIBUTES.filter((attribute) => !known.has(attribute.name));
  if (missing.length === 0) return;
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(
        missing.map((a) => [a.name, temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD]),
      ),
    });
  } catch (error) {
    const names = missing.map((a) => a.name).join(', ');
    throw new InventoryError(
      'temporal_unavailable',
      `search attributes ${names} are not registered in namespace ${namespace} and could not be added ` +
        `(${error instanceof Error ? error.message.split('\n')[0] : String(error)}); run: ` +
        missing
          .map((a) => `temporal operator search-attribute create --name ${a.name} --type Keyword`)
          .join(' && '),
    );
  }
}
