import { describe, expect, it } from 'vitest';
import { eventually } from '../../support/eventually.js';
import { cents, useEndToEndTenant, type OrderToCashStack } from '../../support/order-to-cash-stack.js';
import '../../support/quiet-runtime.js';

/**
 * Issue 21 end to end: a tenant matches items by Intacct's item NAME, so a storefront SKU finds
 * no item and the order parks; the mapping assistant suggests the item through the admin API,
 * the operator accepts it, retries, and the order posts once.
 */
describe('OrderToCash end to end: an unknown SKU fixed through a suggestion', () => {
  let stack: OrderToCashStack;
  let tenantId: string;

  useEndToEndTenant(
    { storefront: 'clarity', orderSync: { itemMatching: { storefrontField: 'sku', intacctField: 'NAME' } } },
    (started) => ({ stack, tenantId } = started),
  );

  const documentsOf = async (orderId: string) =>
    (await stack.intacctRecords('SODOCUMENT')).filter((document) => document.PONUMBER === orderId);

  it('when an order parks for an unknown SKU, then the suggestion names the item; accepted and retried, the order posts once', async () => {
    const created = await stack.clarity('POST', '/orders', {
      customerId: 'CU-2002',
      lineItems: [{ sku: 'CAP-NVY-OS', quantity: 2 }],
      status: 'processing',
    });
    expect(created.status).toBe(201);
    const order = created.body as { orderId: string; totalAmount: string };

    const parked = await stack.waitForOrder(tenantId, order.orderId, (current) => current.step === 'parked');
    expect(parked.attention).toMatchObject({ code: 'unknown_sku' });
    await eventually(
      async () => {
        const queue = await stack.admin('GET', `/tenants/${tenantId}/attention?entity=order&code=unknown_sku`);
        return (queue.body.items as Array<{ externalId: string }>).some((item) => item.externalId === order.orderId) || undefined;
      },
      { what: `order ${order.orderId} in the attention queue` },
    );

    const suggested = await stack.admin('POST', `/tenants/${tenantId}/mappings/items/suggestions`, {});
    expect(suggested.status).toBe(200);
    expect(suggested.body.suggestions).toEqual([
      { sku: 'CAP-NVY-OS', candidates: [{ intacctItemId: 'CAP-NVY-OS', confidence: 0.99, reasons: ['same SKU'] }] },
    ]);

    const accepted = await stack.admin('POST', `/tenants/${tenantId}/mappings/items/suggestions/accept`, {
      sku: 'CAP-NVY-OS',
      intacctItemId: 'CAP-NVY-OS',
    });
    expect(accepted.status).toBe(200);
    expect((await stack.admin('POST', `/tenants/${tenantId}/orders/${order.orderId}/retry`)).status).toBe(200);

    await stack.waitForOrder(tenantId, order.orderId, (current) => current.step === 'awaiting_fulfilment');
    const documents = await documentsOf(order.orderId);
    expect(documents).toHaveLength(1);
    expect(cents(documents[0]!.TOTAL)).toBe(cents(order.totalAmount));
    expect(await stack.ledger(tenantId, 'order', order.orderId)).toMatchObject({ state: 'synced' });
    expect((await stack.admin('POST', `/tenants/${tenantId}/mappings/items/suggestions`, {})).body.suggestions).toEqual([]);
  });
});
