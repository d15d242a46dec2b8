/**
 * The last step of `npm run build` (scripts/build), run from the compiled output like Temporal's
 * production sample: bundles dist/workflows with Temporal's bundler into dist/workflow-bundle.js
 * and writes its manifest (workflow-bundle.ts), listing every compiled file webpack took in.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { BUNDLE_FILE, MANIFEST_FILE, describeBundle } from './workflow-bundle';

const BUILD_DIR = join(__dirname, '..');

/** Webpack's statistics go unprinted; its warnings and errors (forbidden imports) are shown. */
const noop = () => undefined;
const buildLogger = {
  log: noop,
  trace: noop,
  debug: noop,
  info: noop,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};

async function main(): Promise<void> {
  if (__filename.endsWith('.ts')) {
    throw new Error('bundle the compiled workflows: run npm run build, not this file from the sources');
  }
  const bundled = new Set<string>();
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    logger: buildLogger,
    webpackConfigHook: (config) => ({
      ...config,
      plugins: [
        ...(config.plugins ?? []),
        (compiler) => {
          compiler.hooks.done.tap('inventory-bundle-inputs', (stats) => {
            for (const module of stats.compilation.modules) {
              const file = module.nameForCondition();
              if (file) bundled.add(file);
            }
          });
        },
      ],
    }),
  });
  // The project's compiled files; packages (outside the build directory) are pinned by
  // package-lock.json instead. The bundler's generated entrypoint exists only in webpack's memory.
  const inputs = [...bundled].filter(
    (file) => !relative(BUILD_DIR, file).startsWith(`..${sep}`) && existsSync(file),
  );
  writeFileSync(join(BUILD_DIR, BUNDLE_FILE), code);
  writeFileSync(
    join(BUILD_DIR, MANIFEST_FILE),
    `${JSON.stringify(describeBundle(BUILD_DIR, code, inputs), null, 2)}\n`,
  );
  console.log(`workflow bundle: ${join(BUILD_DIR, BUNDLE_FILE)} (${inputs.length} compiled files)`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
