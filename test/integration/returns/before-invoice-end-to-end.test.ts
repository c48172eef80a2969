import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadCredentials } from '../../../store/credentials.js';
import { findLedgerEntry } from '../../../store/ledger.js';
import { readSettings, writeSettings } from '../../../store/settings.js';
import { orderToCashWorkflowId } from '../../../workflows/order-to-cash-contract.js';
import { returnToCreditMemoWorkflowId } from '../../../workflows/return-to-credit-memo-contract.js';
import { cents, useEndToEndTenant, type OrderToCashStack } from '../../support/order-to-cash-stack.js';
import { guestBuyer, refundResult } from './refund-e2e-support.js';
import '../../support/quiet-runtime.js';

/**
 * Refunds before invoicing, from the BigCommerce sandbox's own refund webhook to the Intacct
 * sandbox's state: the order is posted by OrderToCash as a Sales Order awaiting fulfilment, the
 * merchant refunds in the store (quote, then refund), the webhook arrives (and again, as
 * redeliveries would), and the sales order comes down by the refund to the cent, with the money
 * paid out once in AR. A later shipment converts what is left, so the invoice equals the reduced order.
 */
describe('ReturnToCreditMemo end to end: BigCommerce refunds before invoicing → the Intacct sales order comes down', () => {
  let stack: OrderToCashStack;
  /** One tenant: every tenant registered on the store would get its webhooks and post its orders to the same Intacct company. */
  let tenantId: string;

  useEndToEndTenant(
    { storefront: 'bigcommerce', orderSync: { transactionDefinition: 'Sales Order' }, prepare: () => configure(false) },
    (started) => ({ stack, tenantId } = started),
  );

  /** Returns on, and conversion to invoice on shipment on or off (orders read it when they start). */
  async function configure(convertToInvoice: boolean): Promise<void> {
    await stack.updateOrderSync(tenantId, {
      transactionDefinition: 'Sales Order',
      fulfilment: { convertToInvoice, invoiceTransactionDefinition: 'Sales Invoice', pollIntacctMinutes: 60, watchDays: 30 },
    });
    const current = (await readSettings(stack.database.db, tenantId))!;
    await writeSettings(
      stack.database.db,
      tenantId,
      { ...current.settings, returns: { ...current.settings.returns, enabled: true } },
      { expectedVersion: current.version, changedBy: 'test' },
    );
  }

  async function postedOrder(order: Record<string, unknown>): Promise<{ orderId: string; salesDocumentId: string; total: number }> {
    const created = await stack.bigCommerce('POST', '/v2/orders', { customer_id: 0, status_id: 11, billing_address: guestBuyer, ...order });
    const orderId = String((created.body as { id: number }).id);
    const status = await stack.waitForOrder(tenantId, orderId, (current) => current.step === 'awaiting_fulfilment');
    return {
      orderId,
      salesDocumentId: status.intacct.salesDocumentId!,
      total: cents(String((created.body as { total_inc_tax: string }).total_inc_tax)),
    };
  }

  /** Quotes and refunds order products (by position in the order) in the store, as the merchant does; the sandbox then sends the webhook. */
  async function refundInStore(
    orderId: string,
    units: Array<[index: number, quantity: number]>,
    extra: Array<Record<string, unknown>> = [],
  ): Promise<{ refundId: string; total: number }> {
    const products = (await stack.bigCommerce('GET', `/v2/orders/${orderId}/products`)).body as Array<{ id: number }>;
    const items = [...units.map(([index, quantity]) => ({ item_type: 'PRODUCT', item_id: products[index]!.id, quantity })), ...extra];
    const quote = (await stack.bigCommerce('POST', `/v3/orders/${orderId}/payment_actions/refund_quotes`, { items })).body as {
      data: { total_refund_amount: number };
    };
    const refunded = await stack.bigCommerce('POST', `/v3/orders/${orderId}/payment_actions/refunds`, {
      items,
      payments: [{ provider_id: 'custom', amount: quote.data.total_refund_amount, offline: true }],
    });
    expect(refunded.status).toBe(201);
    const refund = (refunded.body as { data: { id: number; total_amount: number } }).data;
    return { refundId: String(refund.id), total: Math.round(refund.total_amount * 100) };
  }

  /** The same refund webhook delivered again `times` times at once, each with its own delivery id. */
  async function redeliver(orderId: string, refundId: string, times: number): Promise<void> {
    const { secrets } = (await loadCredentials(stack.database.db, stack.cipher, tenantId, 'webhook'))!;
    const answers = await Promise.all(
      Array.from({ length: times }, () =>
        fetch(`${stack.api.url}/webhooks/bigcommerce/${tenantId}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-webhook-secret': secrets[0]!.secret },
          body: JSON.stringify({
            scope: 'store/order/refund/created',
            store_id: '1001',
            data: { type: 'order', id: Number(orderId), refund: { refund_id: Number(refundId) } },
            hash: randomUUID(),
            created_at: Math.floor(Date.now() / 1000),
            producer: 'stores/demostore',
          }),
        }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: times }, () => 200));
  }

  async function runsOf(workflowId: string): Promise<number> {
    let runs = 0;
    for await (const execution of stack.client.workflow.list({ query: `WorkflowId = '${workflowId}'` }))
      if (execution.workflowId === workflowId) runs += 1;
    return runs;
  }

  const documentOf = async (documentId: string) =>
    (await stack.intacctRecords('SODOCUMENT')).find((document) => document.DOCID === documentId) ?? {};
  const linesOf = async (documentId: string) =>
    (await stack.intacctRecords('SODOCUMENTENTRY'))
      .filter((line) => line.DOCHDRID === documentId)
      .sort((a, b) => Number(a.LINE_NO) - Number(b.LINE_NO));
  const postingsOf = async (refundId: string) =>
    (await stack.intacctRecords('ARADJUSTMENT')).filter((adjustment) => adjustment.RECORDID === `RF-${refundId}`);

  it('when one line is refunded before shipment and the webhook arrives four times, then the sales order comes down by the refund to the cent and the money is paid out once; a refund of the rest closes it', async () => {
    const { orderId, salesDocumentId, total } = await postedOrder({
      products: [
        { product_id: 112, quantity: 2 },
        { product_id: 114, quantity: 1 },
      ],
    });
    expect(cents((await documentOf(salesDocumentId)).TOTAL)).toBe(total);

    const first = await refundInStore(orderId, [[0, 1]]);
    await redeliver(orderId, first.refundId, 3);
    const reduced = await refundResult(stack, tenantId, first.refundId);
    expect(reduced).toMatchObject({
      outcome: 'reduced',
      status: { step: 'done', intacct: { orderDocumentId: salesDocumentId, salesOrderChange: 'reduced' } },
    });
    expect(reduced.status.intacct.creditMemoId).toBeUndefined();

    const afterFirst = await documentOf(salesDocumentId);
    expect(afterFirst.STATE).toBe('Pending');
    expect(cents(afterFirst.TOTAL)).toBe(total - first.total);
    expect(afterFirst.MESSAGE).toContain(`Storefront refunds applied before invoicing: ${first.refundId}`);
    const mugs = (await linesOf(salesDocumentId)).filter((line) => line.ITEMID === 'MUG-CER-12OZ');
    expect(mugs.reduce((sum, line) => sum + Number(line.QUANTITY), 0)).toBe(1);
    const [posting] = await postingsOf(first.refundId);
    expect(await postingsOf(first.refundId)).toHaveLength(1);
    expect(cents(posting!.TOTALENTERED)).toBe(first.total);
    expect(reduced.status.intacct.refundPostingKey).toBe(posting!.RECORDNO);
    expect(await findLedgerEntry(stack.database.db, { tenantId, entity: 'refund', externalId: first.refundId })).toMatchObject({
      state: 'synced',
      reducedDocumentId: salesDocumentId,
      reduction: 'reduced',
      amount: first.total,
      orderExternalId: orderId,
    });
    expect(await runsOf(returnToCreditMemoWorkflowId(tenantId, first.refundId))).toBe(1);
    expect((await stack.client.workflow.getHandle(orderToCashWorkflowId(tenantId, orderId)).describe()).status.name).toBe('RUNNING');

    const rest = await refundInStore(orderId, [
      [0, 1],
      [1, 1],
    ]);
    await redeliver(orderId, rest.refundId, 1);
    const closed = await refundResult(stack, tenantId, rest.refundId);
    expect(closed).toMatchObject({
      outcome: 'reduced',
      status: { intacct: { orderDocumentId: salesDocumentId, salesOrderChange: 'closed' } },
    });
    expect(first.total + rest.total).toBe(total);
    const afterAll = await documentOf(salesDocumentId);
    expect(afterAll.STATE).toBe('Closed');
    expect(afterAll.MESSAGE).toContain(`Storefront refunds applied before invoicing: ${first.refundId}, ${rest.refundId}`);
    expect(await postingsOf(rest.refundId)).toHaveLength(1);
    expect(cents((await postingsOf(rest.refundId))[0]!.TOTALENTERED)).toBe(rest.total);
    expect(await postingsOf(first.refundId)).toHaveLength(1);
  }, 240_000);

  it('when a line and the shipping are refunded before shipment and the rest then ships, then the invoice converted from the order equals the reduced order to the cent', async () => {
    await configure(true);
    const { orderId, salesDocumentId, total } = await postedOrder({
      products: [
        { product_id: 112, quantity: 2 },
        { product_id: 114, quantity: 1 },
      ],
      shipping_cost_ex_tax: '8.00',
    });
    const [address] = (await stack.bigCommerce('GET', `/v2/orders/${orderId}/shipping_addresses`)).body as Array<{ id: number }>;

    const refund = await refundInStore(orderId, [[1, 1]], [{ item_type: 'SHIPPING', item_id: address!.id, amount: 8 }]);
    await redeliver(orderId, refund.refundId, 2);
    expect((await refundResult(stack, tenantId, refund.refundId)).outcome).toBe('reduced');
    const reducedTotal = cents((await documentOf(salesDocumentId)).TOTAL);
    expect(reducedTotal).toBe(total - refund.total);
    const zeroLines = (await linesOf(salesDocumentId)).filter((line) => Number(line.QUANTITY) === 0).map((line) => line.ITEMID);
    expect(zeroLines.sort()).toEqual(['CAP-NVY-OS', 'SHIPPING']);

    const products = (await stack.bigCommerce('GET', `/v2/orders/${orderId}/products`)).body as Array<{ id: number; quantity: number }>;
    const shipped = await stack.bigCommerce('POST', `/v2/orders/${orderId}/shipments`, {
      order_address_id: address!.id,
      items: [{ order_product_id: products[0]!.id, quantity: 2 }],
      tracking_number: '1Z999AA10123456784',
      shipping_provider: 'ups',
    });
    expect(shipped.status).toBe(201);
    const result = await stack.client.workflow.getHandle(orderToCashWorkflowId(tenantId, orderId)).result();
    expect(result.outcome).toBe('synced');
    const invoiceId = result.status.intacct.invoiceDocumentId ?? 'no invoice';
    const invoice = await documentOf(invoiceId);
    expect(invoice).toMatchObject({ DOCPARID: 'Sales Invoice', CREATEDFROM: salesDocumentId });
    expect(cents(invoice.TOTAL)).toBe(reducedTotal);
    expect((await linesOf(invoiceId)).map((line) => line.ITEMID).sort()).toEqual(['MUG-CER-12OZ', 'SALES-TAX']);
    expect(await postingsOf(refund.refundId)).toHaveLength(1);
  }, 240_000);
});
