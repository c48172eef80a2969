import { z } from 'zod';
import { payoutLineKinds } from '../../workflows/payout-reconcile-contract.js';
import { settlementDateFormats } from './cell-readers.js';

/**
 * A column mapping: how to read a settlement file laid out as one row per balance movement with
 * a header row. A tenant defines one for its processor's export; Stripe's itemized payout
 * reconciliation report is itself one such mapping ({@link stripePayoutReconciliationMapping}).
 */

const header = z.string().trim().min(1).max(100);

/** The zod schema a tenant's mapping is validated with (PUT …/settlement-mappings/{name}). */
export const settlementColumnMappingSchema = z
  .object({
    /** Header names of the columns the fields are read from (matched ignoring case and surrounding blanks). */
    columns: z
      .object({
        lineId: header,
        kind: header,
        gross: header,
        /** Absent: every line's fee is 0. */
        fee: header.optional(),
        /** When present, each row's net is checked against gross − fee. */
        net: header.optional(),
        /** Absent: `currency` below names the one currency of the file. */
        currency: header.optional(),
        /** One header, or several tried in order: the first non-empty cell is the reference. */
        paymentReference: z.union([header, z.array(header).min(1).max(5)]).optional(),
        /** The merchant's order or invoice number, when the export carries it. */
        orderReference: header.optional(),
        occurredAt: header,
        description: header.optional(),
        /** Absent: the payout id comes from the request, and the file is one payout. */
        payoutId: header.optional(),
        /** The date the payout arrives (YYYY-MM-DD in `dateFormat`); absent: the request's, or the latest line's date. */
        payoutDate: header.optional(),
      })
      .strict(),
    /** Value of the kind column → line kind, e.g. { "Sale": "charge", "Refund": "refund" }. Matched ignoring case. */
    kinds: z
      .record(z.string().trim().min(1).max(100), z.enum(payoutLineKinds))
      .refine((kinds) => Object.keys(kinds).length > 0, 'name at least one value of the kind column'),
    /** The file's currency when it has no currency column. */
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'an ISO 4217 code in capitals')
      .optional(),
    delimiter: z.enum([',', ';', '\t', '|']).default(','),
    decimalSeparator: z.enum(['.', ',']).default('.'),
    thousandsSeparator: z.enum([',', '.', ' ', "'"]).optional(),
    dateFormat: z.enum(settlementDateFormats).default('iso'),
    /** How the fee column is signed: a fee taken written as 2.50 (`positive`) or as -2.50 (`negative`). */
    feeSign: z.enum(['positive', 'negative']).default('positive'),
  })
  .strict()
  .superRefine((mapping, context) => {
    if (mapping.columns.currency === undefined && mapping.currency === undefined)
      context.addIssue({ code: 'custom', path: ['currency'], message: 'name a currency column or the file’s one currency' });
    if (mapping.thousandsSeparator !== undefined && mapping.thousandsSeparator === mapping.decimalSeparator)
      context.addIssue({
        code: 'custom',
        path: ['thousandsSeparator'],
        message: 'the thousands separator cannot be the decimal separator',
      });
    if (mapping.delimiter === mapping.decimalSeparator && mapping.delimiter === ',')
      context.addIssue({ code: 'custom', path: ['delimiter'], message: 'a decimal comma needs another delimiter (";" or tab)' });
  });

export type SettlementColumnMapping = z.output<typeof settlementColumnMappingSchema>;
export type SettlementColumnMappingInput = z.input<typeof settlementColumnMappingSchema>;

/**
 * Stripe's "Itemized payout reconciliation" report (report type `payout_reconciliation.itemized.5`,
 * https://docs.stripe.com/reports/report-types/payout-reconciliation): one row per balance
 * transaction settled by an automatic payout, amounts in major units, times in UTC. The line's
 * payment reference is the charge id (else the payment intent id): what a storefront keeps as
 * the Stripe payment's `gateway_transaction_id`.
 */
export const stripePayoutReconciliationMapping: SettlementColumnMapping = settlementColumnMappingSchema.parse({
  columns: {
    lineId: 'balance_transaction_id',
    kind: 'reporting_category',
    gross: 'gross',
    fee: 'fee',
    net: 'net',
    currency: 'currency',
    paymentReference: ['charge_id', 'payment_intent_id'],
    occurredAt: 'created_utc',
    description: 'description',
    payoutId: 'automatic_payout_id',
    payoutDate: 'automatic_payout_effective_at',
  },
  // Stripe's reporting categories (https://docs.stripe.com/reports/reporting-categories) that a
  // payout settles; transfers, payouts and Connect platform categories are not order money.
  kinds: {
    charge: 'charge',
    charge_failure: 'charge',
    partial_capture_reversal: 'charge',
    refund: 'refund',
    refund_failure: 'refund',
    dispute: 'chargeback',
    dispute_reversal: 'chargeback_reversal',
    fee: 'fee',
    network_cost: 'fee',
    tax: 'fee',
    risk_reserved_funds: 'reserve',
    other_adjustment: 'adjustment',
  },
  dateFormat: 'iso',
});
