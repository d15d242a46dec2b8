/**
 * Workflow input is untrusted (workflows/sync-input.ts): executions started the way the README
 * invites, straight through Temporal (as the Temporal CLI or UI would), with bad input must fail
 * within seconds, with the stable code as the failure's type and a message that says what was
 * wrong, and write nothing. A `resume` is accepted only from the workflow's own continue-as-new
 * and only for a live run of its own chain, tenant and selection.
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { startRun } from '../../db/repositories/sync-runs';
import { queryRows } from '../../db/sql';
import { withTenant } from '../../db/tenant-scope';
import { parseSelection } from '../../inventory/selection';
import { selectionHash } from '../../inventory/selection-hash';
import { SYNC_WORKFLOW_TYPE, syncWorkflowId } from '../../inventory/workflow-ids';
import { initialProgress } from '../../workflows/type-progress';
import { startEngine, type Engine, type RunningWorkers } from '../support/engine';

let engine: Engine;
let workers: RunningWorkers;
let tenantId: string;

beforeAll(async () => {
  engine = await startEngine();
  workers = await engine.startWorkers(
    {},
    { workflowsPath: resolve(__dirname, '../fixtures/forged-resume-workflows.ts') },
  );
  tenantId = await engine.addTenant({ counts: { mobileApp: 5 } });
});

afterAll(async () => {
  await workers?.stop();
  await engine?.close();
});

/** Starts a workflow with raw arguments and returns how it closed: its failure's type and message. */
async function failureOf(
  args: unknown[],
  workflowType = SYNC_WORKFLOW_TYPE,
): Promise<{ type: string | undefined; message: string; stack: string | undefined; ms: number }> {
  const started = Date.now();
  const handle = await engine.temporal.workflow.start(workflowType, {
    taskQueue: engine.taskQueue,
    workflowId: `bad-input-${randomUUID()}`,
    args,
  });
  const error = await handle.result().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowFailedError);
  const cause = (error as WorkflowFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return {
    type: (cause as ApplicationFailure).type ?? undefined,
    message: cause!.message,
    // The client rebuilds `stack` from the failure's recorded stack trace.
    stack: cause!.stack,
    ms: Date.now() - started,
  };
}

async function runRows(tenant: string) {
  return queryRows<{ id: string; status: string; items_observed_count: number; finished_at: Date | null }>(
    engine.db.admin,
    'SELECT id, status, items_observed_count, finished_at FROM inventory_sync_runs WHERE tenant_id = $1',
    [tenant],
  );
}

async function itemCount(tenant: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    engine.db.admin,
    'SELECT count(*)::int AS n FROM inventory_items WHERE tenant_id = $1',
    [tenant],
  );
  return row!.n;
}

async function graphRequests(tenant: string): Promise<number> {
  return (await engine.sim.admin.stats()).tenants[tenant]?.graphRequests ?? 0;
}

const selection = { policy_types: ['mobileApp'] };
const forgedTypes = { mobileApp: { ...initialProgress(), state: 'running' } };

describe('inventorySync started with bad input', () => {
  it.each([
    ['no input', 'invalid_input', [], /none was given/],
    ['null', 'invalid_input', [null], /none was given/],
    ['a string', 'invalid_input', ['mobileApp'], /not valid/],
    [
      'an unknown policy type',
      'invalid_selection',
      [{ tenantId: 'T', selection: { policy_types: ['nope'] } }],
      /unknown policy type\(s\) nope/,
    ],
    [
      'an empty selection',
      'invalid_selection',
      [{ tenantId: 'T', selection: {} }],
      /at least one policy type or category/,
    ],
    [
      'policy_types as a string',
      'invalid_selection',
      [{ tenantId: 'T', selection: { policy_types: 'mobileApp' } }],
      /policy_types/,
    ],
    ['no selection', 'invalid_selection', [{ tenantId: 'T' }], /a selection is/],
    ['no tenant', 'invalid_input', [{ selection }], /tenant id must be a GUID/],
    [
      'a malformed tenant id',
      'invalid_input',
      [{ tenantId: 'contoso.onmicrosoft.com', selection }],
      /tenant id must be a GUID/,
    ],
    [
      'extra keys',
      'invalid_input',
      [{ tenantId: 'T', selection, junk: 'x'.repeat(100_000) }],
      /unknown key\(s\) junk/,
    ],
    [
      'a forged resume on a first execution',
      'invalid_input',
      [{ tenantId: 'T', selection, resume: { runId: randomUUID(), types: forgedTypes } }],
      /continues as new/,
    ],
    [
      'a malformed resume',
      'invalid_input',
      [{ tenantId: 'T', selection, resume: { runId: 'x', types: {} } }],
      /resume/,
    ],
    // The Temporal CLI takes --input twice (found by a user: the second was silently kept).
    [
      'a second input',
      'invalid_input',
      [{ tenantId: 'T', selection }, 1],
      /takes one input argument; 1 more/,
    ],
  ])('%s: fails as %s within seconds and writes nothing', async (_name, code, rawArgs, message) => {
    const args = JSON.parse(JSON.stringify(rawArgs).replaceAll('"T"', JSON.stringify(tenantId))) as unknown[];
    const before = await graphRequests(tenantId);
    const failure = await failureOf(args);
    expect(failure.type).toBe(code);
    expect(failure.message).toMatch(message);
    // One line, bounded (a 100 kB key does not come back), and no stack trace for an expected failure.
    expect(failure.message.length).toBeLessThanOrEqual(300);
    expect(failure.stack).toBe('');
    expect(failure.ms).toBeLessThan(10_000);
    expect(await runRows(tenantId)).toEqual([]);
    expect(await graphRequests(tenantId)).toBe(before);
  });

  it('an unregistered tenant fails as tenant_unknown and writes nothing', async () => {
    const stranger = randomUUID();
    const failure = await failureOf([{ tenantId: stranger, selection }]);
    expect(failure).toMatchObject({ type: 'tenant_unknown' });
    expect(failure.ms).toBeLessThan(10_000);
    expect(await runRows(stranger)).toEqual([]);
  });

  it('scheduledInventorySync refuses bad input the same way', async () => {
    const failure = await failureOf(
      [{ tenantId, selection, selectionHash: 'not-a-hash' }],
      'scheduledInventorySync',
    );
    expect(failure.type).toBe('invalid_input');
    expect(failure.message).toMatch(/selectionHash/);
    expect(await runRows(tenantId)).toEqual([]);
  });
});

describe('a derived workflow ID of another selection', () => {
  const otherHash = selectionHash(parseSelection({ policy_types: ['deviceConfiguration'] }));

  it('is refused for a direct start: one selection never runs under another’s lock', async () => {
    const started = Date.now();
    const handle = await engine.temporal.workflow.start(SYNC_WORKFLOW_TYPE, {
      taskQueue: engine.taskQueue,
      workflowId: syncWorkflowId(tenantId, otherHash),
      args: [{ tenantId, selection }],
    });
    const error = (await handle.result().catch((e: unknown) => e)) as WorkflowFailedError;
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect((error.cause as ApplicationFailure).type).toBe('invalid_input');
    expect(error.cause?.message).toMatch(/not the derived ID of this tenant and selection/);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await runRows(tenantId)).toEqual([]);
  });

  it('is refused whatever the case of its prefix', async () => {
    const handle = await engine.temporal.workflow.start(SYNC_WORKFLOW_TYPE, {
      taskQueue: engine.taskQueue,
      workflowId: syncWorkflowId(tenantId, otherHash).toUpperCase(),
      args: [{ tenantId, selection }],
    });
    const error = (await handle.result().catch((e: unknown) => e)) as WorkflowFailedError;
    expect((error.cause as ApplicationFailure).type).toBe('invalid_input');
    expect(await runRows(tenantId)).toEqual([]);
  });

  it('is refused for a schedule trigger whose selectionHash does not match its selection', async () => {
    const failure = await failureOf(
      [{ tenantId, selection, selectionHash: otherHash }],
      'scheduledInventorySync',
    );
    expect(failure.type).toBe('invalid_input');
    expect(failure.message).toMatch(/not the derived ID/);
    expect(failure.ms).toBeLessThan(10_000);
    expect(await runRows(tenantId)).toEqual([]);
  });
});

describe('an upper-case tenant id', () => {
  it('is canonicalised everywhere: run row, search attributes and memo', async () => {
    const upper = tenantId.toUpperCase();
    const hash = selectionHash(parseSelection(selection));
    const handle = await engine.temporal.workflow.start(SYNC_WORKFLOW_TYPE, {
      taskQueue: engine.taskQueue,
      workflowId: `upper-${randomUUID()}`,
      args: [{ tenantId: upper, selection: { policy_types: ['mobileApp', 'mobileApp'] } }],
    });
    const result = (await handle.result()) as { status: string; runId: string };
    expect(result.status).toBe('success');
    const description = await handle.describe();
    expect(description.searchAttributes.TenantId).toEqual([tenantId]);
    expect(description.searchAttributes.SelectionHash).toEqual([hash]);
    expect(description.memo).toMatchObject({
      selection: { categories: [], policy_types: ['mobileApp'] },
      selectionHash: hash,
    });
    const rows = await runRows(tenantId);
    expect(rows.map((r) => r.id)).toContain(result.runId);
  });
});

describe('a forged resume in a continued execution', () => {
  /** A live run row that belongs to another execution chain (a sync still running elsewhere). */
  async function liveRunOfAnotherChain(tenant: string, sel: { policy_types: string[] }) {
    const parsed = parseSelection(sel);
    const started = await withTenant(engine.db.runtime, tenant, (tx) =>
      startRun(tx, {
        tenantId: tenant,
        selection: parsed,
        selectionHash: selectionHash(parsed),
        correlationId: `inventory-sync:victim/${randomUUID()}`,
        limits: { global: 1000, perTenant: 1000 },
      }),
    );
    if (started.outcome !== 'started') throw new Error(started.outcome);
    return started.run;
  }

  async function forge(input: {
    tenantId: string;
    selection: unknown;
    resume: { runId: string; types: unknown };
  }) {
    return failureOf([input], 'forgeContinuedSync');
  }

  /** The forged execution failed at once and the victim's tenant has nothing but its live run. */
  async function expectRefused(
    failure: Awaited<ReturnType<typeof forge>>,
    tenant: string,
    victim: { id: string },
  ): Promise<void> {
    expect(failure.type).toBe('invalid_input');
    expect(failure.message).toMatch(/not a live run of this workflow/);
    expect(failure.ms).toBeLessThan(10_000);
    expect(await runRows(tenant)).toEqual([
      { id: victim.id, status: 'running', items_observed_count: 0, finished_at: null },
    ]);
    expect(await itemCount(tenant)).toBe(0);
    expect(await graphRequests(tenant)).toBe(0);
  }

  it('cannot finalize or write under another chain’s live run of the same tenant and selection', async () => {
    const tenant = await engine.addTenant({ counts: { mobileApp: 5 } });
    const victim = await liveRunOfAnotherChain(tenant, selection);
    const failure = await forge({
      tenantId: tenant,
      selection,
      resume: { runId: victim.id, types: forgedTypes },
    });
    await expectRefused(failure, tenant, victim);
  });

  it('cannot name another tenant’s run', async () => {
    const other = await engine.addTenant({ counts: { mobileApp: 5 } });
    const victim = await liveRunOfAnotherChain(other, selection);
    const before = await runRows(tenantId);
    const failure = await forge({ tenantId, selection, resume: { runId: victim.id, types: forgedTypes } });
    await expectRefused(failure, other, victim);
    expect(await runRows(tenantId)).toEqual(before);
  });

  it('cannot name a run of another selection', async () => {
    const tenant = await engine.addTenant({ counts: { mobileApp: 5, deviceConfiguration: 5 } });
    const victim = await liveRunOfAnotherChain(tenant, { policy_types: ['deviceConfiguration'] });
    const failure = await forge({
      tenantId: tenant,
      selection,
      resume: { runId: victim.id, types: forgedTypes },
    });
    await expectRefused(failure, tenant, victim);
  });

  it('cannot sync a disabled tenant', async () => {
    const tenant = await engine.addTenant({ counts: { mobileApp: 5 } });
    const victim = await liveRunOfAnotherChain(tenant, selection);
    await engine.client.setTenantEnabled(tenant, false);
    const failure = await forge({
      tenantId: tenant,
      selection,
      resume: { runId: victim.id, types: forgedTypes },
    });
    await expectRefused(failure, tenant, victim);
  });
});
