import type { ClarityReturn } from '../connectors/clarity/index.js';
import type { CanonicalOrder } from './canonical-order.js';
import { RefundMappingError, refundImbalance, type CanonicalRefund, type CanonicalRefundLine } from './canonical-refund.js';
import { allocateLargestRemainder, parseAmount } from './money.js';

/** Refund methods that give the buyer store credit (or a gift card) instead of money back. */
const storeCreditMethods = new Set(['store_credit', 'gift_card', 'gift_certificate']);

/** A return whose money has not gone back yet: nothing to credit until it is refunded. */
export interface ClarityReturnNotRefunded {
  refunded: false;
  reason: string;
}

/**
 * A Clarity return (RMA) of a canonical order as the canonical refund, once it carries a refund:
 *
 * - Lines by SKU to the order's line with that SKU; each line's `tax` is the tax of the
 *   returned units and `restock` says whether the goods came back.
 * - The refund's `amount` is the total, `taxAmount` its tax, `shippingRefund` the shipping;
 *   the rest is the lines' tax-exclusive amounts, spread by quantity × unit price (largest
 *   remainder), since a return line does not state its share of the order's discounts.
 * - A refund by `store_credit` (or a gift card) is store credit: credited, but no money goes back.
 * - A return without a refund (requested, approved, received) is not refunded yet; a rejected
 *   one never will be.
 *
 * Throws `RefundMappingError` listing every problem.
 */
export function fromClarityReturn(record: ClarityReturn, order: CanonicalOrder): CanonicalRefund | ClarityReturnNotRefunded {
  if (record.status === 'rejected') return { refunded: false, reason: `return ${record.returnId} was rejected` };
  if (record.refund === null)
    return { refunded: false, reason: `return ${record.returnId} is ${record.status} and has not been refunded yet` };
  const { currency } = record;
  const problems: string[] = [];
  const amount = (field: string, value: string): number => {
    try {
      const parsed = parseAmount(value, currency);
      if (!parsed.exact) problems.push(`${field} ${value} has more decimals than ${currency} allows`);
      return parsed.minor;
    } catch (error) {
      problems.push(`${field}: ${(error as Error).message}`);
      return 0;
    }
  };
  if (record.orderId !== order.orderId) problems.push(`the return belongs to order ${record.orderId}, not ${order.orderId}`);
  if (currency !== order.currency) problems.push(`the return is in ${currency}, the order in ${order.currency}`);

  const total = amount('refund.amount', record.refund.amount);
  const tax = amount('refund.taxAmount', record.refund.taxAmount);
  const shipping = amount('shippingRefund', record.shippingRefund);
  const matched = record.lineItems.map((item, index) => {
    const line = order.lines.find((candidate) => candidate.sku === item.sku);
    if (line === undefined) problems.push(`lineItems[${index}] SKU ${item.sku} is not on order ${order.orderId}`);
    return {
      item,
      line,
      weight: item.quantity * amount(`lineItems[${index}].unitPrice`, item.unitPrice),
      tax: amount(`lineItems[${index}].tax`, item.tax),
    };
  });
  const lineTax = matched.reduce((sum, entry) => sum + entry.tax, 0);
  if (lineTax !== tax) problems.push(`the lines' tax (${lineTax}) differs from the refund's tax (${tax})`);
  const netOfLines = total - tax - shipping;
  if (netOfLines < 0) problems.push(`the refund's total is less than its tax and shipping`);
  if (problems.length > 0) throw new RefundMappingError(record.returnId, problems);

  const weights = matched.map((entry) => entry.weight);
  const shares = weights.some((weight) => weight > 0)
    ? allocateLargestRemainder(netOfLines, weights)
    : allocateLargestRemainder(
        netOfLines,
        weights.map(() => 1),
      );
  const lines: CanonicalRefundLine[] = matched.map((entry, index) => ({
    lineId: entry.line!.lineId,
    sku: entry.item.sku,
    quantity: entry.item.quantity,
    amount: shares[index]!,
    tax: entry.tax,
    restock: entry.item.restock,
  }));
  const canonical: CanonicalRefund = {
    storefront: 'clarity',
    refundId: record.returnId,
    orderId: record.orderId,
    createdAt: new Date(Date.parse(record.refund.refundedAt) || Date.parse(record.createdAt)).toISOString(),
    currency,
    lines,
    shipping,
    handling: 0,
    orderLevel: 0,
    tax,
    total,
    ...(order.paymentMethod !== undefined && { paymentMethod: order.paymentMethod }),
    ...(storeCreditMethods.has(record.refund.method) && total !== 0 && { storeCredit: total }),
  };
  const imbalance = refundImbalance(canonical);
  if (imbalance !== 0)
    throw new RefundMappingError(record.returnId, [`the return's parts differ from its refund by ${imbalance} minor units`]);
  return canonical;
}
