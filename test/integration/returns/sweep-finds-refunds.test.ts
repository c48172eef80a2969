import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderSweepInput, OrderSweepResult } from '../../../workflows/order-sweep-contract.js';
import { returnToCreditMemoWorkflowId } from '../../../workflows/return-to-credit-memo-contract.js';
import { uniqueId } from '../../support/harness.js';
import { startOrderToCashStack, type OrderToCashStack } from '../../support/order-to-cash-stack.js';
import {
  cents,
  intacctStateOfRefund,
  orderLines,
  placeBigCommerceOrder,
  refundInBigCommerce,
  refundResult,
  setReturns,
  storeCents,
} from './refund-e2e-support.js';
import '../../support/quiet-runtime.js';
import { fromHistoryPayload } from '../../support/history-payloads.js';

/**
 * The safety net for refunds: a refund whose webhook never reached the product (the store's
 * hooks were gone when it was made) is found by the tenant's next sweep, which starts its
 * ReturnToCreditMemo; it becomes one credit memo, and sweeping again writes nothing more.
 */
describe('the order sweep finds refunds whose webhooks were lost', () => {
  let stack: OrderToCashStack;

  beforeAll(async () => {
    stack = await startOrderToCashStack();
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  const sweep = (tenantId: string) =>
    stack.client.workflow.execute<(input: OrderSweepInput) => Promise<OrderSweepResult>>('orderSweep', {
      workflowId: uniqueId('sweep'),
      taskQueue: stack.config.temporal.taskQueue,
      args: [{ tenantId }],
    });

  async function inputOf(workflowId: string): Promise<unknown> {
    const history = await stack.client.workflow.getHandle(workflowId).fetchHistory();
    const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    return payload ? await fromHistoryPayload(payload) : undefined;
  }

  const isUnknownWorkflow = async (workflowId: string) =>
    stack.client.workflow
      .getHandle(workflowId)
      .describe()
      .then(
        () => false,
        (error: Error) => error.name === 'WorkflowNotFoundError',
      );

  it('when a BigCommerce refund is made after the store’s hooks were removed, then a sweep starts its workflow and it becomes one credit memo; a second sweep writes nothing more', async () => {
    const tenantId = await stack.createTenant('bigcommerce', { transactionDefinition: 'Sales Invoice' });
    await setReturns(stack, tenantId, { restock: true });
    await stack.registerWebhooks(tenantId);
    const orderId = await placeBigCommerceOrder(stack, { products: [{ product_id: 112, quantity: 2 }] });
    const posted = await stack.waitForOrder(tenantId, orderId, (current) => current.step === 'awaiting_fulfilment', 90_000);

    // The hooks are gone (an app uninstalled and reinstalled, a deactivated hook): the refund fires no webhook.
    const hooks = (await stack.bigCommerce('GET', '/v3/hooks')).body as { data: Array<{ id: number }> };
    for (const hook of hooks.data) expect((await stack.bigCommerce('DELETE', `/v3/hooks/${hook.id}`)).status).toBe(200);
    const lines = await orderLines(stack, orderId);
    const refund = await refundInBigCommerce(stack, orderId, [{ item_type: 'PRODUCT', item_id: lines.products.get(112)!.id, quantity: 1 }]);
    const workflowId = returnToCreditMemoWorkflowId(tenantId, refund.refundId);
    const deliveries: unknown = await (await fetch(`${stack.sandboxes.bigcommerce.url}/_control/webhooks`)).json();
    expect(JSON.stringify(deliveries)).not.toContain('refund/created');
    expect(await isUnknownWorkflow(workflowId)).toBe(true);

    const first = await sweep(tenantId);

    expect(first).toMatchObject({ refundsListed: 1, refundsStarted: 1, refundsAlreadyRunning: 0 });
    expect(await inputOf(workflowId)).toEqual({
      tenantId,
      storefront: 'bigcommerce',
      orderId,
      refundId: refund.refundId,
      trigger: 'sweep',
    });
    const result = await refundResult(stack, tenantId, refund.refundId);
    expect(result.outcome).toBe('credited');
    const intacct = await intacctStateOfRefund(stack, refund.refundId);
    expect(intacct.creditMemos.map((memo) => cents(memo.TOTAL))).toEqual([storeCents(refund.total_amount)]);
    expect(intacct.creditMemos[0]!.MESSAGE).toContain(`credits ${posted.intacct.salesDocumentId}`);
    expect(intacct.refundPostings.map((posting) => cents(posting.TOTALENTERED))).toEqual([storeCents(refund.total_amount)]);

    // The next sweep's lookback covers the refund again: its finished workflow runs again and finds it done.
    const second = await sweep(tenantId);
    expect(second).toMatchObject({ refundsListed: 1, refundsStarted: 1, refundsAlreadyRunning: 0 });
    const again = await stack.client.workflow.getHandle(workflowId).result();
    expect(again).toMatchObject({
      outcome: 'credited',
      status: { intacct: { creditMemoId: result.status.intacct.creditMemoId, refundPostingKey: result.status.intacct.refundPostingKey } },
    });
    const after = await intacctStateOfRefund(stack, refund.refundId);
    expect({ memos: after.creditMemos.length, postings: after.refundPostings.length }).toEqual({ memos: 1, postings: 1 });
  });

  it('when a Clarity return is refunded after the webhook subscriptions were removed, then a sweep starts its workflow and it becomes one credit memo', async () => {
    const tenantId = await stack.createTenant('clarity', { transactionDefinition: 'Sales Invoice' });
    await setReturns(stack, tenantId, { restock: true });
    await stack.registerWebhooks(tenantId);
    const created = await stack.clarity('POST', '/orders', {
      customerId: 'CU-2002',
      lineItems: [{ sku: 'TSHIRT-WHT-M', quantity: 2 }],
      status: 'processing',
    });
    const orderId = (created.body as { orderId: string }).orderId;
    await stack.waitForOrder(tenantId, orderId, (current) => current.step === 'awaiting_fulfilment', 90_000);

    const storefront = await (await stack.connections.forTenant(tenantId)).storefront();
    if (storefront.kind !== 'clarity') throw new Error('expected the Clarity client');
    for (const subscription of await storefront.client.listWebhooks()) await storefront.client.deleteWebhook(subscription.id);
    const returned = (
      await stack.clarity('POST', '/returns', {
        orderId,
        status: 'refunded',
        lineItems: [{ sku: 'TSHIRT-WHT-M', quantity: 1, restock: true }],
      })
    ).body as { returnId: string; refund: { amount: string } };
    const workflowId = returnToCreditMemoWorkflowId(tenantId, returned.returnId);
    expect(await isUnknownWorkflow(workflowId)).toBe(true);

    const swept = await sweep(tenantId);

    expect(swept).toMatchObject({ refundsStarted: 1, refundsAlreadyRunning: 0 });
    expect(await inputOf(workflowId)).toEqual({ tenantId, storefront: 'clarity', orderId, refundId: returned.returnId, trigger: 'sweep' });
    expect((await refundResult(stack, tenantId, returned.returnId)).outcome).toBe('credited');
    const intacct = await intacctStateOfRefund(stack, returned.returnId);
    expect(intacct.creditMemos.map((memo) => cents(memo.TOTAL))).toEqual([cents(returned.refund.amount)]);
    expect(intacct.refundPostings).toHaveLength(1);
  });
});
