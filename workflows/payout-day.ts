import {
  getExternalWorkflowHandle,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { bookkeepingOptions, vendorCallOptions } from './activity-options.js';
import {
  payoutDayStatusQuery,
  payoutMatchedSignal,
  retryPayoutDayUpdate,
  type PayoutDayActivities,
  type PayoutDayInput,
  type PayoutDayRef,
  type PayoutDayResult,
  type PayoutDayStatus,
  type PayoutDayStep,
  type PayoutOfDayMember,
} from './payout-day-contract.js';
import { payoutDayPostedSignal, type PayoutDayPostedSignal } from './payout-reconcile-contract.js';
import { SyncState } from './search-attributes.js';
import { parkingRetriedByOperator, runStep, type StepText } from './shared/parking.js';

const vendorCall = proxyActivities<PayoutDayActivities>(vendorCallOptions);
const bookkeeping = proxyActivities<PayoutDayActivities>(bookkeepingOptions);

const dayStep = {
  deposit: (input: PayoutDayInput): StepText<PayoutDayStep> => ({
    step: 'depositing',
    label: "Deposit the day's matched receipts",
    failure: "depositing the day's receipts in the bank",
    summary: `Deposit ${input.reference}`,
  }),
  journal: (input: PayoutDayInput): StepText<PayoutDayStep> => ({
    step: 'journaling',
    label: "Journal the day's fees, refunds and disputes",
    failure: "posting the day's journal entry for fees, refunds and disputes",
    summary: `Journal ${input.reference}`,
  }),
} satisfies Record<string, (input: PayoutDayInput) => StepText<PayoutDayStep>>;

/**
 * PayoutDay: a gateway's payouts of one day posted to Intacct together, exactly once (the
 * `dailySummary` posting mode). One workflow per tenant, gateway, currency and day
 * (`payout-day:{tenantId}:{gateway}:{currency}:{day}`), started by the first payout's hand-in.
 *
 *  1. collect the matched payouts their PayoutReconciles hand in, until the day is over in the
 *     tenant's time zone plus the grace for payouts that come late
 *  2. deposit every payout's matched receipts from clearing into the bank, in one deposit
 *  3. journal every payout's fees, refunds, chargebacks, dispute fees, reserves and adjustments
 *     in one entry, so clearing nets to zero for the day and the bank receives the sum of the nets
 *  4. record each payout's outcome and tell each PayoutReconcile the day's keys; a payout
 *     handed in after the day closed is told so, and posts on its own
 *
 * Exactly once: the workflow id is the day's, the payouts it posts are fixed when it closes, and
 * each Intacct write is found again by the day's reference (the deposit id, the journal entry's
 * reference number) after a lost answer.
 */
export async function payoutDay(input: PayoutDayInput): Promise<PayoutDayResult> {
  const { workflowId } = workflowInfo();
  const ref: PayoutDayRef = { tenantId: input.tenantId, gateway: input.gateway, currency: input.currency, day: input.day };
  const status: PayoutDayStatus = {
    step: 'collecting',
    reference: input.reference,
    closesAt: new Date(input.closesAt).toISOString(),
    payouts: [],
    late: [],
    intacct: {},
  };
  const members = new Map<string, PayoutOfDayMember>();
  const late: PayoutOfDayMember[] = [];
  let closed = false;

  setHandler(payoutDayStatusQuery, () => status);
  setHandler(payoutMatchedSignal, (member) => {
    const key = `${member.processor}:${member.payoutId}`;
    if (!closed) {
      members.set(key, member);
      status.payouts = [...members.values()].map(({ processor, payoutId }) => ({ processor, payoutId }));
    } else if (!members.has(key)) {
      late.push(member);
      status.late.push({ processor: member.processor, payoutId: member.payoutId });
    }
  });
  const parking = parkingRetriedByOperator(status, retryPayoutDayUpdate, {
    inWords: 'a daily summary',
    recordPark: ({ attention }) => bookkeeping.parkPayoutDay({ ...ref, workflowId, attention }),
    clearPark: () => bookkeeping.clearPayoutDayAttention({ ...ref, workflowId }),
  });

  // 1. The day's payouts, until the day and its grace are over.
  setCurrentDetails(`Collecting the payouts of ${input.day} until ${status.closesAt}`);
  const waitMs = input.closesAt - Date.now();
  if (waitMs > 0) await sleep(waitMs);
  closed = true;
  const payouts = [...members.values()];
  const posting = { ...input, workflowId, payouts };

  await parking.untilDone(async () => {
    // 2. One deposit of every payout's receipts.
    const deposit = await runStep(status, dayStep.deposit(input), (options) =>
      vendorCall.depositPayoutDay.executeWithOptions(options, [posting]),
    );
    if (deposit.depositKey !== undefined) status.intacct.depositKey = deposit.depositKey;
    // 3. One journal entry (split when very large) for everything else.
    const journal = await runStep(status, dayStep.journal(input), (options) =>
      vendorCall.journalPayoutDay.executeWithOptions(options, [posting]),
    );
    status.intacct.journalKeys = journal.journalKeys;
  });
  await parking.clearAttention();

  // 4. Each payout's outcome names the day's keys; each payout is told.
  const journalKeys = status.intacct.journalKeys ?? [];
  const depositKey = status.intacct.depositKey;
  await bookkeeping.recordPayoutDayOutcome({ ...posting, ...(depositKey !== undefined && { depositKey }), journalKeys });
  status.step = 'posted';
  upsertSearchAttributes([{ key: SyncState, value: 'synced' }]);
  const posted: PayoutDayPostedSignal = {
    outcome: 'posted',
    reference: input.reference,
    ...(depositKey !== undefined && { depositKey }),
    journalKeys,
  };
  for (const member of payouts) await tell(member, posted);
  // Handed in after the day closed (also while the answers above went out): each posts on its own.
  for (let member = late.shift(); member !== undefined; member = late.shift())
    await tell(member, { outcome: 'dayClosed', reference: input.reference });
  setCurrentDetails('');
  return { status };
}

/** Answers a payout's workflow; one that is gone has its outcome recorded already and needs no answer. */
async function tell(member: PayoutOfDayMember, answer: PayoutDayPostedSignal): Promise<void> {
  try {
    await getExternalWorkflowHandle(member.workflowId).signal(payoutDayPostedSignal, answer);
  } catch {
    // The payout's workflow ended (terminated by an operator): nothing waits for the answer.
  }
}
