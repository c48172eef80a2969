import type { JournalEntryInput, JournalEntryLine, JournalExchangeRate } from '../connectors/intacct/functions/create-journal-entry.js';
import type { GatewayCloseSettings } from '../store/schemas/settings.js';
import { currencyExponent, formatAmount } from './money.js';
import { PayoutCurrencyNotPostableError } from './payout-to-intacct.js';

/** A posted payout the processor reports failed (the bank returned it), as the reversal needs it. */
export interface PayoutFailureReversalInput {
  readonly payoutId: string;
  readonly currency: string;
  /** What the posted payout put into the bank (its net), minor units of {@link currency}. */
  readonly postedNet: number;
  /** The date the payout posted on (its deposit and journal entry). */
  readonly postedOn: string;
  /** The day the processor reported the failure. */
  readonly failedOn: string;
  /** The processor's reason (`account_closed`, `no_account`, …), when it gives one. */
  readonly failureCode?: string;
  readonly gateway: GatewayCloseSettings;
  /** The GL account behind `gateway.bankAccountId`. */
  readonly bankGlAccountNo: string;
  readonly baseCurrency: string;
  readonly exchangeRateType: string;
  /** The explicit rate the payout posted at, if it did: the reversal takes out exactly what went in. */
  readonly postedExchangeRate?: number;
}

/** The reversal of a failed payout: one journal entry, and what the attention item says. */
export interface PayoutFailureReversal {
  readonly journalEntry: JournalEntryInput & { readonly referenceNumber: string };
  readonly attention: { readonly code: string; readonly reason: string; readonly fix: string };
}

/** The reference number of a payout's reversal: found again by it after a lost answer, and never taken for the payout's own entry. */
export function payoutReversalReference(payoutId: string): string {
  return `${payoutId}-failed`;
}

/** The attention code of a posted payout the processor later reported failed. */
export const postedPayoutFailedCode = 'payout_failed_after_posting';

/**
 * A posted payout that failed (the bank returned the money to the processor) as Intacct
 * postings. A deposit cannot hold negative lines and its receipts stay deposited, so the
 * reversal is one journal entry that moves the payout's net back from the bank's GL account
 * into the gateway's clearing account: the clearing account again equals the processor's
 * balance, which holds the returned money until it goes out with a later payout (Stripe's
 * `payout_failure` line). Dated the failure day (never before the payout posted), referenced
 * `{payoutId}-failed`, with the gateway's dimensions; a payout in another currency reverses at
 * the rate it posted at (its explicit rate, or the rate type on the day it posted).
 */
export function toIntacctPayoutFailureReversal(input: PayoutFailureReversalInput): PayoutFailureReversal {
  const { gateway, currency } = input;
  if (currencyExponent(currency) > 2) throw new PayoutCurrencyNotPostableError(currency);
  if (!Number.isSafeInteger(input.postedNet) || input.postedNet <= 0)
    throw new RangeError(`a failed payout reverses a positive net; ${input.payoutId} posted ${input.postedNet}`);
  const date = input.failedOn < input.postedOn ? input.postedOn : input.failedOn;
  const exchangeRate: JournalExchangeRate | undefined =
    currency === input.baseCurrency
      ? undefined
      : input.postedExchangeRate !== undefined
        ? { rate: String(input.postedExchangeRate), date: input.postedOn }
        : { rateType: input.exchangeRateType, date: input.postedOn };
  const { locationId, departmentId, classId, projectId } = gateway.dimensions;
  const label = `${gateway.gateway} payout ${input.payoutId}`;
  const money = `${currency} ${formatAmount(input.postedNet, currency)}`;
  const why = input.failureCode === undefined ? 'failed' : `failed (${input.failureCode})`;
  const line = (accountNumber: string, direction: JournalEntryLine['direction'], description: string): JournalEntryLine => ({
    accountNumber,
    direction,
    amount: formatAmount(input.postedNet, currency),
    ...(exchangeRate !== undefined && { currency, exchangeRate }),
    description,
    ...(locationId !== undefined && { locationId }),
    ...(departmentId !== undefined && { departmentId }),
    ...(classId !== undefined && { classId }),
    ...(projectId !== undefined && { projectId }),
  });
  return {
    journalEntry: {
      journal: gateway.journal,
      date,
      title: `${label} ${why}: reversed`,
      referenceNumber: payoutReversalReference(input.payoutId),
      lines: [
        line(gateway.clearing.glAccountNo, 'debit', `${label} ${why}: back in the processor's balance`),
        line(input.bankGlAccountNo, 'credit', `${label} ${why}: never reached the bank`),
      ],
    },
    attention: {
      code: postedPayoutFailedCode,
      reason: `${label} of ${money} was posted on ${input.postedOn} (deposit and journal entry), then ${why} on ${input.failedOn}: the bank never received it, so ${money} moved back from bank GL ${input.bankGlAccountNo} to clearing ${gateway.clearing.glAccountNo} on ${date}`,
      fix: `check the bank account at ${gateway.gateway} (the returned money goes out with a later payout); nothing to undo in Intacct`,
    },
  };
}
