import { formatAmount } from '../mappers/money.js';
import type { DocumentComparison, ReconciliationDifference } from '../workflows/period-reconcile-contract.js';

type LedgerState = 'pending' | 'synced' | 'parked' | 'skipped' | 'cancelled' | 'failed';

/** An order the product recorded in the month (its `order` ledger entry). */
export interface PeriodOrderRecord {
  orderId: string;
  state: LedgerState;
  /** The Intacct document the ledger says it became. */
  intacctDocumentId?: string;
  recordedOn: string;
}

/** An Intacct sales document of the tenant's transaction definition, found by its reference number (the order id). */
export interface IntacctDocumentRecord {
  referenceNumber: string;
  documentId: string;
  /** Minor units of the base currency. */
  total: number;
}

/** A refund the product recorded in the month (its `refund` ledger entry). */
export interface PeriodRefundRecord {
  refundId: string;
  orderId?: string;
  state: LedgerState;
  /** The credit memo, or the sales order the refund reduced. */
  intacctDocumentId?: string;
  amount: number;
  currency: string;
  recordedOn: string;
}

/** A payment of the month, as the documents comparison needs it. */
interface PaymentOfMonth {
  paymentId: string;
  orderId: string;
  amount: number;
  currency: string;
  state: LedgerState;
}

const unposted = (state: LedgerState) => state === 'pending' || state === 'parked' || state === 'failed';

/**
 * Orders vs Intacct documents vs payments vs refunds and credit memos for the month (pure):
 * counts and amounts, and each order or refund that is missing, duplicated, unposted or
 * different as a difference in words with its figures.
 */
export function compareDocuments(
  period: { period: string; from: string; to: string; baseCurrency: string },
  records: {
    orders: readonly PeriodOrderRecord[];
    intacctDocuments: readonly IntacctDocumentRecord[];
    payments: readonly PaymentOfMonth[];
    refunds: readonly PeriodRefundRecord[];
  },
  differences: ReconciliationDifference[],
): DocumentComparison {
  const currency = period.baseCurrency;
  const money = (amount: number) => `${formatAmount(amount, currency)} ${currency}`;
  const documentsByReference = new Map<string, IntacctDocumentRecord[]>();
  for (const document of records.intacctDocuments)
    documentsByReference.set(document.referenceNumber, [...(documentsByReference.get(document.referenceNumber) ?? []), document]);
  const paymentsByOrder = new Map<string, number>();
  for (const payment of records.payments.filter((candidate) => candidate.state === 'synced'))
    paymentsByOrder.set(payment.orderId, (paymentsByOrder.get(payment.orderId) ?? 0) + payment.amount);

  const comparison: DocumentComparison = {
    currency,
    orders: { recorded: records.orders.length, posted: 0, unposted: 0, cancelledOrSkipped: 0 },
    intacctDocuments: { count: 0, amount: 0, missing: 0, duplicated: 0 },
    payments: { count: 0, amount: 0, unposted: { count: 0, amount: 0 } },
    refunds: { count: 0, amount: 0, unposted: { count: 0, amount: 0 } },
  };
  const orders = [...records.orders].sort((left, right) => (left.orderId < right.orderId ? -1 : left.orderId > right.orderId ? 1 : 0));
  for (const order of orders) {
    const documents = documentsByReference.get(order.orderId) ?? [];
    comparison.intacctDocuments.count += documents.length;
    comparison.intacctDocuments.amount += documents.reduce((sum, document) => sum + document.total, 0);
    if (order.state === 'cancelled' || order.state === 'skipped') {
      comparison.orders.cancelledOrSkipped += 1;
      if (documents.length > 0 && order.state === 'skipped')
        differences.push({
          area: 'documents',
          kind: 'documentForSkippedOrder',
          reference: order.orderId,
          explanation: `order ${order.orderId} was skipped by the product, yet Intacct holds ${documents.map((document) => document.documentId).join(', ')} with its reference`,
        });
      continue;
    }
    if (unposted(order.state)) {
      comparison.orders.unposted += 1;
      differences.push({
        area: 'documents',
        kind: 'unpostedOrder',
        reference: order.orderId,
        explanation: `order ${order.orderId} (recorded ${order.recordedOn}) is ${order.state} and has no Intacct document yet: its sale is missing from the month's revenue until it is posted (see the attention queue)`,
      });
      continue;
    }
    comparison.orders.posted += 1;
    if (documents.length === 0) {
      comparison.intacctDocuments.missing += 1;
      differences.push({
        area: 'documents',
        kind: 'missingDocument',
        reference: order.orderId,
        explanation: `the product recorded order ${order.orderId} as ${order.intacctDocumentId ?? 'posted'}, but Intacct has no sales document with reference ${order.orderId}: it was deleted in Intacct or posted under another definition`,
      });
      continue;
    }
    if (documents.length > 1) {
      comparison.intacctDocuments.duplicated += 1;
      const extra = documents.slice(1).reduce((sum, document) => sum + document.total, 0);
      differences.push({
        area: 'documents',
        kind: 'duplicatedDocument',
        reference: order.orderId,
        explanation: `Intacct holds ${documents.length} sales documents with reference ${order.orderId} (${documents.map((document) => `${document.documentId} ${money(document.total)}`).join(', ')}); the product posted ${order.intacctDocumentId ?? 'one'}: ${money(extra)} of revenue is counted twice until the extra is deleted`,
        figures: { currency, expected: documents[0]!.total, actual: documents[0]!.total + extra, difference: extra },
      });
    }
    const paid = paymentsByOrder.get(order.orderId);
    const document = documents.find((candidate) => candidate.documentId === order.intacctDocumentId) ?? documents[0]!;
    if (paid !== undefined && paid !== document.total)
      differences.push({
        area: 'documents',
        kind: 'amountDifference',
        reference: order.orderId,
        explanation: `order ${order.orderId}: Intacct document ${document.documentId} totals ${money(document.total)} but the payments recorded for it total ${money(paid)}: ${money(document.total - paid)} ${document.total > paid ? 'stays open in receivables' : 'was received beyond the document (an overpayment to refund or apply)'}`,
        figures: { currency, expected: document.total, actual: paid, difference: paid - document.total },
      });
  }

  for (const payment of records.payments) {
    if (payment.state === 'synced') {
      comparison.payments.count += 1;
      comparison.payments.amount += payment.amount;
    } else if (unposted(payment.state)) {
      comparison.payments.unposted.count += 1;
      comparison.payments.unposted.amount += payment.amount;
      differences.push({
        area: 'payments',
        kind: 'unpostedPayment',
        reference: payment.paymentId,
        explanation: `the payment of ${formatAmount(payment.amount, payment.currency)} ${payment.currency} for order ${payment.orderId} is ${payment.state}: no cash receipt is in Intacct, so clearing and receivables both miss it`,
        figures: { currency: payment.currency, expected: payment.amount, actual: 0, difference: -payment.amount },
      });
    }
  }

  for (const refund of records.refunds) {
    if (refund.state === 'synced' && refund.intacctDocumentId !== undefined) {
      comparison.refunds.count += 1;
      comparison.refunds.amount += refund.amount;
    } else if (unposted(refund.state)) {
      comparison.refunds.unposted.count += 1;
      comparison.refunds.unposted.amount += refund.amount;
      differences.push({
        area: 'refunds',
        kind: 'unpostedRefund',
        reference: refund.refundId,
        explanation: `refund ${refund.refundId}${refund.orderId === undefined ? '' : ` of order ${refund.orderId}`} (${formatAmount(refund.amount, refund.currency)} ${refund.currency}, recorded ${refund.recordedOn}) is ${refund.state}: no credit memo is in Intacct, so revenue is overstated by it until it posts`,
        figures: { currency: refund.currency, expected: refund.amount, actual: 0, difference: -refund.amount },
      });
    }
  }
  return comparison;
}
