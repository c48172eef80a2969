import { createRequire } from 'node:module';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  payoutChangedSignal,
  payoutReconcileStatusQuery,
  payoutReconcileWorkflowId,
  payoutReconcileWorkflowType,
  type PayoutCheck,
  type PayoutReconcileActivities,
  type PayoutReconcileInput,
  type PayoutReconcileResult,
} from '../../../workflows/payout-reconcile-contract.js';
import { createTimeSkippingEnvironmentWithSearchAttributes, uniqueId } from '../../support/harness.js';
import { startTestWorker, type RunningTestWorker } from '../../support/test-worker.js';
import '../../support/quiet-runtime.js';

const require = createRequire(import.meta.url);
const hour = 3_600_000;

/**
 * A payout that arrives while an order it pays out is still being posted waits for the order's
 * receipt instead of parking at once, and parks only when the tenant's wait has passed.
 * Time-skipping server, so a day of looking again passes in seconds.
 */
describe('PayoutReconcile waits for receipts still being posted (time-skipping server, stand-in activities)', () => {
  let env: TestWorkflowEnvironment;
  let worker: RunningTestWorker;
  const taskQueue = uniqueId('payout-wait');
  /** When the receipt of the payout's one unmatched charge is recorded, per payout (never: undefined). */
  const receiptRecordedAt = new Map<string, number | undefined>();
  const calls = new Map<string, { at: number; call: string }[]>();
  /** Payouts the processor reports failed from now on. */
  const failed = new Set<string>();

  const activities = (): PayoutReconcileActivities => {
    const record = async (payoutId: string, call: string) =>
      void (calls.get(payoutId) ?? calls.set(payoutId, []).get(payoutId)!).push({ at: await env.currentTimeMs(), call });
    return {
      readPayout: async ({ payoutId }) => {
        await record(payoutId, 'readPayout');
        return {
          status: failed.has(payoutId) ? 'failed' : 'paid',
          currency: 'USD',
          amount: 2_500,
          arrivalDate: '2026-12-02',
          lineCount: 1,
        };
      },
      checkPayout: async ({ payoutId }): Promise<PayoutCheck> => {
        await record(payoutId, 'checkPayout');
        const recordedAt = receiptRecordedAt.get(payoutId);
        if (recordedAt !== undefined && (await env.currentTimeMs()) >= recordedAt) return { variances: [] };
        return {
          variances: [
            { kind: 'unmatchedLine', explanation: 'charge txn_1 of USD 25.00 matches no payment the product posted', lineId: 'txn_1' },
          ],
          awaitPostings: { lineIds: ['txn_1'], waitHours: 24 },
        };
      },
      recordPayoutVariances: async ({ payoutId }) => record(payoutId, 'recordPayoutVariances'),
      depositPayout: async ({ payoutId }) => {
        await record(payoutId, 'depositPayout');
        return { depositKey: '501', created: true };
      },
      journalPayout: async ({ payoutId }) => {
        await record(payoutId, 'journalPayout');
        return { journalKeys: ['GJ-1'], created: true };
      },
      recordPayoutOutcome: async ({ payoutId }) => record(payoutId, 'recordPayoutOutcome'),
      parkPayout: async ({ payoutId, attention }) => record(payoutId, `park:${attention.code}`),
      clearPayoutAttention: async ({ payoutId }) => record(payoutId, 'clearPayoutAttention'),
      handPayoutToDay: () => Promise.reject(new Error('these payouts post on their own (perPayout)')),
    };
  };

  beforeAll(async () => {
    env = await createTimeSkippingEnvironmentWithSearchAttributes();
    worker = await startTestWorker({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('../../../workflows/index.ts'),
      activities: activities(),
    });
  });
  afterAll(async () => {
    await worker?.stop();
    await env?.teardown();
  });

  async function start(payoutId: string) {
    const input: PayoutReconcileInput = { tenantId: 'acme', processor: 'stripe', payoutId };
    return env.client.workflow.start(payoutReconcileWorkflowType, {
      workflowId: payoutReconcileWorkflowId(input.tenantId, input.processor, input.payoutId),
      taskQueue,
      args: [input],
    });
  }

  it('when the receipt is recorded three hours after the payout starts, then the payout posts without parking', async () => {
    const payoutId = uniqueId('po');
    const startedAt = await env.currentTimeMs();
    receiptRecordedAt.set(payoutId, startedAt + 3 * hour);
    const result = (await (await start(payoutId)).result()) as PayoutReconcileResult;

    expect(result).toMatchObject({ outcome: 'posted', status: { step: 'posted', variances: [], variancesApproved: false } });
    const made = calls.get(payoutId)!;
    expect(made.map(({ call }) => call).filter((call) => call !== 'checkPayout')).toEqual([
      'readPayout',
      'depositPayout',
      'journalPayout',
      'recordPayoutOutcome',
    ]);
    const checks = made.filter(({ call }) => call === 'checkPayout');
    // Looked again, backing off, until the receipt was there: posted soon after it was, not a day later.
    expect(checks.length).toBeGreaterThan(2);
    expect(checks.at(-2)!.at).toBeLessThan(startedAt + 3 * hour);
    expect(checks.at(-1)!.at).toBeGreaterThanOrEqual(startedAt + 3 * hour);
    expect(checks.at(-1)!.at).toBeLessThan(startedAt + 4 * hour);
  });

  it('when the receipt never comes, then the payout waits and parks on the unmatched line once the day has passed', async () => {
    const payoutId = uniqueId('po');
    const startedAt = await env.currentTimeMs();
    const handle = await start(payoutId);
    await env.sleep(2 * hour);
    expect(await handle.query(payoutReconcileStatusQuery)).toMatchObject({
      step: 'waiting_for_postings',
      note: expect.stringContaining('txn_1') as string,
    });
    expect(calls.get(payoutId)!.map(({ call }) => call)).not.toContain('park:payout_variance');

    await env.sleep(23 * hour);
    const parked = await handle.query(payoutReconcileStatusQuery);
    expect(parked).toMatchObject({ step: 'parked', attention: { code: 'payout_variance' } });
    expect(parked.attention?.reason).toContain('txn_1');
    const made = calls.get(payoutId)!;
    const park = made.find(({ call }) => call === 'park:payout_variance')!;
    expect(park.at).toBeGreaterThanOrEqual(startedAt + 24 * hour);
    expect(made.map(({ call }) => call)).not.toContain('depositPayout');
    expect(made.filter(({ call }) => call === 'recordPayoutVariances')).toHaveLength(1);
    await handle.terminate('test done');
  });

  it('when the processor reports the payout failed while it waits for postings, then it reads the payout again and ends unpaid, never parked', async () => {
    const payoutId = uniqueId('po');
    const handle = await start(payoutId);
    await env.sleep(hour);
    expect((await handle.query(payoutReconcileStatusQuery)).step).toBe('waiting_for_postings');
    failed.add(payoutId);
    await handle.signal(payoutChangedSignal, { event: 'payout.failed' });
    const result = (await handle.result()) as PayoutReconcileResult;

    expect(result.outcome).toBe('not_paid');
    const made = calls.get(payoutId)!.map(({ call }) => call);
    expect(made.filter((call) => call === 'readPayout')).toHaveLength(2);
    expect(made.filter((call) => call.startsWith('park:') || call === 'recordPayoutVariances' || call === 'depositPayout')).toEqual([]);
    expect(made.at(-1)).toBe('recordPayoutOutcome');
  });
});
