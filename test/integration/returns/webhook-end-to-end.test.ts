import { describe, expect, it } from 'vitest';
import { returnToCreditMemoWorkflowId } from '../../../workflows/return-to-credit-memo-contract.js';
import { cents, deliverBigCommerceWebhook, useEndToEndTenant, type OrderToCashStack } from '../../support/order-to-cash-stack.js';
import { guestBuyer, refundResult } from './refund-e2e-support.js';
import '../../support/quiet-runtime.js';

/**
 * A BigCommerce refund from the store's own webhook to the Intacct sandbox's state: the order
 * is posted by OrderToCash first, then the merchant refunds it; the refund webhook (delivered
 * by the sandbox, then five more times at once) must become exactly one credit memo.
 */
describe('ReturnToCreditMemo end to end: a BigCommerce refund webhook → one Intacct credit memo', () => {
  let stack: OrderToCashStack;
  let tenantId: string;

  useEndToEndTenant(
    { storefront: 'bigcommerce', orderSync: { transactionDefinition: 'Sales Invoice' }, returns: {} },
    (started) => ({ stack, tenantId } = started),
  );

  it('when a posted order is refunded in the store and the webhook arrives six times, then one credit memo equals the refund to the cent', async () => {
    const created = await stack.bigCommerce('POST', '/v2/orders', {
      customer_id: 0,
      status_id: 11,
      billing_address: guestBuyer,
      products: [{ product_id: 112, quantity: 2 }],
      shipping_cost_ex_tax: '8.00',
    });
    const orderId = String((created.body as { id: number }).id);
    await stack.waitForOrder(tenantId, orderId, (status) => status.step === 'awaiting_fulfilment');

    const [product] = (await stack.bigCommerce('GET', `/v2/orders/${orderId}/products`)).body as Array<{ id: number }>;
    const items = [{ item_type: 'PRODUCT', item_id: product!.id, quantity: 1 }];
    const quote = (await stack.bigCommerce('POST', `/v3/orders/${orderId}/payment_actions/refund_quotes`, { items })).body as {
      data: { total_refund_amount: number };
    };
    const refunded = await stack.bigCommerce('POST', `/v3/orders/${orderId}/payment_actions/refunds`, {
      items,
      payments: [{ provider_id: 'custom', amount: quote.data.total_refund_amount, offline: true }],
    });
    expect(refunded.status).toBe(201);
    const refund = (refunded.body as { data: { id: number; total_amount: number } }).data;
    const refundId = String(refund.id);

    // Five more deliveries of the same event at once, each with its own delivery id, as retries would come.
    const answers = await Promise.all(
      Array.from({ length: 5 }, async () => ({
        status: await deliverBigCommerceWebhook(stack, tenantId, 'store/order/refund/created', {
          type: 'order',
          id: Number(orderId),
          refund: { refund_id: refund.id },
        }),
      })),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);

    const result = await refundResult(stack, tenantId, refundId, 60_000);
    expect(result?.outcome).toBe('credited');
    const memos = (await stack.intacctRecords('SODOCUMENT')).filter(
      (document) => document.DOCPARID === 'Sales Credit Memo' && document.PONUMBER === refundId,
    );
    expect(memos).toHaveLength(1);
    expect(cents(memos[0]!.TOTAL)).toBe(Math.round(refund.total_amount * 100));
    const runs = [];
    for await (const execution of stack.client.workflow.list({
      query: `WorkflowId = '${returnToCreditMemoWorkflowId(tenantId, refundId)}'`,
    }))
      runs.push(execution);
    expect(runs).toHaveLength(1);
  });
});
