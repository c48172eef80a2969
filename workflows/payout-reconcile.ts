import {
  condition,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { bookkeepingOptions, vendorCallOptions } from './activity-options.js';
import {
  approvePayoutUpdate,
  payoutChangedSignal,
  payoutDayPostedSignal,
  payoutParkCodes,
  payoutReconcileStatusQuery,
  retryPayoutUpdate,
  type PayoutChangedSignal,
  type PayoutCheck,
  type PayoutDayPostedSignal,
  type PayoutReconcileActivities,
  type PayoutReconcileInput,
  type PayoutReconcileResult,
  type PayoutReconcileStatus,
  type PayoutReconcileStep,
  type PayoutRef,
} from './payout-reconcile-contract.js';
import type { PayoutDayInput } from './payout-day-contract.js';
import { SyncState } from './search-attributes.js';
import { ItemParked, ItemRequests, parkUntilRetried, runStep, untilDone, type ParkingPlace, type StepText } from './shared/parking.js';

const vendorCall = proxyActivities<PayoutReconcileActivities>(vendorCallOptions);
const bookkeeping = proxyActivities<PayoutReconcileActivities>(bookkeepingOptions);

/** How often a payout not paid yet is looked at again (a processor's webhook looks at once). */
const payoutRecheckInterval = '6 hours';
/** A payout still not paid after this long is parked for a person (processors pay within days). */
const paidWithinMs = 14 * 24 * 3_600_000;

/**
 * Versions the wait for postings still under way: histories recorded before it parked at once on
 * an unmatched line; the marker is written only when a check says there is something to wait for.
 */
export const awaitPostingsPatch = 'payout-await-postings';
/**
 * Versions the `dailySummary` posting mode: histories recorded before it posted every payout on
 * its own; the marker is written only when a check says the payout posts with its day.
 */
export const dailySummaryPatch = 'payout-daily-summary';
/** How long past its closing a payout waits for its day's answer before it hands itself in again. */
const dayAnswerOverdueMs = 6 * 3_600_000;
/** The first look again at lines the ledger lacks; each later look waits twice as long, up to {@link postingsRecheckMaxMs}. */
const postingsRecheckFirstMs = 30_000;
const postingsRecheckMaxMs = 600_000;

/** Each step of a payout: the status it shows, its line in Temporal's UI and its failure in words. */
const payoutStep = {
  readPayout: { step: 'loading', label: 'Read the payout', failure: 'reading the payout from the processor' },
  checkPayout: { step: 'matching', label: 'Match the payout to the books', failure: 'matching the payout to what was posted' },
  deposit: (ref: PayoutRef): StepText<PayoutReconcileStep> => ({
    step: 'depositing',
    label: 'Deposit the matched receipts',
    failure: 'depositing the receipts in the bank',
    summary: `Deposit payout ${ref.payoutId} (${ref.processor})`,
  }),
  handToDay: (day: PayoutDayInput): StepText<PayoutReconcileStep> => ({
    step: 'waiting_for_day',
    label: `Hand the payout to its day (${day.reference})`,
    failure: `handing the payout to the daily summary ${day.reference}`,
  }),
  journal: (ref: PayoutRef): StepText<PayoutReconcileStep> => ({
    step: 'journaling',
    label: 'Journal fees, refunds and disputes',
    failure: 'posting the journal entry for fees, refunds and disputes',
    summary: `Journal payout ${ref.payoutId} (${ref.processor})`,
  }),
} satisfies Record<string, StepText<PayoutReconcileStep> | ((...args: never[]) => StepText<PayoutReconcileStep>)>;

/**
 * PayoutReconcile: one processor payout posted to Intacct exactly once. One workflow per payout
 * (`payout-reconcile:{tenantId}:{processor}:{payoutId}`). Steps:
 *
 *  1. read the payout; one not paid yet waits for the processor's webhook (or the next look);
 *     one that failed or was cancelled ends with nothing posted
 *  2. match every line to what the product posted; lines naming a payment or refund the product
 *     has not recorded yet are looked at again for a while (its order may still be posting);
 *     differences become attention items and park the payout until a person fixes the books
 *     (retry) or accepts them (approve)
 *  3. deposit the matched receipts from the gateway's clearing account into the bank
 *  4. journal fees, refunds, chargebacks, dispute fees, reserves and adjustments against the
 *     clearing account, so it nets to zero and the bank receives exactly the payout's net
 *  5. record the outcome for the period reconciliation
 *
 * When the gateway posts a daily summary, steps 3 and 4 are its day's (PayoutDay): the matched
 * payout is handed to the day and waits for it to post; a payout matched after its day posted
 * posts on its own.
 *
 * Exactly once: the workflow id is the payout's, and each Intacct write is found again by the
 * payout id (the deposit id, the journal entry's reference number) after a lost answer.
 */
export async function payoutReconcile(input: PayoutReconcileInput): Promise<PayoutReconcileResult> {
  const { workflowId } = workflowInfo();
  const ref: PayoutRef = { tenantId: input.tenantId, processor: input.processor, payoutId: input.payoutId };
  const status: PayoutReconcileStatus = { step: 'loading', variances: [], variancesApproved: false, intacct: {} };
  const requests = new ItemRequests<PayoutChangedSignal>();
  let approved = false;
  /**
   * When this run began waiting for postings: the wait's bound counts from it even when news of
   * the payout restarts the steps. Once the bound has passed, an operator's retry of the parked
   * payout parks it again at once if still unmatched.
   */
  let postingsWaitSince: number | undefined;
  let postingsWaitOver = false;
  /** The day's answer, once it has posted (or closed without this payout). */
  let dayAnswer: PayoutDayPostedSignal | undefined;

  setHandler(payoutReconcileStatusQuery, () => status);
  setHandler(payoutChangedSignal, (change) => void requests.changes.push(change));
  setHandler(payoutDayPostedSignal, (answer) => void (dayAnswer = answer));
  setHandler(
    retryPayoutUpdate,
    () => {
      requests.retryRequested = true;
      return status;
    },
    {
      validator: () => {
        if (status.step !== 'parked' && status.step !== 'waiting_for_payout' && status.step !== 'waiting_for_postings')
          throw new Error(`cannot retry a payout that is ${status.step.replaceAll('_', ' ')}`);
      },
    },
  );
  setHandler(
    approvePayoutUpdate,
    ({ note }) => {
      approved = true;
      status.note = `variances approved: ${note}`;
      return status;
    },
    {
      validator: ({ note }: { note: string }) => {
        if (status.attention?.code !== payoutParkCodes.variance)
          throw new Error('only a payout parked on its variances can be approved; retry it instead');
        if (note.trim() === '') throw new Error('say why the variances are accepted (the note goes in the payout record)');
      },
    },
  );

  const parking: ParkingPlace = {
    status,
    requests,
    async recordPark({ attention }) {
      await bookkeeping.parkPayout({ ...ref, workflowId, attention });
    },
    woken: () => requests.retryRequested || approved || requests.changes.length > 0,
    worthRetrying: () => Promise.resolve(true),
  };

  const outcome = await untilDone(post, (parked) => parkUntilRetried(parking, parked));
  if (status.attention !== undefined) {
    await bookkeeping.clearPayoutAttention({ ...ref, workflowId });
    delete status.attention;
  }
  status.step = outcome === 'posted' ? 'posted' : 'not_paid';
  await bookkeeping.recordPayoutOutcome({ ...ref, workflowId, status });
  upsertSearchAttributes([{ key: SyncState, value: outcome === 'posted' ? 'synced' : 'skipped' }]);
  setCurrentDetails('');
  return { outcome, status };

  async function post(): Promise<PayoutReconcileResult['outcome']> {
    // 1. The payout as the processor has it; the books follow only money that reached the bank.
    requests.changes.length = 0;
    const waitingSince = Date.now();
    let payout = await runStep(status, payoutStep.readPayout, () => vendorCall.readPayout(ref));
    while (payout.status === 'pending' || payout.status === 'in_transit') {
      status.payout = payout;
      await waitForPayment(payout.status, waitingSince);
      payout = await runStep(status, payoutStep.readPayout, () => vendorCall.readPayout(ref));
    }
    status.payout = payout;
    if (payout.status === 'failed' || payout.status === 'canceled') {
      status.note = `the payout ${payout.status === 'failed' ? 'failed' : 'was cancelled'} at the processor: the money stays in the processor's balance and nothing is posted`;
      return 'not_paid';
    }

    // 2. Every line matched to what was posted; a difference waits for a person unless approved.
    let check = await runStep(status, payoutStep.checkPayout, () => bookkeeping.checkPayout(ref));
    if (check.awaitPostings !== undefined && !approved && !postingsWaitOver && patched(awaitPostingsPatch)) {
      const waited = await awaitPostings(check);
      // The processor said something of the payout meanwhile (it failed, say): read it again first.
      if (waited === 'payoutChanged') return post();
      postingsWaitOver = true;
      check = waited;
    }
    status.variances = check.variances;
    if (check.variances.length > 0 && !approved) {
      await bookkeeping.recordPayoutVariances({ ...ref, workflowId, variances: check.variances });
      throw new ItemParked(
        {
          code: payoutParkCodes.variance,
          reason: `${check.variances.length} difference(s) between the payout and the books: ${check.variances
            .slice(0, 3)
            .map((variance) => variance.explanation)
            .join('; ')}${check.variances.length > 3 ? '; …' : ''}`,
          fix: "fix the books (sync or retry the orders named, then retry the payout), or approve it to post the differences to the gateway's adjustment account",
        },
        false,
      );
    }
    status.variancesApproved = check.variances.length > 0;

    // 3–4 of a daily summary: the day posts the payout with the others of its day.
    if (check.postsInDay !== undefined && patched(dailySummaryPatch) && (await postedWithDay(check.postsInDay))) return 'posted';

    // 3. The receipts the payout settles, into the bank.
    const deposit = await runStep(status, payoutStep.deposit(ref), (options) =>
      vendorCall.depositPayout.executeWithOptions(options, [{ ...ref, workflowId, variancesApproved: status.variancesApproved }]),
    );
    if (deposit.depositKey !== undefined) status.intacct.depositKey = deposit.depositKey;

    // 4. Everything else the payout moved, in one journal entry (split when very large).
    const journal = await runStep(status, payoutStep.journal(ref), (options) =>
      vendorCall.journalPayout.executeWithOptions(options, [{ ...ref, workflowId, variancesApproved: status.variancesApproved }]),
    );
    status.intacct.journalKeys = journal.journalKeys;
    return 'posted';
  }

  /**
   * Hands the matched payout to its day and waits for the day to post it; true once it has (the
   * day's keys in the status), false when the day had closed without it (it posts on its own).
   */
  async function postedWithDay(day: PayoutDayInput): Promise<boolean> {
    let answer: PayoutDayPostedSignal | undefined;
    for (dayAnswer = undefined; answer === undefined;) {
      const handOff = await runStep(status, payoutStep.handToDay(day), () =>
        bookkeeping.handPayoutToDay({ ...ref, workflowId, variancesApproved: status.variancesApproved, day }),
      );
      if (handOff.outcome !== 'handedIn') {
        answer = handOff.outcome === 'posted' ? handOff : { outcome: 'dayClosed', reference: day.reference };
        break;
      }
      status.note = `posts with ${day.gateway}'s payouts of ${day.day} (${day.reference}) once the day closes, ${new Date(day.closesAt).toISOString()}`;
      upsertSearchAttributes([{ key: SyncState, value: 'waiting' }]);
      setCurrentDetails(`Waiting: ${status.note}`);
      // An answer lost as the day ended (a hand-in that raced its completion) is asked for again.
      if (await condition(() => dayAnswer !== undefined, Math.max(day.closesAt - Date.now(), 0) + dayAnswerOverdueMs)) answer = dayAnswer;
    }
    if (answer.outcome === 'dayClosed') {
      status.note = `the daily summary ${day.reference} posted before this payout was matched: it posts on its own`;
      return false;
    }
    delete status.note;
    status.intacct = {
      ...(answer.depositKey !== undefined && { depositKey: answer.depositKey }),
      journalKeys: answer.journalKeys,
      dayReference: answer.reference,
    };
    return true;
  }

  /**
   * Matches again, backing off, while the only differences are lines naming postings the ledger
   * lacks and the tenant's wait has not passed; an operator's retry looks at once. Returns the
   * last check (matched, or still differing: then the caller parks on it), or `payoutChanged`
   * when the processor's news of the payout arrived meanwhile.
   */
  async function awaitPostings(first: PayoutCheck): Promise<PayoutCheck | 'payoutChanged'> {
    const since = (postingsWaitSince ??= Date.now());
    let check = first;
    let delayMs = postingsRecheckFirstMs;
    while (check.awaitPostings !== undefined) {
      const leftMs = check.awaitPostings.waitHours * 3_600_000 - (Date.now() - since);
      if (leftMs <= 0) break;
      status.step = 'waiting_for_postings';
      status.variances = check.variances;
      status.note = `${check.awaitPostings.lineIds.length} line(s) name a payment or refund not recorded yet (${check.awaitPostings.lineIds
        .slice(0, 3)
        .join(
          ', ',
        )}${check.awaitPostings.lineIds.length > 3 ? ', …' : ''}): matching again for up to ${check.awaitPostings.waitHours} hour(s) while their orders post`;
      upsertSearchAttributes([{ key: SyncState, value: 'waiting' }]);
      setCurrentDetails(`Waiting: ${status.note}`);
      requests.retryRequested = false;
      await condition(() => requests.retryRequested || requests.changes.length > 0, Math.min(delayMs, leftMs));
      requests.retryRequested = false;
      if (requests.changes.length > 0) return 'payoutChanged';
      delayMs = Math.min(delayMs * 2, postingsRecheckMaxMs);
      check = await runStep(status, payoutStep.checkPayout, () => bookkeeping.checkPayout(ref));
    }
    delete status.note;
    return check;
  }

  /** Waits for the processor's webhook, an operator's retry or the next look; past the limit, parks the payout. */
  async function waitForPayment(payoutStatus: string, since: number): Promise<void> {
    if (Date.now() - since >= paidWithinMs)
      throw new ItemParked(
        {
          code: payoutParkCodes.notPaidInTime,
          reason: `the payout is still ${payoutStatus.replaceAll('_', ' ')} after ${paidWithinMs / 86_400_000} days`,
          fix: 'check the payout at the processor; retry once it is paid',
        },
        false,
      );
    status.step = 'waiting_for_payout';
    status.note = `the payout is ${payoutStatus.replaceAll('_', ' ')}: it posts when the processor pays it`;
    upsertSearchAttributes([{ key: SyncState, value: 'waiting' }]);
    setCurrentDetails(`Waiting: ${status.note}`);
    requests.retryRequested = false;
    await condition(() => requests.changes.length > 0 || requests.retryRequested, payoutRecheckInterval);
    requests.changes.length = 0;
    requests.retryRequested = false;
  }
}
