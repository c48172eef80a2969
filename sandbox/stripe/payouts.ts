import { StripeApiError, unexpectedState } from './errors.js';
import type { PayoutRecord } from './model.js';
import { renderPayout } from './render.js';
import type { StripeWorld } from './world.js';

export interface PayOutInput {
  /** Include funds not yet available (a test's fast-forward); otherwise only available ones are paid out. */
  includePending: boolean;
  /** Unix time of arrival at the bank; by default the account's arrival delay after now. */
  arrivalDate?: number;
  /** `paid` (the default) announces `payout.paid` at once; `in_transit` leaves that to {@link markPayoutPaid}. */
  status: 'paid' | 'in_transit';
}

/**
 * Stripe's automatic payout, now: every balance transaction not yet paid out (and available,
 * unless `includePending`) is grouped into one payout of their net sum, which leaves the balance
 * as a balance transaction of type `payout`. Listing balance transactions with `payout=` then
 * gives exactly these, the payout's own included.
 */
export function payOutNow(world: StripeWorld, input: PayOutInput): PayoutRecord {
  const now = world.now();
  const currency = world.settings.settlementCurrency;
  const grouped = world.records.balanceTransactions.filter(
    (transaction) =>
      transaction.payout === null && transaction.currency === currency && (input.includePending || transaction.availableOn <= now),
  );
  const amount = grouped.reduce((sum, transaction) => sum + transaction.net, 0);
  if (amount <= 0)
    throw new StripeApiError(400, {
      type: 'invalid_request_error',
      code: 'balance_insufficient',
      message: `There is no positive available balance in ${currency} to pay out (${amount}).`,
    });
  const id = world.newId('po');
  const own = world.addBalanceTransaction({
    amount: -amount,
    currency,
    fee: 0,
    feeDetails: [],
    type: 'payout',
    reportingCategory: 'payout',
    source: id,
    description: 'STRIPE PAYOUT',
    exchangeRate: null,
    availableOn: now,
  });
  for (const transaction of [...grouped, own]) transaction.payout = id;
  const payout = world.insert('payouts', {
    id,
    amount,
    currency,
    arrivalDate: input.arrivalDate ?? now + world.settings.payoutArrivalDays * 86_400,
    created: now,
    status: input.status === 'paid' ? 'paid' : 'in_transit',
    balanceTransaction: own.id,
    failureBalanceTransaction: null,
    failureCode: null,
    failureMessage: null,
    description: 'STRIPE PAYOUT',
    destination: 'ba_sandboxbank000000000000',
    metadata: {},
  });
  world.emit('payout.created', renderPayout({ ...payout, status: 'pending' }));
  if (payout.status === 'paid') world.emit('payout.paid', renderPayout(payout));
  return payout;
}

/** The bank confirms the arrival. */
export function markPayoutPaid(world: StripeWorld, payout: PayoutRecord): PayoutRecord {
  if (payout.status !== 'in_transit' && payout.status !== 'pending')
    throw unexpectedState(`Payout ${payout.id} has status ${payout.status} and cannot be marked paid.`, 'payout_unexpected_state');
  payout.status = 'paid';
  world.emit('payout.paid', renderPayout(payout), { status: 'in_transit' });
  return payout;
}

/** Failure reasons Stripe names (`payout.failure_code`) and their messages. */
export const payoutFailures: Record<string, string> = {
  account_closed: 'The bank account has been closed.',
  account_frozen: 'The bank account has been frozen.',
  could_not_process: 'The bank could not process this payout.',
  insufficient_funds: 'Your Stripe account has insufficient funds to cover the payout.',
  invalid_account_number: 'The bank account number is invalid.',
  no_account: 'The bank account details on file are probably incorrect.',
};

/**
 * The bank returns the payout: its amount comes back to the balance as a `payout_failure`
 * transaction, to be paid out again with the next payout.
 */
export function failPayout(world: StripeWorld, payout: PayoutRecord, failureCode: string): PayoutRecord {
  if (payout.status === 'failed' || payout.status === 'canceled')
    throw unexpectedState(`Payout ${payout.id} has status ${payout.status} and cannot fail.`, 'payout_unexpected_state');
  const returned = world.addBalanceTransaction({
    amount: payout.amount,
    currency: payout.currency,
    fee: 0,
    feeDetails: [],
    type: 'payout_failure',
    reportingCategory: 'payout_reversal',
    source: payout.id,
    description: `Payout failure (${failureCode})`,
    exchangeRate: null,
    availableOn: world.now(),
  });
  const previous = { status: payout.status };
  payout.status = 'failed';
  payout.failureBalanceTransaction = returned.id;
  payout.failureCode = failureCode;
  payout.failureMessage = payoutFailures[failureCode] ?? 'The payout failed.';
  world.emit('payout.failed', renderPayout(payout), previous);
  return payout;
}
