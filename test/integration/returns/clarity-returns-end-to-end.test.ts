import { beforeEach, describe, expect, it } from 'vitest';
import { deliverSignedClarityWebhook, useEndToEndTenant, type OrderToCashStack } from '../../support/order-to-cash-stack.js';
import { cents, intacctStateOfRefund, onHand, refundResult, refundRuns, setReturns } from './refund-e2e-support.js';
import '../../support/quiet-runtime.js';

interface WireReturn {
  returnId: string;
  orderId: string;
  status: string;
  refund: { amount: string; taxAmount: string } | null;
}

/**
 * Clarity returns from the sandbox's own signed `return.created` webhook to the Intacct
 * sandbox's state: the order is posted as an invoice by its own webhook, then the shopper's
 * return is refunded in the store. One credit memo per return, equal to the store's refund to
 * the cent; stock follows the tenant's `returns.restock` and what each return line says.
 */
describe('ReturnToCreditMemo end to end: Clarity return webhooks → Intacct credit memos', () => {
  let stack: OrderToCashStack;
  let tenantId: string;

  useEndToEndTenant(
    { storefront: 'clarity', orderSync: { transactionDefinition: 'Sales Invoice' }, returns: { restock: true } },
    (started) => ({ stack, tenantId } = started),
  );
  beforeEach(async () => {
    await stack.clarity('PUT', '/webhook-behaviour', { duplicate: false });
  });

  async function postedOrder(lineItems: Array<{ sku: string; quantity: number }>) {
    const created = await stack.clarity('POST', '/orders', { customerId: 'CU-2001', lineItems, status: 'processing' });
    expect(created.status).toBe(201);
    const orderId = (created.body as { orderId: string }).orderId;
    const status = await stack.waitForOrder(tenantId, orderId, (current) => current.step === 'awaiting_fulfilment', 90_000);
    return { orderId, invoiceId: status.intacct.salesDocumentId! };
  }

  async function refundedReturn(
    orderId: string,
    lineItems: Array<{ sku: string; quantity: number; restock: boolean }>,
  ): Promise<WireReturn> {
    const returned = await stack.clarity('POST', '/returns', {
      orderId,
      status: 'refunded',
      lineItems: lineItems.map((line) => ({ ...line, reason: 'changed mind' })),
    });
    expect(returned.status).toBe(201);
    return returned.body as WireReturn;
  }

  const available = async (sku: string) => {
    const storefront = await (await stack.connections.forTenant(tenantId)).storefront();
    if (storefront.kind !== 'clarity') throw new Error('expected the Clarity client');
    return (await storefront.client.getProduct(sku)).available;
  };

  async function expectCreditedOnce(returned: WireReturn, invoiceId: string) {
    const result = await refundResult(stack, tenantId, returned.returnId);
    expect(result.outcome).toBe('credited');
    const intacct = await intacctStateOfRefund(stack, returned.returnId);
    expect(intacct.creditMemos).toHaveLength(1);
    const memo = intacct.creditMemos[0]!;
    expect(cents(memo.TOTAL)).toBe(cents(returned.refund!.amount));
    expect(memo.MESSAGE).toContain(`credits ${invoiceId}`);
    expect(intacct.creditMemoReceivables.map((adjustment) => cents(adjustment.TOTALENTERED))).toEqual([-cents(returned.refund!.amount)]);
    expect(intacct.refundPostings.map((posting) => cents(posting.TOTALENTERED))).toEqual([cents(returned.refund!.amount)]);
    expect(await stack.ledger(tenantId, 'refund', returned.returnId)).toMatchObject({
      state: 'synced',
      intacctDocumentId: memo.DOCID,
      intacctKey: intacct.refundPostings[0]!.RECORDNO,
    });
    expect(await refundRuns(stack, tenantId, returned.returnId)).toBe(1);
    return { result, memo, intacct };
  }

  it('when a refunded return brings a tee back and keeps a cap, and Clarity delivers its webhook twice, then one credit memo equals the refund and only the tee is back in stock, in Intacct and in the store', async () => {
    const order = await postedOrder([
      { sku: 'TSHIRT-BLK-M', quantity: 2 },
      { sku: 'CAP-NVY-OS', quantity: 1 },
    ]);
    await stack.clarity('PUT', '/webhook-behaviour', { duplicate: true });
    const before = {
      tee: await onHand(stack, 'TSHIRT-BLK-M'),
      cap: await onHand(stack, 'CAP-NVY-OS'),
      storeTee: await available('TSHIRT-BLK-M'),
      storeCap: await available('CAP-NVY-OS'),
    };

    const returned = await refundedReturn(order.orderId, [
      { sku: 'TSHIRT-BLK-M', quantity: 1, restock: true },
      { sku: 'CAP-NVY-OS', quantity: 1, restock: false },
    ]);
    const { result, intacct } = await expectCreditedOnce(returned, order.invoiceId);

    const deliveries = (
      (await stack.clarity('GET', '/webhook-deliveries')).body as {
        data: Array<{ eventType?: string; type?: string; payload?: unknown; attempts: unknown[] }>;
      }
    ).data;
    const ofReturn = deliveries.filter((delivery) => JSON.stringify(delivery).includes(returned.returnId));
    expect(ofReturn.reduce((sum, delivery) => sum + delivery.attempts.length, 0)).toBeGreaterThanOrEqual(2);
    expect(await onHand(stack, 'TSHIRT-BLK-M')).toBe(before.tee + 1);
    expect(await onHand(stack, 'CAP-NVY-OS')).toBe(before.cap);
    expect(intacct.stockOffsets).toHaveLength(1);
    const offsetLines = (await stack.intacctRecords('INVDOCUMENTENTRY')).filter(
      (entry) => entry.DOCHDRID === result.status.intacct.stockOffsetId,
    );
    expect(offsetLines.map((line) => ({ item: line.ITEMID, quantity: Number(line.QUANTITY) }))).toEqual([
      { item: 'CAP-NVY-OS', quantity: 1 },
    ]);
    expect({ tee: await available('TSHIRT-BLK-M'), cap: await available('CAP-NVY-OS') }).toEqual({
      tee: before.storeTee + 1,
      cap: before.storeCap,
    });
  });

  it('when the tenant does not restock, then even the lines the return says came back are taken out again and Intacct’s stock is unchanged', async () => {
    await setReturns(stack, tenantId, { restock: false });
    try {
      const order = await postedOrder([{ sku: 'TSHIRT-BLK-M', quantity: 2 }]);
      const before = await onHand(stack, 'TSHIRT-BLK-M');

      const returned = await refundedReturn(order.orderId, [{ sku: 'TSHIRT-BLK-M', quantity: 2, restock: true }]);
      const { intacct } = await expectCreditedOnce(returned, order.invoiceId);

      expect(await onHand(stack, 'TSHIRT-BLK-M')).toBe(before);
      expect(intacct.stockOffsets).toHaveLength(1);
      expect(intacct.stockOffsets[0]).toMatchObject({ DOCPARID: 'Adjustment Decrease' });
    } finally {
      await setReturns(stack, tenantId, { restock: true });
    }
  });

  it('when Intacct commits the credit memo and the refund posting but both answers are lost, and the event is delivered again under new ids, then one credit memo and one posting equal the refund', async () => {
    const order = await postedOrder([
      { sku: 'HOODIE-GRY-L', quantity: 1 },
      { sku: 'MUG-WHT-11OZ', quantity: 2 },
    ]);
    await stack.intacctControl('PUT', '/faults', {
      rules: [
        { kind: 'commitThenDrop', function: 'create_sotransaction', times: 1 },
        { kind: 'commitThenDrop', function: 'create_aradjustment', times: 1 },
      ],
    });
    const returned = await refundedReturn(order.orderId, [
      { sku: 'HOODIE-GRY-L', quantity: 1, restock: true },
      { sku: 'MUG-WHT-11OZ', quantity: 1, restock: true },
    ]);

    // The same event sent again as new messages (new webhook ids), signed with the tenant's secret as Clarity signs.
    const answers = [];
    for (let copy = 0; copy < 3; copy++)
      answers.push(
        await deliverSignedClarityWebhook(stack, tenantId, 'return.created', { returnId: returned.returnId, orderId: order.orderId }),
      );
    expect(answers).toEqual([200, 200, 200]);

    await expectCreditedOnce(returned, order.invoiceId);
    const { requests } = (await stack.intacctControl('GET', '/requests')) as {
      requests: Array<{ fault?: string; functions: Array<{ name: string }> }>;
    };
    expect(
      requests.filter((request) => request.fault === 'commitThenDrop').map((request) => request.functions.map((call) => call.name)),
    ).toEqual([['create_sotransaction'], ['create_aradjustment']]);
  });
});
