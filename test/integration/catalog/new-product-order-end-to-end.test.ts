import { describe, expect, it } from 'vitest';
import { readSettings, writeSettings } from '../../../store/settings.js';
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
 * Issue 20's "done when": a product added in BigCommerce becomes an inactive Intacct item for
 * review, an order for it waits in the attention queue instead of posting against an item no one
 * approved, and once the item is activated the operator's retry posts it once. The whole product
 * in one process: the sandbox delivers the webhooks the tenant registered.
 */
describe('a new BigCommerce product end to end: inactive Intacct item, then its order posts after activation', () => {
  let stack: OrderToCashStack;
  let tenantId: string;

  useEndToEndTenant(
    {
      storefront: 'bigcommerce',
      prepare: async (started, tenant) => {
        await mapJaneToIntacctCustomer(started, tenant);
        const current = (await readSettings(started.database.db, tenant))!;
        const catalog = { ...current.settings.catalog, items: { ...current.settings.catalog.items, createInIntacct: 'inactive' as const } };
        await writeSettings(
          started.database.db,
          tenant,
          { ...current.settings, catalog },
          { expectedVersion: current.version, changedBy: 'test' },
        );
      },
    },
    (started) => ({ stack, tenantId } = started),
  );

  it('when a product is added to the store, then its SKU is created inactive in Intacct and its order posts once the item is activated', async () => {
    const created = await stack.bigCommerce('POST', '/v3/catalog/products', {
      name: 'Trail Socks',
      type: 'physical',
      weight: 0.2,
      price: 12,
      sku: 'SOCKS-TRL-L',
    });
    expect(created.status).toBe(200);
    const productId = (created.body as { data: { id: number } }).data.id;

    const item = await eventually(async () => (await stack.intacctRecords('ITEM')).find((row) => row.ITEMID === 'SOCKS-TRL-L'), {
      until: (row) => row !== undefined,
      what: 'the Intacct item of the new SKU',
      timeoutMs: 60_000,
    });
    expect(item).toMatchObject({ NAME: 'Trail Socks', STATUS: 'inactive', BASEPRICE: '12.00' });

    const order = await stack.bigCommerce('POST', '/v2/orders', {
      customer_id: 1,
      status_id: 11,
      billing_address: janeAtAcmeBillingAddress,
      products: [{ product_id: productId, quantity: 2 }],
    });
    expect(order.status).toBe(201);
    const orderId = String((order.body as { id: number }).id);
    const parked = await stack.waitForOrder(tenantId, orderId, (current) => current.step === 'parked');
    expect(parked.attention?.reason).toContain('SOCKS-TRL-L');

    await stack.intacctControl('PATCH', '/records/ITEM/SOCKS-TRL-L', { fields: { STATUS: 'active' } });
    const retried = await stack.admin('POST', `/tenants/${tenantId}/orders/${orderId}/retry`);
    expect(retried.status).toBe(200);

    await stack.waitForOrder(tenantId, orderId, (current) => current.step === 'awaiting_fulfilment');
    const documents = (await stack.intacctRecords('SODOCUMENT')).filter((document) => document.PONUMBER === orderId);
    expect(documents).toHaveLength(1);
    const total = (await stack.bigCommerce('GET', `/v2/orders/${orderId}`)).body as { total_inc_tax: string };
    expect(cents(documents[0]!.TOTAL)).toBe(cents(total.total_inc_tax));
    expect((await stack.intacctRecords('ITEM')).filter((row) => row.ITEMID === 'SOCKS-TRL-L')).toHaveLength(1);
  });
});
