import { legacyDate, type BusinessDate } from '../formats.js';
import { element, optional, type XmlElement } from '../xml-writer.js';
import { currencyElements, type LegacyCurrency } from './legacy-parts.js';

/** Where a received payment is deposited: a bank account or an undeposited-funds GL account. */
export type PaymentDeposit = { readonly bankAccountId: string } | { readonly undepositedFundsAccount: string };

/** `create_arpayment` input. */
export interface ArPaymentInput {
  readonly customerId: string;
  readonly amount: string;
  readonly deposit: PaymentDeposit;
  /** Check number or the storefront's payment reference. */
  readonly referenceId?: string;
  readonly dateReceived: BusinessDate;
  readonly paymentMethod: string;
  readonly currency?: LegacyCurrency;
  /** Applications to invoices; `invoiceKey` is the ARINVOICE RECORDNO (SODOCUMENT.PRRECORDKEY), not the SODOCUMENT's. */
  readonly applications: ReadonlyArray<{ readonly invoiceKey: string; readonly amount: string }>;
}

/** `create_arpayment`, elements in the gateway's sequence. The result's `<key>` is the payment RECORDNO. */
export function createArpayment(input: ArPaymentInput): XmlElement {
  return element('create_arpayment', [
    element('customerid', input.customerId),
    element('paymentamount', input.amount),
    'bankAccountId' in input.deposit
      ? element('bankaccountid', input.deposit.bankAccountId)
      : element('undepfundsacct', input.deposit.undepositedFundsAccount),
    ...optional('refid', input.referenceId),
    legacyDate('datereceived', input.dateReceived),
    element('paymentmethod', input.paymentMethod),
    ...currencyElements(input.currency),
    ...input.applications.map((application) =>
      element('arpaymentitem', [element('invoicekey', application.invoiceKey), element('amount', application.amount)]),
    ),
  ]);
}
