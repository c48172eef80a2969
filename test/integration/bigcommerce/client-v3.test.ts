import { describe, expect, it } from 'vitest';
import { BigCommerceInputError } from '../../../connectors/bigcommerce/index.js';
import { useBigCommerceSandbox } from './sandbox-fixture.js';

const bc = useBigCommerceSandbox();

describe('BigCommerce client: V3 payments against the sandbox', () => {
  it('when a paid order’s transactions are read then the purchase is there; an unpaid order gives [] (204)', async () => {
    const client = bc.client();
    const transactions = await client.payments.listTransactions(100);
    expect(transactions).toMatchObject([
      { order_id: '100', event: 'purchase', amount: 75.66, currency: 'USD', gateway: 'testgateway', status: 'ok' },
    ]);
    expect(await client.payments.listTransactions(101)).toEqual([]);
  });

  it('when a refund is quoted and then created with the quoted method then the order is partially refunded', async () => {
    const client = bc.client();
    const items = [{ item_type: 'PRODUCT' as const, item_id: 1, quantity: 1 }];
    const quote = await client.payments.createRefundQuote(100, { items });
    expect(quote).toMatchObject({ order_id: 100, total_refund_amount: 25.98, total_refund_tax_amount: 1.98 });
    const method = quote.refund_methods[0]![0]!;
    const refund = await client.payments.createRefund(100, {
      items,
      payments: [{ provider_id: method.provider_id, amount: method.amount, offline: method.offline }],
    });
    expect(refund).toMatchObject({
      order_id: 100,
      total_amount: 25.98,
      total_tax: 1.98,
      items: [{ item_type: 'PRODUCT', item_id: 1, quantity: 1 }],
      payments: [{ provider_id: 'testgateway', amount: 25.98 }],
    });
    expect(await client.orders.getOrder(100)).toMatchObject({ status_id: 14, refunded_amount: '25.9800' });
    expect((await client.payments.listOrderRefunds(100)).map((entry) => entry.id)).toEqual([refund.id]);
    expect(await client.payments.getRefund(refund.id)).toEqual(refund);
    const all = await client.payments.listRefunds({ orderIds: [100] });
    expect(all.data.map((entry) => entry.id)).toEqual([refund.id]);
    expect(all.pagination).toMatchObject({ total: 1, current_page: 1, total_pages: 1 });
  });

  it('when the refund payment does not match the quote then it is a 422 input error with the vendor’s words', async () => {
    const error = await bc
      .client()
      .payments.createRefund(100, {
        items: [{ item_type: 'PRODUCT', item_id: 1, quantity: 1 }],
        payments: [{ provider_id: 'testgateway', amount: 1, offline: false }],
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BigCommerceInputError);
    expect(error).toMatchObject({
      status: 422,
      message:
        'BigCommerce POST v3/orders/100/payment_actions/refunds answered 422: The payments total 1 does not match the refund quote 25.98.',
    });
  });

  it('when the whole order is refunded then its status becomes Refunded (4)', async () => {
    const client = bc.client();
    const items = [
      { item_type: 'PRODUCT' as const, item_id: 1, quantity: 2 },
      { item_type: 'PRODUCT' as const, item_id: 2, quantity: 1 },
      { item_type: 'SHIPPING' as const, item_id: 1, amount: 8 },
    ];
    const quote = await client.payments.createRefundQuote(100, { items });
    await client.payments.createRefund(100, {
      items,
      payments: [{ provider_id: 'testgateway', amount: quote.total_refund_amount, offline: false }],
    });
    expect((await client.orders.getOrder(100)).status_id).toBe(4);
  });
});

describe('BigCommerce client: V3 customers and catalog against the sandbox', () => {
  it('when customers are filtered by email then the one customer comes back with V3 address names', async () => {
    const client = bc.client();
    const found = await client.customers.findCustomerByEmail('jane.doe@example.com');
    expect(found).toMatchObject({
      id: 1,
      first_name: 'Jane',
      company: 'Acme Outfitters',
      addresses: [{ address1: '555 East Street', state_or_province: 'Texas', postal_code: '78701', country_code: 'US' }],
    });
    expect(await client.customers.findCustomerByEmail('nobody@example.com')).toBeUndefined();
  });

  it('when customers are paged then meta.pagination drives the pages', async () => {
    const client = bc.client();
    const first = await client.customers.listCustomers({ page: 1, limit: 2 });
    const second = await client.customers.listCustomers({ page: 2, limit: 2 });
    expect(first.pagination).toMatchObject({
      total: 3,
      count: 2,
      per_page: 2,
      current_page: 1,
      total_pages: 2,
      links: { next: '?page=2&limit=2' },
    });
    expect([...first.data, ...second.data].map((customer) => customer.id)).toEqual([1, 2, 3]);
    expect(
      (await client.customers.listCustomers({ ids: [2, 3], companies: ['Garcia Design Studio'] })).data.map((customer) => customer.id),
    ).toEqual([3]);
  });

  it('when a SKU is resolved then variant SKUs win and simple products resolve by their base SKU', async () => {
    const client = bc.client();
    expect(await client.catalog.findBySku('TSHIRT-BLK-M')).toEqual({ productId: 111, variantId: 202, sku: 'TSHIRT-BLK-M' });
    expect(await client.catalog.findBySku('MUG-CER-12OZ')).toEqual({ productId: 112, variantId: 210, sku: 'MUG-CER-12OZ' });
    expect(await client.catalog.findBySku('NOPE-1')).toBeUndefined();
  });

  it('when products are read with variants then prices are numbers and inventory is the default location’s', async () => {
    const { data } = await bc.client().catalog.listProducts({ skus: ['TSHIRT'], includeVariants: true });
    expect(data[0]).toMatchObject({ id: 111, price: 24, inventory_tracking: 'variant', inventory_level: 150 });
    expect(data[0]?.variants?.map((variant) => [variant.sku, variant.inventory_level])).toEqual([
      ['TSHIRT-BLK-S', 40],
      ['TSHIRT-BLK-M', 55],
      ['TSHIRT-BLK-L', 30],
      ['TSHIRT-WHT-M', 25],
    ]);
    expect((await bc.client().catalog.listVariants({ productIds: [111], limit: 2 })).pagination).toMatchObject({
      total: 4,
      total_pages: 2,
    });
  });
});

describe('BigCommerce client: V3 catalog batch updates against the sandbox', () => {
  it('when every product in a batch is valid then all are saved and nothing is reported failed', async () => {
    const result = await bc.client().catalog.updateProducts([
      { id: 112, price: 15.5 },
      { id: 114, cost_price: 7.25 },
    ]);
    expect(result.partialFailure).toBeUndefined();
    expect(result.updated.map((product) => [product.id, product.price, product.cost_price])).toEqual([
      [112, 15.5, 5.2],
      [114, 19.99, 7.25],
    ]);
  });

  it('when part of a batch fails then the 207 partial success says what was saved and what was not', async () => {
    const result = await bc.client().catalog.updateProducts([
      { id: 112, price: 16 },
      { id: 9999, price: 1 },
    ]);
    expect(result.updated.map((product) => product.id)).toEqual([112]);
    expect(result.partialFailure).toMatchObject({
      status: 422,
      title: 'Some products were not updated',
      errors: { '1': 'product 9999 does not exist' },
    });
    expect((await bc.client().catalog.listProducts({ ids: [112] })).data[0]?.price).toBe(16);
  });

  it('when a batch has more than 10 products then the client refuses it and the store would answer 413', async () => {
    const batch = Array.from({ length: 11 }, (_, index) => ({ id: 112, price: index }));
    await expect(bc.client().catalog.updateProducts(batch)).rejects.toBeInstanceOf(BigCommerceInputError);
    const raw = await fetch(`${bc.sandbox.url}/stores/demostore/v3/catalog/products`, {
      method: 'PUT',
      headers: { 'X-Auth-Token': 'demo-bc-token', 'Content-Type': 'application/json' },
      body: JSON.stringify(batch),
    });
    expect(raw.status).toBe(413);
  });
});

describe('BigCommerce client: V3 inventory against the sandbox', () => {
  it('when absolute levels are set by sku, variant and product then the items show them per location', async () => {
    const client = bc.client();
    const transactionId = await client.inventory.setAbsoluteLevels(
      [
        { location_id: 1, sku: 'TSHIRT-BLK-M', quantity: 7 },
        { location_id: 2, variant_id: 203, quantity: 9 },
        { location_id: 1, product_id: 113, quantity: 3 },
      ],
      'Intacct sync',
    );
    expect(transactionId).toMatch(/^[0-9a-f-]{36}$/);
    const { data } = await client.inventory.listItems({ skus: ['TSHIRT-BLK-M', 'TSHIRT-BLK-L', 'HOODIE-GRY-L'] });
    const onHand = Object.fromEntries(
      data.map((item) => [item.identity.sku, item.locations.map((location) => location.total_inventory_onhand)]),
    );
    expect(onHand).toEqual({ 'TSHIRT-BLK-M': [7, 12], 'TSHIRT-BLK-L': [30, 9], 'HOODIE-GRY-L': [3, 6] });
  });

  it('when the identity does not match the tracking mode then the whole request is refused as problem+json 422', async () => {
    const raw = await fetch(`${bc.sandbox.url}/stores/demostore/v3/inventory/adjustments/absolute`, {
      method: 'PUT',
      headers: { 'X-Auth-Token': 'demo-bc-token', 'Content-Type': 'application/json' },
      body: JSON.stringify({ items: [{ location_id: 1, variant_id: 210, quantity: 5 }] }),
    });
    expect(raw.status).toBe(422);
    expect(raw.headers.get('content-type')).toContain('application/problem+json');
    const error = await bc
      .client()
      .inventory.setAbsoluteLevels([
        { location_id: 1, sku: 'TSHIRT-BLK-S', quantity: 1 },
        { location_id: 1, product_id: 111, quantity: 5 },
      ])
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      type: 'BigCommerceInputError',
      status: 422,
      message:
        'BigCommerce PUT v3/inventory/adjustments/absolute answered 422: [Item with product_id 111 is tracked by variant, please update stock by variant id or sku]',
    });
    expect(
      (await bc.client().inventory.listItems({ skus: ['TSHIRT-BLK-S'], locationIds: [1] })).data[0]?.locations[0]?.total_inventory_onhand,
    ).toBe(40);
  });

  it('when more than 2,000 items are given then the client refuses before sending; the store refuses too', async () => {
    const items = Array.from({ length: 2001 }, () => ({ location_id: 1, sku: 'MUG-CER-12OZ', quantity: 1 }));
    await expect(bc.client().inventory.setAbsoluteLevels(items)).rejects.toBeInstanceOf(BigCommerceInputError);
    const logged = (await bc.control('GET', '/requests')) as { requests: unknown[] };
    expect(logged.requests).toEqual([]);
    const raw = await fetch(`${bc.sandbox.url}/stores/demostore/v3/inventory/adjustments/absolute`, {
      method: 'PUT',
      headers: { 'X-Auth-Token': 'demo-bc-token', 'Content-Type': 'application/json' },
      body: JSON.stringify({ items }),
    });
    expect(raw.status).toBe(422);
  });

  it('when many adjustments are sent at once then the client runs them one at a time', async () => {
    await bc.control('PUT', '/faults', { latencyMs: 30 });
    const client = bc.client();
    await Promise.all(
      [5, 6, 7, 8].map((quantity) => client.inventory.setAbsoluteLevels([{ location_id: 1, sku: 'CAP-NVY-OS', quantity }])),
    );
    const state = (await bc.control('GET', '/state')) as { inventoryWrites: { maxInFlight: number } };
    expect(state.inventoryWrites.maxInFlight).toBe(1);
    expect(
      (await client.inventory.listItems({ skus: ['CAP-NVY-OS'], locationIds: [1] })).data[0]?.locations[0]?.total_inventory_onhand,
    ).toBe(8);
  });

  it('when locations are listed then the default one can be found', async () => {
    expect(await bc.client().inventory.listLocations({ isDefault: true })).toMatchObject([
      { id: 1, code: 'BC-LOCATION-1', label: 'Default location', enabled: true },
    ]);
    expect((await bc.client().inventory.listLocations()).map((location) => location.code)).toEqual(['BC-LOCATION-1', 'WH-EAST']);
  });
});

describe('BigCommerce client: V3 hooks against the sandbox', () => {
  it('when a hook is created, listed, updated and deleted then each step shows its custom headers and state', async () => {
    const client = bc.client();
    const hook = await client.hooks.createHook({
      scope: 'store/order/*',
      destination: 'https://sync.example.com/webhooks/bigcommerce/acme',
      is_active: true,
      headers: { 'X-Webhook-Secret': 's1' },
    });
    expect(hook).toMatchObject({
      scope: 'store/order/*',
      is_active: true,
      headers: { 'X-Webhook-Secret': 's1' },
      client_id: 'demo-bc-client',
      store_hash: 'demostore',
    });
    expect(hook.created_at).toBeGreaterThan(1_700_000_000);
    expect((await client.hooks.listHooks({ scope: 'store/order/*' })).map((entry) => entry.id)).toEqual([hook.id]);
    const updated = await client.hooks.updateHook(hook.id, { is_active: false, headers: { 'X-Webhook-Secret': 's2' } });
    expect(updated).toMatchObject({ is_active: false, headers: { 'X-Webhook-Secret': 's2' } });
    expect(await client.hooks.getHook(hook.id)).toEqual(updated);
    expect((await client.hooks.deleteHook(hook.id)).id).toBe(hook.id);
    expect(await client.hooks.listHooks()).toEqual([]);
    await expect(client.hooks.getHook(hook.id)).rejects.toMatchObject({ status: 404 });
  });

  it('when the destination is missing then the 422 names the field', async () => {
    await expect(bc.client().hooks.createHook({ scope: 'store/order/created' } as never)).rejects.toMatchObject({
      status: 422,
      fieldErrors: { destination: 'error.path.missing.' },
    });
  });
});

describe('BigCommerce client: order metafields and product custom fields against the sandbox', () => {
  const seed = async (path: string, body: unknown) => {
    const response = await fetch(`${bc.sandbox.url}/stores/demostore/v3${path}`, {
      method: 'POST',
      headers: { 'X-Auth-Token': 'demo-bc-token', 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };

  it('when metafields are read by namespace then only those namespaces come back; a second one with the same key is a 409', async () => {
    await seed('/orders/100/metafields', { permission_set: 'read', namespace: 'erp', key: 'costCenter', value: 'CC-42' });
    await seed('/orders/100/metafields', { permission_set: 'app_only', namespace: 'crm', key: 'phone', value: '+1 512 555 0100' });
    expect(await seed('/orders/100/metafields', { permission_set: 'read', namespace: 'erp', key: 'costCenter', value: 'x' })).toMatchObject(
      {
        status: 409,
      },
    );
    expect(await seed('/orders/100/metafields', { namespace: 'erp', key: 'k', value: 'v' })).toMatchObject({ status: 422 });
    const metafields = await bc.client().orders.listMetafields(100, ['erp']);
    expect(metafields.map(({ namespace, key, value }) => ({ namespace, key, value }))).toEqual([
      { namespace: 'erp', key: 'costCenter', value: 'CC-42' },
    ]);
    expect(await bc.client().orders.listMetafields(101, ['erp'])).toEqual([]);
    // A namespace with a comma cannot be filtered on: every metafield comes back, for the caller to pick from.
    expect((await bc.client().orders.listMetafields(100, ['erp', 'a,b'])).map((metafield) => metafield.namespace).sort()).toEqual([
      'crm',
      'erp',
    ]);
  });

  it('when products are listed with their custom fields then each carries its own; an unknown product is a 404', async () => {
    await seed('/catalog/products/111/custom-fields', { name: 'Product Line', value: 'Apparel' });
    expect(await seed('/catalog/products/111/custom-fields', { name: 'Product Line', value: 'Apparel' })).toMatchObject({ status: 409 });
    expect(await seed('/catalog/products/99999/custom-fields', { name: 'Product Line', value: 'Apparel' })).toMatchObject({ status: 404 });
    const page = await bc.client().catalog.listProducts({ ids: [111, 112], includeCustomFields: true });
    expect(
      page.data.map((product) => ({ id: product.id, fields: product.custom_fields?.map(({ name, value }) => ({ name, value })) })),
    ).toEqual([
      { id: 111, fields: [{ name: 'Product Line', value: 'Apparel' }] },
      { id: 112, fields: [] },
    ]);
    expect((await bc.client().catalog.listProducts({ ids: [111] })).data[0]).not.toHaveProperty('custom_fields');
  });
});

describe('BigCommerce client: product brands and categories against the sandbox', () => {
  const updateProducts = async (body: unknown) => {
    const response = await fetch(`${bc.sandbox.url}/stores/demostore/v3/catalog/products`, {
      method: 'PUT',
      headers: { 'X-Auth-Token': 'demo-bc-token', 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as { data: Array<{ id: number; brand_id: number }> } };
  };

  it('when products are read then each carries its brand id (0: none) and category ids, and the names come by id', async () => {
    const { data } = await bc.client().catalog.listProducts({ ids: [111, 112, 114] });
    expect(data.map(({ id, brand_id, categories }) => ({ id, brand_id, categories }))).toEqual([
      { id: 111, brand_id: 35, categories: [18, 19] },
      { id: 112, brand_id: 36, categories: [21] },
      { id: 114, brand_id: 0, categories: [22] },
    ]);
    expect((await bc.client().catalog.listBrands({ ids: [36, 999] })).data).toEqual([{ id: 36, name: 'Harbor Goods' }]);
    expect((await bc.client().catalog.listCategories({ ids: [19, 21] })).data).toEqual([
      { category_id: 19, name: 'Tees', parent_id: 18, tree_id: 1 },
      { category_id: 21, name: 'Kitchen', parent_id: 0, tree_id: 1 },
    ]);
  });

  it('when a product is given a brand by name then an existing brand is used whatever its case, else one is created', async () => {
    const existing = await updateProducts([{ id: 114, brand_name: 'harbor goods' }]);
    expect(existing.status).toBe(200);
    expect(existing.body.data[0]!.brand_id).toBe(36);
    const created = await updateProducts([{ id: 114, brand_name: 'Northwind', categories: [18, 22] }]);
    const brandId = created.body.data[0]!.brand_id;
    expect((await bc.client().catalog.listBrands({ ids: [brandId] })).data).toEqual([{ id: brandId, name: 'Northwind' }]);
    expect((await bc.client().catalog.listProducts({ ids: [114] })).data[0]).toMatchObject({ brand_id: brandId, categories: [18, 22] });
    await updateProducts([{ id: 114, brand_id: 0 }]);
    expect((await bc.client().catalog.listProducts({ ids: [114] })).data[0]?.brand_id).toBe(0);
  });

  it('when brands and categories are paged then meta.pagination says where the page is', async () => {
    const first = await bc.client().catalog.listCategories({ ids: [18, 19, 20, 21, 22], limit: 2 });
    expect(first.data.map((category) => category.category_id)).toEqual([18, 19]);
    expect(first.pagination).toMatchObject({ total: 5, count: 2, per_page: 2, current_page: 1, total_pages: 3 });
    const last = await bc.client().catalog.listBrands({ ids: [35, 36], page: 2, limit: 1 });
    expect(last.data.map((brand) => brand.name)).toEqual(['Harbor Goods']);
    expect(last.pagination).toMatchObject({ total: 2, current_page: 2, total_pages: 2 });
  });
});
