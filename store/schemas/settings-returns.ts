// Tenant settings, `returns`: refunds and returns posted as credit memos.
// Part of the schema in ./settings.ts, which is the module to import settings from.
import { z } from 'zod';
import { flag, identifier, oneOf } from './fields.js';

export const returnsSchema = z.strictObject({
  /** Off by default: merchants handle returns in many ways, so turning it on is a choice. */
  enabled: flag('enabled').default(false),
  creditMemoTransactionDefinition: identifier('creditMemoTransactionDefinition').default('Sales Credit Memo'),
  /** Put returned quantities back into stock; kept apart from the refund because exchanges refund without restocking. */
  restock: flag('restock').default(false),
  /** Warehouse returned goods go back to; absent means the line's original warehouse. */
  restockWarehouseId: identifier('restockWarehouseId').optional(),
  /** Item used for a refunded shipping charge; absent means the shipping adjustment item. */
  shippingRefundItemId: identifier('shippingRefundItemId').optional(),
  /**
   * Inventory transaction definition (one that decreases stock) that takes back out what a credit
   * memo booked into stock although it was not restocked: the credit memo definition returns
   * stock on every line with a warehouse.
   */
  stockOffsetTransactionDefinition: identifier('stockOffsetTransactionDefinition').default('Adjustment Decrease'),
  /**
   * A refund of an order not invoiced yet: `reduceOrder` takes it off the sales order's lines;
   * `park` leaves the order alone and asks a person (for books where sales orders are not touched).
   */
  beforeInvoice: oneOf('beforeInvoice', ['reduceOrder', 'park']).default('reduceOrder'),
});
