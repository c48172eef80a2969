import { beforeAll, describe, expect, it } from 'vitest';
import { orderToCashWorkflowId } from '../../../workflows/order-to-cash-contract.js';
import { eventually } from '../../support/eventually.js';
import {
  cents,
  janeAtAcmeBillingAddress,
  mapJaneToIntacctCustomer,
  useEndToEndTenant,
  type OrderToCashStack,
} from '../../support/order-to-cash-stack.js';
import '../../support/quiet-runtime.js';

/**
 * Payments of an order invoiced per shipment, end to end from the BigCommerce store's own
 * webhooks: the store authorises at checkout, the order is posted as a sales order, each
 * shipment becomes an invoice of its own, and the merchant captures later. One payment is
 * spread over the order's invoices, oldest first, each up to what it owes (Intacct refuses
 * more); what no invoice owes yet stays on the receipt unapplied.
 */
describe('OrderToCash applies a payment across the invoices of an order shipped in parts (BigCommerce → Intacct)', () => {
  let stack: OrderToCashStack;
  let tenantId: string;
  useEndToEndTenant(
    {
      storefront: 'bigcommerce',
      orderSync: {
        fulfilment: { convertToInvoice: true, invoiceTransactionDefinition: 'Sales Invoice', pollIntacctMinutes: 60, watchDays: 30 },
      },
      prepare: (started, tenant) => mapJaneToIntacctCustomer(started, tenant),
    },
    (started) => ({ stack, tenantId } = started),
  );

  const control = async (method: string, path: string, body?: unknown) =>
    (
      await fetch(`${stack.sandboxes.bigcommerce.url}/_control${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      })
    ).status;

  beforeAll(async () => {
    expect(await control('PUT', '/payment-gateway', { transactionType: 'authorize_only' })).toBe(200);
  });

  /** Intacct's receipts for the order (reference = order id, or `{order}-{transaction}` per capture) and its invoices. */
  const paymentsOf = async (orderId: string) =>
    (await stack.intacctRecords('ARPYMT')).filter(
      (payment) => payment.DOCNUMBER === orderId || payment.DOCNUMBER?.startsWith(`${orderId}-`),
    );
  const invoicesOf = async (orderId: string) => {
    const documents = (await stack.intacctRecords('SODOCUMENT')).filter(
      (document) => document.PONUMBER === orderId && document.DOCPARID === 'Sales Invoice',
    );
    const receivables = await stack.intacctRecords('ARINVOICE');
    return documents.map((document) => receivables.find((invoice) => invoice.RECORDNO === document.PRRECORDKEY)!);
  };
  const appliedBy = async (paymentKey: string) =>
    (await stack.intacctRecords('ARPYMTDETAIL'))
      .filter((detail) => detail.PAYMENTKEY === paymentKey)
      .map((detail) => [detail.RECORDKEY, cents(detail.TRX_PAYMENTAMOUNT)]);

  /** An authorised order of two T-shirts and a mug, posted as a sales order; its total in cents. */
  async function placeAuthorisedOrder(): Promise<{ orderId: string; total: number }> {
    const created = await stack.bigCommerce('POST', '/v2/orders', {
      customer_id: 1,
      status_id: 11,
      billing_address: janeAtAcmeBillingAddress,
      products: [
        { product_id: 112, quantity: 2 },
        { product_id: 114, quantity: 1 },
      ],
      shipping_cost_ex_tax: '8.00',
    });
    expect(created.status).toBe(201);
    expect((created.body as { payment_status: string }).payment_status).toBe('authorized');
    const orderId = String((created.body as { id: number }).id);
    await stack.waitForOrder(tenantId, orderId, (status) => status.step === 'awaiting_fulfilment');
    return { orderId, total: cents((created.body as { total_inc_tax: string }).total_inc_tax) };
  }

  /** Ships the parts one after the other, each invoiced before the next is shipped. */
  async function ship(
    orderId: string,
    parts: Array<(products: Array<{ id: number }>) => Array<{ order_product_id: number; quantity: number }>>,
  ) {
    const [address] = (await stack.bigCommerce('GET', `/v2/orders/${orderId}/shipping_addresses`)).body as Array<{ id: number }>;
    const products = (await stack.bigCommerce('GET', `/v2/orders/${orderId}/products`)).body as Array<{ id: number }>;
    for (const [index, items] of parts.entries()) {
      const shipped = await stack.bigCommerce('POST', `/v2/orders/${orderId}/shipments`, {
        order_address_id: address!.id,
        items: items(products),
        tracking_number: `1ZPAY${orderId}${index}`,
        shipping_provider: 'ups',
      });
      expect(shipped.status).toBe(201);
      await stack.waitForOrder(tenantId, orderId, (status) => (status.intacct.invoiceDocumentIds?.length ?? 0) === index + 1);
    }
  }

  it('when two shipments are invoiced and the order is then captured in full, then one payment pays both invoices in full and keeps the rest unapplied', async () => {
    const { orderId, total } = await placeAuthorisedOrder();
    // Both T-shirts in two parts; the mug is not shipped yet, so no invoice owes its price.
    await ship(orderId, [
      ([tees]) => [{ order_product_id: tees!.id, quantity: 1 }],
      ([tees]) => [{ order_product_id: tees!.id, quantity: 1 }],
    ]);
    const invoices = await invoicesOf(orderId);
    expect(invoices).toHaveLength(2);
    const invoiced = invoices.reduce((sum, invoice) => sum + cents(invoice.TOTALENTERED), 0);
    expect(invoiced).toBeLessThan(total);

    expect((await stack.bigCommerce('POST', `/v3/orders/${orderId}/payment_actions/capture`)).status).toBe(201);
    const captured = await stack.waitForOrder(tenantId, orderId, (status) => (status.intacct.capturePaymentKeys?.length ?? 0) >= 1);

    const payments = await paymentsOf(orderId);
    expect(payments).toHaveLength(1);
    expect(payments[0]!.RECORDNO).toBe(captured.intacct.capturePaymentKeys![0]);
    expect(cents(payments[0]!.TOTALENTERED)).toBe(total);
    const paid = await invoicesOf(orderId);
    expect(paid.map((invoice) => invoice.STATE)).toEqual(['Paid', 'Paid']);
    expect(paid.map((invoice) => cents(invoice.TOTALDUE))).toEqual([0, 0]);
    // Oldest first, each exactly what it owed; the mug's price and the rest stay unapplied on the receipt.
    expect(await appliedBy(payments[0]!.RECORDNO!)).toEqual(paid.map((invoice) => [invoice.RECORDNO, cents(invoice.TOTALPAID)]));
    expect(paid.reduce((sum, invoice) => sum + cents(invoice.TOTALPAID), 0)).toBe(invoiced);
  });

  it('when the order is shipped in two parts and captured after the watch ended, then the later run pays both invoices in full, to the cent', async () => {
    const { orderId, total } = await placeAuthorisedOrder();
    await ship(orderId, [
      ([tees]) => [{ order_product_id: tees!.id, quantity: 2 }],
      ([, mug]) => [{ order_product_id: mug!.id, quantity: 1 }],
    ]);
    const handle = stack.client.workflow.getHandle(orderToCashWorkflowId(tenantId, orderId));
    expect(((await handle.result()) as { outcome: string }).outcome).toBe('synced');
    const invoices = await invoicesOf(orderId);
    expect(invoices).toHaveLength(2);
    expect(invoices.reduce((sum, invoice) => sum + cents(invoice.TOTALDUE), 0)).toBe(total);

    expect((await stack.bigCommerce('POST', `/v3/orders/${orderId}/payment_actions/capture`)).status).toBe(201);
    await eventually(async () => (await stack.ledger(tenantId, 'payment', orderId))?.state === 'synced', {
      what: 'the run the capture starts to record the payment',
      timeoutMs: 60_000,
      intervalMs: 250,
    });

    const payments = await paymentsOf(orderId);
    expect(payments).toHaveLength(1);
    expect(cents(payments[0]!.TOTALENTERED)).toBe(total);
    const paid = await invoicesOf(orderId);
    expect(paid.map((invoice) => [invoice.STATE, cents(invoice.TOTALDUE)])).toEqual([
      ['Paid', 0],
      ['Paid', 0],
    ]);
    expect(paid.reduce((sum, invoice) => sum + cents(invoice.TOTALPAID), 0)).toBe(total);
    const applied = await appliedBy(payments[0]!.RECORDNO!);
    expect(applied).toEqual(paid.map((invoice) => [invoice.RECORDNO, cents(invoice.TOTALPAID)]));
    expect(await stack.ledger(tenantId, 'payment', orderId)).toMatchObject({
      state: 'synced',
      amount: total,
      intacctKey: payments[0]!.RECORDNO,
    });
  });
});
