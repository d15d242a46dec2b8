/**
 * The recorder of the replay histories, run on demand only (`scripts/record-histories`, which
 * sets INVENTORY_RECORD_HISTORIES=1); in a normal test run its tests are skipped.
 *
 * It drives representative executions through the real engine (private database, Graph simulator
 * over HTTPS, in-process workers on the shared dev server) and writes each execution's history to
 * test/replay/histories/<name>.json. Re-record only when a workflow change is deliberately
 * incompatible with running executions and none of the old ones can still be running; otherwise
 * the change needs `patched()` (see README, Development).
 *
 * It goes through public entry points only — the thin client, the workflow type names, the
 * simulator's tenant specs, Temporal's own history format — so it keeps working while workflow
 * inputs and internals change; the checks that each scenario is what it claims read the client's
 * result fields by name (not toMatchObject), so renaming one is a type error here rather than a
 * puzzling recorder failure. Nothing is written unless every scenario was recorded, and what is
 * written is first checked for secrets and Graph payloads, then replayed against the bundle.
 */
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SyncLimits } from '../../activities';
import { CATEGORIES, POLICY_TYPE_KEYS } from '../../inventory/policy-types';
import { REAPER_WORKFLOW_TYPE } from '../../inventory/workflow-ids';
import { type TenantSpec } from '../../simulator/types';
import type { inventoryReaper } from '../../workflows';
import { TEST_APP } from '../graph/support';
import { startEngine, waitForPageInFlight, type Engine } from '../support/engine';
import { expectNoSecretsOrPayloads, graphItemValues, historyText } from '../support/history';
import {
  HISTORIES_DIR,
  REQUIRED_SCENARIOS,
  historyToJson,
  loadHistoryFiles,
  replayAll,
} from './history-files';

type History = temporal.api.history.v1.IHistory;

const RECORD = process.env.INVENTORY_RECORD_HISTORIES === '1';

describe.runIf(RECORD)('recording the replay histories', () => {
  let engine: Engine;
  const recorded = new Map<string, History>();

  beforeAll(async () => {
    engine = await startEngine();
  });

  afterAll(async () => {
    await engine?.close();
  });

  /**
   * Runs `scenario` with workers of these limits, stopped afterwards: scenarios need different
   * limits (page budget, per-tenant cap), and the limits reach executions through the activities.
   */
  async function withWorkers<T>(limits: Partial<SyncLimits>, scenario: () => Promise<T>): Promise<T> {
    const workers = await engine.startWorkers(limits);
    try {
      return await scenario();
    } finally {
      await workers.stop();
    }
  }

  /** A simulated tenant with a few items per type, so the committed histories stay small. */
  function addTenant(spec: Omit<TenantSpec, 'tenantId'>): Promise<string> {
    return engine.addTenant(spec, 'Replay Recording');
  }

  /** Keeps one execution's history after checking it holds no credential and no Graph item. */
  async function keep(name: string, tenantId: string, history: History): Promise<void> {
    expect(recorded.has(name), `two histories named ${name}`).toBe(false);
    expect(history.events?.length ?? 0).toBeGreaterThan(0);
    const graphValues = await graphItemValues(engine.sim.admin, tenantId, POLICY_TYPE_KEYS);
    expectNoSecretsOrPayloads(historyText(history), { secrets: [TEST_APP.clientSecret], graphValues });
    recorded.set(name, history);
  }

  /**
   * Keeps the history of every execution of a chain that continued as new: `name` alone for a
   * single execution, `name-1`, `name-2`, … for a longer chain. Returns the chain's length.
   */
  async function keepChain(name: string, tenantId: string, workflowId: string, firstRunId: string) {
    const chain: History[] = [];
    for (let runId: string | null | undefined = firstRunId; runId;) {
      const history = await engine.temporal.workflow.getHandle(workflowId, runId).fetchHistory();
      chain.push(history);
      runId = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
    }
    for (const [i, history] of chain.entries()) {
      await keep(chain.length === 1 ? name : `${name}-${i + 1}`, tenantId, history);
    }
    return chain.length;
  }

  // Every category names every policy type; the item count proves each was enumerated.
  it('success: every policy type enumerated, one of them over two pages', async () => {
    const tenantId = await addTenant({
      counts: Object.fromEntries(POLICY_TYPE_KEYS.map((type) => [type, 2])),
      pageSizes: { deviceConfiguration: 1 },
    });
    await withWorkers({}, async () => {
      const started = await engine.client.startSync({ tenantId, selection: { categories: [...CATEGORIES] } });
      const result = await engine.client.waitForSync(started.workflowId);
      expect([result.status, result.itemsObservedCount]).toEqual(['success', 2 * POLICY_TYPE_KEYS.length]);
      await keepChain('success', tenantId, started.workflowId, started.executionRunId);
    });
  });

  it('partial: one type refused by Graph (403), the other enumerated', async () => {
    const tenantId = await addTenant({
      counts: { deviceConfiguration: 2, mobileApp: 2 },
      faults: [{ kind: 'status', status: 403, type: 'mobileApp' }],
    });
    await withWorkers({}, async () => {
      const started = await engine.client.startSync({
        tenantId,
        selection: { policy_types: ['deviceConfiguration', 'mobileApp'] },
      });
      const result = await engine.client.waitForSync(started.workflowId);
      expect([result.status, result.errorCodes]).toEqual(['partial', ['graph_forbidden']]);
      await keepChain('partial', tenantId, started.workflowId, started.executionRunId);
    });
  });

  it('continue-as-new: a page budget of 2 per execution splits one sync into a chain', async () => {
    const tenantId = await addTenant({
      counts: { deviceConfiguration: 5, mobileApp: 3 },
      pageSizes: { deviceConfiguration: 2, mobileApp: 2 },
    });
    await withWorkers({ pagesPerExecution: 2, typeConcurrency: 2 }, async () => {
      const started = await engine.client.startSync({
        tenantId,
        selection: { policy_types: ['deviceConfiguration', 'mobileApp'] },
      });
      const result = await engine.client.waitForSync(started.workflowId);
      expect([result.status, result.itemsObservedCount]).toEqual(['success', 8]);
      const length = await keepChain('continue-as-new', tenantId, started.workflowId, started.executionRunId);
      expect(length).toBeGreaterThan(1);
    });
  });

  it('cancelled: cancelled after one page completed, while another hangs in Graph', async () => {
    const tenantId = await addTenant({
      counts: { deviceConfiguration: 2, mobileApp: 2 },
      faults: [{ kind: 'hang', type: 'mobileApp' }],
    });
    await withWorkers({}, async () => {
      const started = await engine.client.startSync({
        tenantId,
        selection: { policy_types: ['deviceConfiguration', 'mobileApp'] },
      });
      const handle = engine.temporal.workflow.getHandle(started.workflowId);
      // Graph has served the deviceConfiguration page and holds the hanging mobileApp one.
      await expect
        .poll(
          async () => {
            const stats = (await engine.sim.admin.stats()).tenants[tenantId];
            return (stats?.byType.deviceConfiguration ?? 0) > 0 && (stats?.byType.mobileApp ?? 0) > 0;
          },
          { timeout: 20_000, interval: 25 },
        )
        .toBe(true);
      await waitForPageInFlight(engine.temporal, started.workflowId);
      await handle.cancel();
      await expect(engine.client.waitForSync(started.workflowId)).rejects.toMatchObject({
        code: 'run_cancelled',
      });
      await keepChain('cancelled', tenantId, started.workflowId, started.executionRunId);
    });
  });

  it('scheduled-trigger: a schedule fires the trigger workflow, which runs the sync as its child', async () => {
    const tenantId = await addTenant({ counts: { mobileApp: 2 } });
    await withWorkers({}, async () => {
      const { scheduleId } = await engine.client.createSchedule({
        tenantId,
        selection: { policy_types: ['mobileApp'] },
        every: '1h',
      });
      const schedule = engine.temporal.schedule.getHandle(scheduleId);
      try {
        await schedule.trigger();
        let trigger: { workflowId: string; firstExecutionRunId: string } | undefined;
        await expect
          .poll(
            async () => {
              trigger = (await schedule.describe()).info.recentActions[0]?.action.workflow;
              return trigger !== undefined;
            },
            { timeout: 15_000, interval: 50 },
          )
          .toBe(true);
        const triggerHandle = engine.temporal.workflow.getHandle(trigger!.workflowId);
        await triggerHandle.result();
        await keepChain('scheduled-trigger', tenantId, trigger!.workflowId, trigger!.firstExecutionRunId);
        // The child sync, named by the trigger's own history rather than by its result's fields.
        const child = (await triggerHandle.fetchHistory()).events?.find(
          (e) => e.childWorkflowExecutionStartedEventAttributes,
        )?.childWorkflowExecutionStartedEventAttributes?.workflowExecution;
        expect(child?.workflowId).toBeTruthy();
        expect((await engine.client.waitForSync(child!.workflowId!)).status).toBe('success');
        await keepChain('scheduled-trigger-child', tenantId, child!.workflowId!, child!.runId!);
      } finally {
        await schedule.delete();
      }
    });
  });

  it('skipped: a second selection of a tenant at its cap of one running sync', async () => {
    const tenantId = await addTenant({
      counts: { deviceConfiguration: 2, mobileApp: 2 },
      faults: [{ kind: 'latency', ms: 1_500, type: 'mobileApp' }],
    });
    await withWorkers({ perTenant: 1, slotWaitMs: 0 }, async () => {
      const running = await engine.client.startSync({ tenantId, selection: { policy_types: ['mobileApp'] } });
      await waitForPageInFlight(engine.temporal, running.workflowId);
      const other = await engine.client.startSync({
        tenantId,
        selection: { policy_types: ['deviceConfiguration'] },
      });
      const result = await engine.client.waitForSync(other.workflowId);
      expect([result.status, result.errorCodes]).toEqual(['skipped', ['concurrency_limit_tenant']]);
      await keepChain('skipped', tenantId, other.workflowId, other.executionRunId);
      expect((await engine.client.waitForSync(running.workflowId)).status).toBe('success');
    });
  });

  it('reaper: one pass of the reaper workflow', async () => {
    await withWorkers({}, async () => {
      const handle = await engine.temporal.workflow.start<typeof inventoryReaper>(REAPER_WORKFLOW_TYPE, {
        taskQueue: engine.taskQueue,
        workflowId: `replay-reaper-${randomUUID()}`,
      });
      await handle.result();
      // No tenant: the reaper's history holds no tenant's items.
      const history = await handle.fetchHistory();
      expectNoSecretsOrPayloads(historyText(history), { secrets: [TEST_APP.clientSecret], graphValues: [] });
      expect(recorded.has('reaper')).toBe(false);
      recorded.set('reaper', history);
    });
  });

  it('replays each history from its JSON against the workflow bundle, then replaces the old set', async () => {
    for (const scenario of REQUIRED_SCENARIOS) {
      const names = [...recorded.keys()];
      expect(
        names.some((name) => name === scenario || name.startsWith(`${scenario}-`)),
        `scenario ${scenario} was not recorded (see the failures above)`,
      ).toBe(true);
    }
    // Staged first: the committed set changes only once the new one has replayed from its files.
    const staging = mkdtempSync(join(tmpdir(), 'replay-histories-'));
    try {
      for (const [name, history] of recorded) {
        writeFileSync(join(staging, `${name}.json`), `${historyToJson(history)}\n`);
      }
      const files = loadHistoryFiles(staging);
      expect(files.map((f) => f.name).sort()).toEqual([...recorded.keys()].sort());
      const outcomes = await replayAll(
        { workflowBundle: { codePath: process.env.INVENTORY_TEST_WORKFLOW_BUNDLE! } },
        files,
      );
      expect(outcomes.filter((o) => o.error).map((o) => `${o.name}: ${o.error!.message}`)).toEqual([]);
      expect(outcomes).toHaveLength(files.length);

      mkdirSync(HISTORIES_DIR, { recursive: true });
      for (const file of readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json'))) {
        rmSync(join(HISTORIES_DIR, file));
      }
      for (const file of readdirSync(staging)) copyFileSync(join(staging, file), join(HISTORIES_DIR, file));
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  });
});
