/**
 * Tenants for `inventory graph-sim --config`: a JSON array of the same tenant specs the admin API
 * accepts (seed, counts, page sizes, consent, faults), so a scenario written once can be served
 * from start-up or sent to a running simulator (PUT /_sim/tenants/<id>). A file that cannot be
 * used is one config_invalid line naming the file and the problem, before anything listens.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { boundedEcho } from '../inventory/bounded-echo';
import { InventoryError } from '../inventory/error-codes';
import { oneLineIssues, tenantSpecSchema, type TenantSpec } from './types';

const tenantFileSchema = z
  .array(tenantSpecSchema)
  .min(1, 'must list at least one tenant')
  // A second spec for the same tenant would silently replace the first.
  .refine((specs) => new Set(specs.map((spec) => spec.tenantId)).size === specs.length, {
    message: 'lists a tenant id more than once',
  });

/**
 * The tenant specs in the JSON file at `path`. `config_invalid` (one line naming the file) when it
 * cannot be read, is not JSON, or does not match the spec schema.
 */
export async function readTenantFile(path: string): Promise<TenantSpec[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new InventoryError('config_invalid', `--config: cannot read the tenant file ${path} (${reason})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    // V8's messages say it is JSON and quote the text around the problem, line breaks and all:
    // echoed like any input, on one line.
    throw new InventoryError('config_invalid', `--config: ${path}: ${boundedEcho((error as Error).message)}`);
  }
  const parsed = tenantFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new InventoryError('config_invalid', `--config: ${path}: ${oneLineIssues(parsed.error)}`);
  }
  return parsed.data;
}
