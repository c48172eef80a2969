import { describe, expect, it } from 'vitest';
import { orderToCashWorkflowId } from '../../../workflows/order-to-cash-contract.js';
import { useEndToEndTenant, type OrderToCashStack } from '../../support/order-to-cash-stack.js';
import {
  bigCommerceRefundsOf,
  cents,
  intacctStateOfRefund,
  onHand,
  orderLines,
  placeBigCommerceOrder,
  redeliverRefundWebhook,
  refundInBigCommerce,
  refundResult,
  refundRuns,
  setReturns,
  storeCents,
  waitForRefund,
  type StoreRefund,
} from './refund-e2e-support.js';
import '../../support/quiet-runtime.js';

const mug = { productId: 112, itemId: 'MUG-CER-12OZ' };
const cap = { productId: 114, itemId: 'CAP-NVY-OS' };
const syncing = ['11', '9', '8', '3', '2', '10'];

/**
 * BigCommerce refunds of invoiced orders, from the store's own refund webhook to the Intacct
 * sandbox's state. Each order is posted by OrderToCash from its own webhook first; the merchant
 * then refunds it in the store (a quote, then the refund) and the store's webhook starts the
 * refund's workflow. Outcomes are read from Intacct's records, the store and the ledger: one
 * credit memo per refund equal to the store's refund to the cent, its AR side, one AR posting
 * paying the money out, and stock as the tenant's `returns.restock` says.
 *
 * One tenant, registered for the store's webhooks (a second tenant on the same store would
 * receive every event too); tests that need other settings change and restore them.
 */
describe('ReturnToCreditMemo end to end after invoicing: BigCommerce refund webhooks → Intacct credit memos', () => {
  let stack: OrderToCashStack;
  let tenantId: string;

  useEndToEndTenant(
    { storefront: 'bigcommerce', orderSync: { transactionDefinition: 'Sales Invoice' }, returns: { restock: false } },
    (started) => ({ stack, tenantId } = started),
  );

  /** An order placed in the store, posted as an invoice by its webhook. */
  async function postedOrder(products: Array<{ product_id: number; quantity: number }>, shipping = '8.00') {
    const orderId = await placeBigCommerceOrder(stack, { products, shipping_cost_ex_tax: shipping });
    const status = await stack.waitForOrder(tenantId, orderId, (current) => current.step === 'awaiting_fulfilment', 90_000);
    return { orderId, invoiceId: status.intacct.salesDocumentId!, lines: await orderLines(stack, orderId) };
  }

  /** Everything one credited refund must have left behind, read from Intacct, the ledger and the workflow history. */
  async function expectCreditedOnce(refund: StoreRefund, creditedDocumentId: string) {
    const result = await refundResult(stack, tenantId, refund.refundId);
    expect(result.outcome).toBe('credited');
    const intacct = await intacctStateOfRefund(stack, refund.refundId);
    expect(intacct.creditMemos).toHaveLength(1);
    const [memo] = intacct.creditMemos;
    expect(cents(memo!.TOTAL)).toBe(storeCents(refund.total_amount));
    expect(memo).toMatchObject({ DOCID: result.status.intacct.creditMemoId, CUSTVENDID: 'WEB-GUEST' });
    expect(memo!.MESSAGE).toContain(`credits ${creditedDocumentId}`);
    expect(intacct.creditMemoReceivables.map((adjustment) => cents(adjustment.TOTALENTERED))).toEqual([-storeCents(refund.total_amount)]);
    expect(intacct.refundPostings.map((posting) => cents(posting.TOTALENTERED))).toEqual([storeCents(refund.total_amount)]);
    expect(await stack.ledger(tenantId, 'refund', refund.refundId)).toMatchObject({
      state: 'synced',
      intacctDocumentId: memo!.DOCID,
      intacctKey: intacct.refundPostings[0]!.RECORDNO,
    });
    expect(await refundRuns(stack, tenantId, refund.refundId)).toBe(1);
    return { result, memo: memo!, intacct };
  }

  it('when one unit of a posted invoice is refunded before the order ships, then one credit memo of that unit with its tax equals the refund to the cent, and the store shows the order partly refunded', async () => {
    const order = await postedOrder([{ product_id: mug.productId, quantity: 2 }]);
    const refund = await refundInBigCommerce(stack, order.orderId, [
      { item_type: 'PRODUCT', item_id: order.lines.products.get(mug.productId)!.id, quantity: 1 },
    ]);

    const { result } = await expectCreditedOnce(refund, order.invoiceId);

    expect(refund.total_tax).toBeGreaterThan(0);
    expect(result.status).toMatchObject({
      refundTotal: storeCents(refund.total_amount),
      currency: 'USD',
      intacct: { orderDocumentId: order.invoiceId },
    });
    expect(((await stack.bigCommerce('GET', `/v2/orders/${order.orderId}`)).body as { status_id: number }).status_id).toBe(14);
  });

  it('when the whole order is refunded, goods and shipping, then one credit memo equals the invoice and the store order, and the order is refunded in the store', async () => {
    const order = await postedOrder([
      { product_id: mug.productId, quantity: 2 },
      { product_id: cap.productId, quantity: 1 },
    ]);
    const refund = await refundInBigCommerce(stack, order.orderId, [
      { item_type: 'PRODUCT', item_id: order.lines.products.get(mug.productId)!.id, quantity: 2 },
      { item_type: 'PRODUCT', item_id: order.lines.products.get(cap.productId)!.id, quantity: 1 },
      { item_type: 'SHIPPING', item_id: order.lines.addressId, amount: 8 },
    ]);

    const { memo } = await expectCreditedOnce(refund, order.invoiceId);

    const storeOrder = (await stack.bigCommerce('GET', `/v2/orders/${order.orderId}`)).body as { status_id: number; total_inc_tax: string };
    expect(storeOrder.status_id).toBe(4);
    const invoice = (await stack.intacctRecords('SODOCUMENT')).find((document) => document.DOCID === order.invoiceId)!;
    expect(cents(memo.TOTAL)).toBe(cents(invoice.TOTAL));
    expect(cents(memo.TOTAL)).toBe(cents(storeOrder.total_inc_tax));
  });

  it('when only the shipping is refunded, then the credit memo is one shipping line of that amount, and no stock moves', async () => {
    const order = await postedOrder([{ product_id: cap.productId, quantity: 1 }]);
    const before = await onHand(stack, cap.itemId);
    const refund = await refundInBigCommerce(stack, order.orderId, [{ item_type: 'SHIPPING', item_id: order.lines.addressId, amount: 8 }]);

    const { memo, intacct } = await expectCreditedOnce(refund, order.invoiceId);

    expect(refund.total_amount).toBe(8);
    expect(cents(memo.TOTAL)).toBe(800);
    const entries = (await stack.intacctRecords('SODOCUMENTENTRY')).filter((entry) => entry.DOCHDRID === memo.DOCID);
    expect(entries.map((entry) => ({ item: entry.ITEMID, amount: cents(entry.PRICE) }))).toEqual([{ item: 'SHIPPING', amount: 800 }]);
    expect(intacct.stockOffsets).toHaveLength(0);
    expect(await onHand(stack, cap.itemId)).toBe(before);
  });

  it('when an order is refunded three times, then each refund is its own credit memo and together they equal the store’s refunds and the invoice to the cent', async () => {
    const order = await postedOrder([
      { product_id: mug.productId, quantity: 2 },
      { product_id: cap.productId, quantity: 1 },
    ]);
    const mugLine = order.lines.products.get(mug.productId)!.id;
    const refunds = [
      await refundInBigCommerce(stack, order.orderId, [{ item_type: 'PRODUCT', item_id: mugLine, quantity: 1 }]),
      await refundInBigCommerce(stack, order.orderId, [
        { item_type: 'PRODUCT', item_id: order.lines.products.get(cap.productId)!.id, quantity: 1 },
        { item_type: 'SHIPPING', item_id: order.lines.addressId, amount: 8 },
      ]),
      await refundInBigCommerce(stack, order.orderId, [{ item_type: 'PRODUCT', item_id: mugLine, quantity: 1 }]),
    ];

    const memos = [];
    for (const refund of refunds) memos.push((await expectCreditedOnce(refund, order.invoiceId)).memo);

    expect(new Set(memos.map((memo) => memo.DOCID)).size).toBe(3);
    const store = await bigCommerceRefundsOf(stack, order.orderId);
    expect(store.map((refund) => refund.refundId).sort()).toEqual(refunds.map((refund) => refund.refundId).sort());
    const intacctTotal = memos.reduce((sum, memo) => sum + cents(memo.TOTAL), 0);
    expect(intacctTotal).toBe(store.reduce((sum, refund) => sum + storeCents(refund.total_amount), 0));
    const invoice = (await stack.intacctRecords('SODOCUMENT')).find((document) => document.DOCID === order.invoiceId)!;
    expect(intacctTotal).toBe(cents(invoice.TOTAL));
  });

  it('when the refund webhook arrives before its order has synced, then the refund waits writing nothing, and once the order is invoiced its credit memo credits that invoice', async () => {
    // The store holds the order back: Awaiting Fulfillment (paid) does not sync for now.
    await stack.updateOrderSync(tenantId, { triggerStatuses: ['9'] });
    let orderId: string;
    let refund: StoreRefund;
    try {
      orderId = await placeBigCommerceOrder(stack, { products: [{ product_id: mug.productId, quantity: 2 }] });
      await stack.waitForOrder(tenantId, orderId, (current) => current.step === 'waiting_for_status');
      const lines = await orderLines(stack, orderId);
      refund = await refundInBigCommerce(stack, orderId, [
        { item_type: 'PRODUCT', item_id: lines.products.get(mug.productId)!.id, quantity: 1 },
      ]);

      const waiting = await waitForRefund(stack, tenantId, refund.refundId, (status) => status.step === 'waiting_for_order');
      expect(waiting.note).toContain(`order ${orderId}`);
      expect((await intacctStateOfRefund(stack, refund.refundId)).creditMemos).toHaveLength(0);
      expect((await stack.intacctRecords('SODOCUMENT')).filter((document) => document.PONUMBER === orderId)).toHaveLength(0);
    } finally {
      await stack.updateOrderSync(tenantId, { triggerStatuses: syncing });
    }

    // The merchant moves the order on: its webhook posts the invoice.
    expect((await stack.bigCommerce('PUT', `/v2/orders/${orderId}`, { status_id: 9 })).status).toBe(200);
    const posted = await stack.waitForOrder(tenantId, orderId, (current) => current.step === 'awaiting_fulfilment', 90_000);

    // OrderToCash wakes the waiting refund once the invoice exists (its own recheck is minutes away).
    const { memo } = await expectCreditedOnce(refund, posted.intacct.salesDocumentId!);
    const invoice = (await stack.intacctRecords('SODOCUMENT')).find((document) => document.DOCID === posted.intacct.salesDocumentId)!;
    expect(Number(memo.RECORDNO)).toBeGreaterThan(Number(invoice.RECORDNO));
  });

  it('when a shipped order (posted as a sales order and converted on shipment) is refunded, then the credit memo credits the invoice it was converted to', async () => {
    await stack.updateOrderSync(tenantId, {
      transactionDefinition: 'Sales Order',
      fulfilment: { convertToInvoice: true, invoiceTransactionDefinition: 'Sales Invoice', pollIntacctMinutes: 60, watchDays: 30 },
    });
    try {
      const orderId = await placeBigCommerceOrder(stack, {
        products: [
          { product_id: mug.productId, quantity: 1 },
          { product_id: cap.productId, quantity: 1 },
        ],
        shipping_cost_ex_tax: '8.00',
      });
      await stack.waitForOrder(tenantId, orderId, (current) => current.step === 'awaiting_fulfilment', 90_000);
      const lines = await orderLines(stack, orderId);
      const shipped = await stack.bigCommerce('POST', `/v2/orders/${orderId}/shipments`, {
        order_address_id: lines.addressId,
        items: [...lines.products.values()].map((line) => ({ order_product_id: line.id, quantity: line.quantity })),
        tracking_number: '1Z999AA10123456784',
        shipping_provider: 'ups',
      });
      expect(shipped.status).toBe(201);
      const converted = await stack.client.workflow.getHandle(orderToCashWorkflowId(tenantId, orderId)).result();
      const invoiceId = converted.status.intacct.invoiceDocumentId!;
      expect(invoiceId).toMatch(/^Sales Invoice-/);

      const refund = await refundInBigCommerce(stack, orderId, [
        { item_type: 'PRODUCT', item_id: lines.products.get(cap.productId)!.id, quantity: 1 },
      ]);

      const { result } = await expectCreditedOnce(refund, invoiceId);
      expect(result.status.intacct.orderDocumentId).toBe(invoiceId);
    } finally {
      await stack.updateOrderSync(tenantId, {
        transactionDefinition: 'Sales Invoice',
        fulfilment: { convertToInvoice: false, invoiceTransactionDefinition: 'Sales Invoice', pollIntacctMinutes: 60, watchDays: 30 },
      });
    }
  });

  it('when the tenant restocks returns, then the refunded units are back on hand in Intacct and nothing takes them out again', async () => {
    await setReturns(stack, tenantId, { restock: true });
    try {
      const order = await postedOrder([{ product_id: mug.productId, quantity: 3 }]);
      const before = await onHand(stack, mug.itemId);
      const refund = await refundInBigCommerce(stack, order.orderId, [
        { item_type: 'PRODUCT', item_id: order.lines.products.get(mug.productId)!.id, quantity: 2 },
      ]);

      const { result, intacct } = await expectCreditedOnce(refund, order.invoiceId);

      expect(await onHand(stack, mug.itemId)).toBe(before + 2);
      expect(intacct.stockOffsets).toHaveLength(0);
      expect(result.status.intacct.stockOffsetId).toBeUndefined();
    } finally {
      await setReturns(stack, tenantId, { restock: false });
    }
  });

  it('when the tenant does not restock returns, then the credit memo’s units are taken out again by one stock offset and on hand is unchanged', async () => {
    const order = await postedOrder([{ product_id: mug.productId, quantity: 3 }]);
    const before = await onHand(stack, mug.itemId);
    const refund = await refundInBigCommerce(stack, order.orderId, [
      { item_type: 'PRODUCT', item_id: order.lines.products.get(mug.productId)!.id, quantity: 2 },
    ]);

    const { result, intacct } = await expectCreditedOnce(refund, order.invoiceId);

    expect(intacct.stockOffsets).toHaveLength(1);
    expect(intacct.stockOffsets[0]).toMatchObject({ DOCPARID: 'Adjustment Decrease', DOCID: result.status.intacct.stockOffsetId });
    const offsetLines = (await stack.intacctRecords('INVDOCUMENTENTRY')).filter(
      (entry) => entry.DOCHDRID === result.status.intacct.stockOffsetId,
    );
    expect(offsetLines.map((line) => ({ item: line.ITEMID, warehouse: line.WAREHOUSEID, quantity: Number(line.QUANTITY) }))).toEqual([
      { item: mug.itemId, warehouse: 'WH01', quantity: 2 },
    ]);
    expect(await onHand(stack, mug.itemId)).toBe(before);
  });

  it('when Intacct commits the credit memo and the refund posting but both answers are lost, and the webhook is delivered four more times, then there is one credit memo and one posting, equal to the cent', async () => {
    const order = await postedOrder([
      { product_id: mug.productId, quantity: 2 },
      { product_id: cap.productId, quantity: 1 },
    ]);
    await stack.intacctControl('PUT', '/faults', {
      rules: [
        { kind: 'commitThenDrop', function: 'create_sotransaction', times: 1 },
        { kind: 'commitThenDrop', function: 'create_aradjustment', times: 1 },
      ],
    });
    const refund = await refundInBigCommerce(stack, order.orderId, [
      { item_type: 'PRODUCT', item_id: order.lines.products.get(cap.productId)!.id, quantity: 1 },
      { item_type: 'SHIPPING', item_id: order.lines.addressId, amount: 8 },
    ]);
    expect(await redeliverRefundWebhook(stack, tenantId, refund, 4)).toEqual([200, 200, 200, 200]);

    await expectCreditedOnce(refund, order.invoiceId);

    const { requests } = (await stack.intacctControl('GET', '/requests')) as {
      requests: Array<{ fault?: string; functions: Array<{ name: string }> }>;
    };
    expect(
      requests.filter((request) => request.fault === 'commitThenDrop').map((request) => request.functions.map((call) => call.name)),
    ).toEqual([['create_sotransaction'], ['create_aradjustment']]);
    expect(await redeliverRefundWebhook(stack, tenantId, refund, 1)).toEqual([200]);
    expect((await intacctStateOfRefund(stack, refund.refundId)).creditMemos).toHaveLength(1);
  });
  it("when the refund is paid out, then the credit memo is applied to the refund's AR posting once, even with the answer lost and the webhook delivered three more times, and both close (TOTALDUE 0, Paid)", async () => {
    const order = await postedOrder([{ product_id: mug.productId, quantity: 2 }]);
    await stack.intacctControl('PUT', '/faults', { rules: [{ kind: 'commitThenDrop', function: 'create', times: 1 }] });
    const refund = await refundInBigCommerce(stack, order.orderId, [
      { item_type: 'PRODUCT', item_id: order.lines.products.get(mug.productId)!.id, quantity: 1 },
    ]);
    expect(await redeliverRefundWebhook(stack, tenantId, refund, 3)).toEqual([200, 200, 200]);

    const { result, intacct } = await expectCreditedOnce(refund, order.invoiceId);

    const { requests } = (await stack.intacctControl('GET', '/requests')) as {
      requests: Array<{ fault?: string; functions: Array<{ name: string; controlId: string }> }>;
    };
    // The log spans the file's tests: this refund's application requests only.
    const applying = requests.filter((request) =>
      request.functions.some((call) => call.controlId.endsWith(`:${refund.refundId}`) && call.controlId.startsWith('rf-apply:')),
    );
    expect(applying.map((request) => request.fault)).toEqual(['commitThenDrop']);
    const refunded = storeCents(refund.total_amount);
    for (const item of [...intacct.creditMemoReceivables, ...intacct.refundPostings]) {
      expect(item).toMatchObject({ STATE: 'Paid' });
      expect(cents(item.TOTALDUE)).toBe(0);
    }
    expect(cents(intacct.creditMemoReceivables[0]!.TOTALPAID)).toBe(-refunded);
    expect(cents(intacct.refundPostings[0]!.TOTALPAID)).toBe(refunded);
    const applications = (await stack.intacctRecords('ARPYMT')).filter((payment) => payment.DOCNUMBER === `RA-${refund.refundId}`);
    expect(applications).toHaveLength(1);
    expect(applications[0]).toMatchObject({ CUSTOMERID: 'WEB-GUEST', TOTALENTERED: '0', STATE: 'Posted' });
    expect(result.status.intacct.creditApplicationKey).toBe(applications[0]!.RECORDNO);
    const details = (await stack.intacctRecords('ARPYMTDETAIL')).filter((detail) => detail.PAYMENTKEY === applications[0]!.RECORDNO);
    expect(details).toEqual([
      expect.objectContaining({
        POSADJKEY: intacct.refundPostings[0]!.RECORDNO,
        ADJUSTMENTKEY: intacct.creditMemoReceivables[0]!.RECORDNO,
      }),
    ]);
    expect(cents(details[0]!.TRX_ADJUSTMENTAMOUNT)).toBe(refunded);
    expect(await stack.ledger(tenantId, 'payment', `refund:${refund.refundId}:credit-application`)).toMatchObject({
      state: 'synced',
      intacctKey: applications[0]!.RECORDNO,
      amount: refunded,
    });
    expect(await redeliverRefundWebhook(stack, tenantId, refund, 1)).toEqual([200]);
    expect((await stack.intacctRecords('ARPYMT')).filter((payment) => payment.DOCNUMBER === `RA-${refund.refundId}`)).toHaveLength(1);
  });
});
