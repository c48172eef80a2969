import express from 'express';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorHandler, notFound } from '../../../api/errors.js';
import { requestContext } from '../../../api/request-context.js';
import { bigCommerceWebhookRoutes, type OwnInventoryWrites } from '../../../api/routes/webhooks/bigcommerce.js';
import { listen, type RunningServer } from '../../../api/server.js';
import type { DispatchOutcome, StorefrontEvent, StorefrontKind, WebhookReceiverDependencies } from '../../../api/webhooks/ports.js';

/** Test doubles for the receiver's ports, recording what they were asked. */
function doubles() {
  const secrets = new Map<string, string[]>([['acme', ['old-secret', 'current-secret']]]);
  const seen = new Set<string>();
  const dispatched: StorefrontEvent[] = [];
  const secretLookups: [string, StorefrontKind][] = [];
  const behaviour = { dispatchFails: false, recordFails: false, secretsFail: false };
  const deps: WebhookReceiverDependencies = {
    secrets: {
      webhookSecrets: (tenantId, storefront) => {
        secretLookups.push([tenantId, storefront]);
        if (behaviour.secretsFail) return Promise.reject(new Error('mongo down'));
        return Promise.resolve(storefront === 'bigcommerce' ? secrets.get(tenantId) : undefined);
      },
    },
    deliveries: {
      recordFirstDelivery: (event) => {
        if (behaviour.recordFails) return Promise.reject(new Error('mongo down'));
        const key = `${event.tenantId}:${event.deliveryId}`;
        const first = !seen.has(key);
        seen.add(key);
        return Promise.resolve(first);
      },
      releaseDelivery: (event) => {
        seen.delete(`${event.tenantId}:${event.deliveryId}`);
        return Promise.resolve();
      },
    },
    dispatcher: {
      dispatch: (event): Promise<DispatchOutcome> => {
        if (behaviour.dispatchFails) return Promise.reject(new Error('temporal down'));
        dispatched.push(event);
        return Promise.resolve('started');
      },
    },
  };
  return { deps, dispatched, secretLookups, behaviour };
}

let server: RunningServer | undefined;
let ports: ReturnType<typeof doubles>;

async function start(ownInventoryWrites?: OwnInventoryWrites) {
  const logger = pino({ level: 'silent' });
  const app = express();
  app.use(requestContext(logger));
  app.use(bigCommerceWebhookRoutes(ports.deps, { maxBodyBytes: 2048, ...(ownInventoryWrites && { ownInventoryWrites }) }));
  app.use(notFound);
  app.use(errorHandler(logger));
  server = await listen(app, 0, '127.0.0.1');
  return server.url;
}

beforeEach(() => {
  ports = doubles();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const callback = (overrides: Record<string, unknown> = {}) => ({
  scope: 'store/order/created',
  store_id: '1025646',
  data: { type: 'order', id: 250 },
  hash: 'dd70c0976e06b67aaf671e73f49dcb79230ebf9d',
  created_at: 1561479335,
  producer: 'stores/abc123',
  ...overrides,
});

async function post(url: string, body: unknown, headers: Record<string, string> = { 'X-Webhook-Secret': 'current-secret' }, tenant = 'acme') {
  const response = await fetch(`${url}/webhooks/bigcommerce/${tenant}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('BigCommerce webhook receiver', () => {
  it('when an authentic order webhook arrives then it is dispatched once as an order event and acknowledged 200', async () => {
    const url = await start();
    const response = await post(url, callback());
    expect(response).toEqual({ status: 200, body: { outcome: 'started' } });
    expect(ports.dispatched).toEqual([
      { tenantId: 'acme', storefront: 'bigcommerce', topic: 'store/order/created', entity: 'order', entityId: '250', deliveryId: 'dd70c0976e06b67aaf671e73f49dcb79230ebf9d', occurredAt: '2019-06-25T16:15:35.000Z' },
    ]);
    expect(ports.secretLookups).toEqual([['acme', 'bigcommerce']]);
  });

  it('when the previous secret of a rotation is sent then it is still accepted', async () => {
    const url = await start();
    expect((await post(url, callback(), { 'X-Webhook-Secret': 'old-secret' })).status).toBe(200);
  });

  it.each([
    ['a wrong secret', { 'X-Webhook-Secret': 'forged' }, 'acme'],
    ['no secret header', {}, 'acme'],
    ['a secret differing only in length', { 'X-Webhook-Secret': 'current-secret-' }, 'acme'],
    ['an unknown tenant with a valid-looking secret', { 'X-Webhook-Secret': 'current-secret' }, 'nobody'],
    ['a tenant id that is not an id', { 'X-Webhook-Secret': 'current-secret' }, 'ac%20me'],
  ])('when %s is sent then it answers the same 401 and dispatches nothing', async (_name, headers, tenant) => {
    const url = await start();
    const response = await post(url, callback(), headers, tenant);
    expect(response.status).toBe(401);
    expect(response.body.error).toMatchObject({ code: 'unauthorized', message: 'webhook authentication failed' });
    expect(ports.dispatched).toEqual([]);
  });

  it('when the same hash is delivered again then it is acknowledged as a duplicate without a second dispatch', async () => {
    const url = await start();
    await post(url, callback());
    const again = await post(url, callback());
    expect(again).toEqual({ status: 200, body: { outcome: 'duplicate' } });
    expect(ports.dispatched).toHaveLength(1);
  });

  it('when the dispatcher fails then it answers 503 and the retried delivery is dispatched despite its hash being recorded', async () => {
    const url = await start();
    ports.behaviour.dispatchFails = true;
    const failed = await post(url, callback());
    expect(failed.status).toBe(503);
    expect(failed.body.error).toMatchObject({ code: 'unavailable' });
    ports.behaviour.dispatchFails = false;
    expect(await post(url, callback())).toEqual({ status: 200, body: { outcome: 'started' } });
    expect(await post(url, callback())).toEqual({ status: 200, body: { outcome: 'duplicate' } });
    expect(ports.dispatched).toHaveLength(1);
  });

  it('when the delivery log is down then it answers 503 and dispatches nothing', async () => {
    const url = await start();
    ports.behaviour.recordFails = true;
    expect((await post(url, callback())).status).toBe(503);
    expect(ports.dispatched).toEqual([]);
  });

  it('when the tenant’s secrets cannot be read then it answers 503 (BigCommerce retries), not 500 or 401', async () => {
    const url = await start();
    ports.behaviour.secretsFail = true;
    const response = await post(url, callback());
    expect(response.status).toBe(503);
    expect(ports.dispatched).toEqual([]);
  });

  it('when the echo check fails then the inventory event is dispatched rather than lost', async () => {
    const url = await start({ isOwnWrite: () => Promise.reject(new Error('mongo down')) });
    const response = await post(url, callback({ scope: 'store/product/inventory/updated', data: { type: 'product', id: 167, inventory: { product_id: 167, method: 'absolute', value: 3 } } }));
    expect(response).toEqual({ status: 200, body: { outcome: 'started' } });
  });

  it('when the content type is not JSON then it answers 415', async () => {
    const url = await start();
    const response = await fetch(`${url}/webhooks/bigcommerce/acme`, { method: 'POST', headers: { 'Content-Type': 'text/plain', 'X-Webhook-Secret': 'current-secret' }, body: JSON.stringify(callback()) });
    expect(response.status).toBe(415);
    expect(ports.dispatched).toEqual([]);
  });

  it('when the body is larger than the limit then it answers 413', async () => {
    const url = await start();
    const response = await post(url, callback({ data: { type: 'order', id: 1, padding: 'x'.repeat(4096) } }));
    expect(response.status).toBe(413);
    expect(ports.dispatched).toEqual([]);
  });

  it('when the body is not JSON then it answers 400 with the reason', async () => {
    const url = await start();
    const response = await post(url, '{"scope":');
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'invalid_json' });
  });

  it.each([
    ['the hash is missing', callback({ hash: undefined }), 'invalid BigCommerce webhook: hash: Invalid input: expected string, received undefined'],
    ['created_at is a string', callback({ created_at: 'yesterday' }), 'invalid BigCommerce webhook: created_at: Invalid input: expected number, received string'],
    ['a refund lacks its refund id', callback({ scope: 'store/order/refund/created', data: { type: 'order', id: 250 } }), 'invalid BigCommerce webhook: data of store/order/refund/created: refund: Invalid input: expected object, received undefined'],
    ['the body is an array', [callback()], 'invalid BigCommerce webhook: body: Invalid input: expected object, received array'],
  ])('when %s then it answers 400 naming the field', async (_name, body, message) => {
    const url = await start();
    const response = await post(url, body);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'invalid_webhook', message });
    expect(ports.dispatched).toEqual([]);
  });

  it('when an unauthenticated body is invalid then authentication is refused first (nothing about the body is revealed)', async () => {
    const url = await start();
    expect((await post(url, '{not json', { 'X-Webhook-Secret': 'forged' })).status).toBe(401);
  });

  it('when the scope is not synced then it is acknowledged and nothing is dispatched', async () => {
    const url = await start();
    expect(await post(url, callback({ scope: 'store/cart/created', data: { type: 'cart', id: 'c1' } }))).toEqual({ status: 200, body: { outcome: 'ignored' } });
    expect(ports.dispatched).toEqual([]);
  });

  it('when an absolute inventory callback echoes the product’s own write then it is acknowledged without dispatch; other changes are dispatched', async () => {
    const asked: unknown[] = [];
    const url = await start({
      isOwnWrite: (tenantId, change) => {
        asked.push([tenantId, change]);
        return Promise.resolve(change.value === 100);
      },
    });
    const inventory = (hash: string, value: number, method = 'absolute') => callback({ scope: 'store/product/inventory/updated', hash, data: { type: 'product', id: 167, inventory: { product_id: 167, method, value } } });
    expect(await post(url, inventory('h1', 100))).toEqual({ status: 200, body: { outcome: 'ignored' } });
    expect(await post(url, inventory('h2', 7))).toEqual({ status: 200, body: { outcome: 'started' } });
    expect(await post(url, inventory('h3', 100, 'relative'))).toEqual({ status: 200, body: { outcome: 'started' } });
    expect(asked).toEqual([
      ['acme', { productId: '167', variantId: undefined, method: 'absolute', value: 100 }],
      ['acme', { productId: '167', variantId: undefined, method: 'absolute', value: 7 }],
    ]);
    expect(ports.dispatched.map((event) => [event.entity, event.entityId, event.deliveryId])).toEqual([
      ['inventory', '167', 'h2'],
      ['inventory', '167', 'h3'],
    ]);
  });
});
