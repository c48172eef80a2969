import type { JournalEntryInput, JournalEntryLine, JournalExchangeRate } from '../connectors/intacct/functions/create-journal-entry.js';
import type { DepositInput } from '../connectors/intacct/functions/record-deposit.js';
import type { PayoutMatching } from '../decisions/payout-matching.js';
import type { GatewayCloseSettings } from '../store/schemas/settings.js';
import type { PayoutLine, ProcessorPayout } from '../workflows/payout-reconcile-contract.js';
import { currencyExponent, formatAmount } from './money.js';

/** Largest number of GL entries one journal entry carries before it is split (very large entries time out). */
export const maxJournalLinesPerEntry = 500;

export interface PayoutPostingInput {
  readonly payout: ProcessorPayout;
  /** {@link matchPayout}'s result for this payout. */
  readonly matching: PayoutMatching;
  readonly gateway: GatewayCloseSettings;
  /** The GL account behind `gateway.bankAccountId` (CHECKINGACCOUNT GLACCOUNTNO): the journal's bank side. */
  readonly bankGlAccountNo: string;
  /** The company's (or entity's) base currency, and the rate type used when the payout is in another. */
  readonly baseCurrency: string;
  readonly exchangeRateType: string;
  /** An explicit rate from the payout currency to the base (the processor's or the bank's), overriding the rate type. */
  readonly exchangeRate?: number;
  readonly maxLinesPerEntry?: number;
  /**
   * An operator approved posting despite the variances: what the payout's lines do not explain
   * (amount paid − the lines' sum) goes to the adjustments account too, so clearing still nets to zero.
   */
  readonly variancesApproved?: boolean;
}

/** A payout as Intacct postings. Amounts in `figures` are minor units of the payout currency. */
export interface PayoutPosting {
  readonly payoutId: string;
  /** The deposit of the matched receipts; absent when the payout deposits none (a payout of only fees). */
  readonly deposit?: DepositInput;
  /** Usually one; several with the same reference number when the payout has more lines than one entry carries. */
  readonly journalEntries: ReadonlyArray<JournalEntryInput & { readonly referenceNumber: string }>;
  /** The rate the postings convert at, named, when the payout is not in the base currency. */
  readonly exchangeRate?: { readonly from: string; readonly to: string } & JournalExchangeRate;
  readonly figures: {
    /** What the bank receives: the payout amount. */
    readonly net: number;
    /** Σ of the deposited receipts. */
    readonly deposited: number;
    /** The journal entries' effect on the bank (net − deposited). */
    readonly journalToBank: number;
    /** What stays in clearing after posting: 0 unless the payout's lines do not sum to its amount (and that was not approved). */
    readonly clearingResidual: number;
  };
}

/** Intacct stores amounts to 2 decimals: a currency with a finer minor unit cannot be posted exactly. */
export class PayoutCurrencyNotPostableError extends Error {
  override readonly name = 'PayoutCurrencyNotPostableError';
  readonly type = 'PayoutCurrencyNotPostable';
  constructor(readonly currency: string) {
    super(
      `payout currency ${currency} has ${currencyExponent(currency)} decimals; Intacct stores amounts to 2, so it cannot post it exactly`,
    );
  }
}

/** One movement of the processor balance (the clearing account) against another account; + is money in. */
interface ClearingMovement {
  readonly account: string;
  readonly signed: number;
  readonly description: string;
}

/** The day a payout posts on (YYYY-MM-DD): its arrival or its creation date, as the gateway's `postingDate` says. */
export function payoutPostingDay(
  payout: Pick<ProcessorPayout, 'arrivalDate' | 'createdDate'>,
  gateway: Pick<GatewayCloseSettings, 'postingDate'>,
): string {
  return gateway.postingDate === 'arrival' ? payout.arrivalDate : payout.createdDate;
}

/**
 * A matched payout as one deposit and one journal entry (split when very large), so the bank
 * receives exactly the payout's amount and the clearing account nets to zero for a fully matched
 * payout. The deposit moves the matched receipts (what the orders' payments put into clearing)
 * to the bank. The journal entry books, against clearing, every other movement of the
 * processor balance on the gateway's GL accounts: fees, refunds the product did not post, chargebacks and their
 * reversals, dispute fees, reserves, adjustments, and any charge the receipts do not cover
 * (unmatched, or for a different amount: to adjustments); then one transfer line moves the
 * rest of the payout between clearing and the bank's GL account (net − deposited), so
 * deposit + journal = net. Dated by the gateway's posting-date setting, referenced by the
 * payout id, with the gateway's dimensions on every line.
 */
export function toIntacctPayoutPosting(input: PayoutPostingInput): PayoutPosting {
  const { payout, matching, gateway } = input;
  if (matching.payoutId !== payout.payoutId) throw new RangeError(`matching of ${matching.payoutId} given for payout ${payout.payoutId}`);
  const posting = postingOfPayouts(input, {
    reference: payout.payoutId,
    label: `${gateway.gateway} payout ${payout.payoutId}`,
    date: payoutPostingDay(payout, gateway),
    currency: payout.currency,
    payouts: [{ payout, matching, variancesApproved: input.variancesApproved ?? false }],
  });
  return { payoutId: payout.payoutId, ...posting };
}

/** One matched payout of a day, and whether an operator approved posting its variances. */
export interface PayoutOfDay {
  readonly payout: ProcessorPayout;
  readonly matching: PayoutMatching;
  readonly variancesApproved?: boolean;
}

export interface PayoutDayPostingInput extends Omit<PayoutPostingInput, 'payout' | 'matching' | 'variancesApproved'> {
  /** The day the payouts belong to (YYYY-MM-DD, by the gateway's `postingDate`): the postings' date. */
  readonly day: string;
  /** The deposit id and the journal entry's reference number (`payoutDayReference`). */
  readonly reference: string;
  /** At least one; all in one currency and of the gateway. */
  readonly payouts: readonly PayoutOfDay[];
}

/** A day's payouts of one gateway as Intacct postings; `figures` are the day's sums. */
export interface PayoutDayPosting extends Omit<PayoutPosting, 'payoutId'> {
  readonly reference: string;
  /** Each payout's deposited receipts (ARPYMT keys), so each receipt is remembered as deposited by its own payout. */
  readonly receiptsByPayout: Readonly<Record<string, readonly string[]>>;
}

/**
 * A gateway's payouts of one day (the `dailySummary` posting mode) as one deposit of all their
 * matched receipts and one journal entry (split when very large) for all their fees, refunds,
 * disputes, reserves and adjustments, referenced by the day and dated on it. Each payout's
 * movements are the ones {@link toIntacctPayoutPosting} books for it, each line naming its payout;
 * one clearing line and one transfer line carry the day's totals, so clearing nets to zero for
 * the day and the bank receives exactly the sum of the payouts' nets. A day of one payout posts
 * the same lines as that payout on its own.
 */
export function toIntacctPayoutDayPosting(input: PayoutDayPostingInput): PayoutDayPosting {
  const [first] = input.payouts;
  if (first === undefined) throw new RangeError(`no payouts given for ${input.reference}`);
  for (const { payout, matching } of input.payouts) {
    if (matching.payoutId !== payout.payoutId) throw new RangeError(`matching of ${matching.payoutId} given for payout ${payout.payoutId}`);
    if (payout.currency !== first.payout.currency)
      throw new RangeError(`payout ${payout.payoutId} is in ${payout.currency}, the day ${input.reference} in ${first.payout.currency}`);
  }
  const posting = postingOfPayouts(input, {
    reference: input.reference,
    label: `${input.gateway.gateway} payouts of ${input.day}`,
    date: input.day,
    currency: first.payout.currency,
    payouts: input.payouts,
  });
  const receiptsByPayout = Object.fromEntries(
    input.payouts.map(({ payout, matching }) => [payout.payoutId, receiptsOf(matching).map((receipt) => receipt.paymentKey)]),
  );
  return { reference: input.reference, ...posting, receiptsByPayout };
}

type PostingSettings = Omit<PayoutPostingInput, 'payout' | 'matching' | 'variancesApproved'>;

/** What the postings of one or more payouts of a gateway are booked as: one reference, label, date and currency. */
interface PostingBook {
  readonly reference: string;
  readonly label: string;
  readonly date: string;
  readonly currency: string;
  readonly payouts: readonly PayoutOfDay[];
}

/** The receipts a payout's matching deposits: what the orders' payments put into clearing. */
function receiptsOf(matching: PayoutMatching) {
  return matching.lines.flatMap((match) => (match.receipt === undefined ? [] : [match.receipt]));
}

/** A deposit of every payout's receipts and the journal entries of every payout's other movements, as one book. */
function postingOfPayouts(input: PostingSettings, book: PostingBook): Omit<PayoutPosting, 'payoutId'> {
  const { gateway } = input;
  const { currency, date, label } = book;
  if (currencyExponent(currency) > 2) throw new PayoutCurrencyNotPostableError(currency);
  const money = (minor: number) => `${currency} ${formatAmount(minor, currency)}`;
  const several = book.payouts.length > 1;

  const receipts = book.payouts.flatMap(({ matching }) => receiptsOf(matching));
  const deposited = receipts.reduce((sum, receipt) => sum + receipt.amount, 0);
  const net = book.payouts.reduce((sum, { payout }) => sum + payout.amount, 0);
  const movements: ClearingMovement[] = [];
  let refundedFromClearing = 0;
  for (const { payout, matching, variancesApproved } of book.payouts) {
    const moved = clearingMovements(payout, matching, gateway, variancesApproved ?? false, money);
    // On a day's entry each line names its payout; a payout's own entry names it in the label.
    movements.push(
      ...(several
        ? moved.movements.map((movement) => ({ ...movement, description: `payout ${payout.payoutId}: ${movement.description}` }))
        : moved.movements),
    );
    refundedFromClearing += moved.refundedFromClearing;
  }

  const foreign = currency !== input.baseCurrency;
  const exchangeRate: JournalExchangeRate | undefined = !foreign
    ? undefined
    : input.exchangeRate !== undefined
      ? { rate: String(input.exchangeRate), date }
      : { rateType: input.exchangeRateType, date };
  const dimensions = {
    ...(gateway.dimensions.locationId !== undefined && { locationId: gateway.dimensions.locationId }),
    ...(gateway.dimensions.departmentId !== undefined && { departmentId: gateway.dimensions.departmentId }),
    ...(gateway.dimensions.classId !== undefined && { classId: gateway.dimensions.classId }),
    ...(gateway.dimensions.projectId !== undefined && { projectId: gateway.dimensions.projectId }),
  };
  const entryLine = (account: string, signedDebit: number, description: string): JournalEntryLine => ({
    accountNumber: account,
    direction: signedDebit > 0 ? 'debit' : 'credit',
    amount: formatAmount(Math.abs(signedDebit), currency),
    ...(exchangeRate !== undefined && { currency, exchangeRate }),
    description: description.slice(0, 400),
    ...dimensions,
  });

  const clearing = gateway.clearing.glAccountNo;
  const transfer = net - deposited;
  const transferLines =
    transfer === 0
      ? []
      : [
          entryLine(input.bankGlAccountNo, transfer, `${label}: to the bank beyond the deposited receipts`),
          entryLine(clearing, -transfer, `${label}: paid out of clearing`),
        ];
  // Each chunk: its detail lines, one clearing line for their net; the last also carries the transfer.
  const perChunk = (input.maxLinesPerEntry ?? maxJournalLinesPerEntry) - 3;
  if (perChunk < 1) throw new RangeError('maxLinesPerEntry must leave room for at least one detail line');
  const chunks: ClearingMovement[][] = [];
  for (let start = 0; start < movements.length; start += perChunk) chunks.push(movements.slice(start, start + perChunk));
  if (chunks.length === 0 && transferLines.length > 0) chunks.push([]);
  const journalEntries = chunks.map((chunk, index) => {
    const clearingNet = chunk.reduce((sum, movement) => sum + movement.signed, 0);
    const lines = [
      ...chunk.map((movement) => entryLine(movement.account, -movement.signed, `${label}: ${movement.description}`)),
      ...(clearingNet === 0 ? [] : [entryLine(clearing, clearingNet, `${label}: processor balance movements`)]),
      ...(index === chunks.length - 1 ? transferLines : []),
    ];
    return {
      journal: gateway.journal,
      date,
      title: chunks.length === 1 ? label : `${label} (part ${index + 1} of ${chunks.length})`,
      referenceNumber: book.reference,
      lines,
    };
  });

  const movementsTotal = movements.reduce((sum, movement) => sum + movement.signed, 0) + refundedFromClearing;
  return {
    ...(receipts.length > 0 && {
      deposit: {
        bankAccountId: gateway.bankAccountId,
        depositDate: date,
        depositId: book.reference,
        receiptKeys: receipts.map((receipt) => receipt.paymentKey),
        description: `${label}: ${receipts.length} receipts, ${money(deposited)}`,
      },
    }),
    journalEntries,
    ...(exchangeRate !== undefined && { exchangeRate: { from: currency, to: input.baseCurrency, ...exchangeRate } }),
    figures: { net, deposited, journalToBank: transfer, clearingResidual: movementsTotal - transfer },
  };
}

/**
 * What one payout moves in the processor balance besides its deposited receipts, each against the
 * GL account it belongs to; and the refunds its own AR postings already took out of clearing
 * (part of what the transfer line settles).
 */
function clearingMovements(
  payout: ProcessorPayout,
  matching: PayoutMatching,
  gateway: GatewayCloseSettings,
  variancesApproved: boolean,
  money: (minor: number) => string,
): { movements: ClearingMovement[]; refundedFromClearing: number } {
  const movements: ClearingMovement[] = [];
  for (const match of matching.lines) {
    const { line } = match;
    const about = describeLine(line, match.orderId, money);
    if (line.kind === 'charge') {
      const uncovered = line.gross - (match.receipt?.amount ?? 0);
      const why = match.receipt === undefined ? 'charge with no receipt' : 'charge beyond its receipt';
      if (uncovered !== 0) movements.push({ account: gateway.glAccounts.adjustments, signed: uncovered, description: `${why}: ${about}` });
    } else if (line.kind !== 'refund' || match.creditMemoKey === undefined) {
      movements.push({ account: grossAccount(line.kind, gateway), signed: line.gross, description: about });
    }
    // A refund the product posted was paid out of clearing by its own AR posting (RF-…, see
    // to-intacct-refund-posting.ts): the credit memo already took it off revenue, so the payout
    // only moves it between clearing and the bank (the transfer line), never to `refunds` again.
    if (line.fee !== 0) movements.push({ account: feeAccount(line.kind, gateway), signed: -line.fee, description: `fee on ${about}` });
  }

  const unexplained = payout.amount - matching.linesNet;
  if (variancesApproved && unexplained !== 0)
    movements.push({
      account: gateway.glAccounts.adjustments,
      signed: unexplained,
      description: `paid ${money(payout.amount)} against lines of ${money(matching.linesNet)} (approved variance)`,
    });

  const refundedFromClearing = matching.lines
    .filter((match) => match.line.kind === 'refund' && match.creditMemoKey !== undefined)
    .reduce((sum, match) => sum + match.line.gross, 0);
  return { movements, refundedFromClearing };
}

/** The GL account of a line's gross amount (charges go through receipts and the deposit instead). */
function grossAccount(kind: Exclude<PayoutLine['kind'], 'charge'>, gateway: GatewayCloseSettings): string {
  const accounts = gateway.glAccounts;
  switch (kind) {
    case 'refund':
      return accounts.refunds;
    case 'chargeback':
    case 'chargeback_reversal':
      return accounts.chargebacks;
    case 'dispute_fee':
      return accounts.disputeFees ?? accounts.fees;
    case 'fee':
      return accounts.fees;
    case 'reserve':
      return accounts.reserves;
    case 'adjustment':
      return accounts.adjustments;
  }
}

/** A dispute's own fee goes to the dispute-fee account when there is one; every other fee to fees. */
function feeAccount(kind: PayoutLine['kind'], gateway: GatewayCloseSettings): string {
  const disputes = kind === 'chargeback' || kind === 'chargeback_reversal' || kind === 'dispute_fee';
  return disputes ? (gateway.glAccounts.disputeFees ?? gateway.glAccounts.fees) : gateway.glAccounts.fees;
}

/** "refund txn_3, order 102, payment ch_2 (EUR 100.00 at 1.0842)": which line, whose order, and its original currency. */
function describeLine(line: PayoutLine, orderId: string | undefined, money: (minor: number) => string): string {
  const parts = [`${line.kind.replace('_', ' ')} ${line.lineId}`];
  if (orderId !== undefined) parts.push(`order ${orderId}`);
  if (line.paymentReference !== undefined) parts.push(`payment ${line.paymentReference}`);
  const original = line.original;
  const converted =
    original === undefined
      ? ''
      : ` (${original.currency} ${formatAmount(original.amount, original.currency)} at ${original.exchangeRate} = ${money(line.gross)})`;
  return `${parts.join(', ')}${converted}`;
}
