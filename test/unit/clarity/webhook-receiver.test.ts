import { createHmac, randomBytes } from 'node:crypto';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { listen, type RunningServer } from '../../../api/server.js';
import { clarityWebhookRoutes } from '../../../api/webhooks/clarity.js';
import { WebhookPortDoubles } from '../../support/webhook-port-doubles.js';

const secret = `whsec_${randomBytes(32).toString('base64')}`;
const nowSeconds = 1_800_000_000;

/** Signs like Clarity does (written here from the Standard Webhooks spec, independently of both sides). */
function sign(secretValue: string, id: string, timestamp: string, body: string): string {
  const key = Buffer.from(secretValue.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

function orderEvent(id: string, overrides: Record<string, unknown> = {}) {
  return JSON.stringify({
    id,
    type: 'order.created',
    timestamp: '2027-01-15T08:00:00Z',
    data: { orderId: 'CO-100045', status: 'processing' },
    ...overrides,
  });
}

let server: RunningServer;
let doubles: WebhookPortDoubles;
let clock: number;
const storeDeadlineMs = 150;

beforeEach(async () => {
  doubles = new WebhookPortDoubles('clarity');
  doubles.tenantSecrets.set('tenant-a', [secret]);
  clock = nowSeconds * 1000;
  const app = express();
  app.use(clarityWebhookRoutes(doubles, { now: () => clock, maxBodyBytes: 4096, storeDeadlineMs }));
  server = await listen(app, 0, '127.0.0.1');
});

afterEach(async () => {
  doubles.unstall();
  await server.close();
});

interface Delivery {
  tenantId?: string;
  id?: string;
  timestamp?: string;
  body?: string;
  signature?: string;
  contentType?: string;
  omit?: ('webhook-id' | 'webhook-timestamp' | 'webhook-signature')[];
}

async function deliver(delivery: Delivery = {}): Promise<{ status: number; body: unknown; retryAfter?: string | null }> {
  const id = delivery.id ?? 'evt_0001';
  const timestamp = delivery.timestamp ?? String(nowSeconds);
  const body = delivery.body ?? orderEvent(id);
  const headers: Record<string, string> = {
    'content-type': delivery.contentType ?? 'application/json',
    'webhook-id': id,
    'webhook-timestamp': timestamp,
    'webhook-signature': delivery.signature ?? sign(secret, id, timestamp, body),
  };
  for (const name of delivery.omit ?? []) delete headers[name];
  const response = await fetch(`${server.url}/webhooks/clarity/${delivery.tenantId ?? 'tenant-a'}`, { method: 'POST', headers, body });
  const answer = { status: response.status, body: await response.json() };
  return response.status === 503 ? { ...answer, retryAfter: response.headers.get('retry-after') } : answer;
}

const refused = { error: { code: 'unauthorized', message: 'webhook authentication failed' } };

describe('Clarity webhook receiver', () => {
  it('when a signed order.created arrives then it is dispatched once as a storefront event and acknowledged', async () => {
    const answer = await deliver();
    expect(answer).toEqual({ status: 200, body: { received: true, outcome: 'started' } });
    expect(doubles.dispatched).toEqual([
      {
        tenantId: 'tenant-a',
        storefront: 'clarity',
        topic: 'order.created',
        entity: 'order',
        entityId: 'CO-100045',
        deliveryId: 'evt_0001',
        occurredAt: '2027-01-15T08:00:00Z',
      },
    ]);
  });

  it.each([
    [
      'the signature is forged',
      { signature: sign(`whsec_${randomBytes(32).toString('base64')}`, 'evt_0001', String(nowSeconds), orderEvent('evt_0001')) },
    ],
    [
      'the body was altered after signing',
      {
        body: orderEvent('evt_0001', { data: { orderId: 'CO-999', status: 'processing' } }),
        signature: sign(secret, 'evt_0001', String(nowSeconds), orderEvent('evt_0001')),
      },
    ],
    ['the timestamp is 301 s old', { timestamp: String(nowSeconds - 301) }],
    ['the timestamp is 301 s ahead', { timestamp: String(nowSeconds + 301) }],
    ['the timestamp is not a number', { timestamp: 'now' }],
    ['webhook-signature is missing', { omit: ['webhook-signature' as const] }],
    ['webhook-id is missing', { omit: ['webhook-id' as const] }],
    ['webhook-timestamp is missing', { omit: ['webhook-timestamp' as const] }],
    ['the tenant does not exist', { tenantId: 'no-such-tenant' }],
    ['the tenant id is malformed', { tenantId: 'a%20b' }],
  ])('when %s then it answers 401 and dispatches nothing', async (_case, delivery: Delivery) => {
    const answer = await deliver(delivery);
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject(refused);
    expect(doubles.dispatched).toEqual([]);
    expect(doubles.seen.size).toBe(0);
  });

  it('when another tenant signs with its own secret then the delivery is refused for this tenant', async () => {
    const otherSecret = `whsec_${randomBytes(32).toString('base64')}`;
    doubles.tenantSecrets.set('tenant-b', [otherSecret]);
    const body = orderEvent('evt_0001');
    const answer = await deliver({ tenantId: 'tenant-a', signature: sign(otherSecret, 'evt_0001', String(nowSeconds), body) });
    expect(answer.status).toBe(401);
    expect(doubles.dispatched).toEqual([]);
  });

  it('when the tenant is unknown then the answer is identical to a bad signature (no tenant probing)', async () => {
    const unknown = await deliver({ tenantId: 'no-such-tenant' });
    const forged = await deliver({ signature: 'v1,AAAA' });
    expect(unknown).toEqual(forged);
  });

  it('when the tenant is mid-rotation with two secrets then a delivery signed with either is accepted', async () => {
    const newSecret = `whsec_${randomBytes(32).toString('base64')}`;
    doubles.tenantSecrets.set('tenant-a', [secret, newSecret]);
    const bodyOne = orderEvent('evt_old');
    const bodyTwo = orderEvent('evt_new');
    expect((await deliver({ id: 'evt_old', body: bodyOne, signature: sign(secret, 'evt_old', String(nowSeconds), bodyOne) })).status).toBe(
      200,
    );
    expect(
      (await deliver({ id: 'evt_new', body: bodyTwo, signature: sign(newSecret, 'evt_new', String(nowSeconds), bodyTwo) })).status,
    ).toBe(200);
    expect(doubles.dispatched.map((event) => event.deliveryId)).toEqual(['evt_old', 'evt_new']);
  });

  it('when a header carries several signatures and one matches then it is accepted', async () => {
    const body = orderEvent('evt_0001');
    const answer = await deliver({
      signature: `v1,${randomBytes(32).toString('base64')} ${sign(secret, 'evt_0001', String(nowSeconds), body)}`,
    });
    expect(answer.status).toBe(200);
  });

  it('when an accepted request is played back unchanged then it is refused with 401 and not dispatched again', async () => {
    expect((await deliver()).status).toBe(200);
    const replay = await deliver();
    expect(replay.status).toBe(401);
    expect(doubles.dispatched).toHaveLength(1);
  });

  it('when Clarity redelivers the same event with a new timestamp then it is acknowledged without a second dispatch', async () => {
    expect((await deliver()).status).toBe(200);
    clock += 30_000;
    const redelivery = await deliver({ timestamp: String(nowSeconds + 30) });
    expect(redelivery).toEqual({ status: 200, body: { received: true, outcome: 'duplicate' } });
    expect(doubles.dispatched).toHaveLength(1);
  });

  it('when dispatching fails then it answers 503 and Clarity’s retry dispatches the event', async () => {
    doubles.failNextDispatches = 1;
    const first = await deliver();
    expect(first).toMatchObject({ status: 503, retryAfter: '5' });
    expect(doubles.dispatched).toEqual([]);
    clock += 5_000;
    const retry = await deliver({ timestamp: String(nowSeconds + 5) });
    expect(retry).toEqual({ status: 200, body: { received: true, outcome: 'started' } });
    expect(doubles.dispatched).toHaveLength(1);
  });

  it('when the secret store fails then it answers 503, not 401 or 500', async () => {
    doubles.failing.add('secrets');
    const answer = await deliver();
    expect(answer).toMatchObject({ status: 503, retryAfter: '5', body: { error: { code: 'unavailable' } } });
  });

  it.each([
    ['text/plain', 415],
    ['application/x-www-form-urlencoded', 415],
    ['application/json; charset=utf-8', 200],
  ])('when the content type is %s then it answers %i', async (contentType, status) => {
    expect((await deliver({ contentType })).status).toBe(status);
  });

  it('when the body is larger than the limit then it answers 413 and dispatches nothing', async () => {
    const body = orderEvent('evt_0001', { padding: 'x'.repeat(5000) });
    const answer = await deliver({ body });
    expect(answer).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
    expect(doubles.dispatched).toEqual([]);
  });

  it.each([
    ['invalid JSON', '{"id": "evt_0001", ', 'invalid_json', 'the body is not valid JSON'],
    [
      'an order event without orderId',
      JSON.stringify({ id: 'evt_0001', type: 'order.created', timestamp: '2027-01-15T08:00:00Z', data: { status: 'x' } }),
      'invalid_event',
      'data.orderId',
    ],
    [
      'a bad event timestamp',
      JSON.stringify({ id: 'evt_0001', type: 'order.updated', timestamp: 'Tuesday', data: { orderId: 'CO-1', status: 'x' } }),
      'invalid_event',
      'timestamp',
    ],
    ['an envelope id that differs from webhook-id', orderEvent('evt_other'), 'invalid_event', 'does not match webhook-id'],
  ])('when a signed delivery has %s then it answers 400 with the reason', async (_case, body, code, reason) => {
    const answer = await deliver({ body });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: { code } });
    expect((answer.body as { error: { message: string } }).error.message).toContain(reason);
    expect(doubles.dispatched).toEqual([]);
  });

  it('when a signed event has a type nobody subscribed to then it is acknowledged and ignored', async () => {
    const body = JSON.stringify({ id: 'evt_0001', type: 'cart.abandoned', timestamp: '2027-01-15T08:00:00Z', data: {} });
    expect(await deliver({ body })).toEqual({ status: 200, body: { received: true, outcome: 'ignored' } });
    expect(doubles.dispatched).toEqual([]);
  });

  it('when return.created and product.updated arrive then each maps to its entity', async () => {
    const returned = JSON.stringify({
      id: 'evt_r',
      type: 'return.created',
      timestamp: '2027-01-15T08:00:00Z',
      data: { returnId: 'RMA-3001', orderId: 'CO-100003' },
    });
    const product = JSON.stringify({
      id: 'evt_p',
      type: 'product.updated',
      timestamp: '2027-01-15T08:00:00Z',
      data: { productId: 'P-501', sku: 'TSHIRT-BLK-M', changedFields: ['price'] },
    });
    expect((await deliver({ id: 'evt_r', body: returned })).status).toBe(200);
    expect((await deliver({ id: 'evt_p', body: product })).status).toBe(200);
    expect(doubles.dispatched.map(({ entity, entityId, orderId }) => ({ entity, entityId, orderId }))).toEqual([
      { entity: 'return', entityId: 'RMA-3001', orderId: 'CO-100003' },
      { entity: 'product', entityId: 'TSHIRT-BLK-M', orderId: undefined },
    ]);
  });

  it('when a JSON body parser runs before the router then it answers 500 misconfigured instead of refusing genuine deliveries', async () => {
    const app = express();
    app.use(express.json());
    app.use(clarityWebhookRoutes(doubles, { now: () => clock }));
    const misplaced = await listen(app, 0, '127.0.0.1');
    try {
      const body = orderEvent('evt_0001');
      const response = await fetch(`${misplaced.url}/webhooks/clarity/tenant-a`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': 'evt_0001',
          'webhook-timestamp': String(nowSeconds),
          'webhook-signature': sign(secret, 'evt_0001', String(nowSeconds), body),
        },
        body,
      });
      expect(response.status).toBe(500);
      expect(await response.json()).toMatchObject({ error: { code: 'misconfigured' } });
      expect(doubles.dispatched).toEqual([]);
    } finally {
      await misplaced.close();
    }
  });

  it('when a redelivery arrives while the first dispatch is still running then it is asked to retry later, and its retry after the first finished is a duplicate', async () => {
    let release: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const dispatch = doubles.dispatcher.dispatch;
    doubles.dispatcher.dispatch = async (event) => {
      await slow;
      return dispatch(event);
    };
    const first = deliver();
    await vi.waitFor(() => expect(doubles.seen.size).toBe(1));
    clock += 100;
    const second = await deliver({ timestamp: String(nowSeconds + 1) });
    release();
    expect(second).toMatchObject({ status: 503, body: { error: { code: 'delivery_in_progress' } } });
    expect(Number(second.retryAfter)).toBeGreaterThanOrEqual(1);
    expect((await first).status).toBe(200);
    clock += 5_000;
    expect(await deliver({ timestamp: String(nowSeconds + 6) })).toEqual({ status: 200, body: { received: true, outcome: 'duplicate' } });
    expect(doubles.dispatched).toHaveLength(1);
  });

  it.each([
    ['the tenant’s secrets hang', 'secrets' as const],
    ['recording the delivery hangs', 'record' as const],
  ])('when %s then it answers 503 with Retry-After within the deadline and dispatches nothing', async (_name, call) => {
    doubles.stalled.add(call);
    const startedAt = performance.now();
    const answer = await deliver();
    expect(answer).toMatchObject({ status: 503, retryAfter: '5', body: { error: { code: 'unavailable' } } });
    expect(performance.now() - startedAt).toBeLessThan(5_000);
    expect(doubles.dispatched).toEqual([]);
  });

  it('when marking the delivery dispatched hangs then the accepted event is still acknowledged', async () => {
    doubles.stalled.add('mark');
    expect(await deliver()).toEqual({ status: 200, body: { received: true, outcome: 'started' } });
    expect(doubles.dispatched).toHaveLength(1);
  });

  it('when the dispatch fails and the release hangs then Clarity’s quick retry is asked to wait, and a retry after the window is dispatched once', async () => {
    doubles.failNextDispatches = 1;
    doubles.stalled.add('release');
    expect((await deliver()).status).toBe(503);
    clock += 100;
    expect(await deliver({ timestamp: String(nowSeconds + 1) })).toMatchObject({
      status: 503,
      body: { error: { code: 'delivery_in_progress' } },
    });
    clock += 300_000;
    expect(await deliver({ timestamp: String(nowSeconds + 301) })).toEqual({ status: 200, body: { received: true, outcome: 'started' } });
    expect(doubles.dispatched).toHaveLength(1);
    expect(doubles.seen.get('tenant-a/evt_0001')?.state).toBe('dispatched');
  });

  it('when the signature does not verify against the answered secrets then they are asked for once more, fresh, so a secret rotated a moment ago is accepted', async () => {
    const rotated = `whsec_${randomBytes(32).toString('base64')}`;
    doubles.secrets.webhookSecrets = (_tenantId, _storefront, options) => Promise.resolve(options?.fresh ? [secret, rotated] : [secret]);
    const body = orderEvent('evt_0001');
    expect(await deliver({ signature: sign(rotated, 'evt_0001', String(nowSeconds), body) })).toEqual({
      status: 200,
      body: { received: true, outcome: 'started' },
    });
  });

  it('when the tenant is unknown or the signature forged then both ask for the secrets twice, the second time fresh (same work either way)', async () => {
    await deliver({ tenantId: 'no-such-tenant' });
    await deliver({ signature: 'v1,AAAA' });
    expect(doubles.secretLookups).toEqual([
      { tenantId: 'no-such-tenant', fresh: false },
      { tenantId: 'no-such-tenant', fresh: true },
      { tenantId: 'tenant-a', fresh: false },
      { tenantId: 'tenant-a', fresh: true },
    ]);
  });
});
