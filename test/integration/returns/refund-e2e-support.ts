import {
  returnToCreditMemoStatusQuery,
  returnToCreditMemoWorkflowId,
  type ReturnToCreditMemoResult,
  type ReturnToCreditMemoStatus,
} from '../../../workflows/return-to-credit-memo-contract.js';
import { eventually } from '../../support/eventually.js';
import { cents, deliverBigCommerceWebhook, type OrderToCashStack } from '../../support/order-to-cash-stack.js';

export { setReturns } from '../../support/order-to-cash-stack.js';

/**
 * Helpers for refunds end to end: the store's refund (or return) made the way a merchant
 * makes it, the product reached by the storefront's own webhook, and the outcome read from the
 * systems themselves (the Intacct sandbox's records, the store, the ledger).
 */

export const guestBuyer = {
  first_name: 'Lee',
  last_name: 'Ng',
  street_1: '4 Oak St',
  city: 'Austin',
  state: 'Texas',
  zip: '78701',
  country: 'United States',
  country_iso2: 'US',
  email: 'lee.ng@example.com',
};

/** A BigCommerce order placed in the sandbox; paid when created in Awaiting Fulfillment (11). */
export async function placeBigCommerceOrder(
  stack: OrderToCashStack,
  body: { products: Array<{ product_id: number; quantity: number }>; status_id?: number; shipping_cost_ex_tax?: string },
): Promise<string> {
  const created = await stack.bigCommerce('POST', '/v2/orders', { customer_id: 0, status_id: 11, billing_address: guestBuyer, ...body });
  if (created.status !== 201) throw new Error(`order not created: ${created.status} ${JSON.stringify(created.body)}`);
  return String((created.body as { id: number }).id);
}

export interface OrderLines {
  /** Order product id by catalog product id. */
  products: Map<number, { id: number; quantity: number }>;
  /** The order's (one) shipping address id, what a SHIPPING refund item names. */
  addressId: number;
}

export async function orderLines(stack: OrderToCashStack, orderId: string): Promise<OrderLines> {
  const products = (await stack.bigCommerce('GET', `/v2/orders/${orderId}/products`)).body as Array<{
    id: number;
    product_id: number;
    quantity: number;
  }>;
  const [address] = (await stack.bigCommerce('GET', `/v2/orders/${orderId}/shipping_addresses`)).body as Array<{ id: number }>;
  return {
    products: new Map(products.map((product) => [product.product_id, { id: product.id, quantity: product.quantity }])),
    addressId: address!.id,
  };
}

export type RefundItem =
  { item_type: 'PRODUCT'; item_id: number; quantity: number } | { item_type: 'SHIPPING'; item_id: number; amount: number };

export interface StoreRefund {
  id: number;
  refundId: string;
  order_id: number;
  total_amount: number;
  total_tax: number;
}

/** Refunds in the BigCommerce sandbox as a merchant does: a quote, then the refund of the quoted amount (offline). */
export async function refundInBigCommerce(stack: OrderToCashStack, orderId: string, items: RefundItem[]): Promise<StoreRefund> {
  const quote = await stack.bigCommerce('POST', `/v3/orders/${orderId}/payment_actions/refund_quotes`, { items });
  if (quote.status !== 201) throw new Error(`refund quote refused: ${quote.status} ${JSON.stringify(quote.body)}`);
  const amount = (quote.body as { data: { total_refund_amount: number } }).data.total_refund_amount;
  const refunded = await stack.bigCommerce('POST', `/v3/orders/${orderId}/payment_actions/refunds`, {
    items,
    payments: [{ provider_id: 'custom', amount, offline: true }],
  });
  if (refunded.status !== 201) throw new Error(`refund refused: ${refunded.status} ${JSON.stringify(refunded.body)}`);
  const refund = (refunded.body as { data: Omit<StoreRefund, 'refundId'> }).data;
  return { ...refund, refundId: String(refund.id) };
}

/** The order's refunds as BigCommerce lists them. */
export async function bigCommerceRefundsOf(stack: OrderToCashStack, orderId: string): Promise<StoreRefund[]> {
  const listed = (await stack.bigCommerce('GET', `/v3/orders/${orderId}/payment_actions/refunds`)).body as {
    data: Array<Omit<StoreRefund, 'refundId'>>;
  };
  return listed.data.map((refund) => ({ ...refund, refundId: String(refund.id) }));
}

/** The refund-created webhook delivered again `times` times at once, each with a new delivery hash, as BigCommerce's retries come. */
export function redeliverRefundWebhook(stack: OrderToCashStack, tenantId: string, refund: StoreRefund, times: number): Promise<number[]> {
  return Promise.all(
    Array.from({ length: times }, () =>
      deliverBigCommerceWebhook(stack, tenantId, 'store/order/refund/created', {
        type: 'order',
        id: refund.order_id,
        refund: { refund_id: refund.id },
      }),
    ),
  );
}

/** Polls the refund's workflow until its status query satisfies `predicate` (the webhook starts it a moment after the refund). */
export function waitForRefund(
  stack: OrderToCashStack,
  tenantId: string,
  refundId: string,
  predicate: (status: ReturnToCreditMemoStatus) => boolean,
  timeoutMs = 90_000,
): Promise<ReturnToCreditMemoStatus> {
  const handle = stack.client.workflow.getHandle(returnToCreditMemoWorkflowId(tenantId, refundId));
  return eventually(() => handle.query(returnToCreditMemoStatusQuery), {
    until: predicate,
    what: `refund ${refundId} of ${tenantId} to reach the expected state`,
    timeoutMs,
    intervalMs: 250,
  });
}

/** The refund workflow's result, once the webhook has started it and it has finished. */
export async function refundResult(
  stack: OrderToCashStack,
  tenantId: string,
  refundId: string,
  timeoutMs = 90_000,
): Promise<ReturnToCreditMemoResult> {
  const handle = stack.client.workflow.getHandle(returnToCreditMemoWorkflowId(tenantId, refundId));
  return eventually(() => handle.result() as Promise<ReturnToCreditMemoResult>, {
    what: `refund ${refundId} of ${tenantId} to finish`,
    timeoutMs,
    intervalMs: 250,
  });
}

/** How many ReturnToCreditMemo runs the refund's workflow id has had (visibility trails by a moment: waits for at least one). */
export function refundRuns(stack: OrderToCashStack, tenantId: string, refundId: string): Promise<number> {
  const query = `WorkflowId = '${returnToCreditMemoWorkflowId(tenantId, refundId)}'`;
  return eventually(
    async () => {
      let count = 0;
      for await (const _execution of stack.client.workflow.list({ query })) count++;
      return count;
    },
    { until: (count) => count > 0, what: `visibility to list refund ${refundId}`, timeoutMs: 10_000, intervalMs: 200 },
  );
}

/** What Intacct holds for one refund: credit memos referencing it, their AR side, the refund's AR posting and stock offsets. */
export async function intacctStateOfRefund(stack: OrderToCashStack, refundId: string) {
  const [documents, adjustments, inventoryDocuments] = await Promise.all([
    stack.intacctRecords('SODOCUMENT'),
    stack.intacctRecords('ARADJUSTMENT'),
    stack.intacctRecords('INVDOCUMENT'),
  ]);
  const creditMemos = documents.filter((document) => document.DOCPARID === 'Sales Credit Memo' && document.PONUMBER === refundId);
  return {
    creditMemos,
    /** The AR adjustments the credit memos posted (negative). */
    creditMemoReceivables: adjustments.filter((adjustment) =>
      creditMemos.some((memo) => memo.DOCID !== undefined && adjustment.DOCID === memo.DOCID),
    ),
    /** The money paid back: the refund's own AR adjustment `RF-{refundId}` (positive). */
    refundPostings: adjustments.filter((adjustment) => adjustment.RECORDID === `RF-${refundId}`),
    stockOffsets: inventoryDocuments.filter((document) => document.PONUMBER === refundId),
  };
}

/** Units on hand of an item in a warehouse, as the Intacct sandbox holds them. */
export async function onHand(stack: OrderToCashStack, itemId: string, warehouseId = 'WH01'): Promise<number> {
  const row = (await stack.intacctRecords('ITEMWAREHOUSEINFO')).find(
    (candidate) => candidate.ITEMID === itemId && candidate.WAREHOUSEID === warehouseId,
  );
  return Number(row?.QONHAND ?? 'NaN');
}

/** A store amount in V3's decimal number, as minor units. */
export const storeCents = (amount: number): number => Math.round(amount * 100);

export { cents };
