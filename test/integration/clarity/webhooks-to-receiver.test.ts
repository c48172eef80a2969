import express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clarityWebhookRoutes } from '../../../api/webhooks/clarity.js';
import { listen, type RunningServer } from '../../../api/server.js';
import type { ClarityClient, ClarityEventType } from '../../../connectors/clarity/index.js';
import { startClaritySandbox, type RunningClaritySandbox } from '../../../sandbox/clarity/index.js';
import { delegatingPorts, WebhookPortDoubles } from '../../support/webhook-port-doubles.js';
import { eventually } from '../../support/eventually.js';
import { control, demoClient } from './support.js';

interface Attempt {
  headers: Record<string, string>;
  status: number | undefined;
}
interface Delivery {
  eventId: string;
  eventType: string;
  url: string;
  body: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: Attempt[];
}

const allEvents: ClarityEventType[] = ['order.created', 'order.updated', 'product.updated', 'return.created'];

let sandbox: RunningClaritySandbox;
let receiver: RunningServer;
let product: WebhookPortDoubles;
let client: ClarityClient;

beforeAll(async () => {
  // Four attempts, milliseconds apart: the real schedule's shape without its hours.
  sandbox = await startClaritySandbox({ port: 0, controlEnabled: true, webhookRetryScheduleMs: [0, 20, 40, 80] });
  const app = express();
  // Delegates to the current test's doubles, which beforeEach replaces.
  app.use(clarityWebhookRoutes(delegatingPorts(() => product)));
  receiver = await listen(app, 0, '127.0.0.1');
});

afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

beforeEach(async () => {
  await control(sandbox.url, 'POST', '/reset');
  product = new WebhookPortDoubles('clarity');
  client = demoClient(sandbox.url);
});

/** Subscribes `tenantId`'s receiver URL and gives the tenant that secret (unless told otherwise). */
async function subscribe(tenantId: string, options: { storeSecretFor?: string } = {}) {
  const subscription = await client.createWebhook(
    { url: `${receiver.url}/webhooks/clarity/${tenantId}`, events: allEvents },
    { idempotencyKey: `subscribe-${tenantId}` },
  );
  product.tenantSecrets.set(options.storeSecretFor ?? tenantId, [subscription.secret]);
  return subscription;
}

async function deliveries(): Promise<Delivery[]> {
  return (await control<{ data: Delivery[] }>(sandbox.url, 'GET', '/webhook-deliveries')).data;
}

async function settledDelivery(eventType: string): Promise<Delivery> {
  return eventually(async () => (await deliveries()).find((delivery) => delivery.eventType === eventType && delivery.state !== 'pending'), {
    what: `the ${eventType} delivery to settle`,
  });
}

async function checkout(): Promise<string> {
  const order = await control<{ orderId: string }>(sandbox.url, 'POST', '/orders', {
    customerId: 'CU-2001',
    lineItems: [{ sku: 'TSHIRT-BLK-L', quantity: 1 }],
  });
  return order.orderId;
}

describe('Clarity sandbox webhooks → product receiver', () => {
  it('when the storefront changes then each event reaches the dispatcher once, as the product’s event', async () => {
    await subscribe('tenant-a');
    const orderId = await checkout();
    await control(sandbox.url, 'POST', `/orders/${orderId}/status`, { status: 'cancelled' });
    await control(sandbox.url, 'PATCH', '/products/HOODIE-GRY-L', { name: 'Pullover Hoodie, Heather Grey, L' });
    await control(sandbox.url, 'POST', '/returns', {
      orderId: 'CO-100003',
      lineItems: [{ sku: 'TOTE-NAT-OS', quantity: 2, reason: 'damaged' }],
    });
    await eventually(() => product.dispatched.length === 4, { what: 'four events dispatched' });
    const byTopic = Object.fromEntries(product.dispatched.map((event) => [event.topic, event]));
    expect(byTopic['order.created']).toMatchObject({ tenantId: 'tenant-a', storefront: 'clarity', entity: 'order', entityId: orderId });
    expect(byTopic['order.updated']).toMatchObject({ entity: 'order', entityId: orderId });
    expect(byTopic['product.updated']).toMatchObject({ entity: 'product', entityId: 'HOODIE-GRY-L' });
    expect(byTopic['return.created']).toMatchObject({ entity: 'return', entityId: 'RMA-3002', orderId: 'CO-100003' });
    for (const delivery of await deliveries()) expect(delivery.attempts.map((attempt) => attempt.status)).toEqual([200]);
  });

  it('when stock is pushed through the API then no product.updated is sent (the product’s own write)', async () => {
    await subscribe('tenant-a');
    await client.setInventory({ sku: 'MUG-BLK-15OZ', available: 3 }, { idempotencyKey: 'inv-push' });
    await control(sandbox.url, 'PATCH', '/products/MUG-BLK-15OZ', { available: 4 });
    const delivery = await settledDelivery('product.updated');
    expect(JSON.parse(delivery.body)).toMatchObject({ data: { changedFields: ['inventory.available'] } });
    expect(await deliveries()).toHaveLength(1);
  });

  it('when deliveries are forged then every attempt is refused, nothing is dispatched and the endpoint is disabled', async () => {
    const subscription = await subscribe('tenant-a');
    await control(sandbox.url, 'PUT', '/webhook-behaviour', { badSignature: true });
    await checkout();
    const delivery = await settledDelivery('order.created');
    expect(delivery.state).toBe('failed');
    expect(delivery.attempts.map((attempt) => attempt.status)).toEqual([401, 401, 401, 401]);
    expect(product.dispatched).toEqual([]);
    expect((await client.listWebhooks()).find((webhook) => webhook.id === subscription.id)?.active).toBe(false);
  });

  it.each([
    ['ten minutes old', -600],
    ['six minutes in the future', 360],
  ])('when the delivery timestamp is %s then it is refused and nothing is dispatched', async (_case, skew) => {
    await subscribe('tenant-a');
    await control(sandbox.url, 'PUT', '/webhook-behaviour', { timestampSkewSeconds: skew });
    await checkout();
    const delivery = await settledDelivery('order.created');
    expect(delivery.attempts.every((attempt) => attempt.status === 401)).toBe(true);
    expect(product.dispatched).toEqual([]);
  });

  it('when a delivered request is captured and played back then the replay is refused', async () => {
    await subscribe('tenant-a');
    await checkout();
    const delivery = await settledDelivery('order.created');
    expect(delivery.state).toBe('delivered');
    const replay = await fetch(delivery.url, { method: 'POST', headers: delivery.attempts[0]!.headers, body: delivery.body });
    expect(replay.status).toBe(401);
    expect(product.dispatched).toHaveLength(1);
  });

  it('when Clarity sends an event twice (at-least-once) then it is dispatched once', async () => {
    await subscribe('tenant-a');
    await control(sandbox.url, 'PUT', '/webhook-behaviour', { duplicate: true });
    await checkout();
    const delivery = await eventually(
      async () => (await deliveries()).find((candidate) => candidate.attempts.length === 2 && candidate.attempts[1]!.status !== undefined),
      { what: 'a delivery with two answered attempts' },
    );
    const [first, second] = delivery.attempts;
    // A copy with a new timestamp is a redelivery (acknowledged); one within the same second
    // cannot be told from a captured request played back, so it is refused.
    const expected = second!.headers['webhook-timestamp'] === first!.headers['webhook-timestamp'] ? 401 : 200;
    expect([first!.status, second!.status]).toEqual([200, expected]);
    expect(product.dispatched).toHaveLength(1);
  });

  it('when the hook points at another tenant then that tenant’s secrets do not verify it', async () => {
    product.tenantSecrets.set('tenant-b', ['whsec_' + Buffer.from('tenant-b-has-its-own-secret-0001').toString('base64')]);
    await subscribe('tenant-b', { storeSecretFor: 'tenant-a' });
    await checkout();
    const delivery = await settledDelivery('order.created');
    expect(delivery.attempts.every((attempt) => attempt.status === 401)).toBe(true);
    expect(product.dispatched).toEqual([]);
  });

  it('when the hook points at a tenant that does not exist then it is refused like a forgery', async () => {
    await subscribe('ghost-tenant', { storeSecretFor: 'tenant-a' });
    await checkout();
    const delivery = await settledDelivery('order.created');
    expect(delivery.attempts.every((attempt) => attempt.status === 401)).toBe(true);
    expect(product.dispatched).toEqual([]);
  });

  it.each([
    ['both secrets', (oldSecret: string, newSecret: string) => [oldSecret, newSecret]],
    ['only the old secret', (oldSecret: string) => [oldSecret]],
    ['only the new secret', (_oldSecret: string, newSecret: string) => [newSecret]],
  ])('when the secret is rotated and the receiver holds %s then deliveries are accepted', async (_case, held) => {
    const subscription = await subscribe('tenant-a');
    const rotated = await client.rotateWebhookSecret(subscription.id, { idempotencyKey: 'rotate-1' });
    product.tenantSecrets.set('tenant-a', held(subscription.secret, rotated.secret));
    const orderId = await checkout();
    const delivery = await settledDelivery('order.created');
    expect(delivery.attempts[0]!.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(delivery.attempts.map((attempt) => attempt.status)).toEqual([200]);
    expect(product.dispatched.map((event) => event.entityId)).toEqual([orderId]);
  });

  it('when the receiver cannot dispatch at first then it answers 503 and the sandbox’s retry gets the event dispatched once', async () => {
    await subscribe('tenant-a');
    product.failNextDispatches = 1;
    await checkout();
    const delivery = await settledDelivery('order.created');
    expect(delivery.attempts.map((attempt) => attempt.status)).toEqual([503, 200]);
    expect(delivery.attempts[0]!.headers['webhook-id']).toBe(delivery.attempts[1]!.headers['webhook-id']);
    expect(product.dispatched).toHaveLength(1);
  });
});
