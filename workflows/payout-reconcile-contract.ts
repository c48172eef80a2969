import { z } from 'zod';

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
