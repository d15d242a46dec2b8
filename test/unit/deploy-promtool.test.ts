/**
 * Prometheus's own checker on the deployment files: `promtool check config` on the compose stack's
 * prometheus.yml (which loads alerts.yml), `promtool check rules` on alerts.yml, and
 * `promtool test rules` on alerts.test.yml, the rules' unit tests (stale tenant, failure ratio,
 * throttling, stuck run, worker not ready, each firing and not firing). promtool comes from
 * Debian's `prometheus` package: on PATH, or taken from the package into .tools/prometheus by
 * scripts/setup; where neither has it these tests are skipped with a notice rather than passing
 * silently.
 */
import { execFile, execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const PROMETHEUS = resolve(ROOT, 'deploy/prometheus');
const run = promisify(execFile);

/** The first promtool that runs: the one on PATH, else the one scripts/setup installed. */
function findPromtool(): string | undefined {
  return ['promtool', resolve(ROOT, '.tools/prometheus/bin/promtool')].find((candidate) => {
    try {
      execFileSync(candidate, ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
}

const promtoolPath = findPromtool();
if (!promtoolPath) {
  console.warn(
    'deploy-promtool: promtool is neither on PATH nor in .tools/prometheus, so the Prometheus config and ' +
      'alert rules are NOT checked; scripts/setup installs it from the Debian package `prometheus`',
  );
}

/** promtool's exit code and output for `args`, run from deploy/prometheus. */
async function promtool(args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(promtoolPath!, args, { cwd: PROMETHEUS });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code?: number; stdout?: string; stderr?: string };
    return { code: code ?? -1, output: `${stdout ?? ''}${stderr ?? ''}` };
  }
}

describe.skipIf(!promtoolPath)('promtool (skipped when it is not installed: run scripts/setup)', () => {
  it('accepts prometheus.yml and the rule file it loads', async () => {
    const result = await promtool(['check', 'config', 'prometheus.yml']);
    expect(result.output).toContain('SUCCESS: 1 rule files found');
    expect(result.code, result.output).toBe(0);
  });

  it('accepts alerts.yml', async () => {
    const result = await promtool(['check', 'rules', 'alerts.yml']);
    expect(result.code, result.output).toBe(0);
  });

  it("passes the rules' unit tests in alerts.test.yml", async () => {
    const result = await promtool(['test', 'rules', 'alerts.test.yml']);
    expect(result.output).toContain('SUCCESS');
    expect(result.code, result.output).toBe(0);
  });
});
