/**
 * Replay tests: the committed histories of representative executions (test/replay/histories,
 * written by record.test.ts) replayed against the workflow code the worker runs. A workflow
 * change that would break executions already running — other commands, or the same ones in
 * another order — fails here before it lands. Such a change must be guarded with `patched()`;
 * re-recording is only for changes no running execution will meet (README, Development).
 *
 * The last test proves the check can fail: the same histories replayed against a deliberately
 * altered workflow (test/fixtures/workflows-incompatible.ts) are rejected as non-deterministic.
 */
import { join, resolve } from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { beforeAll, expect, it } from 'vitest';
import { SYNC_WORKFLOW_TYPE } from '../../inventory/workflow-ids';
import { TEST_APP } from '../graph/support';
import { expectNoSecretsOrPayloads, historyText } from '../support/history';
import {
  ARCHIVED_HISTORY_SETS,
  HISTORIES_DIR,
  REQUIRED_SCENARIOS,
  loadHistoryFiles,
  replayAll,
  type HistoryFile,
} from './history-files';

const files = loadHistoryFiles();
const archived = ARCHIVED_HISTORY_SETS.flatMap((set) =>
  loadHistoryFiles(join(HISTORIES_DIR, set)).map((file) => ({ ...file, name: `${set}/${file.name}` })),
);

function workflowTypeOf(file: HistoryFile): string | null | undefined {
  return file.history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name;
}

beforeAll(() => {
  // The SDK's native side logs every rejected workflow task as a warning, so the fixture's
  // expected failures would flood the output; a real failure's details are in the assertion.
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, console: {} } },
  });
});

it('finds a committed history for every representative scenario', () => {
  expect(files.length, `histories in ${HISTORIES_DIR}`).toBeGreaterThanOrEqual(REQUIRED_SCENARIOS.length);
  const names = files.map((f) => f.name);
  for (const scenario of REQUIRED_SCENARIOS) {
    expect(names.filter((name) => name === scenario || name.startsWith(`${scenario}-`))).not.toEqual([]);
  }
  // The chain of a continued-as-new sync is recorded execution by execution.
  expect(names.filter((name) => name.startsWith('continue-as-new-')).length).toBeGreaterThan(1);
});

it('replays every committed history, archived sets included, against the workflow bundle the worker runs', async () => {
  const codePath = process.env.INVENTORY_TEST_WORKFLOW_BUNDLE;
  expect(codePath, 'is test/setup/temporal.ts in globalSetup?').toBeTruthy();
  expect(archived.length).toBeGreaterThanOrEqual(REQUIRED_SCENARIOS.length);
  const all = [...files, ...archived];
  const outcomes = await replayAll({ workflowBundle: { codePath: codePath! } }, all);
  expect(outcomes.map((o) => o.name)).toEqual(all.map((f) => f.name));
  expect(outcomes.filter((o) => o.error).map((o) => `${o.name}: ${o.error!.message}`)).toEqual([]);
});

it('holds no credential in any committed history', () => {
  // Payloads are decoded before the search; the recorder also kept Graph items out.
  for (const file of [...files, ...archived]) {
    expectNoSecretsOrPayloads(historyText(file.history), {
      secrets: [TEST_APP.clientSecret],
      graphValues: [],
    });
  }
});

it('rejects the histories when the workflow changed incompatibly', async () => {
  const outcomes = await replayAll(
    { workflowsPath: resolve(__dirname, '../fixtures/workflows-incompatible.ts') },
    files,
  );
  const syncs = files.filter((f) => workflowTypeOf(f) === SYNC_WORKFLOW_TYPE).map((f) => f.name);
  expect(syncs).toEqual(expect.arrayContaining(['success', 'partial', 'cancelled', 'skipped']));
  for (const outcome of outcomes) {
    if (syncs.includes(outcome.name)) {
      expect(outcome.error, outcome.name).toBeInstanceOf(DeterminismViolationError);
    } else {
      // The fixture leaves the trigger and the reaper as they are: only the change is caught.
      expect(outcome.error, outcome.name).toBeUndefined();
    }
  }
}, 120_000);
