import { describe, expect, it } from 'vitest';
import { orderToCashWorkflowId, type OrderToCashResult } from '../../../workflows/order-to-cash-contract.js';
import { janeDoeBillingAddress } from '../../support/builders.js';
import { cents, useEndToEndTenant, type OrderToCashStack } from '../../support/order-to-cash-stack.js';
import { intacctFunctionCalls } from './intacct-writes-support.js';
import '../../support/quiet-runtime.js';

/**
 * Orders shipped to several addresses (BigCommerce consignments), from the shopper's checkout
 * to Intacct, under each `orderSync.shipping.consignments`: `lineShipTo` gives each sales order
 * line the ship-to of its consignment, and each consignment shipped becomes an invoice of its
 * units; `park` parks the order with the reason and writes nothing; `firstAddress` posts the
 * first address on the header only. The receiver, Temporal, the worker's activities and the sandboxes.
 */

const convertOnShipment = {
  fulfilment: { convertToInvoice: true, invoiceTransactionDefinition: 'Sales Invoice', pollIntacctMinutes: 60, watchDays: 30 },
};

const shipTos = [
  { ...janeDoeBillingAddress, street_1: '12 Market St', city: 'Austin', zip: '78701' },
  {
    ...janeDoeBillingAddress,
    first_name: 'Grace',
    last_name: 'Hopper',
    street_1: '9 Harbor Rd',
    city: 'Portland',
    state: 'Oregon',
    zip: '97205',
    email: '',
    shipping_method: 'Express',
  },
];

describe('OrderToCash end to end: a BigCommerce order shipped to two addresses', () => {
  let stack: OrderToCashStack;
  let tenantId: string;
  useEndToEndTenant(
    { storefront: 'bigcommerce', orderSync: { ...convertOnShipment, shipping: { consignments: 'lineShipTo' } } },
    (started) => ({ stack, tenantId } = started),
  );

  /** A guest's checkout shipping two mugs to Austin, and a cap and a tee to Portland. */
  async function checkOutToTwoAddresses(): Promise<string> {
    const answer = await fetch(`${stack.sandboxes.bigcommerce.url}/_control/checkout/v2/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        customer_id: 0,
        status_id: 11,
        billing_address: janeDoeBillingAddress,
        shipping_addresses: shipTos,
        products: [
          { product_id: 112, quantity: 2, shipping_address_index: 0 },
          { product_id: 114, quantity: 1, shipping_address_index: 1 },
          { product_id: 111, variant_id: 202, quantity: 1, shipping_address_index: 1 },
        ],
        shipping_cost_ex_tax: '8.00',
      }),
    });
    expect(answer.status).toBe(201);
    return String(((await answer.json()) as { id: number }).id);
  }

  /** The order's Intacct documents, and the sales order's lines in line order. */
  async function documentsOf(orderId: string) {
    const documents = (await stack.intacctRecords('SODOCUMENT')).filter((document) => document.PONUMBER === orderId);
    const salesOrder = documents.find((document) => document.DOCPARID === 'Sales Order');
    const lines = (await stack.intacctRecords('SODOCUMENTENTRY'))
      .filter((entry) => salesOrder !== undefined && entry.DOCHDRID === salesOrder.DOCID)
      .sort((a, b) => Number(a.LINE_NO) - Number(b.LINE_NO));
    return { salesOrder, invoices: documents.filter((document) => document.DOCPARID === 'Sales Invoice'), lines };
  }

  it('when the tenant posts line-level ship-to, then each line carries its consignment’s address, and each consignment shipped is an invoice of its units', async () => {
    const orderId = await checkOutToTwoAddresses();
    const posted = await stack.waitForOrder(tenantId, orderId, (status) => status.step === 'awaiting_fulfilment');

    const { salesOrder, lines } = await documentsOf(orderId);
    expect(salesOrder).toMatchObject({ DOCID: posted.intacct.salesDocumentId, 'SHIPTO.MAILADDRESS.CITY': 'Austin' });
    // The product lines come first, in the order's line order (none is split: each amount divides by its quantity).
    const products = lines.slice(0, 3);
    expect(products.map((line) => [line.QUANTITY, line['SHIPTO.MAILADDRESS.CITY'], line['SHIPTO.CONTACTNAME']])).toEqual([
      ['2', 'Austin', `Jane Doe - BC ${orderId} ship-to 1`],
      ['1', 'Portland', `Grace Hopper - BC ${orderId} ship-to 2`],
      ['1', 'Portland', `Grace Hopper - BC ${orderId} ship-to 2`],
    ]);
    // Charges ship nowhere: only product lines carry a ship-to.
    expect(lines.filter((line) => !products.includes(line)).every((line) => line['SHIPTO.CONTACTNAME'] === undefined)).toBe(true);

    const addresses = (await stack.bigCommerce('GET', `/v2/orders/${orderId}/shipping_addresses`)).body as Array<{
      id: number;
      shipping_method: string;
    }>;
    expect(addresses.map((address) => address.shipping_method)).toEqual(['Flat Rate', 'Express']);
    const storeLines = (await stack.bigCommerce('GET', `/v2/orders/${orderId}/products`)).body as Array<{
      id: number;
      quantity: number;
      order_address_id: number;
    }>;
    const itemsOf = (address: { id: number }) =>
      storeLines
        .filter((line) => line.order_address_id === address.id)
        .map((line) => ({ order_product_id: line.id, quantity: line.quantity }));
    // A shipment is one consignment's: the store refuses the Portland cap in Austin's.
    const mixed = await stack.bigCommerce('POST', `/v2/orders/${orderId}/shipments`, {
      order_address_id: addresses[0]!.id,
      items: [...itemsOf(addresses[0]!), ...itemsOf(addresses[1]!)],
    });
    expect(mixed.status).toBe(400);

    for (const [index, address] of addresses.entries()) {
      const shipped = await stack.bigCommerce('POST', `/v2/orders/${orderId}/shipments`, {
        order_address_id: address.id,
        items: itemsOf(address),
        tracking_number: `1ZMULTI0000000000${index + 1}`,
        shipping_provider: 'ups',
      });
      expect(shipped.status).toBe(201);
      if (index === 0) await stack.waitForOrder(tenantId, orderId, (status) => (status.intacct.invoiceDocumentIds?.length ?? 0) === 1);
    }

    const result = (await stack.client.workflow.getHandle(orderToCashWorkflowId(tenantId, orderId)).result()) as OrderToCashResult;
    expect(result.outcome).toBe('synced');
    const { invoices, salesOrder: converted } = await documentsOf(orderId);
    expect(invoices).toHaveLength(2);
    expect(invoices.every((invoice) => invoice.CREATEDFROM === posted.intacct.salesDocumentId)).toBe(true);
    const order = (await stack.bigCommerce('GET', `/v2/orders/${orderId}`)).body as { total_inc_tax: string };
    expect(invoices.reduce((sum, invoice) => sum + cents(invoice.TOTAL), 0)).toBe(cents(order.total_inc_tax));
    expect(converted?.STATE).toBe('Converted');
  });

  it('when the tenant parks such orders, then the order parks naming the two addresses and Intacct gets nothing', async () => {
    await stack.updateOrderSync(tenantId, { shipping: { consignments: 'park' } });
    const created = (await intacctFunctionCalls(stack, 'create_sotransaction')).length;
    const orderId = await checkOutToTwoAddresses();

    const parked = await stack.waitForOrder(tenantId, orderId, (status) => status.step === 'parked');
    expect(parked.attention).toMatchObject({
      code: 'sales_document_unmappable',
      reason: expect.stringContaining('the order ships to 2 addresses and orderSync.shipping.consignments is park'),
    });
    expect((await documentsOf(orderId)).salesOrder).toBeUndefined();
    expect(await intacctFunctionCalls(stack, 'create_sotransaction')).toHaveLength(created);
  });

  it('when the tenant posts the first address, then the header ships to it and no line has a ship-to of its own', async () => {
    await stack.updateOrderSync(tenantId, { shipping: { consignments: 'firstAddress' } });
    const orderId = await checkOutToTwoAddresses();
    await stack.waitForOrder(tenantId, orderId, (status) => status.step === 'awaiting_fulfilment');

    const { salesOrder, lines } = await documentsOf(orderId);
    expect(salesOrder).toMatchObject({
      'SHIPTO.CONTACTNAME': `Jane Doe - BC ${orderId} ship-to`,
      'SHIPTO.MAILADDRESS.CITY': 'Austin',
    });
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((line) => line['SHIPTO.CONTACTNAME'] === undefined)).toBe(true);
  });

  it('when the transaction definition does not enable line-level ship-to, then Intacct refuses the lines’ ship-tos and the order parks with its message', async () => {
    await stack.updateOrderSync(tenantId, { transactionDefinition: 'Sales Invoice', shipping: { consignments: 'lineShipTo' } });
    const orderId = await checkOutToTwoAddresses();

    const parked = await stack.waitForOrder(tenantId, orderId, (status) => status.step === 'parked');
    expect(parked.attention?.reason).toContain('line-level ship-to is not enabled on transaction definition Sales Invoice');
    expect((await stack.intacctRecords('SODOCUMENT')).filter((document) => document.PONUMBER === orderId)).toEqual([]);
  });
});
