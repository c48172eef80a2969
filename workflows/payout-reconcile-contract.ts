import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import type { SearchAttributePair } from '@temporalio/common';
import type { PayoutDayInput } from './payout-day-contract.js';
import type { AttentionNotice } from './shared-contract.js';
import { SyncState, TenantId } from './search-attributes.js';

/**
 * PayoutReconcile's contract (issue 18, financial close): one workflow per processor payout
 * posts the payout to Intacct exactly once — a deposit of the matched receipts from the
 * gateway's clearing account into the bank, plus one journal entry for fees, refunds,
 * chargebacks, dispute fees, reserves and adjustments — so the clearing account nets to zero per
 * payout and the bank receives exactly the payout's net amount.
 *
 * Every source of processor data (the Stripe connector, a settlement report file) produces the
 * same {@link ProcessorPayout}; matching, mapping and posting never know where it came from.
 * Amounts are integers in the payout currency's minor units, signed as the processor's balance
 * sees them: money in (a charge) positive, money out (a refund, a fee, a chargeback) negative.
 */

/** A payment processor the product reads payouts from. `settlement-file` is a tenant's own import. */
export const processorNames = ['stripe', 'paypal', 'settlement-file'] as const;
export type ProcessorName = (typeof processorNames)[number];

/**
 * What one line of a payout is, in the books' words. Each kind maps to one place in Intacct:
 * `charge` to the clearing account (the order's payment is already there), the rest to the GL
 * accounts named in the gateway's settings.
 */
export const payoutLineKinds = [
  'charge',
  'refund',
  'chargeback',
  'chargeback_reversal',
  'dispute_fee',
  'fee',
  'reserve',
  'adjustment',
] as const;
export type PayoutLineKind = (typeof payoutLineKinds)[number];

const minorUnits = z.number().int();
const currencyCode = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code in capitals');
const calendarDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

/** One balance movement the payout settles (a Stripe balance transaction, a settlement-file row). */
export const payoutLineSchema = z.object({
  /** The processor's own id of this line (Stripe `txn_…`, a settlement row's transaction id). */
  lineId: z.string().min(1),
  kind: z.enum(payoutLineKinds),
  /** Gross amount moved by the line, before the processor's fee (negative for money out). */
  gross: minorUnits,
  /** The processor's fee on this line, as a positive amount taken (0 when none). */
  fee: minorUnits.nonnegative(),
  /** gross − fee: what the line adds to the payout. */
  net: minorUnits,
  /**
   * The id the storefront knows the payment by (BigCommerce `gateway_transaction_id`, Clarity's
   * equivalent in its contract): how a line is matched to its order. Absent for fees, reserves
   * and adjustments that belong to no payment.
   */
  paymentReference: z.string().min(1).optional(),
  /**
   * Other ids the storefront may know the same payment by, tried when none of its transactions
   * holds {@link PayoutLine.paymentReference}. Stripe: `paymentReference` is the payment intent
   * (`pi_…`, what Stripe's current integrations hand the storefront) and this holds the charge
   * (`ch_…`, what older gateway integrations stored), so matching works with either.
   */
  otherPaymentReferences: z.array(z.string().min(1)).optional(),
  /**
   * The merchant's own reference the processor carried with the payment (PayPal's invoice id, a
   * settlement file's order column): usually the storefront order id, a second way to match.
   */
  orderReference: z.string().min(1).max(200).optional(),
  /** When the line happened at the processor (ISO 8601): the cut-off of period reconciliation. */
  occurredAt: z.string().datetime({ offset: true }),
  description: z.string().max(500).optional(),
  /** When the line's own currency differs from the payout's: what it was and the rate used. */
  original: z.object({ currency: currencyCode, amount: minorUnits, exchangeRate: z.number().positive() }).optional(),
});
export type PayoutLine = z.infer<typeof payoutLineSchema>;

/** One payout as the processor reports it, whatever the source. */
export const processorPayoutSchema = z
  .object({
    processor: z.enum(processorNames),
    /**
     * Which gateway's settings (clearing, bank and GL accounts) the payout posts with: the
     * storefront's `gateway` name (stripe, paypalexpress, braintree, …).
     */
    gateway: z.string().min(1),
    /** The processor's payout id (Stripe `po_…`): the journal entry's reference number. */
    payoutId: z.string().min(1).max(100),
    status: z.enum(['pending', 'in_transit', 'paid', 'failed', 'canceled']),
    currency: currencyCode,
    /** The net amount paid to the bank: the sum of every line's net, when the payout balances. */
    amount: minorUnits,
    createdDate: calendarDate,
    arrivalDate: calendarDate,
    lines: z.array(payoutLineSchema),
  })
  .strict();
export type ProcessorPayout = z.infer<typeof processorPayoutSchema>;

export const payoutReconcileWorkflowType = 'payoutReconcile';

/** `payout-reconcile:{tenantId}:{processor}:{payoutId}`: one workflow, so one posting, per payout. */
export function payoutReconcileWorkflowId(tenantId: string, processor: ProcessorName, payoutId: string): string {
  return `payout-reconcile:${tenantId}:${processor}:${payoutId}`;
}

/** The inverse of {@link payoutReconcileWorkflowId}; undefined for any other id. */
export function parsePayoutReconcileWorkflowId(
  workflowId: string,
): { tenantId: string; processor: ProcessorName; payoutId: string } | undefined {
  const match = /^payout-reconcile:([a-z0-9][a-z0-9-]{1,62}):([a-z-]+):(.+)$/.exec(workflowId);
  if (!match) return undefined;
  const processor = processorNames.find((name) => name === match[2]);
  if (!processor) return undefined;
  return { tenantId: match[1]!, processor, payoutId: match[3]! };
}

/** Which payout a workflow posts. */
export interface PayoutRef {
  tenantId: string;
  processor: ProcessorName;
  payoutId: string;
}

export type PayoutReconcileInput = PayoutRef;

/** What Temporal UI can filter payouts by; never amounts or names. */
export function payoutReconcileSearchAttributes(input: PayoutReconcileInput): SearchAttributePair[] {
  return [
    { key: TenantId, value: input.tenantId },
    { key: SyncState, value: 'pending' },
  ];
}

/** Where a payout stands; `not_paid` ends a payout that failed or was cancelled (nothing posts). */
export type PayoutReconcileStep =
  | 'loading'
  | 'waiting_for_payout'
  | 'matching'
  /** Lines name payments or refunds the product is presumably still posting: matching is tried again before parking. */
  | 'waiting_for_postings'
  /** Matched, handed to its gateway's day (the `dailySummary` posting mode): posts when the day does. */
  | 'waiting_for_day'
  | 'depositing'
  | 'journaling'
  | 'parked'
  | 'posted'
  | 'not_paid';

/** The payout as the workflow shows it: figures, never the lines (they stay in MongoDB, the activities read them). */
export interface PayoutSummary {
  status: ProcessorPayout['status'];
  currency: string;
  /** Net paid to the bank, minor units. */
  amount: number;
  arrivalDate: string;
  lineCount: number;
}

/** One reason a payout does not reconcile on its own, for the attention queue and the status. */
export interface PayoutVarianceNotice {
  /** What kind of difference (an unmatched line, an amount difference, lines that do not sum to the payout, …). */
  kind: string;
  /** In words, with the figures: what the processor says and what the books hold. */
  explanation: string;
  /** The payout line the difference is about (none for a payout that does not sum to its lines). */
  lineId?: string;
}

/** What matching found: posting goes on by itself only when nothing differs. */
export interface PayoutCheck {
  variances: PayoutVarianceNotice[];
  /**
   * Present when every variance is a line naming a payment or refund the ledger has not recorded
   * (yet): the order's posting may still be under way, so the workflow matches again, for up to
   * `waitHours` (the tenant's `close.awaitPostingsHours`), before it parks on them.
   */
  awaitPostings?: { lineIds: string[]; waitHours: number };
  /** Present when the gateway posts a daily summary: the day this payout posts with (PayoutDay's input). */
  postsInDay?: PayoutDayInput;
}

export interface PayoutReconcileStatus {
  step: PayoutReconcileStep;
  attention?: { code: string; reason: string; fix: string };
  /** Why the payout waits or ended as it did. */
  note?: string;
  payout?: PayoutSummary;
  /** The differences the last matching found; an operator's approval posts with them. */
  variances: PayoutVarianceNotice[];
  /** An operator approved posting despite the variances (their amounts go to the gateway's adjustment account). */
  variancesApproved: boolean;
  intacct: {
    /** The deposit of the matched receipts into the bank (none when the payout moved no receipt). */
    depositKey?: string;
    /** The journal entries for fees, refunds, disputes, reserves and adjustments (several when split). */
    journalKeys?: string[];
    /** Set when the payout posted with its gateway's day (`dailySummary`): the day's reference, which the keys above are. */
    dayReference?: string;
  };
}

export interface PayoutReconcileResult {
  outcome: 'posted' | 'not_paid';
  status: PayoutReconcileStatus;
}

/** A processor said something happened to the payout (a `payout.paid` or `payout.failed` webhook, a re-import). */
export interface PayoutChangedSignal {
  event: string;
}

export const payoutChangedSignal = defineSignal<[PayoutChangedSignal]>('payoutChanged');
/**
 * The payout's day answered (`dailySummary` mode): it posted the payout with the day's others
 * (the day's Intacct keys), or it had closed before the payout was handed in (the payout then
 * posts on its own).
 */
export type PayoutDayPostedSignal =
  { outcome: 'posted'; reference: string; depositKey?: string; journalKeys: string[] } | { outcome: 'dayClosed'; reference: string };

export const payoutDayPostedSignal = defineSignal<[PayoutDayPostedSignal]>('payoutDayPosted');
export const payoutReconcileStatusQuery = defineQuery<PayoutReconcileStatus>('status');
/** An operator's retry of a parked payout (after fixing what the attention item names). */
export const retryPayoutUpdate = defineUpdate<PayoutReconcileStatus>('retry');
/** An operator's decision to post a payout with its variances; refused unless it is parked on them. */
export const approvePayoutUpdate = defineUpdate<PayoutReconcileStatus, [{ note: string }]>('approve');

/** Failures the payout activities throw, with what fixes each (read by the shared step-failure reader). */
export const payoutReconcileFailures = {
  PayoutNotFound: {
    code: 'payout_not_found',
    fix: 'check the payout id at the processor, or import its settlement report, then retry the payout',
  },
  PayoutChanged: {
    code: 'payout_changed',
    fix: 'the processor now reports other lines or another amount for a payout already stored; check it at the processor, then book the difference by hand or in a later payout',
  },
  PayoutUnreadable: {
    code: 'payout_unreadable',
    fix: "the processor's payout cannot be read as a payout (the message names each problem); check it at the processor, or import its settlement report instead",
  },
  PayoutSettingsMissing: {
    code: 'payout_settings_missing',
    fix: "set the gateway's clearing, bank and GL accounts in the tenant's close settings, then retry the payout",
  },
} as const;

/** Attention codes the workflow itself parks with. */
export const payoutParkCodes = {
  variance: 'payout_variance',
  notPaidInTime: 'payout_not_paid',
} as const;

/**
 * The activities PayoutReconcile calls. Each reads the stored payout and the ledger itself, so
 * the lines (and the customers they name) never enter the workflow's history.
 */
export interface PayoutReconcileActivities {
  /** The payout as the processor (or the imported settlement report) has it now; stores it for the other steps. */
  readPayout(ref: PayoutRef): Promise<PayoutSummary>;
  /** Matches every line to what the product posted (`decisions/payout-matching.ts`). */
  checkPayout(ref: PayoutRef): Promise<PayoutCheck>;
  /** The variances as attention items, one per difference, replacing those of an earlier look. */
  recordPayoutVariances(input: PayoutRef & { workflowId: string; variances: PayoutVarianceNotice[] }): Promise<void>;
  /** The matched receipts moved from the clearing account to the bank, exactly once (deposit id = payout id). */
  depositPayout(input: PayoutRef & { workflowId: string; variancesApproved: boolean }): Promise<{ depositKey?: string; created: boolean }>;
  /** Fees, refunds, disputes, reserves and adjustments as journal entries with the payout id as reference, exactly once. */
  journalPayout(
    input: PayoutRef & { workflowId: string; variancesApproved: boolean },
  ): Promise<{ journalKeys: string[]; created: boolean }>;
  /**
   * `dailySummary` mode: the matched payout handed to its day (`signalWithStart` on PayoutDay).
   * `posted` when the day already posted it (a second look), `dayClosed` when the day posted
   * without it (the payout then posts on its own).
   */
  handPayoutToDay(
    input: PayoutRef & { workflowId: string; variancesApproved: boolean; day: PayoutDayInput },
  ): Promise<{ outcome: 'handedIn' | 'dayClosed' } | Extract<PayoutDayPostedSignal, { outcome: 'posted' }>>;
  /** The payout's outcome in the ledger (what the reconciliation report reads). */
  recordPayoutOutcome(input: PayoutRef & { workflowId: string; status: PayoutReconcileStatus }): Promise<void>;
  parkPayout(input: PayoutRef & { workflowId: string; attention: AttentionNotice }): Promise<void>;
  clearPayoutAttention(input: PayoutRef & { workflowId: string }): Promise<void>;
}
