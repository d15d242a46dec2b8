/**
 * Which workflow code a worker runs. From the sources (development, tests, scripts/dev, all
 * through tsx) it bundles workflows/ with webpack at start, so an edit takes effect on restart.
 * From a production build (dist/) it loads the bundle `npm run build` made
 * (build-workflow-bundle.ts), as Temporal recommends: start-up runs no webpack, and the workflow
 * code is exactly what was built.
 *
 * A bundle is only right next to the compiled code it was made from: a bundle older than the
 * JavaScript (rebuilt without re-bundling, files copied over a deployment) runs other workflow
 * code than the worker's activities and queries expect, which fails late and obscurely (activity
 * argument mismatches, non-determinism on replay). So the build writes a manifest beside the
 * bundle, with the sha256 of the bundle and of each compiled file webpack put into it, and the
 * worker refuses to start (`workflow_bundle_stale`) unless all of them still match. Packages in
 * the bundle (@temporalio/workflow, zod) are pinned by package-lock.json, from which the build
 * and the runtime install alike.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { z } from 'zod';
import { InventoryError } from '../inventory/error-codes';
import { type InventoryWorkersOptions } from './create-workers';

export const BUNDLE_FILE = 'workflow-bundle.js';
export const MANIFEST_FILE = 'workflow-bundle.manifest.json';

/** What `npm run build` records beside the bundle (MANIFEST_FILE). */
const bundleManifest = z.object({
  /** sha256 (hex) of BUNDLE_FILE. */
  bundle: z.string(),
  /** sha256 (hex) of each compiled file in the bundle, by its path relative to the build directory. */
  inputs: z.record(z.string(), z.string()).refine((inputs) => Object.keys(inputs).length > 0),
});
export type BundleManifest = z.infer<typeof bundleManifest>;

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The manifest of `code`, bundled from `inputFiles` (absolute paths inside `buildDir`). */
export function describeBundle(buildDir: string, code: string, inputFiles: Iterable<string>): BundleManifest {
  const inputs = [...inputFiles]
    .map((file) => [relative(buildDir, file), sha256(readFileSync(file))] as const)
    .sort(([a], [b]) => a.localeCompare(b));
  return { bundle: sha256(code), inputs: Object.fromEntries(inputs) };
}

/**
 * The path of the build's bundle once it is known to match the compiled code beside it; throws
 * `workflow_bundle_stale` naming the first mismatch otherwise.
 */
export function verifiedBundlePath(buildDir: string): string {
  const stale = (problem: string) =>
    new InventoryError('workflow_bundle_stale', `the workflow bundle in ${buildDir} ${problem}`);
  const manifestPath = join(buildDir, MANIFEST_FILE);
  const bundlePath = join(buildDir, BUNDLE_FILE);
  if (!existsSync(manifestPath) || !existsSync(bundlePath)) {
    throw stale(`is missing (${BUNDLE_FILE} and ${MANIFEST_FILE} come from npm run build)`);
  }
  const manifest = parseManifest(readFileSync(manifestPath, 'utf8'));
  if (!manifest) throw stale(`has an unreadable ${MANIFEST_FILE}`);
  if (sha256(readFileSync(bundlePath)) !== manifest.bundle) {
    throw stale(`does not match its manifest: ${BUNDLE_FILE} was replaced or changed after the build`);
  }
  for (const [file, hash] of Object.entries(manifest.inputs)) {
    const path = join(buildDir, file);
    if (!existsSync(path)) throw stale(`was built from ${file}, which is gone`);
    if (sha256(readFileSync(path)) !== hash) throw stale(`is stale: ${file} changed since it was bundled`);
  }
  return bundlePath;
}

function parseManifest(text: string): BundleManifest | null {
  try {
    const parsed = bundleManifest.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null; // not JSON
  }
}

/**
 * The worker's workflow code: the verified prebuilt bundle when this module runs compiled (from
 * dist/), else the workflow sources, bundled at start.
 */
export function workflowCode(): InventoryWorkersOptions['workflows'] {
  if (__filename.endsWith('.ts')) return { workflowsPath: require.resolve('../workflows') };
  return { workflowBundle: { codePath: verifiedBundlePath(join(__dirname, '..')) } };
}
