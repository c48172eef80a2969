import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertMappingRows } from '../../../store/mappings.js';
import { orderToCashWorkflowId, type OrderToCashStatus } from '../../../workflows/order-to-cash-contract.js';
import { eventually } from '../../support/eventually.js';
import { cents, deliverBigCommerceWebhook, useEndToEndTenant, type OrderToCashStack } from '../../support/order-to-cash-stack.js';
import '../../support/quiet-runtime.js';

/**
 * Payments captured after posting, end to end from the BigCommerce store's own webhooks: the
 * store's gateway authorises at checkout, the order is posted as an invoice with no payment, and
 * the merchant captures (in full, in parts) or voids later. The outcome is read from Intacct's
 * records, the ledger and the store; the store delivers every webhook three times.
 */
describe('OrderToCash records payments captured after posting (BigCommerce → Intacct)', () => {
  let stack: OrderToCashStack;
  let tenantId: string;

  const jane = {
    first_name: 'Jane',
    last_name: 'Doe',
    company: 'Acme Outfitters',
    street_1: '12 Market St',
    city: 'Austin',
    state: 'Texas',
    zip: '78701',
    country: 'United States',
    country_iso2: 'US',
    email: 'jane.doe@example.com',
    phone: '512-555-0100',
  };

  useEndToEndTenant(
    {
      storefront: 'bigcommerce',
      // Invoices post to AR, so each payment is applied to the order's invoice.
      orderSync: { transactionDefinition: 'Sales Invoice' },
      prepare: (started, tenant) =>
        upsertMappingRows(
          started.database.db,
          tenant,
          'customers',
          [{ key: '1', row: { storefrontCustomer: '1', intacctCustomerId: 'C-1001' } }],
          'test',
        ),
    },
    (started) => ({ stack, tenantId } = started),
  );

  const control = async (method: string, path: string, body?: unknown) => {
    const answer = await fetch(`${stack.sandboxes.bigcommerce.url}/_control${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await answer.text();
    return { status: answer.status, body: text ? JSON.parse(text) : undefined };
  };

  beforeAll(async () => {
    expect((await control('PUT', '/payment-gateway', { transactionType: 'authorize_only' })).status).toBe(200);
    expect((await control('PUT', '/webhook-behaviour', { copies: 3 })).status).toBe(200);
  });
  afterAll(async () => {
    await control('PUT', '/payment-gateway', { transactionType: 'authorize_and_capture' });
    await control('PUT', '/webhook-behaviour', { copies: 1 });
  });

  /** Intacct's receipts for the order: the one recorded at posting (reference = order id) and one per capture (`{order}-{transaction}`). */
  const paymentsOf = async (orderId: string) =>
    (await stack.intacctRecords('ARPYMT')).filter(
      (payment) => payment.DOCNUMBER === orderId || payment.DOCNUMBER?.startsWith(`${orderId}-`),
    );
  const invoiceOf = async (orderId: string) => {
    const [document] = (await stack.intacctRecords('SODOCUMENT')).filter((record) => record.PONUMBER === orderId);
    return (await stack.intacctRecords('ARINVOICE')).find((record) => record.RECORDNO === document!.PRRECORDKEY)!;
  };
  const transactionsOf = async (orderId: string) =>
    (
      (await stack.bigCommerce('GET', `/v3/orders/${orderId}/transactions`)).body as {
        data: Array<{ id: number; event: string; amount: number }>;
      }
    ).data;

  async function placeAuthorisedOrder(): Promise<{ orderId: string; total: number; status: OrderToCashStatus }> {
    const created = await stack.bigCommerce('POST', '/v2/orders', {
      customer_id: 1,
      status_id: 11,
      billing_address: jane,
      products: [
        { product_id: 112, quantity: 2 },
        { product_id: 114, quantity: 1 },
      ],
      shipping_cost_ex_tax: '8.00',
    });
    expect(created.status).toBe(201);
    const orderId = String((created.body as { id: number }).id);
    expect((created.body as { payment_status: string }).payment_status).toBe('authorized');
    const status = await stack.waitForOrder(tenantId, orderId, (current) => current.step === 'awaiting_fulfilment');
    return { orderId, total: cents((created.body as { total_inc_tax: string }).total_inc_tax), status };
  }

  /** Every copy of every webhook about the order delivered, and the workflow caught up with them (no signal unhandled, nothing running). */
  async function waitUntilQuiet(orderId: string): Promise<void> {
    const handle = stack.client.workflow.getHandle(orderToCashWorkflowId(tenantId, orderId));
    await eventually(
      async () => {
        const { deliveries } = (await control('GET', '/webhooks')).body as {
          deliveries: Array<{ state: string; data?: { id?: number; order_id?: string } }>;
        };
        const ours = deliveries.filter((delivery) => delivery.data?.id === Number(orderId) || delivery.data?.order_id === orderId);
        if (!ours.every((delivery) => delivery.state === 'delivered')) return false;
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

  it('when an order posted while authorised is captured, then one payment for the captured amount is applied to its invoice, once, though the webhook came three times', async () => {
    const { orderId, total, status: posted } = await placeAuthorisedOrder();
    expect(posted.intacct.paymentKey).toBeUndefined();
    expect(await paymentsOf(orderId)).toEqual([]);

    expect((await stack.bigCommerce('POST', `/v3/orders/${orderId}/payment_actions/capture`)).status).toBe(201);

    const status = await stack.waitForOrder(tenantId, orderId, (current) => (current.intacct.capturePaymentKeys?.length ?? 0) >= 1);
    await waitUntilQuiet(orderId);
    const [capture] = (await transactionsOf(orderId)).filter((transaction) => transaction.event === 'capture');
    const payments = await paymentsOf(orderId);
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ DOCNUMBER: `${orderId}-${capture!.id}`, CUSTOMERID: 'C-1001', STATE: 'Posted' });
    expect(cents(payments[0]!.TOTALENTERED)).toBe(total);
    expect((await stack.waitForOrder(tenantId, orderId, () => true)).intacct.capturePaymentKeys).toEqual([payments[0]!.RECORDNO]);
    expect(status.step).toBe('awaiting_fulfilment');
    const invoice = await invoiceOf(orderId);
    expect(invoice).toMatchObject({ STATE: 'Paid' });
    expect(cents(invoice.TOTALPAID)).toBe(total);
    expect(await stack.ledger(tenantId, 'payment', `${orderId}:capture:${capture!.id}`)).toMatchObject({
      state: 'synced',
      intacctKey: payments[0]!.RECORDNO,
      amount: total,
      orderExternalId: orderId,
    });

    // The same event once more under a new delivery hash (the receiver cannot tell it is a copy): the look finds nothing new.
    const looks = async () =>
      ((await stack.client.workflow.getHandle(orderToCashWorkflowId(tenantId, orderId)).fetchHistory()).events ?? []).filter(
        (event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'findCapturesToRecord',
      ).length;
    const looksBefore = await looks();
    const redelivered = await deliverBigCommerceWebhook(stack, tenantId, 'store/order/transaction/created', {
      type: 'transaction',
      order_id: orderId,
      transaction_id: String(capture!.id),
      transaction_status: 'complete',
      transaction_type: 'capture',
    });
    expect(redelivered).toBe(200);
    await eventually(async () => (await looks()) > looksBefore, { what: 'the redelivery to be looked at', timeoutMs: 30_000 });
    await waitUntilQuiet(orderId);
    expect(await paymentsOf(orderId)).toHaveLength(1);
    expect(cents((await invoiceOf(orderId)).TOTALPAID)).toBe(total);
  });

  it('when an order is captured in two parts, then two payments sum to the captures and the invoice is paid', async () => {
    const { orderId, total } = await placeAuthorisedOrder();
    const first = Math.round(total * 0.4);
    expect((await control('POST', `/orders/${orderId}/capture`, { amount: first / 100 })).status).toBe(201);
    await stack.waitForOrder(tenantId, orderId, (current) => (current.intacct.capturePaymentKeys?.length ?? 0) >= 1);
    expect(cents((await invoiceOf(orderId)).TOTALPAID)).toBe(first);
    // The rest, as the V3 capture takes it.
    expect((await stack.bigCommerce('POST', `/v3/orders/${orderId}/payment_actions/capture`)).status).toBe(201);
    await stack.waitForOrder(tenantId, orderId, (current) => (current.intacct.capturePaymentKeys?.length ?? 0) >= 2);
    await waitUntilQuiet(orderId);

    const captures = (await transactionsOf(orderId)).filter((transaction) => transaction.event === 'capture');
    expect(captures.map((capture) => Math.round(capture.amount * 100))).toEqual([first, total - first]);
    const payments = await paymentsOf(orderId);
    expect(payments.map((payment) => [payment.DOCNUMBER, cents(payment.TOTALENTERED)]).sort()).toEqual(
      captures.map((capture) => [`${orderId}-${capture.id}`, Math.round(capture.amount * 100)]).sort(),
    );
    expect(payments.reduce((sum, payment) => sum + cents(payment.TOTALENTERED), 0)).toBe(total);
    const invoice = await invoiceOf(orderId);
    expect(invoice).toMatchObject({ STATE: 'Paid' });
    expect(cents(invoice.TOTALPAID)).toBe(total);
  });

  it('when the authorisation is voided, then no payment is recorded and the invoice stays due', async () => {
    const { orderId, total } = await placeAuthorisedOrder();
    expect((await stack.bigCommerce('POST', `/v3/orders/${orderId}/payment_actions/void`)).status).toBe(201);
    const status = await stack.waitForOrder(tenantId, orderId, (current) => current.note?.includes('voided') === true);
    await waitUntilQuiet(orderId);
    // A capture after a void is refused by the store, as a gateway refuses it.
    expect((await stack.bigCommerce('POST', `/v3/orders/${orderId}/payment_actions/capture`)).status).toBe(422);

    expect(status.intacct.capturePaymentKeys ?? []).toEqual([]);
    expect(await paymentsOf(orderId)).toEqual([]);
    expect(cents((await invoiceOf(orderId)).TOTALDUE)).toBe(total);
    const history = await stack.client.workflow.getHandle(orderToCashWorkflowId(tenantId, orderId)).fetchHistory();
    const activities = (history.events ?? []).flatMap((event) => event.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
    expect(activities).toContain('findCapturesToRecord');
    expect(activities).not.toContain('recordCapturePayment');
  });
  it('when an order whose capture was recorded after posting is cancelled in the store, then that payment is reversed before the invoice is cancelled', async () => {
    const { orderId } = await placeAuthorisedOrder();
    expect((await stack.bigCommerce('POST', `/v3/orders/${orderId}/payment_actions/capture`)).status).toBe(201);
    const captured = await stack.waitForOrder(tenantId, orderId, (current) => (current.intacct.capturePaymentKeys?.length ?? 0) >= 1);
    const [paymentKey] = captured.intacct.capturePaymentKeys!;

    expect((await stack.bigCommerce('PUT', `/v2/orders/${orderId}`, { status_id: 5 })).status).toBe(200);
    const result = (await stack.client.workflow.getHandle(orderToCashWorkflowId(tenantId, orderId)).result()) as { outcome: string };

    expect(result.outcome).toBe('cancelled');
    expect((await stack.intacctRecords('ARPYMT')).find((payment) => payment.RECORDNO === paymentKey)).toMatchObject({ STATE: 'Reversed' });
    expect((await stack.intacctRecords('SODOCUMENT')).filter((document) => document.PONUMBER === orderId)).toEqual([]);
    const [capture] = (await transactionsOf(orderId)).filter((transaction) => transaction.event === 'capture');
    expect(await stack.ledger(tenantId, 'payment', `${orderId}:capture:${capture!.id}`)).toMatchObject({
      state: 'cancelled',
      intacctKey: paymentKey,
    });
  });
  it('when the watch ended at shipment and the rest is captured later, then the run the webhook starts records only what the capture recorded apart did not', async () => {
    const { orderId, total } = await placeAuthorisedOrder();
    const first = Math.round(total * 0.25);
    expect((await control('POST', `/orders/${orderId}/capture`, { amount: first / 100 })).status).toBe(201);
    await stack.waitForOrder(tenantId, orderId, (current) => (current.intacct.capturePaymentKeys?.length ?? 0) >= 1);

    // Shipped in full: the watch ends and the workflow closes.
    const [address] = (await stack.bigCommerce('GET', `/v2/orders/${orderId}/shipping_addresses`)).body as Array<{ id: number }>;
    const products = (await stack.bigCommerce('GET', `/v2/orders/${orderId}/products`)).body as Array<{ id: number; quantity: number }>;
    const shipped = await stack.bigCommerce('POST', `/v2/orders/${orderId}/shipments`, {
      order_address_id: address!.id,
      items: products.map((product) => ({ order_product_id: product.id, quantity: product.quantity })),
      tracking_number: `1Z${orderId}`,
    });
    expect(shipped.status).toBe(201);
    const handle = stack.client.workflow.getHandle(orderToCashWorkflowId(tenantId, orderId));
    await handle.result();
    await waitUntilQuiet(orderId);

    expect((await stack.bigCommerce('POST', `/v3/orders/${orderId}/payment_actions/capture`)).status).toBe(201);
    await eventually(async () => (await stack.ledger(tenantId, 'payment', orderId))?.state === 'synced', {
      what: 'the later run to record the rest',
      timeoutMs: 60_000,
      intervalMs: 250,
    });
    await waitUntilQuiet(orderId);

    const payments = await paymentsOf(orderId);
    expect(payments.map((payment) => cents(payment.TOTALENTERED)).sort((a, b) => a - b)).toEqual(
      [first, total - first].sort((a, b) => a - b),
    );
    expect(await stack.ledger(tenantId, 'payment', orderId)).toMatchObject({ amount: total - first });
    expect(cents((await invoiceOf(orderId)).TOTALPAID)).toBe(total);
  });
});
