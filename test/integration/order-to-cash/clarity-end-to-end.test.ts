import { describe, expect, it } from 'vitest';
import { orderToCashWorkflowId } from '../../../workflows/order-to-cash-contract.js';
import { eventually } from '../../support/eventually.js';
import { cents, useEndToEndTenant, type OrderToCashStack } from '../../support/order-to-cash-stack.js';
import '../../support/quiet-runtime.js';

/**
 * Clarity orders from the sandbox's signed webhooks to the Intacct sandbox's state, and the
 * operator's side of a parked order: the attention queue, the mapping fix and `retry` through
 * the admin API.
 */
describe('OrderToCash end to end: Clarity → Intacct', () => {
  let stack: OrderToCashStack;
  let tenantId: string;

  const address = {
    firstName: 'Sam',
    lastName: 'Lee',
    line1: '9 Pine Ave',
    city: 'Denver',
    region: 'CO',
    postalCode: '80202',
    country: 'US',
    email: 'sam.lee@example.net',
  };

  useEndToEndTenant({ storefront: 'clarity' }, (started) => ({ stack, tenantId } = started));

  const documentsOf = async (orderId: string) =>
    (await stack.intacctRecords('SODOCUMENT')).filter((document) => document.PONUMBER === orderId);
  const checkout = async (body: Record<string, unknown>) => {
    const created = await stack.clarity('POST', '/orders', body);
    expect(created.status).toBe(201);
    const wire = created.body as { orderId: string; totalAmount: string; discountAmount: string };
    return { ...wire, id: wire.orderId };
  };

  it('when a registered customer checks out with a percentage coupon, then one sales order equal to the cent is posted and Clarity gets its ERP reference', async () => {
    const order = await checkout({
      customerId: 'CU-2001',
      lineItems: [
        { sku: 'TSHIRT-BLK-M', quantity: 2 },
        { sku: 'MUG-WHT-11OZ', quantity: 1 },
      ],
      couponCode: 'SPRING10',
      status: 'processing',
    });
    expect(Number(order.discountAmount)).toBeGreaterThan(0);
    const status = await stack.waitForOrder(tenantId, order.id, (current) => current.step === 'awaiting_fulfilment');
    const documents = await documentsOf(order.id);
    expect(documents).toHaveLength(1);
    expect(cents(documents[0]!.TOTAL)).toBe(cents(order.totalAmount));
    const storefront = await (await stack.connections.forTenant(tenantId)).storefront();
    if (storefront.kind !== 'clarity') throw new Error('expected the Clarity client');
    expect((await storefront.client.getOrder(order.id)).erpReference).toBe(status.intacct.salesDocumentId);
    const ledger = await stack.ledger(tenantId, 'order', order.id);
    expect(ledger).toMatchObject({ state: 'synced', intacctDocumentId: status.intacct.salesDocumentId });
  });

  it("when a shopper pays in euros, then the document and the payment are in EUR with the tenant's exchange rate type, equal to the cent", async () => {
    const order = await checkout({
      customerId: 'CU-2001',
      lineItems: [
        { sku: 'HOODIE-GRY-L', quantity: 1 },
        { sku: 'TOTE-NAT-OS', quantity: 2 },
      ],
      couponCode: 'WELCOME5',
      status: 'processing',
      currency: 'EUR',
    });
    const status = await stack.waitForOrder(tenantId, order.id, (current) => current.step === 'awaiting_fulfilment');
    const [document] = await documentsOf(order.id);
    expect(document).toMatchObject({ CURRENCY: 'EUR', BASECURR: 'USD', EXCH_RATE_TYPE_ID: 'Intacct Daily Rate' });
    expect(cents(document!.TOTAL)).toBe(cents(order.totalAmount));
    const payment = (await stack.intacctRecords('ARPYMT')).find((record) => record.RECORDNO === status.intacct.paymentKey);
    expect(payment).toMatchObject({ CURRENCY: 'EUR' });
    expect(cents(payment!.TOTALENTERED)).toBe(cents(order.totalAmount));
  });

  it('when a guest checks out, then the order is posted to the guest customer', async () => {
    const order = await checkout({
      email: 'walk.in@example.org',
      shippingAddress: address,
      lineItems: [{ sku: 'CAP-NVY-OS', quantity: 1 }],
      status: 'processing',
    });
    const status = await stack.waitForOrder(tenantId, order.id, (current) => current.step === 'awaiting_fulfilment');
    expect(status.intacct.customerId).toBe('WEB-GUEST');
    expect(cents((await documentsOf(order.id))[0]!.TOTAL)).toBe(cents(order.totalAmount));
  });

  it('when an order holds a SKU Intacct cannot use, then it is parked listing the SKU; once the mapping is fixed, retry through the admin API posts it once', async () => {
    // The store still sells a poster that Intacct has discontinued (inactive item).
    expect((await stack.clarity('PATCH', '/products/POSTER-CITY-A2', { active: true })).status).toBe(200);
    const order = await checkout({
      customerId: 'CU-2002',
      lineItems: [
        { sku: 'POSTER-CITY-A2', quantity: 1 },
        { sku: 'MUG-BLK-15OZ', quantity: 1 },
      ],
      status: 'processing',
    });

    const parked = await stack.waitForOrder(tenantId, order.id, (current) => current.step === 'parked');
    expect(parked.attention).toMatchObject({ code: 'unknown_sku', reason: expect.stringContaining('POSTER-CITY-A2') });
    // The workflow shows itself parked a moment before its park activity has written the attention item.
    const queued = await eventually(
      async () => {
        const queue = await stack.admin('GET', `/tenants/${tenantId}/attention?entity=order`);
        expect(queue.status).toBe(200);
        return (queue.body.items as Array<{ externalId: string }>).find((item) => item.externalId === order.id);
      },
      { what: `order ${order.id} in the attention queue` },
    );
    expect(queued).toMatchObject({ code: 'unknown_sku', state: 'open' });
    expect(await documentsOf(order.id)).toHaveLength(0);

    // The operator fixes the mapping, then retries.
    const mapped = await stack.admin('PUT', `/tenants/${tenantId}/mappings/items/rows/POSTER-CITY-A2`, {
      storefrontSku: 'POSTER-CITY-A2',
      intacctItemId: 'MUG-CER-12OZ',
    });
    expect([200, 201]).toContain(mapped.status);
    const retried = await stack.admin('POST', `/tenants/${tenantId}/orders/${order.id}/retry`);
    expect(retried.status).toBe(200);

    const posted = await stack.waitForOrder(tenantId, order.id, (current) => current.step === 'awaiting_fulfilment');
    expect(posted.attention).toBeUndefined();
    const documents = await documentsOf(order.id);
    expect(documents).toHaveLength(1);
    expect(cents(documents[0]!.TOTAL)).toBe(cents(order.totalAmount));
    const resolved = await stack.admin('GET', `/tenants/${tenantId}/attention?entity=order&state=resolved`);
    expect(resolved.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ externalId: order.id, state: 'resolved' })]));
    expect(await stack.ledger(tenantId, 'order', order.id)).toMatchObject({ state: 'synced' });

    // A second retry is refused: the order is no longer parked.
    const again = await stack.admin('POST', `/tenants/${tenantId}/orders/${order.id}/retry`);
    expect(again.status).toBe(409);
  });

  it('when an operator cancels a posted order through the admin API, then Intacct is left without the document and the ledger says cancelled', async () => {
    const order = await checkout({ customerId: 'CU-2003', lineItems: [{ sku: 'STICKER-PACK-5', quantity: 4 }], status: 'processing' });
    await stack.waitForOrder(tenantId, order.id, (current) => current.step === 'awaiting_fulfilment');
    const cancelled = await stack.admin('POST', `/tenants/${tenantId}/orders/${order.id}/cancel`, { reason: 'customer called to cancel' });
    expect(cancelled.status).toBe(200);
    const result = await stack.client.workflow.getHandle(orderToCashWorkflowId(tenantId, order.id)).result();
    expect(result).toMatchObject({ outcome: 'cancelled', status: { note: 'cancelled by an operator: customer called to cancel' } });
    expect(await documentsOf(order.id)).toHaveLength(0);
    expect(await stack.ledger(tenantId, 'order', order.id)).toMatchObject({ state: 'cancelled' });
  });
});
