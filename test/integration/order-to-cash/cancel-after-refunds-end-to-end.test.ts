import { describe, expect, it } from 'vitest';
import { orderToCashWorkflowId } from '../../../workflows/order-to-cash-contract.js';
import { orderLines, placeBigCommerceOrder, refundInBigCommerce, refundResult, storeCents } from '../returns/refund-e2e-support.js';
import { cents, useEndToEndTenant, type OrderToCashStack } from '../../support/order-to-cash-stack.js';
import { eventually } from '../../support/eventually.js';
import '../../support/quiet-runtime.js';

const mug = { productId: 112, itemId: 'MUG-CER-12OZ' };

/**
 * A store that refunds part of an order and then cancels it, end to end: the order posted and
 * paid by OrderToCash from its webhook, the refund made in the BigCommerce sandbox and taken to
 * Intacct by ReturnToCreditMemo from its webhook, then the store's cancellation (status 5)
 * signalled to OrderToCash. The refund already gave money back, so the cancellation reverses
 * nothing and removes nothing: the order is parked `cancelled_after_refunds` for a person.
 * Outcomes are read from Intacct's records, the attention queue, the ledger and Temporal.
 */
describe('OrderToCash cancellation after refunds, end to end: BigCommerce → Intacct', () => {
  let stack: OrderToCashStack;
  let tenantId: string;

  useEndToEndTenant(
    { storefront: 'bigcommerce', orderSync: { transactionDefinition: 'Sales Invoice' }, returns: { restock: true } },
    (started) => ({ stack, tenantId } = started),
  );

  const handleOf = (orderId: string) => stack.client.workflow.getHandle(orderToCashWorkflowId(tenantId, orderId));
  const paymentOf = async (paymentKey: string) => (await stack.intacctRecords('ARPYMT')).find((payment) => payment.RECORDNO === paymentKey);
  const documentOf = async (documentId: string) =>
    (await stack.intacctRecords('SODOCUMENT')).find((document) => document.DOCID === documentId);
  const cancelInStore = async (orderId: string) =>
    expect((await stack.bigCommerce('PUT', `/v2/orders/${orderId}`, { status_id: 5 })).status).toBe(200);
  const openAttention = async (orderId: string) => {
    const listed = await stack.admin('GET', `/tenants/${tenantId}/attention?entity=order&state=open`);
    expect(listed.status).toBe(200);
    return (
      listed.body.items as Array<{ externalId: string; code: string; reason: string; fix: string; details?: Record<string, unknown> }>
    ).find((item) => item.externalId === orderId);
  };

  /** Everything a cancellation refused after refunds must leave: the payment live, the document in place, the order parked where people look. */
  async function expectParkedAfterRefunds(
    orderId: string,
    posted: { paymentKey: string; documentId: string },
    refund: { refundId: string; total_amount: number },
  ) {
    const parked = await stack.waitForOrder(
      tenantId,
      orderId,
      (current) => current.step === 'parked' && current.attention?.code === 'cancelled_after_refunds',
      90_000,
    );
    // The workflow reports `parked` before its park activity has written the queue and the ledger.
    await eventually(async () => (await stack.ledger(tenantId, 'order', orderId))?.state === 'parked', {
      what: `order ${orderId} parked in the ledger`,
    });
    expect(parked.attention?.reason).toContain(`refund ${refund.refundId} (`);
    expect(parked.intacct).toMatchObject({ salesDocumentId: posted.documentId, paymentKey: posted.paymentKey });

    const payment = await paymentOf(posted.paymentKey);
    expect(payment).toBeDefined();
    expect(payment!.STATE).not.toMatch(/Reversed|Voided/);
    expect(await documentOf(posted.documentId)).toBeDefined();

    const item = await openAttention(orderId);
    expect(item).toMatchObject({
      code: 'cancellation_cancelled_after_refunds',
      details: {
        failureType: 'CancelledAfterRefunds',
        refunds: [
          expect.objectContaining({
            refundId: refund.refundId,
            amount: (storeCents(refund.total_amount) / 100).toFixed(2),
            currency: 'USD',
          }),
        ],
      },
    });
    expect(item!.reason).toContain(`${(storeCents(refund.total_amount) / 100).toFixed(2)} USD`);
    expect(item!.reason).toContain(`reversing payment ${posted.paymentKey} in full would give that money back a second time`);
    expect(item!.fix).toContain('reverse by hand only what the refunds left');

    expect(await stack.ledger(tenantId, 'order', orderId)).toMatchObject({ state: 'parked', intacctDocumentId: posted.documentId });
    expect(await stack.ledger(tenantId, 'payment', orderId)).toMatchObject({ state: 'synced', intacctKey: posted.paymentKey });
    const description = await handleOf(orderId).describe();
    expect(description.status.name).toBe('RUNNING');
    expect(description.searchAttributes).toMatchObject({ SyncState: ['parked'] });
  }

  it('when a posted, paid invoice is partly refunded (a credit memo) and then cancelled in the store, then the payment is not reversed, the invoice and credit memo stay, and the order is parked naming the refund', async () => {
    const orderId = await placeBigCommerceOrder(stack, {
      products: [{ product_id: mug.productId, quantity: 2 }],
      shipping_cost_ex_tax: '8.00',
    });
    const posted = await stack.waitForOrder(tenantId, orderId, (current) => current.step === 'awaiting_fulfilment', 90_000);
    const documentId = posted.intacct.salesDocumentId!;
    const paymentKey = posted.intacct.paymentKey!;
    const lines = await orderLines(stack, orderId);
    const refund = await refundInBigCommerce(stack, orderId, [
      { item_type: 'PRODUCT', item_id: lines.products.get(mug.productId)!.id, quantity: 1 },
    ]);
    const credited = await refundResult(stack, tenantId, refund.refundId);
    expect(credited.outcome).toBe('credited');
    const creditMemoId = credited.status.intacct.creditMemoId!;
    expect(cents((await documentOf(creditMemoId))!.TOTAL)).toBe(storeCents(refund.total_amount));

    await cancelInStore(orderId);

    await expectParkedAfterRefunds(orderId, { paymentKey, documentId }, refund);
    expect(await documentOf(creditMemoId)).toBeDefined();
    expect(await stack.ledger(tenantId, 'refund', refund.refundId)).toMatchObject({ state: 'synced', intacctDocumentId: creditMemoId });
  });

  it('when a paid sales order is partly refunded before invoicing (the order reduced) and then cancelled in the store, then the payment is not reversed, the sales order is not deleted, and the order is parked', async () => {
    await stack.updateOrderSync(tenantId, { transactionDefinition: 'Sales Order' });
    try {
      const orderId = await placeBigCommerceOrder(stack, { products: [{ product_id: mug.productId, quantity: 2 }] });
      const posted = await stack.waitForOrder(tenantId, orderId, (current) => current.step === 'awaiting_fulfilment', 90_000);
      const documentId = posted.intacct.salesDocumentId!;
      expect(documentId).toMatch(/^Sales Order-/);
      const lines = await orderLines(stack, orderId);
      const refund = await refundInBigCommerce(stack, orderId, [
        { item_type: 'PRODUCT', item_id: lines.products.get(mug.productId)!.id, quantity: 1 },
      ]);
      expect(await refundResult(stack, tenantId, refund.refundId)).toMatchObject({ outcome: 'reduced' });

      await cancelInStore(orderId);

      await expectParkedAfterRefunds(orderId, { paymentKey: posted.intacct.paymentKey!, documentId }, refund);
      expect(await stack.ledger(tenantId, 'refund', refund.refundId)).toMatchObject({ state: 'synced', reducedDocumentId: documentId });
    } finally {
      await stack.updateOrderSync(tenantId, { transactionDefinition: 'Sales Invoice' });
    }
  });

  it('when a posted, paid invoice with no refunds is cancelled in the store, then the payment is reversed and the invoice deleted as before', async () => {
    const orderId = await placeBigCommerceOrder(stack, { products: [{ product_id: mug.productId, quantity: 1 }] });
    const posted = await stack.waitForOrder(tenantId, orderId, (current) => current.step === 'awaiting_fulfilment', 90_000);

    await cancelInStore(orderId);

    expect(await handleOf(orderId).result()).toMatchObject({ outcome: 'cancelled' });
    expect(await paymentOf(posted.intacct.paymentKey!)).toMatchObject({ STATE: 'Reversed' });
    expect(await documentOf(posted.intacct.salesDocumentId!)).toBeUndefined();
    expect(await stack.ledger(tenantId, 'order', orderId)).toMatchObject({ state: 'cancelled' });
    expect(await stack.ledger(tenantId, 'payment', orderId)).toMatchObject({ state: 'cancelled' });
    expect(await openAttention(orderId)).toBeUndefined();
  });
});
