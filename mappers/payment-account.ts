import type { ArPaymentInput, PaymentDeposit } from '../connectors/intacct/functions/create-arpayment.js';
import { applyToInvoicesOldestFirst, type OpenInvoice } from '../decisions/payment-applications.js';
import type { PaymentMethodMappingRow } from '../store/schemas/mapping-tables.js';
import { gatewayCloseSettings, type TenantSettings } from '../store/schemas/settings.js';
import type { CanonicalOrder } from './canonical-order.js';
import { formatAmount } from './money.js';
import { businessDateOf } from './to-intacct-sales-document.js';

/** The tenant's payment settings: per-method accounts and the named default. */
export type PaymentSettings = TenantSettings['orderSync']['payments'];

/** An account as settings and the paymentMethods mapping table both describe it. */
type PaymentAccount = Pick<PaymentMethodMappingRow, 'glAccountNo' | 'undepositedFunds' | 'bankAccountId'>;

/** Where the deposit account came from, most specific first. */
export type PaymentAccountSource = 'paymentMethodsTable' | 'settingsMethod' | 'defaultAccount';

export interface PaymentDepositChoice {
  deposit: PaymentDeposit;
  source: PaymentAccountSource;
}

/**
 * No account can receive the order's payment. Not retried: a person adds the account, then
 * retries the order. `fix` says where.
 */
export class PaymentAccountNotConfiguredError extends Error {
  override readonly name = 'PaymentAccountNotConfiguredError';
  /** The failure type activities throw it under (workflows branch on it). */
  readonly type = 'PaymentAccountNotConfigured';
  constructor(
    readonly paymentMethod: string | undefined,
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`${problem}; fix: ${fix}`);
  }
}

/** The payment method names `create_arpayment` accepts that a storefront payment can be. */
export type IntacctPaymentMethod = 'Credit Card' | 'EFT' | 'Cash' | 'Printed Check';

/**
 * Storefront payment method names to Intacct's, first match wins. Card gateways and wallets
 * (Stripe, PayPal, Braintree, Apple Pay, "Credit Card", ...) settle like cards, so anything not
 * named here, and an order with no method, becomes 'Credit Card'.
 */
const paymentMethodRules: ReadonlyArray<readonly [RegExp, IntacctPaymentMethod]> = [
  [/\bcash\b|\bcod\b/i, 'Cash'],
  [/\bche(?:ck|que)s?\b|money ?order/i, 'Printed Check'],
  [/\bbank\b|\bwire\b|transfer|\bach\b|\beft\b|direct ?debit|\bsepa\b|\bbacs\b|\bgiro\b/i, 'EFT'],
];

/** The Intacct payment method of a storefront payment method name (see {@link paymentMethodRules}). */
export function toIntacctPaymentMethod(storefrontMethod: string | undefined): IntacctPaymentMethod {
  if (storefrontMethod === undefined) return 'Credit Card';
  return paymentMethodRules.find(([pattern]) => pattern.test(storefrontMethod))?.[1] ?? 'Credit Card';
}

/** The exact name first, then the same name ignoring case and surrounding spaces. */
function findByMethod<T>(entries: readonly T[], methodOf: (entry: T) => string, method: string): T | undefined {
  const loose = (name: string) => name.trim().toLowerCase();
  return entries.find((entry) => methodOf(entry) === method) ?? entries.find((entry) => loose(methodOf(entry)) === loose(method));
}

/**
 * An account as Intacct's deposit: a bank account receives directly (its own GL account is
 * Intacct's business, so a glAccountNo beside it is ignored); otherwise the payment waits in
 * the named GL account as undeposited funds (`undepfundsacct` is the only place
 * `create_arpayment` takes a GL account), whether or not `undepositedFunds` is set.
 */
function toDeposit(account: PaymentAccount, paymentMethod: string | undefined, where: string, fix: string): PaymentDeposit {
  if (account.bankAccountId !== undefined) return { bankAccountId: account.bankAccountId };
  if (account.glAccountNo !== undefined) return { undepositedFundsAccount: account.glAccountNo };
  throw new PaymentAccountNotConfiguredError(
    paymentMethod,
    `${where} sends payments to undeposited funds without naming the GL account`,
    fix,
  );
}

/**
 * Where the payment of an order paid by `paymentMethod` is deposited. Most specific wins: the
 * paymentMethods mapping table row for the method, then the method's entry in
 * `orderSync.payments.methods` (an entry without an account means the default), then
 * `orderSync.payments.defaultAccount`. Throws {@link PaymentAccountNotConfiguredError} when
 * none applies or the one that applies names no account.
 */
export function choosePaymentDeposit(
  paymentMethod: string | undefined,
  payments: PaymentSettings,
  mappingRows: readonly PaymentMethodMappingRow[],
): PaymentDepositChoice {
  const label = paymentMethod === undefined ? 'orders without a payment method' : `payment method "${paymentMethod}"`;
  if (paymentMethod !== undefined) {
    const row = findByMethod(mappingRows, (candidate) => candidate.paymentMethod, paymentMethod);
    if (row !== undefined) {
      const fix = `set glAccountNo (or bankAccountId) on the paymentMethods mapping row "${row.paymentMethod}"`;
      return {
        deposit: toDeposit(row, paymentMethod, `the paymentMethods mapping row "${row.paymentMethod}"`, fix),
        source: 'paymentMethodsTable',
      };
    }
    const entry = findByMethod(payments.methods, (candidate) => candidate.method, paymentMethod);
    if (entry?.account !== undefined) {
      const fix = `set glAccountNo (or bankAccountId) on orderSync.payments.methods "${entry.method}"`;
      return {
        deposit: toDeposit(entry.account, paymentMethod, `orderSync.payments.methods "${entry.method}"`, fix),
        source: 'settingsMethod',
      };
    }
  }
  if (payments.defaultAccount !== undefined) {
    const fix = 'set glAccountNo (or bankAccountId) on orderSync.payments.defaultAccount';
    return {
      deposit: toDeposit(payments.defaultAccount, paymentMethod, 'orderSync.payments.defaultAccount', fix),
      source: 'defaultAccount',
    };
  }
  const mappingFix = paymentMethod === undefined ? '' : `add a row for "${paymentMethod}" to the paymentMethods mapping table, or `;
  throw new PaymentAccountNotConfiguredError(
    paymentMethod,
    `no Intacct account receives ${label}`,
    `${mappingFix}set orderSync.payments.defaultAccount (a bankAccountId, or a glAccountNo with undepositedFunds)`,
  );
}

export interface ArPaymentMappingInput {
  /** `attributes.paymentGateway` names the gateway that took the payment (see {@link toIntacctArPayment}). */
  order: Pick<CanonicalOrder, 'orderId' | 'placedAt' | 'currency' | 'amountPaid' | 'total' | 'paymentMethod'> & {
    attributes?: Readonly<Record<string, string>>;
  };
  /** The Intacct customer the order's document was posted to. */
  customerId: string;
  settings: { orderSync: Pick<TenantSettings['orderSync'], 'payments' | 'currency'>; timezone: string; close?: TenantSettings['close'] };
  /** The tenant's paymentMethods mapping rows. */
  paymentMethodRows: readonly PaymentMethodMappingRow[];
  /** ARINVOICE RECORDNO to apply the payment to; absent: the payment is recorded unapplied. */
  invoiceKey?: string | undefined;
  /**
   * The order's invoices, oldest first, with what each still owes (an order invoiced per
   * shipment): when given, the payment is spread over them instead of applied to `invoiceKey`.
   */
  openInvoices?: readonly OpenInvoice[] | undefined;
}

/**
 * An order's captured payment as an Intacct cash receipt: the amount captured in the order's
 * currency, received on the order's business date in the tenant's time zone, deposited by
 * {@link choosePaymentDeposit} (unless the gateway that took it has close settings: then it waits in
 * that gateway's clearing account until its payout deposits it), its reference the storefront order id (the business key that
 * finds it again). Applied to the invoice up to the order's total, or, given the order's open
 * invoices, to them oldest first, each up to what it owes (see {@link applyToInvoicesOldestFirst});
 * anything paid beyond that stays on the receipt unapplied, and so does all of it when there is
 * no invoice yet.
 */
export function toIntacctArPayment(input: ArPaymentMappingInput): ArPaymentInput & { referenceId: string } {
  const { order, settings } = input;
  if (!Number.isSafeInteger(order.amountPaid) || order.amountPaid <= 0)
    throw new RangeError(`order ${order.orderId} has no captured payment to record (${order.amountPaid})`);
  const gateway = gatewayCloseSettings(settings.close, order.attributes?.paymentGateway);
  const deposit: PaymentDeposit = gateway
    ? { undepositedFundsAccount: gateway.clearing.glAccountNo }
    : choosePaymentDeposit(order.paymentMethod, settings.orderSync.payments, input.paymentMethodRows).deposit;
  const applied = Math.min(order.amountPaid, order.total);
  const { baseCurrency, exchangeRateType } = settings.orderSync.currency;
  return {
    customerId: input.customerId,
    amount: formatAmount(order.amountPaid, order.currency),
    deposit,
    referenceId: order.orderId,
    dateReceived: businessDateOf(order.placedAt, settings.timezone),
    paymentMethod: toIntacctPaymentMethod(order.paymentMethod),
    ...(order.currency !== baseCurrency && { currency: { baseCurrency, currency: order.currency, exchangeRateType } }),
    applications:
      input.openInvoices !== undefined
        ? applyToInvoicesOldestFirst(Math.max(applied, 0), input.openInvoices).applications.map((line) => ({
            invoiceKey: line.invoiceKey,
            amount: formatAmount(line.amount, order.currency),
          }))
        : input.invoiceKey === undefined || applied <= 0
          ? []
          : [{ invoiceKey: input.invoiceKey, amount: formatAmount(applied, order.currency) }],
  };
}

/** The Intacct reference (`refid`, read back as DOCNUMBER) of the payment recorded for one storefront capture. */
export function capturePaymentReference(orderId: string, transactionId: string): string {
  return `${orderId}-${transactionId}`;
}

export interface CapturePaymentMappingInput extends ArPaymentMappingInput {
  /** The capture (see `decisions/captures-to-record.ts`): what it received, what of it the invoice takes, and when. */
  capture: { transactionId: string; amount: number; applicable: number; capturedAt: string };
}

/**
 * One capture after posting as an Intacct cash receipt: as {@link toIntacctArPayment} for the
 * order, but for the capture's amount, applied up to what the capture rule found the invoice
 * still takes, received on the capture's business date, and referenced by
 * {@link capturePaymentReference} so each capture's receipt is found again on its own.
 */
export function toIntacctCapturePayment(input: CapturePaymentMappingInput): ArPaymentInput & { referenceId: string } {
  const { order, capture, settings } = input;
  const payment = toIntacctArPayment({ ...input, order: { ...order, amountPaid: capture.amount, total: capture.applicable } });
  return {
    ...payment,
    referenceId: capturePaymentReference(order.orderId, capture.transactionId),
    dateReceived: businessDateOf(capture.capturedAt, settings.timezone),
  };
}

/** Intacct's standard Order Entry definitions that post nothing to AR. */
const nonPostingDefinitions = ['Sales Order', 'Sales Quote'];

/**
 * Whether a sales document may have posted an AR invoice, judged from its DOCID
 * (`<definition>-<number>`) alone: Intacct's standard order and quote definitions do not; any
 * other definition (invoices, a tenant's own) may, so its PRRECORDKEY is worth reading.
 */
export function mayPostReceivable(documentId: string): boolean {
  return !nonPostingDefinitions.some((definition) => documentId.startsWith(`${definition}-`));
}
