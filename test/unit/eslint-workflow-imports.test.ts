/**
 * The lint rule that keeps workflow code importing only what Temporal's sandbox can run: value
 * imports from activities (the directory's index included), the database or Graph layers are
 * refused, type-only imports are allowed. Linted as if the text were a file under workflows/.
 */
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const eslint = new ESLint({ cwd: ROOT });

async function restrictedImports(source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, {
    filePath: resolve(ROOT, 'workflows/run-outcome.ts'),
  });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('workflow import restrictions', () => {
  it.each([
    ["import { createGraphActivities } from '../activities';", 'the activities index'],
    ["import { createRunActivities } from '../activities/run-activities';", 'an activities module'],
    ["import { queryRows } from '../db/sql';", 'the database layer'],
    ["import { readFileSync } from 'node:fs';", 'a Node built-in'],
  ])('refuses %s (%s)', async (source) => {
    expect(await restrictedImports(source)).toHaveLength(1);
  });

  it.each([
    "import type { GraphActivities } from '../activities';",
    "import { type SyncPlan } from '../activities';",
  ])('allows type-only imports: %s', async (source) => {
    expect(await restrictedImports(source)).toEqual([]);
  });
});
