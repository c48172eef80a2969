import { genericDate, type BusinessDate } from '../formats.js';
import { create, type ObjectFields } from './create.js';
import type { PaymentDeposit } from './create-arpayment.js';
import type { XmlElement } from '../xml-writer.js';

/**
 * Applying one open AR credit to another open AR item of the same customer, as Intacct's
 * generic `create` of an `ARPYMT` whose details carry credits and no cash.
 *
 * Verified against Sage's AR payments reference (developer.intacct.com/api/accounts-receivable/
 * ar-payments, "Create a payment against a debit memo line by applying a credit memo line"):
 * an `ARPYMTDETAIL` names the item being paid (`RECORDKEY` = ARINVOICE RECORDNO, or
 * `POSADJKEY` = the RECORDNO of an ARADJUSTMENT debit memo, one or the other) and the credit
 * applied to it (`ADJUSTMENTKEY` = the RECORDNO of an ARADJUSTMENT credit memo, with
 * `TRX_ADJUSTMENTAMOUNT`); no `TRX_PAYMENTAMOUNT`, so no cash moves. The header still needs
 * `PAYMENTMETHOD`, `RECEIPTDATE` and one of `FINANCIALENTITY` / `UNDEPOSITEDACCOUNTNO`. The
 * legacy `apply_arpayment` cannot do this: it only applies an existing payment (`arpaymentkey`)
 * to invoices (`arpaymentitem`: `invoicekey`, `amount`; Sage's intacct-sdk-js ArPaymentApply).
 */
export interface ArCreditApplicationInput {
  readonly customerId: string;
  /** The account the header names; nothing is deposited in it. */
  readonly deposit: PaymentDeposit;
  readonly paymentMethod: string;
  /** DOCNUMBER: the business key that finds the application again. */
  readonly referenceNumber: string;
  readonly description?: string;
  readonly date: BusinessDate;
  readonly currency?: string;
  readonly applications: ReadonlyArray<{
    /** RECORDNO of the ARADJUSTMENT credit memo whose credit is used (ADJUSTMENTKEY). */
    readonly creditMemoKey: string;
    /** The open item the credit pays: an ARADJUSTMENT debit memo (POSADJKEY) or an ARINVOICE (RECORDKEY). */
    readonly paid: { readonly debitMemoKey: string } | { readonly invoiceKey: string };
    /** Decimal text, positive. */
    readonly amount: string;
  }>;
}

/** `<create><ARPYMT>` applying credits only; the response's `arpymt/RECORDNO` is the application's key. */
export function applyArCredit(input: ArCreditApplicationInput): XmlElement {
  if (input.applications.length === 0) throw new RangeError('an AR credit application needs at least one application');
  const details: ObjectFields = input.applications.map((application) => [
    'ARPYMTDETAIL',
    [
      'debitMemoKey' in application.paid
        ? (['POSADJKEY', application.paid.debitMemoKey] as const)
        : (['RECORDKEY', application.paid.invoiceKey] as const),
      ['ADJUSTMENTKEY', application.creditMemoKey],
      ['TRX_ADJUSTMENTAMOUNT', application.amount],
    ],
  ]);
  return create([
    {
      object: 'ARPYMT',
      fields: [
        ['FINANCIALENTITY', 'bankAccountId' in input.deposit ? input.deposit.bankAccountId : undefined],
        ['PAYMENTMETHOD', input.paymentMethod],
        ['CUSTOMERID', input.customerId],
        ['DOCNUMBER', input.referenceNumber],
        ['DESCRIPTION', input.description],
        ['RECEIPTDATE', genericDate(input.date)],
        ['PAYMENTDATE', genericDate(input.date)],
        ['CURRENCY', input.currency],
        ['UNDEPOSITEDACCOUNTNO', 'undepositedFundsAccount' in input.deposit ? input.deposit.undepositedFundsAccount : undefined],
        ['ARPYMTDETAILS', details],
      ],
    },
  ]);
}
