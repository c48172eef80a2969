import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderToCashWorkflowId, type OrderToCashStatus } from '../../../workflows/order-to-cash-contract.js';
import { eventually } from '../../support/eventually.js';
import { cents, useEndToEndTenant, type OrderToCashStack } from '../../support/order-to-cash-stack.js';
import '../../support/quiet-runtime.js';

/**
 * Payments captured after posting on Clarity, end to end from the site's own webhooks. Clarity's
 * contract has no transaction event: a capture reaches the product only as `order.updated`
 * (the order's `paymentInfo.status` and modification time changed), which the watch follows
 * with a refetch, then reads `GET /orders/{id}/transactions`. The site delivers every webhook
 * three times; the outcome is read from Intacct's records, the ledger and the site.
 */
describe('OrderToCash records payments captured after posting (Clarity → Intacct)', () => {
  let stack: OrderToCashStack;
  let tenantId: string;
  useEndToEndTenant(
    // Invoices post to AR, so each payment is applied to the order's invoice.
    { storefront: 'clarity', orderSync: { transactionDefinition: 'Sales Invoice' } },
    (started) => ({ stack, tenantId } = started),
  );

  beforeAll(async () => {
    expect((await stack.clarity('PUT', '/webhook-behaviour', { copies: 3 })).status).toBe(200);
  });
  afterAll(async () => {
    await stack.clarity('PUT', '/webhook-behaviour', { copies: 1 });
  });

  const paymentsOf = async (orderId: string) =>
    (await stack.intacctRecords('ARPYMT')).filter(
      (payment) => payment.DOCNUMBER === orderId || payment.DOCNUMBER?.startsWith(`${orderId}-`),
    );
  const invoiceOf = async (orderId: string) => {
    const [document] = (await stack.intacctRecords('SODOCUMENT')).filter((record) => record.PONUMBER === orderId);
    return (await stack.intacctRecords('ARINVOICE')).find((record) => record.RECORDNO === document!.PRRECORDKEY)!;
  };
  const capturesOf = async (orderId: string) => {
    const storefront = await (await stack.connections.forTenant(tenantId)).storefront();
    if (storefront.kind !== 'clarity') throw new Error('expected the Clarity client');
    return (await storefront.client.listOrderTransactions(orderId)).filter((transaction) => transaction.type === 'capture');
  };

  async function placeAuthorisedOrder(): Promise<{ orderId: string; total: number; status: OrderToCashStatus }> {
    const created = await stack.clarity('POST', '/orders', {
      customerId: 'CU-2001',
      lineItems: [
        { sku: 'TSHIRT-BLK-M', quantity: 2 },
        { sku: 'MUG-WHT-11OZ', quantity: 1 },
      ],
      status: 'processing',
      transactionType: 'authorize_only',
    });
    expect(created.status).toBe(201);
    const { orderId, totalAmount, paymentInfo } = created.body as { orderId: string; totalAmount: string; paymentInfo: { status: string } };
    expect(paymentInfo.status).toBe('authorized');
    const status = await stack.waitForOrder(tenantId, orderId, (current) => current.step === 'awaiting_fulfilment');
    return { orderId, total: cents(totalAmount), status };
  }

  /** Every copy of every webhook delivered, and the workflow caught up with them (no signal unhandled, no activity open). */
  async function waitUntilQuiet(orderId: string): Promise<void> {
    const handle = stack.client.workflow.getHandle(orderToCashWorkflowId(tenantId, orderId));
    await eventually(
      async () => {
        const { data } = (await stack.clarity('GET', '/webhook-deliveries')).body as { data: Array<{ state: string; body: string }> };
        if (!data.filter((delivery) => delivery.body.includes(orderId)).every((delivery) => delivery.state === 'delivered')) return false;
        const events = (await handle.fetchHistory()).events ?? [];
        const lastSignal = events.findLastIndex((event) => event.workflowExecutionSignaledEventAttributes);
        const lastCompleted = events.findLastIndex((event) => event.workflowTaskCompletedEventAttributes);
        const lastScheduled = events.findLastIndex((event) => event.workflowTaskScheduledEventAttributes);
        const open = new Set<string>();
        for (const event of events) {
          if (event.activityTaskScheduledEventAttributes) open.add(String(event.eventId));
          const closed =
            event.activityTaskCompletedEventAttributes ??
            event.activityTaskFailedEventAttributes ??
            event.activityTaskTimedOutEventAttributes;
          if (closed) open.delete(String(closed.scheduledEventId));
        }
        return open.size === 0 && lastCompleted > lastSignal && lastCompleted > lastScheduled;
      },
      { what: `the webhooks of order ${orderId} to be delivered and acted on`, timeoutMs: 60_000, intervalMs: 250 },
    );
  }

  it('when an order posted while authorised is captured, then one payment for the captured amount is applied to its invoice, once, though order.updated came three times', async () => {
    const { orderId, total, status: posted } = await placeAuthorisedOrder();
    expect(posted.intacct.paymentKey).toBeUndefined();
    await waitUntilQuiet(orderId);
    expect(await paymentsOf(orderId)).toEqual([]);

    expect((await stack.clarity('POST', `/orders/${orderId}/capture`, {})).status).toBe(201);
    await stack.waitForOrder(tenantId, orderId, (current) => (current.intacct.capturePaymentKeys?.length ?? 0) >= 1);
    await waitUntilQuiet(orderId);

    const [capture, ...more] = await capturesOf(orderId);
    expect(more).toEqual([]);
    const payments = await paymentsOf(orderId);
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ DOCNUMBER: `${orderId}-${capture!.transactionId}`, STATE: 'Posted' });
    expect(cents(payments[0]!.TOTALENTERED)).toBe(total);
    const status = await stack.waitForOrder(tenantId, orderId, () => true);
    expect(status.intacct.capturePaymentKeys).toEqual([payments[0]!.RECORDNO]);
    expect(status.step).toBe('awaiting_fulfilment');
    expect(await invoiceOf(orderId)).toMatchObject({ STATE: 'Paid' });
    expect(cents((await invoiceOf(orderId)).TOTALPAID)).toBe(total);
    expect(await stack.ledger(tenantId, 'payment', `${orderId}:capture:${capture!.transactionId}`)).toMatchObject({
      state: 'synced',
      intacctKey: payments[0]!.RECORDNO,
      amount: total,
      orderExternalId: orderId,
    });
  });

  it('when an order is captured in two parts, then two payments sum to the captures and the invoice is paid', async () => {
    const { orderId, total } = await placeAuthorisedOrder();
    const first = Math.round(total * 0.4);
    expect((await stack.clarity('POST', `/orders/${orderId}/capture`, { amount: (first / 100).toFixed(2) })).status).toBe(201);
    await stack.waitForOrder(tenantId, orderId, (current) => (current.intacct.capturePaymentKeys?.length ?? 0) >= 1);
    expect((await stack.clarity('POST', `/orders/${orderId}/capture`, {})).status).toBe(201);
    await stack.waitForOrder(tenantId, orderId, (current) => (current.intacct.capturePaymentKeys?.length ?? 0) >= 2);
    await waitUntilQuiet(orderId);

    const captures = await capturesOf(orderId);
    expect(captures.map((capture) => cents(capture.amount))).toEqual([first, total - first]);
    const payments = await paymentsOf(orderId);
    expect(payments.map((payment) => [payment.DOCNUMBER, cents(payment.TOTALENTERED)]).sort()).toEqual(
      captures.map((capture) => [`${orderId}-${capture.transactionId}`, cents(capture.amount)]).sort(),
    );
    expect(cents((await invoiceOf(orderId)).TOTALPAID)).toBe(total);
  });

  it('when the authorisation is voided, then no payment is recorded and the invoice stays due', async () => {
    const { orderId, total } = await placeAuthorisedOrder();
    expect((await stack.clarity('POST', `/orders/${orderId}/void`, {})).status).toBe(201);
    const status = await stack.waitForOrder(tenantId, orderId, (current) => current.note?.includes('voided') === true);
    await waitUntilQuiet(orderId);

    expect(status.intacct.capturePaymentKeys ?? []).toEqual([]);
    expect(await paymentsOf(orderId)).toEqual([]);
    expect(cents((await invoiceOf(orderId)).TOTALDUE)).toBe(total);
  });
});
