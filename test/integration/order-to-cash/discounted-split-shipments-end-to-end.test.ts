import { describe, expect, it } from 'vitest';
import { orderToCashWorkflowId, type OrderToCashResult } from '../../../workflows/order-to-cash-contract.js';
import { cents, useEndToEndTenant, type OrderToCashStack } from '../../support/order-to-cash-stack.js';
import '../../support/quiet-runtime.js';

/**
 * A Clarity order with an order-level coupon, shipped in parts, from the site to Intacct: the
 * sales order holds the coupon as a header subtotal, and the shipments' invoices together still
 * come to the site's total to the cent (the first invoice carries the discount with the
 * charges). The receiver, Temporal, the worker's real activities and the sandboxes.
 */
describe('OrderToCash end to end: a Clarity order with a coupon shipped in two parts', () => {
  let stack: OrderToCashStack;
  let tenantId: string;
  useEndToEndTenant(
    {
      storefront: 'clarity',
      orderSync: {
        fulfilment: { convertToInvoice: true, invoiceTransactionDefinition: 'Sales Invoice', pollIntacctMinutes: 60, watchDays: 30 },
      },
    },
    (started) => ({ stack, tenantId } = started),
  );

  it('when the site ships an order with coupon SPRING10 in two parts, then its two invoices sum to the store total', async () => {
    const created = await stack.clarity('POST', '/orders', {
      customerId: 'CU-2001',
      lineItems: [
        { sku: 'TSHIRT-BLK-M', quantity: 2 },
        { sku: 'MUG-WHT-11OZ', quantity: 1 },
      ],
      couponCode: 'SPRING10',
      status: 'processing',
    });
    expect(created.status).toBe(201);
    const { orderId, totalAmount, discountAmount } = created.body as { orderId: string; totalAmount: string; discountAmount: string };
    expect(cents(discountAmount)).toBeGreaterThan(0);
    const posted = await stack.waitForOrder(tenantId, orderId, (status) => status.step === 'awaiting_fulfilment');
    const storefront = await (await stack.connections.forTenant(tenantId)).storefront();
    if (storefront.kind !== 'clarity') throw new Error('expected the Clarity client');
    const parts = [
      { shipmentId: 'COUPON-1', trackingNumber: '9400COUPON000000001', lineItems: [{ sku: 'TSHIRT-BLK-M', quantity: 1 }] },
      {
        shipmentId: 'COUPON-2',
        trackingNumber: '9400COUPON000000002',
        lineItems: [
          { sku: 'TSHIRT-BLK-M', quantity: 1 },
          { sku: 'MUG-WHT-11OZ', quantity: 1 },
        ],
      },
    ];
    for (const part of parts) {
      await storefront.client.createShipment(
        orderId,
        { ...part, carrier: 'USPS', shippedAt: '2026-11-05T16:00:00Z' },
        { idempotencyKey: `warehouse-${orderId}-${part.shipmentId}` },
      );
    }

    const result = (await stack.client.workflow.getHandle(orderToCashWorkflowId(tenantId, orderId)).result()) as OrderToCashResult;
    expect(result.outcome).toBe('synced');
    const documents = (await stack.intacctRecords('SODOCUMENT')).filter((document) => document.PONUMBER === orderId);
    const invoices = documents.filter((document) => document.DOCPARID === 'Sales Invoice');
    const salesOrder = documents.find((document) => document.DOCPARID === 'Sales Order');
    expect(invoices).toHaveLength(2);
    expect(invoices.every((invoice) => invoice.CREATEDFROM === posted.intacct.salesDocumentId)).toBe(true);
    expect(cents(salesOrder?.TOTAL ?? '')).toBe(cents(totalAmount));
    expect(invoices.reduce((sum, invoice) => sum + cents(invoice.TOTAL), 0)).toBe(cents(totalAmount));
    expect(salesOrder?.STATE).toBe('Converted');
  });
});
