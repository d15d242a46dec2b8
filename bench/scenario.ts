/** The shape every benchmark scenario has: a name, what it measures, and a run on the shared stack. */
import { type ResultRow } from './report';
import { type BenchStack } from './stack';

export interface ScenarioContext {
  stack: BenchStack;
  /** The short smoke variant: smaller sizes, one repetition. */
  quick: boolean;
  say: (line: string) => void;
}

export interface ScenarioResult {
  rows: ResultRow[];
  /** Raw measurements behind the rows, kept in results.json. */
  details: Record<string, unknown>;
}

export interface Scenario {
  name: string;
  summary: string;
  run(context: ScenarioContext): Promise<ScenarioResult>;
}
