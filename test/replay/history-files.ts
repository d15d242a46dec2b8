/**
 * The committed workflow histories the replay test replays (test/replay/histories/*.json), in
 * the JSON format Temporal's own tools write (proto3 JSON, as `temporal workflow show --output
 * json` and the SDK's `historyToJSON`), one execution per file. The recorder (record.test.ts)
 * writes them; replay.test.ts reads them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { historyFromJSON, historyToJSON, type History } from '@temporalio/common/lib/proto-utils';
import { Worker, type ReplayWorkerOptions } from '@temporalio/worker';

// The SDK's converters need one protobufjs 8 shared by @temporalio/common and @temporalio/proto
// (its instanceof checks reject another copy's types): package.json lists protobufjs so npm
// hoists that single copy instead of nesting one per package.

export const HISTORIES_DIR = resolve(__dirname, 'histories');

/**
 * Sets recorded before a deliberate change of the workflows' commands, kept so that executions
 * recorded then still replay (their paths are behind `patched()` or plan fields): the recorder
 * never rewrites them. `before-issue-15`: an activity per page, run-row activities as activities,
 * slot polls, a `refreshGroupNames` activity per run.
 */
export const ARCHIVED_HISTORY_SETS = ['before-issue-15'];

/** A history (as `fetchHistory()` returns it) as proto3 JSON text, as Temporal's tools write it. */
export function historyToJson(history: History): string {
  return JSON.stringify(JSON.parse(historyToJSON(history)), null, 2);
}

/**
 * The scenarios a history set must cover; a name matches its file or, for a chain of executions
 * (continue-as-new, a trigger and its child), the files `<name>-<suffix>.json`.
 */
export const REQUIRED_SCENARIOS = [
  'success',
  'partial',
  'continue-as-new',
  'cancelled',
  'scheduled-trigger',
  'skipped',
] as const;

export interface HistoryFile {
  /** File name without `.json`. */
  name: string;
  /** The execution's workflow ID: workflow code may read it, so replay must use the real one. */
  workflowId: string;
  history: History;
}

/** Every `*.json` under `dir`, sorted by name, parsed into History objects. */
export function loadHistoryFiles(dir = HISTORIES_DIR): HistoryFile[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const history = historyFromJSON(JSON.parse(readFileSync(join(dir, file), 'utf8')));
      const name = basename(file, '.json');
      return { name, workflowId: workflowIdOf(history) ?? name, history };
    });
}

/**
 * The workflow ID the first event records (servers since 1.21 write it there), or null for a
 * history from an older server.
 */
export function workflowIdOf(history: History): string | null {
  return history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowId || null;
}

export interface ReplayOutcome {
  name: string;
  /** The replay error (a DeterminismViolationError or a ReplayError), undefined when it replayed. */
  error: Error | undefined;
}

/**
 * Replays each history against the workflow code `options` names (a bundle or a workflowsPath),
 * on one replay worker, and reports every history's outcome rather than stopping at the first
 * failure, so one run names all the incompatible histories.
 */
export async function replayAll(
  options: ReplayWorkerOptions,
  files: readonly HistoryFile[],
): Promise<ReplayOutcome[]> {
  const outcomes: ReplayOutcome[] = [];
  const replays = Worker.runReplayHistories(
    options,
    files.map(({ workflowId, history }) => ({ workflowId, history })),
  );
  // Results arrive one per history, in order.
  let index = 0;
  for await (const result of replays) {
    outcomes.push({ name: files[index]!.name, error: result.error });
    index += 1;
  }
  return outcomes;
}
