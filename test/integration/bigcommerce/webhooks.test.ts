import { createHmac } from 'node:crypto';
import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorHandler, notFound } from '../../../api/errors.js';
import { requestContext } from '../../../api/request-context.js';
import { bigCommerceSecretHeader, bigCommerceWebhookRoutes } from '../../../api/webhooks/bigcommerce.js';
import { listen, type RunningServer } from '../../../api/server.js';
import { delegatingPorts, WebhookPortDoubles } from '../../support/webhook-port-doubles.js';
import { eventually } from '../../support/eventually.js';
import { useBigCommerceSandbox } from './sandbox-fixture.js';
import { janeDoeBillingAddress } from '../../support/builders.js';

// A compressed retry schedule: three quick retries, then the hook is deactivated.
const bc = useBigCommerceSandbox({ webhookRetryScheduleMs: [20, 40, 60] });

const secret = 'whsec-acme-0123456789';
let product: WebhookPortDoubles;
let receiver: RunningServer;

beforeAll(async () => {
  // Delegates to the current test's doubles, which beforeEach replaces.
  const deps = delegatingPorts(() => product);
  const logger = pino({ level: 'silent' });
  const app = express();
  app.use(requestContext(logger));
  app.use(bigCommerceWebhookRoutes(deps));
  app.use(notFound);
  app.use(errorHandler(logger));
  receiver = await listen(app, 0, '127.0.0.1');
});
afterAll(async () => {
  await receiver.close();
});
beforeEach(() => {
  product = new WebhookPortDoubles('bigcommerce');
  product.tenantSecrets.set('acme', [secret]);
  product.tenantSecrets.set('globex', ['whsec-globex']);
});

type Deliveries = { deliveries: { hookId: number; scope: string; hash: string; state: string; attempts: { status?: number }[] }[] };

const destination = (tenant = 'acme') => `${receiver.url}/webhooks/bigcommerce/${tenant}`;
const register = (scope: string, headers: Record<string, string> = { [bigCommerceSecretHeader]: secret }, tenant = 'acme') =>
  bc.client().hooks.createHook({ scope, destination: destination(tenant), is_active: true, headers });
const deliveries = async () => ((await bc.control('GET', '/webhooks')) as Deliveries).deliveries;
const eventsOf = (topic: string) => product.dispatched.filter((event) => event.topic === topic);

async function createOrder(): Promise<number> {
  const response = await fetch(`${bc.sandbox.url}/stores/demostore/v2/orders`, {
    method: 'POST',
    headers: { 'X-Auth-Token': 'demo-bc-token', 'Content-Type': 'application/json' },
    body: JSON.stringify({
      customer_id: 1,
      status_id: 11,
      billing_address: janeDoeBillingAddress,
      products: [{ product_id: 111, variant_id: 202, quantity: 1 }],
    }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: number }).id;
}

describe('BigCommerce webhooks from the sandbox to the receiver', () => {
  it('when an order is created through V2 then the receiver dispatches the order and acknowledges the stock change it caused without dispatching it', async () => {
    await register('store/order/*');
    await register('store/sku/*');
    const orderId = await createOrder();
    const created = await eventually(() => eventsOf('store/order/created')[0], { what: 'the order.created event' });
    expect(created).toMatchObject({ tenantId: 'acme', storefront: 'bigcommerce', entity: 'order', entityId: String(orderId) });
    // Stock moved by an order is Intacct's to learn through OrderToCash: no flow acts on it, so it is answered 200 at once.
    const stock = await eventually(
      async () =>
        (await deliveries()).find((delivery) => delivery.scope === 'store/sku/inventory/order/updated' && delivery.state === 'delivered'),
      { what: "the order's stock webhook to be delivered" },
    );
    expect(stock.attempts.map((attempt) => attempt.status)).toEqual([200]);
    expect(eventsOf('store/sku/inventory/order/updated')).toEqual([]);
  });

  it('when the order’s status changes, it is refunded and shipped then each webhook becomes its event', async () => {
    await register('store/order/*');
    await register('store/shipment/*');
    const client = bc.client();
    await client.orders.updateStatus(103, 9);
    await eventually(() => eventsOf('store/order/statusUpdated').length === 1, { what: 'the status event' });
    const items = [{ item_type: 'PRODUCT' as const, item_id: 5, quantity: 1 }];
    const quote = await client.payments.createRefundQuote(103, { items });
    const refund = await client.payments.createRefund(103, {
      items,
      payments: [{ provider_id: 'testgateway', amount: quote.total_refund_amount, offline: false }],
    });
    const refundEvent = await eventually(() => eventsOf('store/order/refund/created')[0], { what: 'the refund event' });
    expect(refundEvent).toMatchObject({ entity: 'refund', entityId: String(refund.id), orderId: '103' });
    const shipment = await client.orders.createShipment(103, {
      order_address_id: 4,
      items: [{ order_product_id: 6, quantity: 3 }],
      tracking_number: 'T-1',
      shipping_provider: 'ups',
    });
    const shipmentEvent = await eventually(() => eventsOf('store/shipment/created')[0], { what: 'the shipment event' });
    expect(shipmentEvent).toMatchObject({ entity: 'shipment', entityId: String(shipment.id), orderId: '103' });
    await eventually(() => eventsOf('store/order/statusUpdated').length === 3, { what: 'three status events' });
  });

  it('when stock is set through the inventory API then product- and variant-tracked items fire their own scopes', async () => {
    await register('store/product/inventory/updated');
    await register('store/sku/inventory/updated');
    await bc.client().inventory.setAbsoluteLevels([
      { location_id: 1, product_id: 112, quantity: 99 },
      { location_id: 1, sku: 'TSHIRT-BLK-L', quantity: 1 },
    ]);
    await eventually(() => product.dispatched.length === 2, { what: 'two inventory events' });
    expect(product.dispatched.map((event) => [event.topic, event.entity, event.entityId]).sort()).toEqual([
      ['store/product/inventory/updated', 'inventory', '112'],
      ['store/sku/inventory/updated', 'inventory', '203'],
    ]);
  });

  it('when the receiver answers 503 (dispatcher down) then the sandbox retries and the retry is dispatched once', async () => {
    await register('store/order/created');
    product.failNextDispatches = 1;
    await createOrder();
    await eventually(async () => (await deliveries()).find((delivery) => delivery.state === 'delivered'), {
      what: 'the delivery to be delivered',
    });
    const [delivery] = await deliveries();
    expect(delivery!.attempts.map((attempt) => attempt.status)).toEqual([503, 200]);
    expect(eventsOf('store/order/created')).toHaveLength(1);
  });

  it('when a delivery is replayed with the same hash then it is acknowledged as a duplicate and not dispatched again', async () => {
    await register('store/order/created');
    const orderId = await createOrder();
    const event = await eventually(() => eventsOf('store/order/created')[0], { what: 'the order.created event' });
    const replay = await fetch(destination(), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', [bigCommerceSecretHeader]: secret },
      body: JSON.stringify({
        scope: 'store/order/created',
        store_id: '1001',
        data: { type: 'order', id: orderId },
        hash: event.deliveryId,
        created_at: Math.floor(Date.parse(event.occurredAt) / 1000),
        producer: 'stores/demostore',
      }),
    });
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ outcome: 'duplicate' });
    expect(eventsOf('store/order/created')).toHaveLength(1);
  });

  it('when a callback is delivered then it carries the envelope, the custom headers and a valid signature', async () => {
    const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
    const tapApp = express();
    tapApp.use(express.text({ type: () => true }));
    tapApp.post('/tap', (request, response) => {
      received.push({ headers: request.headers, body: request.body as string });
      response.status(204).end();
    });
    const tap = await listen(tapApp, 0, '127.0.0.1');
    try {
      await bc.client().hooks.createHook({
        scope: 'store/order/created',
        destination: `${tap.url}/tap`,
        is_active: true,
        headers: { 'X-Custom-Token': 'abc123' },
      });
      const orderId = await createOrder();
      const [delivery] = await eventually(() => (received.length > 0 ? received : undefined), { what: 'a delivery at the receiver' });
      expect(delivery!.headers['x-custom-token']).toBe('abc123');
      expect(delivery!.headers['content-type']).toBe('application/json');
      const envelope = JSON.parse(delivery!.body) as Record<string, unknown>;
      expect(envelope).toEqual({
        scope: 'store/order/created',
        store_id: '1001',
        data: { type: 'order', id: orderId },
        hash: expect.stringMatching(/^[0-9a-f]{40}$/),
        created_at: expect.any(Number),
        producer: 'stores/demostore',
      });
      const id = delivery!.headers['webhook-id'] as string;
      const timestamp = delivery!.headers['webhook-timestamp'] as string;
      expect(id).toBe(envelope.hash);
      const expected = createHmac('sha256', Buffer.from('demo-bc-secret', 'utf8'))
        .update(`${id}.${timestamp}.${delivery!.body}`)
        .digest('base64');
      expect(delivery!.headers['webhook-signature']).toBe(`v1,${expected}`);
    } finally {
      await tap.close();
    }
  });

  it.each([
    ['a forged secret', { [bigCommerceSecretHeader]: 'forged' }, 'acme'],
    ['no secret header', {}, 'acme'],
    ['another tenant’s URL with this tenant’s secret', { [bigCommerceSecretHeader]: secret }, 'globex'],
    ['an unknown tenant', { [bigCommerceSecretHeader]: secret }, 'initech'],
  ])(
    'when a hook sends %s then every attempt is refused 401, nothing is dispatched, and the hook is deactivated after the last retry',
    async (_name, headers, tenant) => {
      const hook = await register('store/order/created', headers, tenant);
      await createOrder();
      await eventually(async () => (await deliveries()).find((delivery) => delivery.state === 'failed'), { what: 'the delivery to fail' });
      const [delivery] = await deliveries();
      expect(delivery!.attempts.map((attempt) => attempt.status)).toEqual([401, 401, 401, 401]);
      expect(product.dispatched).toEqual([]);
      expect((await bc.client().hooks.getHook(hook.id)).is_active).toBe(false);
    },
  );
});
