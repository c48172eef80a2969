import express from 'express';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorHandler, notFound } from '../../../api/errors.js';
import { requestContext } from '../../../api/request-context.js';
import { bigCommerceWebhookRoutes, type BigCommerceReceiverOptions, type OwnInventoryWrites } from '../../../api/webhooks/bigcommerce.js';
import { listen, type RunningServer } from '../../../api/server.js';
import { WebhookPortDoubles } from '../../support/webhook-port-doubles.js';

let server: RunningServer | undefined;
let ports: WebhookPortDoubles;

async function start(ownInventoryWrites?: OwnInventoryWrites, options: BigCommerceReceiverOptions = {}) {
  const logger = pino({ level: 'silent' });
  const app = express();
  app.use(requestContext(logger));
  app.use(bigCommerceWebhookRoutes(ports, { maxBodyBytes: 2048, ...(ownInventoryWrites && { ownInventoryWrites }), ...options }));
  app.use(notFound);
  app.use(errorHandler(logger));
  server = await listen(app, 0, '127.0.0.1');
  return server.url;
}

beforeEach(() => {
  ports = new WebhookPortDoubles('bigcommerce');
  ports.tenantSecrets.set('acme', ['old-secret', 'current-secret']);
});
afterEach(async () => {
  ports.unstall();
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

async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = { 'X-Webhook-Secret': 'current-secret' },
  tenant = 'acme',
) {
  const response = await fetch(`${url}/webhooks/bigcommerce/${tenant}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe('BigCommerce webhook receiver', () => {
  it('when an authentic order webhook arrives then it is dispatched once as an order event and acknowledged 200', async () => {
    const url = await start();
    const response = await post(url, callback());
    expect(response).toMatchObject({ status: 200, body: { outcome: 'started' } });
    expect(ports.dispatched).toEqual([
      {
        tenantId: 'acme',
        storefront: 'bigcommerce',
        topic: 'store/order/created',
        entity: 'order',
        entityId: '250',
        deliveryId: 'dd70c0976e06b67aaf671e73f49dcb79230ebf9d',
        occurredAt: '2019-06-25T16:15:35.000Z',
      },
    ]);
    expect(ports.secretLookups).toEqual([{ tenantId: 'acme', fresh: false }]);
    expect([...ports.seen.values()].map((entry) => entry.state)).toEqual(['dispatched']);
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
    expect(again).toMatchObject({ status: 200, body: { outcome: 'duplicate' } });
    expect(ports.dispatched).toHaveLength(1);
  });

  it('when the dispatcher fails then it answers 503 and the retried delivery is dispatched despite its hash being recorded', async () => {
    const url = await start();
    ports.failNextDispatches = 1;
    const failed = await post(url, callback());
    expect(failed).toMatchObject({ status: 503, retryAfter: '5' });
    expect(failed.body.error).toMatchObject({ code: 'unavailable' });
    expect(await post(url, callback())).toMatchObject({ status: 200, body: { outcome: 'started' } });
    expect(await post(url, callback())).toMatchObject({ status: 200, body: { outcome: 'duplicate' } });
    expect(ports.dispatched).toHaveLength(1);
  });

  it('when the delivery log is down then it answers 503 and dispatches nothing', async () => {
    const url = await start();
    ports.failing.add('record');
    expect(await post(url, callback())).toMatchObject({ status: 503, retryAfter: '5' });
    expect(ports.dispatched).toEqual([]);
  });

  it('when the tenant’s secrets cannot be read then it answers 503 (BigCommerce retries), not 500 or 401', async () => {
    const url = await start();
    ports.failing.add('secrets');
    const response = await post(url, callback());
    expect(response).toMatchObject({ status: 503, retryAfter: '5' });
    expect(ports.dispatched).toEqual([]);
  });

  it('when the echo check fails then the inventory event is dispatched rather than lost', async () => {
    const url = await start({ isOwnWrite: () => Promise.reject(new Error('mongo down')) });
    const response = await post(
      url,
      callback({
        scope: 'store/product/inventory/updated',
        data: { type: 'product', id: 167, inventory: { product_id: 167, method: 'absolute', value: 3 } },
      }),
    );
    expect(response).toMatchObject({ status: 200, body: { outcome: 'started' } });
  });

  it('when the content type is not JSON then it answers 415', async () => {
    const url = await start();
    const response = await fetch(`${url}/webhooks/bigcommerce/acme`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', 'X-Webhook-Secret': 'current-secret' },
      body: JSON.stringify(callback()),
    });
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
    [
      'the hash is missing',
      callback({ hash: undefined }),
      'invalid BigCommerce webhook: hash: Invalid input: expected string, received undefined',
    ],
    [
      'created_at is a string',
      callback({ created_at: 'yesterday' }),
      'invalid BigCommerce webhook: created_at: Invalid input: expected number, received string',
    ],
    [
      'a refund lacks its refund id',
      callback({ scope: 'store/order/refund/created', data: { type: 'order', id: 250 } }),
      'invalid BigCommerce webhook: data of store/order/refund/created: refund: Invalid input: expected object, received undefined',
    ],
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
    expect(await post(url, callback({ scope: 'store/cart/created', data: { type: 'cart', id: 'c1' } }))).toMatchObject({
      status: 200,
      body: { outcome: 'ignored' },
    });
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
    const inventory = (hash: string, value: number, method = 'absolute') =>
      callback({
        scope: 'store/product/inventory/updated',
        hash,
        data: { type: 'product', id: 167, inventory: { product_id: 167, method, value } },
      });
    expect(await post(url, inventory('h1', 100))).toMatchObject({ status: 200, body: { outcome: 'ignored' } });
    expect(await post(url, inventory('h2', 7))).toMatchObject({ status: 200, body: { outcome: 'started' } });
    expect(await post(url, inventory('h3', 100, 'relative'))).toMatchObject({ status: 200, body: { outcome: 'started' } });
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

describe('BigCommerce webhook receiver under a slow database', () => {
  const storeDeadlineMs = 150;
  const key = 'acme/dd70c0976e06b67aaf671e73f49dcb79230ebf9d';

  /** Posts and measures; the stalled calls are still hanging when the answer arrives. */
  async function timedPost(url: string, body: unknown = callback()) {
    const startedAt = performance.now();
    const response = await post(url, body);
    return { ...response, elapsedMs: performance.now() - startedAt };
  }

  it.each([
    ['the tenant’s secrets hang', 'secrets' as const],
    ['recording the delivery hangs', 'record' as const],
  ])('when %s then it answers 503 with Retry-After well before BigCommerce’s 5 s timeout and dispatches nothing', async (_name, call) => {
    const url = await start(undefined, { storeDeadlineMs });
    ports.stalled.add(call);
    const response = await timedPost(url);
    expect(response).toMatchObject({ status: 503, retryAfter: '5', body: { error: { code: 'unavailable' } } });
    expect(response.elapsedMs).toBeGreaterThanOrEqual(storeDeadlineMs - 5);
    expect(response.elapsedMs).toBeLessThan(5_000);
    expect(ports.dispatched).toEqual([]);
  });

  it('when the secrets and the record are each slow then their waits add up to one deadline, not one each', async () => {
    const url = await start(undefined, { storeDeadlineMs });
    const slow = <T>(answer: () => Promise<T>) => new Promise<T>((resolve) => setTimeout(() => resolve(answer()), storeDeadlineMs * 0.6));
    const secrets = ports.secrets.webhookSecrets;
    const record = ports.deliveries.recordDelivery;
    ports.secrets.webhookSecrets = (...args) => slow(() => secrets(...args));
    ports.deliveries.recordDelivery = (...args) => slow(() => record(...args));
    expect(await post(url, callback())).toMatchObject({ status: 503 });
    expect(ports.dispatched).toEqual([]);
  });

  it('when a timed-out record lands late then a retry within the in-flight window waits and one after it is dispatched once', async () => {
    const url = await start(undefined, { storeDeadlineMs });
    ports.stalled.add('record');
    expect((await post(url, callback())).status).toBe(503);
    ports.unstall();
    expect(ports.seen.get(key)?.state).toBe('received');
    const early = await post(url, callback());
    expect(early).toMatchObject({ status: 503, body: { error: { code: 'delivery_in_progress' } } });
    expect(Number(early.retryAfter)).toBeGreaterThanOrEqual(1);
    ports.seen.get(key)!.receivedAt = new Date(Date.now() - 60_000);
    expect(await post(url, callback())).toMatchObject({ status: 200, body: { outcome: 'started' } });
    expect(await post(url, callback())).toMatchObject({ status: 200, body: { outcome: 'duplicate' } });
    expect(ports.dispatched).toHaveLength(1);
  });

  it('when the dispatch fails and the release hangs then the retry is not taken for a duplicate: it waits out the window and is then dispatched', async () => {
    const url = await start(undefined, { storeDeadlineMs });
    ports.failNextDispatches = 1;
    ports.stalled.add('release');
    const failed = await timedPost(url);
    expect(failed).toMatchObject({ status: 503, retryAfter: '5' });
    expect(failed.elapsedMs).toBeLessThan(5_000);
    expect(ports.seen.get(key)?.state).toBe('received');
    expect(await post(url, callback())).toMatchObject({ status: 503, body: { error: { code: 'delivery_in_progress' } } });
    expect(ports.dispatched).toEqual([]);
    ports.seen.get(key)!.receivedAt = new Date(Date.now() - 60_000);
    expect(await post(url, callback())).toMatchObject({ status: 200, body: { outcome: 'started' } });
    expect(ports.dispatched).toHaveLength(1);
  });

  it('when marking the delivery dispatched hangs then the accepted event is still answered 200 within the deadline', async () => {
    const url = await start(undefined, { storeDeadlineMs });
    ports.stalled.add('mark');
    const response = await timedPost(url);
    expect(response).toMatchObject({ status: 200, body: { outcome: 'started' } });
    expect(response.elapsedMs).toBeLessThan(5_000);
    expect(ports.dispatched).toHaveLength(1);
    ports.unstall();
    expect(await post(url, callback())).toMatchObject({ status: 200, body: { outcome: 'duplicate' } });
    expect(ports.dispatched).toHaveLength(1);
  });

  it('when the echo check hangs then the inventory event is dispatched within the deadline rather than lost', async () => {
    const url = await start({ isOwnWrite: () => new Promise<boolean>(() => undefined) }, { storeDeadlineMs });
    const response = await timedPost(
      url,
      callback({
        scope: 'store/product/inventory/updated',
        data: { type: 'product', id: 167, inventory: { product_id: 167, method: 'absolute', value: 3 } },
      }),
    );
    expect(response).toMatchObject({ status: 200, body: { outcome: 'started' } });
    expect(response.elapsedMs).toBeLessThan(5_000);
    expect(ports.dispatched.map((event) => event.entity)).toEqual(['inventory']);
  });
});

describe('BigCommerce webhook receiver and the delivery log’s states', () => {
  const key = 'acme/dd70c0976e06b67aaf671e73f49dcb79230ebf9d';

  it('when a copy finds the delivery received moments ago then it answers 503 delivery_in_progress with Retry-After and does not dispatch it a second time', async () => {
    const url = await start();
    ports.seen.set(key, { state: 'received', receivedAt: new Date() });
    const response = await post(url, callback());
    expect(response).toMatchObject({
      status: 503,
      body: {
        error: { code: 'delivery_in_progress', message: 'an earlier attempt of this delivery is still being accepted; retry later' },
      },
    });
    expect(Number(response.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(response.retryAfter)).toBeLessThanOrEqual(5);
    expect(ports.dispatched).toEqual([]);
  });

  it('when a copy finds the delivery received long ago and never marked dispatched then it dispatches it and marks it', async () => {
    const url = await start();
    ports.seen.set(key, { state: 'received', receivedAt: new Date(Date.now() - 60_000) });
    expect(await post(url, callback())).toMatchObject({ status: 200, body: { outcome: 'started' } });
    expect(ports.dispatched.map((event) => event.deliveryId)).toEqual(['dd70c0976e06b67aaf671e73f49dcb79230ebf9d']);
    expect(ports.seen.get(key)?.state).toBe('dispatched');
  });

  it('when a copy finds the delivery dispatched, however long ago, then it is a duplicate and not dispatched', async () => {
    const url = await start();
    ports.seen.set(key, { state: 'dispatched', receivedAt: new Date(Date.now() - 3_600_000) });
    expect(await post(url, callback())).toMatchObject({ status: 200, body: { outcome: 'duplicate' } });
    expect(ports.dispatched).toEqual([]);
  });
});

describe('BigCommerce webhook receiver and cached secrets', () => {
  it('when the secret does not match the answer (perhaps cached before a rotation) then the secrets are asked for once more, fresh, and the new secret is accepted', async () => {
    const url = await start();
    const lookups: boolean[] = [];
    ports.secrets.webhookSecrets = (_tenantId, _storefront, options) => {
      lookups.push(options?.fresh === true);
      return Promise.resolve(options?.fresh ? ['old-secret', 'rotated-secret'] : ['old-secret']);
    };
    expect(await post(url, callback(), { 'X-Webhook-Secret': 'rotated-secret' })).toMatchObject({
      status: 200,
      body: { outcome: 'started' },
    });
    expect(lookups).toEqual([false, true]);
  });

  it('when the fresh answer does not match either then it is refused 401 after exactly two lookups', async () => {
    const url = await start();
    expect((await post(url, callback(), { 'X-Webhook-Secret': 'forged' })).status).toBe(401);
    expect(ports.secretLookups).toEqual([
      { tenantId: 'acme', fresh: false },
      { tenantId: 'acme', fresh: true },
    ]);
  });
});

describe('BigCommerce webhook receiver and events that start nothing', () => {
  const key = 'acme/dd70c0976e06b67aaf671e73f49dcb79230ebf9d';
  const startingNothing: Array<[string, Record<string, unknown>]> = [
    ['a customer deletion', callback({ scope: 'store/customer/deleted', data: { type: 'customer', id: 7 } })],
    ['a product deletion', callback({ scope: 'store/product/deleted', data: { type: 'product', id: 167 } })],
    [
      'stock moved by an order',
      callback({
        scope: 'store/product/inventory/order/updated',
        data: { type: 'product', id: 167, inventory: { product_id: 167, method: 'relative', value: -1 } },
      }),
    ],
    [
      'a channel stock change',
      callback({ scope: 'store/channel/1/inventory/product/stock_changed', data: { product_id: 167, variant_id: 3 } }),
    ],
  ];

  it.each(startingNothing)(
    'when %s arrives twice at once, the first copy still being accepted, then both are acknowledged 200 ignored and nothing is recorded or dispatched',
    async (_name, body) => {
      const url = await start(undefined, { storeDeadlineMs: 150 });
      ports.stalled.add('mark');
      const copies = await Promise.all([post(url, body), post(url, body)]);
      expect(copies).toMatchObject([
        { status: 200, body: { outcome: 'ignored' } },
        { status: 200, body: { outcome: 'ignored' } },
      ]);
      expect(ports.seen.has(key)).toBe(false);
      expect(ports.dispatched).toEqual([]);
    },
  );

  it.each(startingNothing)(
    'when %s finds its hash received moments ago (an earlier attempt in flight) then it is acknowledged 200, not asked to retry',
    async (_name, body) => {
      const url = await start();
      ports.seen.set(key, { state: 'received', receivedAt: new Date() });
      expect(await post(url, body)).toMatchObject({ status: 200, body: { outcome: 'ignored' } });
      expect(ports.dispatched).toEqual([]);
    },
  );

  it('when an order event finds its hash received moments ago then it is still asked to retry: acknowledging it could lose the event', async () => {
    const url = await start();
    ports.seen.set(key, { state: 'received', receivedAt: new Date() });
    expect(await post(url, callback())).toMatchObject({ status: 503, body: { error: { code: 'delivery_in_progress' } } });
  });
});
