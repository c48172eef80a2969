import type { ArAdjustmentInput } from '../connectors/intacct/functions/create-aradjustment.js';
import type { PaymentMethodMappingRow } from '../store/schemas/mapping-tables.js';
import type { TenantSettings } from '../store/schemas/settings.js';
import { cashRefunded, type CanonicalRefund } from './canonical-refund.js';
import { formatAmount } from './money.js';
import { choosePaymentDeposit } from './payment-account.js';
import { businessDateOf } from './to-intacct-sales-document.js';

export interface RefundPostingMappingInput {
  refund: Pick<CanonicalRefund, 'refundId' | 'orderId' | 'createdAt' | 'currency' | 'total' | 'storeCredit' | 'paymentMethod'>;
  /** The customer of the document the refund credits or reduces. */
  customerId: string;
  /** The credit memo the refund became, or the sales order it reduced before invoicing (named in the description). */
  documentId: string;
  settings: { orderSync: Pick<TenantSettings['orderSync'], 'payments' | 'currency'>; timezone: string };
  paymentMethodRows: readonly PaymentMethodMappingRow[];
  /** The GL account of a bank account the payment method deposits to (read by the activity), when it names one. */
  bankGlAccountNo?: string | undefined;
  /**
   * The clearing account of the gateway that took the order's payment, when that gateway has
   * close settings: the receipt waited there, so the refund is paid out of it too, and the
   * payout that carries the refund finds it there (see payout-to-intacct.ts).
   */
  clearingGlAccountNo?: string | undefined;
}

/** The adjustment number the refund's AR posting carries: the business key that finds it again. */
export function refundPostingNumber(refundId: string): string {
  return `RF-${refundId}`;
}

/**
 * The money going back to the buyer as an AR debit adjustment: the credit memo leaves the
 * customer a credit balance (AR credited), and paying it out charges AR again against the
 * account the order's payment method deposits to (the same account {@link choosePaymentDeposit}
 * picks for the order's receipt: undeposited funds' GL account, or the bank's GL account; the
 * gateway's clearing account when the receipt waited there for its payout), so
 * the customer's balance returns to zero and cash goes down by the refund. Before invoicing
 * the same posting takes the money back out of the customer's unapplied payment, which the
 * reduced sales order no longer needs. One line of the money refunded (the total less store
 * credit), positive (a debit), dated the refund's business day.
 *
 * Throws `PaymentAccountNotConfiguredError` when no account applies, and a RangeError when no
 * money goes back (all store credit) or a bank account is chosen but its GL account was not supplied.
 */
export function toIntacctRefundPosting(input: RefundPostingMappingInput): ArAdjustmentInput & { adjustmentNumber: string } {
  const { refund, settings } = input;
  const cash = cashRefunded(refund);
  if (!Number.isSafeInteger(cash) || cash <= 0) throw new RangeError(`refund ${refund.refundId} returns no money (${cash})`);
  const glAccountNumber = input.clearingGlAccountNo ?? refundAccountOfPaymentMethod(input);
  const { baseCurrency, exchangeRateType } = settings.orderSync.currency;
  return {
    customerId: input.customerId,
    date: businessDateOf(refund.createdAt, settings.timezone),
    adjustmentNumber: refundPostingNumber(refund.refundId),
    description: `Refund ${refund.refundId} of storefront order ${refund.orderId} paid out (${input.documentId})`,
    ...(refund.currency !== baseCurrency && { currency: { baseCurrency, currency: refund.currency, exchangeRateType } }),
    lines: [{ glAccountNumber, amount: formatAmount(cash, refund.currency), memo: `refund ${refund.refundId}` }],
  };
}

/** Where the payment method's money went (undeposited funds, or a bank account's GL account): the refund comes back out of it. */
function refundAccountOfPaymentMethod(input: RefundPostingMappingInput): string {
  const { deposit } = choosePaymentDeposit(input.refund.paymentMethod, input.settings.orderSync.payments, input.paymentMethodRows);
  if ('undepositedFundsAccount' in deposit) return deposit.undepositedFundsAccount;
  if (input.bankGlAccountNo === undefined)
    throw new RangeError(
      `refund ${input.refund.refundId} pays out of bank account ${deposit.bankAccountId}, whose GL account was not supplied`,
    );
  return input.bankGlAccountNo;
}
