import type { Refund } from '../connectors/bigcommerce/index.js';
import type { CanonicalOrder } from './canonical-order.js';
import { RefundMappingError, refundImbalance, type CanonicalRefund, type CanonicalRefundLine } from './canonical-refund.js';
import { parseAmount } from './money.js';
import { refundTaxShares, refundedOrderTax } from './refund-tax.js';

/** Refund payment providers that give the buyer store credit (or a gift certificate) instead of money. */
const storeCreditProviders = new Set(['storecredit', 'store_credit', 'giftcertificate', 'gift_certificate']);

/**
 * A BigCommerce V3 refund (`payment_actions/refunds`) of a canonical order as the canonical refund:
 *
 * - PRODUCT items: `item_id` is the order product id (the canonical line id), refunded by
 *   quantity; `requested_amount` is the tax-exclusive amount (else the line's net amount pro
 *   rata, when that is exact). BigCommerce does not say whether goods came back: `restock` absent.
 * - SHIPPING, HANDLING and ORDER items by amount; TAX items are already in `total_tax`.
 * - `total_tax` is the refund's tax, `total_amount` what the buyer gets back.
 * - A VAT-inclusive order (`pricesIncludeTax`) refunded by gross amounts (the items alone come to
 *   `total_amount`): the tax is extracted from them, each line's and charge's share of
 *   `total_tax` as its sale was taxed (`refundTaxShares`), so net + tax stays the gross.
 * - The payment method is the order's (the refund's providers name gateways, not methods);
 *   payments to the store-credit or gift-certificate provider are `storeCredit`, not money.
 *
 * Throws `RefundMappingError` listing every problem: unknown lines, unsupported item types
 * (gift wrapping, fees), inexact amounts, or a refund whose parts do not sum to its total.
 */
export function fromBigCommerceRefund(refund: Refund, order: CanonicalOrder): CanonicalRefund {
  const refundId = String(refund.id);
  const { currency } = order;
  const problems: string[] = [];
  const amount = (field: string, value: number | string): number => {
    const parsed = parseAmount(String(value), currency);
    if (!parsed.exact) problems.push(`${field} ${value} has more decimals than ${currency} allows`);
    return parsed.minor;
  };
  if (String(refund.order_id) !== order.orderId) problems.push(`the refund belongs to order ${refund.order_id}, not ${order.orderId}`);

  const lines: CanonicalRefundLine[] = [];
  let shipping = 0;
  let handling = 0;
  let orderLevel = 0;
  for (const item of refund.items) {
    const requested =
      item.requested_amount === null || item.requested_amount === undefined || item.requested_amount === ''
        ? undefined
        : amount(`${item.item_type} ${item.item_id} requested_amount`, item.requested_amount);
    switch (item.item_type) {
      case 'PRODUCT': {
        const line = order.lines.find((candidate) => candidate.lineId === String(item.item_id));
        const quantity = item.quantity ?? 0;
        if (line === undefined) {
          problems.push(`order product ${item.item_id} is not a line of order ${order.orderId}`);
          break;
        }
        if (quantity <= 0) {
          problems.push(`order product ${item.item_id} is refunded without a quantity`);
          break;
        }
        let lineAmount = requested;
        if (lineAmount === undefined) {
          const net = (line.lineTotal - line.lineDiscount) * quantity;
          if (net % line.quantity !== 0)
            problems.push(
              `order product ${item.item_id} has no requested amount and ${quantity} of ${line.quantity} units is not a whole amount`,
            );
          lineAmount = Math.trunc(net / line.quantity);
        }
        lines.push({ lineId: line.lineId, sku: line.sku, quantity, amount: lineAmount });
        break;
      }
      case 'SHIPPING':
        shipping += requested ?? 0;
        break;
      case 'HANDLING':
        handling += requested ?? 0;
        break;
      case 'ORDER':
        orderLevel += requested ?? 0;
        break;
      case 'TAX':
        break;
      default:
        problems.push(`refund item type ${item.item_type} is not mapped`);
    }
  }
  const storeCredit = refund.payments
    .filter((payment) => payment.is_declined !== true && storeCreditProviders.has(payment.provider_id))
    .reduce((sum, payment) => sum + amount(`payment ${payment.id} amount`, payment.amount), 0);
  const canonical: CanonicalRefund = {
    storefront: 'bigcommerce',
    refundId,
    orderId: String(refund.order_id),
    createdAt: toIsoInstant(refund.created, problems),
    currency,
    lines,
    shipping,
    handling,
    orderLevel,
    tax: amount('total_tax', refund.total_tax),
    total: amount('total_amount', refund.total_amount),
    ...(order.paymentMethod !== undefined && { paymentMethod: order.paymentMethod }),
    ...(refund.reason !== undefined && refund.reason !== '' && { reason: refund.reason }),
    ...(storeCredit !== 0 && { storeCredit }),
  };
  if (order.pricesIncludeTax === true && canonical.tax !== 0 && refundImbalance(canonical) === -canonical.tax)
    problems.push(...extractTax(canonical, order));
  const imbalance = refundImbalance(canonical);
  if (problems.length === 0 && imbalance !== 0)
    problems.push(`the refund's items and tax differ from its total by ${imbalance} minor units`);
  if (problems.length > 0) throw new RefundMappingError(refundId, problems);
  return canonical;
}

/** Gross refund amounts as net with the tax separate (see {@link fromBigCommerceRefund}); the problems, if any. */
function extractTax(refund: CanonicalRefund, order: CanonicalOrder): string[] {
  const orderTax = refundedOrderTax(order, refund);
  // The refunded charges are gross, so their share is of the order's gross charge.
  const grossOf = (charge: 'shipping' | 'handling', net: number) =>
    net + (order.chargeTaxes ?? []).filter((tax) => tax.appliesTo === charge).reduce((sum, tax) => sum + tax.amount, 0);
  const shares = refundTaxShares(refund, {
    ...orderTax,
    shipping: grossOf('shipping', order.shipping),
    handling: grossOf('handling', order.handling),
  });
  if (shares.problems.length > 0) return shares.problems;
  refund.lines = refund.lines.map((line) => {
    const tax = shares.lines.get(line.lineId) ?? 0;
    return { ...line, amount: line.amount - tax, tax };
  });
  refund.shipping -= shares.shipping;
  refund.handling -= shares.handling;
  return [];
}

function toIsoInstant(text: string, problems: string[]): string {
  const time = Date.parse(text);
  if (Number.isNaN(time)) {
    problems.push(`created "${text}" is not a date`);
    return text;
  }
  return new Date(time).toISOString();
}
