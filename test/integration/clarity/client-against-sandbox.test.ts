import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  allPages,
  ClarityAuthError,
  ClarityInputError,
  ClarityRetryableError,
  type ClarityClient,
} from '../../../connectors/clarity/index.js';
import { startClaritySandbox, type RunningClaritySandbox } from '../../../sandbox/clarity/index.js';
import { control, demoClient, requestLog } from './support.js';

let sandbox: RunningClaritySandbox;
let client: ClarityClient;

beforeAll(async () => {
  sandbox = await startClaritySandbox({ port: 0, controlEnabled: true });
});

afterAll(async () => {
  await sandbox.close();
});

beforeEach(async () => {
  await control(sandbox.url, 'POST', '/reset');
  client = demoClient(sandbox.url);
});

async function failureOf(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => expect.unreachable('the call should have failed'),
    (error: unknown) => error,
  );
}

describe('Clarity client against the sandbox: reads', () => {
  it('when orders are paged two at a time then every seeded order comes exactly once, oldest change first', async () => {
    const first = await client.listOrders({ limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toBeTypeOf('string');
    const all = [];
    for await (const order of allPages((cursor) => client.listOrders({ limit: 2, ...(cursor !== undefined && { cursor }) })))
      all.push(order);
    expect(all.map((order) => order.orderId).sort()).toEqual(['CO-100001', 'CO-100002', 'CO-100003', 'CO-100004', 'CO-100005']);
    const keys = all.map((order) => `${order.updatedAt}|${order.orderId}`);
    expect(keys).toEqual([...keys].sort());
  });

  it('when orders are filtered by status and updatedSince then only matching orders come back', async () => {
    expect((await client.listOrders({ status: 'pending' })).items.map((order) => order.orderId)).toEqual(['CO-100002']);
    expect((await client.listOrders({ updatedSince: '2026-11-05T00:00:00Z' })).items.map((order) => order.orderId)).toEqual([
      'CO-100003',
      'CO-100004',
      'CO-100005',
    ]);
  });

  it('when an order is read then its amounts balance and carry the seed’s fields', async () => {
    const order = await client.getOrder('CO-100001');
    expect(order).toMatchObject({
      customerId: 'CU-2001',
      couponCode: 'SPRING10',
      currency: 'USD',
      status: 'processing',
      subtotalAmount: '62.50',
      discountAmount: '6.25',
      shippingAmount: '8.00',
    });
    const cents = (amount: string) => Math.round(Number(amount) * 100);
    expect(cents(order.totalAmount)).toBe(
      cents(order.subtotalAmount) - cents(order.discountAmount) + cents(order.shippingAmount) + cents(order.taxAmount),
    );
    expect(order.lineItems.reduce((sum, line) => sum + cents(line.lineTotal), 0) + cents(order.shippingAmount)).toBe(
      cents(order.totalAmount),
    );
    expect(order.paymentInfo).toMatchObject({ method: 'credit_card', status: 'captured', amount: order.totalAmount });
  });

  it('when a guest order is read then it has no customer id', async () => {
    expect(await client.getOrder('CO-100002')).toMatchObject({ customerId: null, customerEmail: 'sam.lee@example.net', status: 'pending' });
  });

  it('when transactions, shipments and returns are read then the shipped and refunded order shows all three', async () => {
    const transactions = await client.listOrderTransactions('CO-100003');
    expect(transactions.map((transaction) => transaction.type)).toEqual(['authorization', 'capture', 'refund']);
    expect(await client.listShipments('CO-100003')).toEqual([
      expect.objectContaining({ shipmentId: 'SH-9001', carrier: 'UPS', trackingNumber: '1Z999AA10123456784' }),
    ]);
    const returns = await client.listReturns({ status: 'refunded' });
    expect(returns.items.map((record) => record.returnId)).toEqual(['RMA-3001']);
    const record = await client.getReturn('RMA-3001');
    expect(record.refund?.transactionId).toBe(transactions[2]!.transactionId);
    expect(record.refund?.amount).toBe(transactions[2]!.amount);
  });

  it('when products, inventory, customers and coupons are read then the seeded store answers', async () => {
    const products = [];
    for await (const product of allPages((cursor) => client.listProducts({ limit: 3, ...(cursor !== undefined && { cursor }) })))
      products.push(product.sku);
    expect(products).toEqual([...products].sort());
    expect(products).toContain('TSHIRT-BLK-M');
    expect(products).toHaveLength(10);
    expect(await client.getProduct('MUG-WHT-11OZ')).toMatchObject({ sku: 'MUG-WHT-11OZ', price: '14.50', inventoryTracked: true });
    expect((await client.listInventory({ sku: 'CAP-NVY-OS' })).items).toEqual([
      expect.objectContaining({ sku: 'CAP-NVY-OS', locationId: 'MAIN', available: 69 }),
    ]);
    expect(await client.findCustomerByEmail('MARCO@rossi-outfitters.example')).toMatchObject({
      customerId: 'CU-2002',
      company: 'Rossi Outfitters LLC',
    });
    expect(await client.findCustomerByEmail('nobody@example.com')).toBeUndefined();
    expect(await client.getCustomer('CU-2003')).toMatchObject({ firstName: 'Aiko' });
    expect(await client.getCoupon('spring10')).toEqual({ code: 'SPRING10', type: 'percent', value: '10', active: true });
  });

  it('when customers are pulled since a time, a page at a time, then changed ones come oldest change first, each once', async () => {
    // Seeded: CU-2001 and CU-2003 unchanged since March and August, CU-2002 changed in September.
    const seeded = [];
    for await (const customer of allPages((cursor) => client.listCustomers({ limit: 1, ...(cursor !== undefined && { cursor }) })))
      seeded.push(customer.customerId);
    expect(seeded).toEqual(['CU-2001', 'CU-2003', 'CU-2002']);

    await control(sandbox.url, 'PATCH', '/customers/CU-2001', { phone: '+1 512 555 0199' });
    await control(sandbox.url, 'POST', '/customers', {
      customerId: 'CU-2100',
      email: 'new@example.com',
      firstName: 'Nia',
      lastName: 'Park',
    });
    const changed = [];
    for await (const customer of allPages((cursor) =>
      client.listCustomers({ updatedSince: '2026-09-01T00:00:00Z', limit: 1, ...(cursor !== undefined && { cursor }) }),
    ))
      changed.push(customer);
    expect(changed.map((customer) => customer.customerId)).toEqual(['CU-2002', 'CU-2001', 'CU-2100']);
    expect(changed[1]).toMatchObject({ phone: '+1 512 555 0199', createdAt: '2026-03-14T10:12:00.000Z' });
    expect(Date.parse(changed[1]!.updatedAt)).toBeGreaterThan(Date.parse('2026-09-20T08:05:00.000Z'));
  });

  it('when something does not exist then the error is a non-retryable input error with the vendor code and request id', async () => {
    const error = await failureOf(client.getOrder('CO-999999'));
    expect(error).toBeInstanceOf(ClarityInputError);
    expect(error).toMatchObject({
      status: 404,
      vendorCode: 'https://errors.clarity.test/not-found',
      retryable: false,
      requestId: expect.stringMatching(/^req_/),
    });
  });

  it('when a list parameter is invalid then the 400 is an input error', async () => {
    expect(await failureOf(client.listOrders({ limit: 500 }))).toMatchObject({ type: 'ClarityInputError', status: 400 });
    expect(await failureOf(client.listOrders({ cursor: 'not-a-cursor' }))).toMatchObject({ type: 'ClarityInputError', status: 400 });
  });
});

describe('Clarity client against the sandbox: writes', () => {
  const shipment = {
    shipmentId: 'SH-TEST-1',
    carrier: 'UPS',
    service: 'Ground',
    trackingNumber: '1Z999AA10000000001',
    trackingUrl: 'https://www.ups.com/track?tracknum=1Z999AA10000000001',
    shippedAt: '2026-11-20T10:00:00Z',
    lineItems: [
      { sku: 'TSHIRT-BLK-M', quantity: 2 },
      { sku: 'MUG-WHT-11OZ', quantity: 1 },
    ],
  };

  it('when a shipment covers every line then the order becomes fulfilled, and pushing it again changes nothing', async () => {
    const created = await client.createShipment('CO-100001', shipment, { idempotencyKey: 'ship-CO-100001-SH-TEST-1' });
    expect(created).toMatchObject({ shipmentId: 'SH-TEST-1', orderId: 'CO-100001' });
    expect((await client.getOrder('CO-100001')).status).toBe('fulfilled');
    // A retried activity with a new key still lands on the same shipment (idempotent on shipmentId).
    expect(await client.createShipment('CO-100001', shipment, { idempotencyKey: 'another-key' })).toEqual(created);
    expect(await client.listShipments('CO-100001')).toHaveLength(1);
  });

  it('when the same idempotency key is reused for another body then it is a 409 input error', async () => {
    await client.createShipment(
      'CO-100001',
      { ...shipment, lineItems: [{ sku: 'MUG-WHT-11OZ', quantity: 1 }] },
      { idempotencyKey: 'key-1' },
    );
    expect(await failureOf(client.createShipment('CO-100001', shipment, { idempotencyKey: 'key-1' }))).toMatchObject({
      type: 'ClarityInputError',
      status: 409,
    });
  });

  it.each([
    ['more than was ordered', { lineItems: [{ sku: 'TSHIRT-BLK-M', quantity: 3 }] }, 409],
    ['a SKU not on the order', { lineItems: [{ sku: 'HOODIE-GRY-L', quantity: 1 }] }, 422],
  ])('when a shipment has %s then it is refused as an input error', async (_case, change, status) => {
    const error = await failureOf(client.createShipment('CO-100001', { ...shipment, ...change }, { idempotencyKey: `bad-${status}` }));
    expect(error).toBeInstanceOf(ClarityInputError);
    expect(error).toMatchObject({ status });
  });

  it('when the ERP reference is written back then the order carries it', async () => {
    const order = await client.setOrderErpReference('CO-100004', 'SO-000123', { idempotencyKey: 'erp-CO-100004' });
    expect(order.erpReference).toBe('SO-000123');
    expect((await client.getOrder('CO-100004')).erpReference).toBe('SO-000123');
  });

  it('when stock is set absolutely, singly and in a batch, then the levels are exactly those and unknown SKUs fail alone', async () => {
    expect(await client.setInventory({ sku: 'TSHIRT-BLK-L', available: 42 }, { idempotencyKey: 'inv-1' })).toMatchObject({
      sku: 'TSHIRT-BLK-L',
      available: 42,
    });
    expect(await client.setInventory({ sku: 'TSHIRT-BLK-L', available: 42 }, { idempotencyKey: 'inv-1b' })).toMatchObject({
      available: 42,
    });
    const results = await client.setInventoryBatch(
      [
        { sku: 'MUG-WHT-11OZ', available: 0 },
        { sku: 'NO-SUCH-SKU', available: 5 },
        { sku: 'CAP-NVY-OS', available: 9, locationId: 'MAIN' },
      ],
      { idempotencyKey: 'inv-batch-1' },
    );
    expect(results).toEqual([
      { sku: 'MUG-WHT-11OZ', ok: true },
      { sku: 'NO-SUCH-SKU', ok: false, error: 'unknown sku' },
      { sku: 'CAP-NVY-OS', ok: true },
    ]);
    expect((await client.getProduct('MUG-WHT-11OZ')).available).toBe(0);
    expect((await client.getProduct('CAP-NVY-OS')).available).toBe(9);
  });

  it('when a product is updated then only the given fields change, and an unknown SKU or a bad price is an input error', async () => {
    const updated = await client.updateProduct('CAP-NVY-OS', { price: '21.00', active: false }, { idempotencyKey: 'product-1' });
    expect(updated).toMatchObject({ sku: 'CAP-NVY-OS', name: 'Baseball Cap, Navy, One Size', price: '21.00', active: false });
    expect(await client.getProduct('CAP-NVY-OS')).toEqual(updated);
    expect(await failureOf(client.updateProduct('NO-SUCH-SKU', { name: 'x' }, { idempotencyKey: 'product-2' }))).toMatchObject({
      type: 'ClarityInputError',
      status: 404,
    });
    const refused = await failureOf(client.updateProduct('CAP-NVY-OS', { price: '21' }, { idempotencyKey: 'product-3' }));
    expect(refused).toBeInstanceOf(ClarityInputError);
    expect(refused).toMatchObject({ status: 422, fieldErrors: [expect.objectContaining({ field: 'price' })] });
  });

  it('when webhooks are managed then create shows the secret once, list hides it, rotate replaces it and delete removes it', async () => {
    const created = await client.createWebhook(
      { url: 'https://receiver.example/webhooks/clarity/demo', events: ['order.created', 'return.created'] },
      { idempotencyKey: 'wh-1' },
    );
    expect(created.secret).toMatch(/^whsec_/);
    const listed = await client.listWebhooks();
    expect(listed).toEqual([
      { id: created.id, url: created.url, events: created.events, description: null, active: true, createdAt: created.createdAt },
    ]);
    expect(await client.getWebhook(created.id)).toEqual(listed[0]);
    const rotated = await client.rotateWebhookSecret(created.id, { idempotencyKey: 'wh-1-rotate-1' });
    expect(rotated.secret).not.toBe(created.secret);
    await client.deleteWebhook(created.id);
    expect(await client.listWebhooks()).toEqual([]);
    expect(await failureOf(client.getWebhook(created.id))).toMatchObject({ type: 'ClarityInputError', status: 404 });
  });
});

describe('Clarity client against the sandbox: tokens', () => {
  it('when many calls run then one token is fetched and reused', async () => {
    await Promise.all([
      client.getOrder('CO-100001'),
      client.getProduct('TSHIRT-BLK-M'),
      client.listOrders(),
      client.getCustomer('CU-2001'),
    ]);
    await client.listReturns();
    const tokenRequests = (await requestLog(sandbox.url)).filter((entry) => entry.path === '/oauth/token');
    expect(tokenRequests).toHaveLength(1);
  });

  it('when the token is within 60 s of expiry then the next call fetches a new one first', async () => {
    let now = Date.now();
    const timed = demoClient(sandbox.url, { now: () => now });
    await timed.getOrder('CO-100001');
    now += 3_600_000 - 61_000;
    await timed.getOrder('CO-100001');
    expect((await requestLog(sandbox.url)).filter((entry) => entry.path === '/oauth/token')).toHaveLength(1);
    now += 2_000;
    await timed.getOrder('CO-100001');
    const log = await requestLog(sandbox.url);
    expect(log.filter((entry) => entry.path === '/oauth/token')).toHaveLength(2);
    expect(log.filter((entry) => entry.status === 401)).toEqual([]);
  });

  it('when the token is revoked then a 401 triggers exactly one refresh and the call succeeds', async () => {
    await client.getOrder('CO-100001');
    await control(sandbox.url, 'POST', '/tokens/revoke');
    expect((await client.getOrder('CO-100002')).orderId).toBe('CO-100002');
    const log = await requestLog(sandbox.url);
    expect(log.map((entry) => `${entry.path} ${entry.status}`)).toEqual([
      '/oauth/token 200',
      '/api/v1/orders/CO-100001 200',
      '/api/v1/orders/CO-100002 401',
      '/oauth/token 200',
      '/api/v1/orders/CO-100002 200',
    ]);
  });

  it('when the client secret is wrong then the error is an auth error naming invalid_client and never the secret', async () => {
    const wrong = demoClient(sandbox.url, { credentials: { clientId: 'demo-clarity-client', clientSecret: 'wrong-secret-value' } });
    const error = await failureOf(wrong.getOrder('CO-100001'));
    expect(error).toBeInstanceOf(ClarityAuthError);
    expect(error).toMatchObject({ status: 401, vendorCode: 'invalid_client', retryable: false });
    expect(JSON.stringify(error) + String(error)).not.toContain('wrong-secret-value');
  });

  it('when the client lacks a scope then the 403 is an auth error', async () => {
    const readOnly = demoClient(sandbox.url, {
      credentials: { clientId: 'demo-clarity-readonly', clientSecret: 'demo-clarity-readonly-secret' },
      scopes: ['orders:read'],
    });
    expect((await readOnly.getOrder('CO-100001')).orderId).toBe('CO-100001');
    expect(await failureOf(readOnly.setInventory({ sku: 'TSHIRT-BLK-M', available: 1 }, { idempotencyKey: 'ro-1' }))).toMatchObject({
      type: 'ClarityAuthError',
      status: 403,
    });
  });

  it('when the client asks for a scope it was not granted then the token request fails as an auth error', async () => {
    const readOnly = demoClient(sandbox.url, {
      credentials: { clientId: 'demo-clarity-readonly', clientSecret: 'demo-clarity-readonly-secret' },
    });
    expect(await failureOf(readOnly.getOrder('CO-100001'))).toMatchObject({ type: 'ClarityAuthError', vendorCode: 'invalid_scope' });
  });
});

describe('Clarity client against the sandbox: faults', () => {
  it('when the API answers 503 with Retry-After then the error is retryable with the wait', async () => {
    await control(sandbox.url, 'POST', '/faults', {
      kind: 'server_error',
      status: 503,
      retryAfterSeconds: 4,
      pathPrefix: '/api/v1/orders',
      times: 1,
    });
    const error = await failureOf(client.getOrder('CO-100001'));
    expect(error).toBeInstanceOf(ClarityRetryableError);
    expect(error).toMatchObject({ status: 503, retryAfterMs: 4_000, vendorCode: 'https://errors.clarity.test/unavailable' });
    expect((await client.getOrder('CO-100001')).orderId).toBe('CO-100001');
  });

  it('when the API rate-limits then the 429 is retryable with Retry-After, and the next call succeeds', async () => {
    await control(sandbox.url, 'POST', '/faults', { kind: 'rate_limit', retryAfterSeconds: 2, pathPrefix: '/api/', times: 1 });
    expect(await failureOf(client.listOrders())).toMatchObject({ type: 'ClarityRetryableError', status: 429, retryAfterMs: 2_000 });
    expect((await client.listOrders()).items.length).toBeGreaterThan(0);
  });

  it('when the token endpoint fails with 500 then the error is retryable', async () => {
    await control(sandbox.url, 'POST', '/faults', { kind: 'server_error', status: 500, pathPrefix: '/oauth/token', times: 1 });
    expect(await failureOf(client.getOrder('CO-100001'))).toMatchObject({
      type: 'ClarityRetryableError',
      status: 500,
      operation: 'issueToken',
    });
  });

  it('when the API hangs past the client timeout then the error is retryable, with no answer status', async () => {
    const impatient = demoClient(sandbox.url, { timeoutMs: 300 });
    await impatient.getOrder('CO-100001');
    await control(sandbox.url, 'POST', '/faults', { kind: 'timeout', delayMs: 5_000, pathPrefix: '/api/v1/products', times: 1 });
    const error = await failureOf(impatient.getProduct('TSHIRT-BLK-M'));
    expect(error).toBeInstanceOf(ClarityRetryableError);
    expect(error).toMatchObject({ status: undefined, operation: 'getProduct' });
  });

  it('when latency is injected then the call is slower but succeeds', async () => {
    await client.getOrder('CO-100001');
    await control(sandbox.url, 'POST', '/faults', { kind: 'latency', delayMs: 250, pathPrefix: '/api/v1/orders', times: 1 });
    const startedAt = Date.now();
    expect((await client.getOrder('CO-100001')).orderId).toBe('CO-100001');
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(240);
  });

  it('when a write commits but its answer is lost then the retry under the same key returns the committed result', async () => {
    await client.getOrder('CO-100004');
    await control(sandbox.url, 'POST', '/faults', { kind: 'lost_response', method: 'PATCH', pathPrefix: '/api/v1/orders/', times: 1 });
    const lost = await failureOf(client.setOrderErpReference('CO-100004', 'SO-777', { idempotencyKey: 'erp-CO-100004-SO-777' }));
    expect(lost).toBeInstanceOf(ClarityRetryableError);
    expect((await client.getOrder('CO-100004')).erpReference).toBe('SO-777');
    const retried = await client.setOrderErpReference('CO-100004', 'SO-777', { idempotencyKey: 'erp-CO-100004-SO-777' });
    expect(retried.erpReference).toBe('SO-777');
    const patches = (await requestLog(sandbox.url)).filter(
      (entry) => entry.path === '/api/v1/orders/CO-100004' && entry.method === 'PATCH',
    );
    expect(patches.map((entry) => entry.fault ?? 'none')).toEqual(['lost_response', 'none']);
  });
});

describe('Clarity sandbox control switch', () => {
  it('when control is disabled then /_sandbox is not there but the API is', async () => {
    const closed = await startClaritySandbox({ port: 0, controlEnabled: false });
    try {
      expect((await fetch(`${closed.url}/_sandbox/reset`, { method: 'POST' })).status).toBe(404);
      expect((await demoClient(closed.url).getOrder('CO-100001')).orderId).toBe('CO-100001');
    } finally {
      await closed.close();
    }
  });
});
