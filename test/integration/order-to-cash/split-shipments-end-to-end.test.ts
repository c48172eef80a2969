import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { orderToCashWorkflowId, type OrderToCashResult } from '../../../workflows/order-to-cash-contract.js';
import { cents, useEndToEndTenant, type OrderToCashStack } from '../../support/order-to-cash-stack.js';
import '../../support/quiet-runtime.js';

/**
 * Orders shipped in parts, from the stores' own webhooks to Intacct: each storefront shipment
 * keeps its own tracking number in the store and becomes an invoice of exactly its units, so
 * the invoices sum to the order and the sales order ends fully converted; the watch ends with
 * the last part. The receiver, Temporal, the worker's real activities and the sandboxes.
 */
/**
 * With `RECORD_ORDER_HISTORY=1`, the BigCommerce run's history is written as the replay test's
 * fixture of the watch that follows each shipment (`replay.test.ts` replays every fixture).
 */
const historyFixture = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../fixtures/histories/order-to-cash-bigcommerce-three-shipments.json',
);

const convertOnShipment = {
  fulfilment: { convertToInvoice: true, invoiceTransactionDefinition: 'Sales Invoice', pollIntacctMinutes: 60, watchDays: 30 },
};

/** The invoices Intacct has for the order, and the sales order's state. */
async function invoicesOf(stack: OrderToCashStack, orderId: string) {
  const documents = (await stack.intacctRecords('SODOCUMENT')).filter((document) => document.PONUMBER === orderId);
  return {
    invoices: documents.filter((document) => document.DOCPARID === 'Sales Invoice'),
    salesOrder: documents.find((document) => document.DOCPARID === 'Sales Order'),
  };
}

async function untilInvoiced(stack: OrderToCashStack, tenantId: string, orderId: string, count: number): Promise<void> {
  await stack.waitForOrder(tenantId, orderId, (status) => (status.intacct.invoiceDocumentIds?.length ?? 0) === count);
}

describe('OrderToCash end to end: a BigCommerce order shipped in three parts', () => {
  let stack: OrderToCashStack;
  let tenantId: string;
  useEndToEndTenant({ storefront: 'bigcommerce', orderSync: convertOnShipment }, (started) => ({ stack, tenantId } = started));

  it('when the store ships it in three parts, then the store keeps three tracking numbers and Intacct three invoices summing to the order', async () => {
    const created = await stack.bigCommerce('POST', '/v2/orders', {
      customer_id: 0,
      status_id: 11,
      billing_address: {
        first_name: 'Ada',
        last_name: 'Byron',
        street_1: '1 Main St',
        city: 'Austin',
        state: 'Texas',
        zip: '78701',
        country: 'United States',
        country_iso2: 'US',
        email: 'ada@example.com',
      },
      products: [
        { product_id: 112, quantity: 2 },
        { product_id: 114, quantity: 1 },
      ],
      shipping_cost_ex_tax: '8.00',
    });
    expect(created.status).toBe(201);
    const orderId = String((created.body as { id: number }).id);
    const posted = await stack.waitForOrder(tenantId, orderId, (status) => status.step === 'awaiting_fulfilment');
    const [address] = (await stack.bigCommerce('GET', `/v2/orders/${orderId}/shipping_addresses`)).body as Array<{ id: number }>;
    const [tees, mug] = (await stack.bigCommerce('GET', `/v2/orders/${orderId}/products`)).body as Array<{ id: number }>;
    const parts = [
      { tracking: '1ZSPLIT00000000001', items: [{ order_product_id: tees!.id, quantity: 1 }] },
      { tracking: '1ZSPLIT00000000002', items: [{ order_product_id: tees!.id, quantity: 1 }] },
      { tracking: '1ZSPLIT00000000003', items: [{ order_product_id: mug!.id, quantity: 1 }] },
    ];
    for (const [index, part] of parts.entries()) {
      const shipped = await stack.bigCommerce('POST', `/v2/orders/${orderId}/shipments`, {
        order_address_id: address!.id,
        items: part.items,
        tracking_number: part.tracking,
        shipping_provider: 'ups',
      });
      expect(shipped.status).toBe(201);
      if (index < parts.length - 1) await untilInvoiced(stack, tenantId, orderId, index + 1);
    }

    const result = (await stack.client.workflow.getHandle(orderToCashWorkflowId(tenantId, orderId)).result()) as OrderToCashResult;
    expect(result.outcome).toBe('synced');
    const shipments = (await stack.bigCommerce('GET', `/v2/orders/${orderId}/shipments`)).body as Array<{ tracking_number: string }>;
    expect(shipments.map((shipment) => shipment.tracking_number)).toEqual(parts.map((part) => part.tracking));
    const { invoices, salesOrder } = await invoicesOf(stack, orderId);
    expect(invoices.map((invoice) => invoice.DOCID).sort()).toEqual([...result.status.intacct.invoiceDocumentIds!].sort());
    expect(invoices).toHaveLength(3);
    expect(invoices.every((invoice) => invoice.CREATEDFROM === posted.intacct.salesDocumentId)).toBe(true);
    const order = (await stack.bigCommerce('GET', `/v2/orders/${orderId}`)).body as { total_inc_tax: string };
    expect(invoices.reduce((sum, invoice) => sum + cents(invoice.TOTAL), 0)).toBe(cents(order.total_inc_tax));
    expect(salesOrder?.STATE).toBe('Converted');
    if (process.env.RECORD_ORDER_HISTORY === '1') {
      const history = await stack.client.workflow.getHandle(orderToCashWorkflowId(tenantId, orderId)).fetchHistory();
      await writeFile(historyFixture, `${JSON.stringify(temporal.api.history.v1.History.fromObject(history).toJSON(), null, 1)}\n`);
    }
  });
});

describe('OrderToCash end to end: a Clarity order shipped in two parts', () => {
  let stack: OrderToCashStack;
  let tenantId: string;
  useEndToEndTenant({ storefront: 'clarity', orderSync: convertOnShipment }, (started) => ({ stack, tenantId } = started));

  it('when the site ships it in two parts, then the site keeps two tracking numbers and Intacct two invoices summing to the order', async () => {
    const created = await stack.clarity('POST', '/orders', {
      customerId: 'CU-2001',
      lineItems: [
        { sku: 'TSHIRT-BLK-M', quantity: 2 },
        { sku: 'MUG-WHT-11OZ', quantity: 1 },
      ],
      status: 'processing',
    });
    expect(created.status).toBe(201);
    const { orderId, totalAmount } = created.body as { orderId: string; totalAmount: string };
    const posted = await stack.waitForOrder(tenantId, orderId, (status) => status.step === 'awaiting_fulfilment');
    const parts = [
      { shipmentId: 'SPLIT-1', trackingNumber: '9400SPLIT0000000001', lineItems: [{ sku: 'TSHIRT-BLK-M', quantity: 1 }] },
      {
        shipmentId: 'SPLIT-2',
        trackingNumber: '9400SPLIT0000000002',
        lineItems: [
          { sku: 'TSHIRT-BLK-M', quantity: 1 },
          { sku: 'MUG-WHT-11OZ', quantity: 1 },
        ],
      },
    ];
    // The merchant's warehouse posts its shipments through Clarity's API, as any client would.
    // Clarity emits `order.updated` only once the shipments fulfil the order (its contract): the
    // first part is seen with the second, and still gets an invoice of its own.
    const storefront = await (await stack.connections.forTenant(tenantId)).storefront();
    if (storefront.kind !== 'clarity') throw new Error('expected the Clarity client');
    for (const part of parts) {
      await storefront.client.createShipment(
        orderId,
        { ...part, carrier: 'USPS', shippedAt: '2026-11-05T16:00:00Z' },
        { idempotencyKey: `warehouse-${orderId}-${part.shipmentId}` },
      );
    }

    const result = (await stack.client.workflow.getHandle(orderToCashWorkflowId(tenantId, orderId)).result()) as OrderToCashResult;
    expect(result.outcome).toBe('synced');
    const shipments = await storefront.client.listShipments(orderId);
    expect(shipments.map((shipment) => shipment.trackingNumber)).toEqual(parts.map((part) => part.trackingNumber));
    const { invoices, salesOrder } = await invoicesOf(stack, orderId);
    expect(invoices).toHaveLength(2);
    expect(invoices.every((invoice) => invoice.CREATEDFROM === posted.intacct.salesDocumentId)).toBe(true);
    expect(invoices.reduce((sum, invoice) => sum + cents(invoice.TOTAL), 0)).toBe(cents(totalAmount));
    expect(salesOrder?.STATE).toBe('Converted');
  });
});
