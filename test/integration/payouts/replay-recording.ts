/* eslint-disable @typescript-eslint/require-await -- the stand-in activities answer at once, but must be async like the real ones */
import { createRequire } from 'node:module';
import { ApplicationFailure } from '@temporalio/common';
import {
  payoutDaySearchAttributes,
  payoutDayStatusQuery,
  payoutDayWorkflowId,
  payoutDayWorkflowType,
  payoutMatchedSignal,
  retryPayoutDayUpdate,
  type PayoutDayActivities,
  type PayoutDayInput,
} from '../../../workflows/payout-day-contract.js';
import {
  payoutFailureReversalStatusQuery,
  payoutFailureReversalWorkflowId,
  payoutFailureReversalWorkflowType,
  retryPayoutFailureReversalUpdate,
  type PayoutFailureReversalActivities,
  type PayoutFailureReversalInput,
  type PayoutFailureReversalLook,
} from '../../../workflows/payout-failure-reversal-contract.js';
import {
  payoutChangedSignal,
  payoutReconcileSearchAttributes,
  payoutReconcileStatusQuery,
  payoutReconcileWorkflowId,
  payoutReconcileWorkflowType,
  retryPayoutUpdate,
  type PayoutReconcileActivities,
  type PayoutReconcileInput,
  type PayoutSummary,
  type PayoutVarianceNotice,
} from '../../../workflows/payout-reconcile-contract.js';
import { eventually } from '../../support/eventually.js';
import { uniqueId } from '../../support/harness.js';
import { recordHistories, type RecordedRun } from '../../support/replay.js';

const require = createRequire(import.meta.url);

const paid: PayoutSummary = { status: 'paid', currency: 'USD', amount: 9_680, arrivalDate: '2026-12-02', lineCount: 3 };
const unmatched: PayoutVarianceNotice = {
  kind: 'unmatchedLine',
  explanation: 'charge ch_9 of 25.00 USD matches no payment the product posted',
  lineId: 'txn_9',
};

/** One recorded story: what readPayout and checkPayout answer in turn, and what the recorder does while it runs. */
interface Story {
  file: string;
  payouts: PayoutSummary[];
  variances: PayoutVarianceNotice[][];
  drive?: (run: StoryRun) => Promise<void>;
}

/** What a story does to its running payout: wait for a step, say the processor paid, retry it. */
interface StoryRun {
  untilStep(step: string): Promise<void>;
  signalPaid(): Promise<void>;
  retry(): Promise<void>;
}

const stories: Story[] = [
  { file: 'payout-reconcile-posted.json', payouts: [paid], variances: [[]] },
  {
    file: 'payout-reconcile-in-transit-then-paid.json',
    payouts: [{ ...paid, status: 'in_transit' }, paid],
    variances: [[]],
    drive: async ({ untilStep, signalPaid }) => {
      await untilStep('waiting_for_payout');
      await signalPaid();
    },
  },
  {
    file: 'payout-reconcile-unmatched-line-parked-then-retried.json',
    payouts: [paid],
    variances: [[unmatched], []],
    drive: async ({ untilStep, retry }) => {
      await untilStep('parked');
      await retry();
    },
  },
];

/** An Intacct refusal the step's retries cannot cure: the item parks until an operator retries it. */
const refused = (what: string) =>
  ApplicationFailure.create({
    message: `${what}: the GL period is closed`,
    type: 'IntacctInputError',
    nonRetryable: true,
    details: [{ failureClass: 'input' }],
  });

/**
 * Records the payout flows' histories for `replay.test.ts` with stand-in activities on the test's
 * dev server. PayoutReconcile: a payout posted at once, one that waited in transit, and one parked
 * on an unmatched line and retried. PayoutDay: a day whose deposit was refused, parked and retried.
 * PayoutFailureReversal: one reversed at once, and one whose look was refused, parked (the
 * `payout-reversal-parks` marker) and retried. The activities' answers are in the history, so
 * stand-ins record the workflow's decisions as faithfully as the product's activities would.
 * Written as the protobuf JSON of each History into `directory`.
 *
 * Re-record after an intended change of the workflow (versioned with `patched()`, the old
 * histories kept under other names): `RECORD_PAYOUT_HISTORY=1 npx vitest run test/integration/payouts/replay.test.ts`.
 */
export async function recordPayoutHistories(directory: string): Promise<void> {
  let payouts: PayoutSummary[] = [];
  let variances: PayoutVarianceNotice[][] = [];
  const next = <T>(answers: T[]): T => (answers.length > 1 ? answers.shift()! : answers[0]!);
  let depositAnswers: Array<() => Promise<{ depositKey?: string; created: boolean }>> = [];
  let lookAnswers: Array<() => Promise<PayoutFailureReversalLook>> = [];
  const activities = (): PayoutReconcileActivities & PayoutDayActivities & PayoutFailureReversalActivities => ({
    readPayout: async () => next(payouts),
    checkPayout: async () => ({ variances: next(variances) }),
    recordPayoutVariances: async () => undefined,
    depositPayout: async () => ({ depositKey: '501', created: true }),
    journalPayout: async () => ({ journalKeys: ['GJ-77'], created: true }),
    recordPayoutOutcome: async () => undefined,
    parkPayout: async () => undefined,
    clearPayoutAttention: async () => undefined,
    handPayoutToDay: () => Promise.reject(new Error('these payouts post on their own (perPayout)')),
    depositPayoutDay: () => next(depositAnswers)(),
    journalPayoutDay: async () => ({ journalKeys: ['GJ-90'], created: true }),
    recordPayoutDayOutcome: async () => undefined,
    parkPayoutDay: async () => undefined,
    clearPayoutDayAttention: async () => undefined,
    reverseFailedPayout: () => next(lookAnswers)(),
    parkPayoutReversal: async () => undefined,
    clearPayoutReversalAttention: async () => undefined,
  });
  const untilStep = async (what: string, step: () => Promise<string>, wanted: string) =>
    void (await eventually(async () => (await step()) === wanted, { what: `${what} to reach ${wanted}`, timeoutMs: 20_000 }));
  const payoutRuns: RecordedRun[] = stories.map((story) => ({
    file: story.file,
    start: async (client, taskQueue) => {
      payouts = [...story.payouts];
      variances = [...story.variances];
      const input: PayoutReconcileInput = { tenantId: 'acme', processor: 'stripe', payoutId: uniqueId('po') };
      const handle = await client.workflow.start(payoutReconcileWorkflowType, {
        workflowId: payoutReconcileWorkflowId(input.tenantId, input.processor, input.payoutId),
        taskQueue,
        args: [input],
        typedSearchAttributes: payoutReconcileSearchAttributes(input),
      });
      await story.drive?.({
        untilStep: (step) => untilStep('the payout', async () => (await handle.query(payoutReconcileStatusQuery)).step, step),
        signalPaid: () => handle.signal(payoutChangedSignal, { event: 'payout.paid' }),
        retry: async () => void (await handle.executeUpdate(retryPayoutUpdate)),
      });
      return handle;
    },
  }));
  const dayRun: RecordedRun = {
    file: 'payout-day-deposit-parked-then-retried.json',
    start: async (client, taskQueue) => {
      depositAnswers = [() => Promise.reject(refused('the deposit')), async () => ({ depositKey: '502', created: true })];
      const day: PayoutDayInput = {
        tenantId: uniqueId('acme'),
        gateway: 'stripe',
        currency: 'USD',
        day: '2026-12-02',
        reference: 'stripe-2026-12-02',
        closesAt: Date.now() + 2_000,
      };
      const handle = await client.workflow.signalWithStart(payoutDayWorkflowType, {
        workflowId: payoutDayWorkflowId(day),
        taskQueue,
        args: [day],
        signal: payoutMatchedSignal,
        // The payout's own workflow is not running: the day's answer to it fails, as to a terminated one.
        signalArgs: [{ processor: 'stripe', payoutId: uniqueId('po'), workflowId: uniqueId('payout-reconcile'), variancesApproved: false }],
        typedSearchAttributes: payoutDaySearchAttributes(day),
      });
      await untilStep('the day', async () => (await handle.query(payoutDayStatusQuery)).step, 'parked');
      await handle.executeUpdate(retryPayoutDayUpdate);
      return handle;
    },
  };
  const reversalRuns: RecordedRun[] = [
    { file: 'payout-failure-reversal-reversed.json', looks: [] },
    { file: 'payout-failure-reversal-parked-then-retried.json', looks: [() => Promise.reject(refused('the reversal'))] },
  ].map((story) => ({
    file: story.file,
    start: async (client, taskQueue) => {
      lookAnswers = [...story.looks, async () => ({ outcome: 'reversed', journalKey: 'GJ-91', created: true })];
      const input: PayoutFailureReversalInput = { tenantId: 'acme', processor: 'stripe', payoutId: uniqueId('po'), failedOn: '2026-12-03' };
      const handle = await client.workflow.start(payoutFailureReversalWorkflowType, {
        workflowId: payoutFailureReversalWorkflowId(input.tenantId, input.processor, input.payoutId),
        taskQueue,
        args: [input],
      });
      if (story.looks.length > 0) {
        await untilStep('the reversal', async () => (await handle.query(payoutFailureReversalStatusQuery)).step, 'parked');
        await handle.executeUpdate(retryPayoutFailureReversalUpdate);
      }
      return handle;
    },
  }));
  await recordHistories({
    directory,
    workflowsPath: require.resolve('../../fixtures/workflows/payouts.ts'),
    activities,
    runs: [...payoutRuns, dayRun, ...reversalRuns],
  });
}
