/* eslint-disable @typescript-eslint/require-await -- the stand-in activities answer at once, but must be async like the real ones */
import { createRequire } from 'node:module';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  approvePayoutUpdate,
  payoutChangedSignal,
  payoutReconcileSearchAttributes,
  payoutReconcileStatusQuery,
  payoutReconcileWorkflowId,
  payoutReconcileWorkflowType,
  retryPayoutUpdate,
  type PayoutReconcileActivities,
  type PayoutReconcileInput,
  type PayoutReconcileResult,
  type PayoutSummary,
  type PayoutVarianceNotice,
} from '../../../workflows/payout-reconcile-contract.js';
import { eventually } from '../../support/eventually.js';
import { connectTestClient, testConfig, uniqueId } from '../../support/harness.js';
import { delegatingActivities, startTestWorker, type RunningTestWorker } from '../../support/test-worker.js';
import '../../support/quiet-runtime.js';

/**
 * PayoutReconcile's own logic with stand-in activities, on the dev server: the order of the
 * steps, waiting for the processor to pay, parking on variances, approval and retry.
 */
const require = createRequire(import.meta.url);

const paid: PayoutSummary = { status: 'paid', currency: 'USD', amount: 9_680, arrivalDate: '2026-12-02', lineCount: 3 };
const unmatched: PayoutVarianceNotice = {
  kind: 'unmatchedLine',
  explanation: 'charge ch_9 of 25.00 USD matches no payment the product posted',
};

/** What the stand-in activities answer, and what was called. */
class World {
  calls: string[] = [];
  /** What readPayout answers, one per call (the last one repeats). */
  payouts: PayoutSummary[] = [paid];
  /** What checkPayout answers, one per call (the last one repeats). */
  variances: PayoutVarianceNotice[][] = [[]];
  journalRefusals = 0;
  deposits: unknown[] = [];
  outcomes: unknown[] = [];

  activities(): PayoutReconcileActivities {
    const next = <T>(answers: T[]): T => (answers.length > 1 ? answers.shift()! : answers[0]!);
    return {
      readPayout: async () => {
        const payout = next(this.payouts);
        this.calls.push(`readPayout:${payout.status}`);
        return payout;
      },
      checkPayout: async () => {
        const variances = next(this.variances);
        this.calls.push(`checkPayout:${variances.length}`);
        return { variances };
      },
      recordPayoutVariances: async (input) => void this.calls.push(`recordPayoutVariances:${input.variances.length}`),
      depositPayout: async (input) => {
        this.calls.push('depositPayout');
        this.deposits.push(input);
        return { depositKey: '501', created: true };
      },
      journalPayout: async () => {
        this.calls.push('journalPayout');
        if (this.journalRefusals > 0) {
          this.journalRefusals -= 1;
          throw ApplicationFailure.create({
            type: 'IntacctInputError',
            message: 'Intacct refused the journal entry: Invalid GL Account 6090',
            nonRetryable: true,
            details: [{ failureClass: 'input' }],
          });
        }
        return { journalKeys: ['GJ-77'], created: true };
      },
      recordPayoutOutcome: async (input) => {
        this.calls.push(`recordPayoutOutcome:${input.status.step}`);
        this.outcomes.push(input.status);
      },
      parkPayout: async (input) => void this.calls.push(`park:${input.attention.code}`),
      clearPayoutAttention: async () => void this.calls.push('clearPayoutAttention'),
      handPayoutToDay: () => Promise.reject(new Error('these payouts post on their own (perPayout)')),
    };
  }
}

describe('PayoutReconcile workflow logic (dev server, stand-in activities)', () => {
  const config = testConfig();
  let client: Client & { close(): Promise<void> };
  let worker: RunningTestWorker;
  let world = new World();

  beforeAll(async () => {
    client = await connectTestClient(config);
    worker = await startTestWorker({
      config,
      workflowsPath: require.resolve('../../fixtures/workflows/payouts.ts'),
      activities: delegatingActivities(() => world.activities()),
    });
  });
  afterAll(async () => {
    await worker?.stop();
    await client?.close();
  });

  async function start(scripted: World) {
    world = scripted;
    const input: PayoutReconcileInput = { tenantId: 'acme', processor: 'stripe', payoutId: uniqueId('po') };
    return client.workflow.start(payoutReconcileWorkflowType, {
      workflowId: payoutReconcileWorkflowId(input.tenantId, input.processor, input.payoutId),
      taskQueue: config.temporal.taskQueue,
      args: [input],
      typedSearchAttributes: payoutReconcileSearchAttributes(input),
    });
  }

  async function untilStep(handle: WorkflowHandle, step: string): Promise<void> {
    await eventually(async () => (await handle.query(payoutReconcileStatusQuery)).step === step, {
      what: `the payout to reach ${step}`,
      timeoutMs: 20_000,
    });
  }

  it('when a paid payout matches the books, then it is deposited and journaled once, in the order of the story', async () => {
    const scripted = new World();
    const result = (await (await start(scripted)).result()) as PayoutReconcileResult;
    expect(result).toMatchObject({
      outcome: 'posted',
      status: { step: 'posted', payout: paid, variances: [], intacct: { depositKey: '501', journalKeys: ['GJ-77'] } },
    });
    expect(scripted.calls).toEqual(['readPayout:paid', 'checkPayout:0', 'depositPayout', 'journalPayout', 'recordPayoutOutcome:posted']);
    expect(scripted.deposits).toEqual([expect.objectContaining({ variancesApproved: false })]);
  });

  it('when the payout is in transit, then it waits and posts once the processor says it is paid', async () => {
    const scripted = new World();
    scripted.payouts = [{ ...paid, status: 'in_transit' }, paid];
    const handle = await start(scripted);
    await untilStep(handle, 'waiting_for_payout');
    expect(scripted.calls).toEqual(['readPayout:in_transit']);
    await handle.signal(payoutChangedSignal, { event: 'payout.paid' });
    expect(((await handle.result()) as PayoutReconcileResult).outcome).toBe('posted');
    expect(scripted.calls.slice(0, 2)).toEqual(['readPayout:in_transit', 'readPayout:paid']);
  });

  it('when the payout failed at the processor, then nothing is posted and the outcome says why', async () => {
    const scripted = new World();
    scripted.payouts = [{ ...paid, status: 'failed' }];
    const result = (await (await start(scripted)).result()) as PayoutReconcileResult;
    expect(result.outcome).toBe('not_paid');
    expect(result.status.note).toMatch(/failed at the processor/);
    expect(scripted.calls).toEqual(['readPayout:failed', 'recordPayoutOutcome:not_paid']);
  });

  it('when lines differ from the books, then the payout parks with them and a retry after the fix posts it', async () => {
    const scripted = new World();
    scripted.variances = [[unmatched], []];
    const handle = await start(scripted);
    await untilStep(handle, 'parked');
    const parked = await handle.query(payoutReconcileStatusQuery);
    expect(parked.attention).toMatchObject({ code: 'payout_variance', reason: expect.stringContaining('ch_9') as string });
    expect(scripted.calls).toEqual(['readPayout:paid', 'checkPayout:1', 'recordPayoutVariances:1', 'park:payout_variance']);
    await handle.executeUpdate(retryPayoutUpdate);
    const result = (await handle.result()) as PayoutReconcileResult;
    expect(result.status).toMatchObject({ step: 'posted', variances: [], variancesApproved: false });
    expect(scripted.calls).toContain('clearPayoutAttention');
  });

  it('when an operator approves the variances with a note, then the payout posts with them approved', async () => {
    const scripted = new World();
    scripted.variances = [[unmatched]];
    const handle = await start(scripted);
    await untilStep(handle, 'parked');
    await expect(handle.executeUpdate(approvePayoutUpdate, { args: [{ note: ' ' }] })).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/say why/) as string },
    });
    await handle.executeUpdate(approvePayoutUpdate, { args: [{ note: 'ch_9 was a test charge' }] });
    const result = (await handle.result()) as PayoutReconcileResult;
    expect(result.status).toMatchObject({ step: 'posted', variancesApproved: true, note: 'variances approved: ch_9 was a test charge' });
    expect(scripted.deposits).toEqual([expect.objectContaining({ variancesApproved: true })]);
  });

  it('when the payout is not parked on variances, then approval is refused', async () => {
    const scripted = new World();
    scripted.payouts = [{ ...paid, status: 'pending' }];
    const handle = await start(scripted);
    await untilStep(handle, 'waiting_for_payout');
    await expect(handle.executeUpdate(approvePayoutUpdate, { args: [{ note: 'post it' }] })).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/only a payout parked on its variances/) as string },
    });
    await handle.terminate('test done');
  });

  it('when Intacct refuses the journal entry, then the payout parks with the message and a retry does not deposit twice', async () => {
    const scripted = new World();
    scripted.journalRefusals = 1;
    const handle = await start(scripted);
    await untilStep(handle, 'parked');
    expect((await handle.query(payoutReconcileStatusQuery)).attention).toMatchObject({
      code: 'rejected',
      reason: expect.stringContaining('Invalid GL Account 6090') as string,
    });
    await handle.executeUpdate(retryPayoutUpdate);
    expect(((await handle.result()) as PayoutReconcileResult).outcome).toBe('posted');
    // The deposit activity is asked again; finding its earlier deposit by the payout id is its own exactly-once rule.
    expect(scripted.calls.filter((call) => call === 'journalPayout')).toHaveLength(2);
  });
});
