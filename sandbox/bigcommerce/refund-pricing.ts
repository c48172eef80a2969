import type { Order, RefundItem } from './model.js';
import { SandboxError } from './sandbox-error.js';

/** A priced refund: its total, its tax, and each item with the amount it asks for. */
export interface RefundQuoteResult {
  totalCents: number;
  taxCents: number;
  items: (RefundItem & { requestedCents: number })[];
}

/** Prices refund items of an order: products by quantity (tax included), other items by amount. */
export function priceRefund(order: Order, orderId: number, items: RefundItem[]): RefundQuoteResult {
  if (order.transactions.length === 0) throw new SandboxError(422, 'The order has no settled payment to refund.');
  if (items.length === 0) throw new SandboxError(422, 'JSON data is missing or invalid', { items: 'error.path.missing.' });
  let totalCents = 0;
  let taxCents = 0;
  const priced = items.map((item) => {
    let requestedCents: number;
    if (item.item_type === 'PRODUCT') {
      const line = order.lines.find((candidate) => candidate.id === item.item_id);
      const quantity = item.quantity ?? 0;
      if (!line) throw new SandboxError(422, `Order product ${item.item_id} does not belong to order ${orderId}.`);
      if (quantity < 1 || line.quantityRefunded + quantity > line.quantity)
        throw new SandboxError(422, `Quantity ${quantity} of order product ${item.item_id} exceeds the refundable quantity.`);
      requestedCents = line.unitPriceExTaxCents * quantity;
      taxCents += line.unitTaxCents * quantity;
      totalCents += (line.unitPriceExTaxCents + line.unitTaxCents) * quantity;
    } else if (item.item_type === 'SHIPPING' || item.item_type === 'ORDER') {
      requestedCents = Math.round((item.amount ?? 0) * 100);
      if (requestedCents <= 0) throw new SandboxError(422, `A ${item.item_type} refund item needs a positive amount.`);
      if (item.item_type === 'SHIPPING' && !order.addresses.some((address) => address.id === item.item_id))
        throw new SandboxError(422, `Order address ${item.item_id} does not belong to order ${orderId}.`);
      totalCents += requestedCents;
    } else {
      throw new SandboxError(422, `Refund item type ${item.item_type} is not supported by this store.`);
    }
    return { ...item, requestedCents };
  });
  const paid = order.transactions
    .filter((transaction) => transaction.event === 'purchase' || transaction.event === 'capture')
    .reduce((sum, transaction) => sum + transaction.amountCents, 0);
  if (order.refundedCents + totalCents > paid) throw new SandboxError(422, 'The refund amount exceeds the amount available to refund.');
  return { totalCents, taxCents, items: priced };
}
