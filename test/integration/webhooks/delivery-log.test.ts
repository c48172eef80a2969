import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler, notFound } from '../../../api/errors.js';
import { requestContext } from '../../../api/request-context.js';
import { bigCommerceSecretHeader, bigCommerceWebhookRoutes } from '../../../api/webhooks/bigcommerce.js';
import { listen, type RunningServer } from '../../../api/server.js';
import type { StorefrontEvent } from '../../../api/webhooks/ports.js';
import { storedWebhookDeliveries } from '../../../api/webhooks/store-adapters.js';
import { openTestDatabase, testConfig, uniqueId } from '../../support/harness.js';

/** The delivery log's `received` → `dispatched` states on FerretDB, alone and behind the BigCommerce receiver. */
describe('webhook delivery log on FerretDB', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  const collection = () =>
    database.db.collection<{ _id: string; state?: string; receivedAt: Date; dispatchedAt?: Date }>('webhook_deliveries');
  const event = (deliveryId = uniqueId('hash')): StorefrontEvent => ({
    tenantId: 'shop',
    storefront: 'bigcommerce',
    topic: 'store/order/created',
    entity: 'order',
    entityId: '250',
    deliveryId,
    occurredAt: '2026-11-23T10:00:00Z',
  });

  beforeAll(async () => {
    database = await openTestDatabase(testConfig());
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('when a delivery is recorded then it is received, a copy finds it received at its first time, and once marked a copy finds it dispatched', async () => {
    const log = storedWebhookDeliveries(database.db);
    const delivery = event();
    const receivedAt = new Date(Date.now() - 1_000);
    expect(await log.recordDelivery(delivery, receivedAt)).toBeUndefined();
    expect(await log.recordDelivery(delivery, new Date())).toEqual({ state: 'received', receivedAt });
    await log.markDispatched(delivery);
    expect(await log.recordDelivery(delivery, new Date())).toEqual({ state: 'dispatched', receivedAt });
    const stored = await collection().findOne({ _id: `shop:bigcommerce:${delivery.deliveryId}` });
    expect(stored).toMatchObject({
      state: 'dispatched',
      receivedAt,
      tenantId: 'shop',
      deliveryId: delivery.deliveryId,
      topic: 'store/order/created',
      entityId: '250',
    });
    expect(stored?.dispatchedAt).toBeInstanceOf(Date);
  });

  it('when a record was written by the version without states then it counts as dispatched and is left untouched', async () => {
    const log = storedWebhookDeliveries(database.db);
    const delivery = event();
    const receivedAt = new Date('2026-11-23T10:00:05Z');
    await collection().insertOne({ _id: `shop:bigcommerce:${delivery.deliveryId}`, ...delivery, receivedAt });
    expect(await log.recordDelivery(delivery, new Date())).toEqual({ state: 'dispatched', receivedAt });
    expect((await collection().findOne({ _id: `shop:bigcommerce:${delivery.deliveryId}` }))?.state).toBeUndefined();
  });

  it('when a later copy is recorded then the first attempt’s state and time are kept', async () => {
    const log = storedWebhookDeliveries(database.db);
    const delivery = event();
    const first = new Date(Date.now() - 10_000);
    await log.recordDelivery(delivery, first);
    await log.markDispatched(delivery);
    await log.recordDelivery(delivery, new Date());
    expect(await collection().findOne({ _id: `shop:bigcommerce:${delivery.deliveryId}` })).toMatchObject({
      state: 'dispatched',
      receivedAt: first,
    });
  });

  it('when a release lands late, after the record is already gone, then it is harmless and the next copy is recorded anew', async () => {
    const log = storedWebhookDeliveries(database.db);
    const delivery = event();
    await log.recordDelivery(delivery, new Date());
    await log.releaseDelivery(delivery);
    await log.releaseDelivery(delivery);
    expect(await log.recordDelivery(delivery, new Date())).toBeUndefined();
  });

  describe('behind the BigCommerce receiver', () => {
    let receiver: RunningServer;
    const dispatched: StorefrontEvent[] = [];

    beforeAll(async () => {
      const logger = pino({ level: 'silent' });
      const app = express();
      app.use(requestContext(logger));
      app.use(
        bigCommerceWebhookRoutes({
          secrets: { webhookSecrets: (tenantId) => Promise.resolve(tenantId === 'shop' ? ['shop-secret'] : undefined) },
          deliveries: storedWebhookDeliveries(database.db),
          dispatcher: {
            dispatch: (delivered) => {
              dispatched.push(delivered);
              return Promise.resolve('signalled');
            },
          },
        }),
      );
      app.use(notFound);
      app.use(errorHandler(logger));
      receiver = await listen(app, 0, '127.0.0.1');
    });
    afterAll(async () => {
      await receiver?.close();
    });

    const post = async (hash: string) => {
      const response = await fetch(`${receiver.url}/webhooks/bigcommerce/shop`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', [bigCommerceSecretHeader]: 'shop-secret' },
        body: JSON.stringify({
          scope: 'store/order/created',
          store_id: '1001',
          data: { type: 'order', id: 250 },
          hash,
          created_at: 1_764_000_000,
          producer: 'stores/demostore',
        }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const dispatchesOf = (hash: string) => dispatched.filter((delivered) => delivered.deliveryId === hash).length;

    it('when a webhook arrives twice then it is dispatched once and its record ends dispatched', async () => {
      const hash = uniqueId('hash');
      expect(await post(hash)).toEqual({ status: 200, body: { outcome: 'signalled' } });
      expect(await post(hash)).toEqual({ status: 200, body: { outcome: 'duplicate' } });
      expect(dispatchesOf(hash)).toBe(1);
      expect((await collection().findOne({ _id: `shop:bigcommerce:${hash}` }))?.state).toBe('dispatched');
    });

    it('when a record left received by an attempt long gone is found then the retry dispatches it (the event is not lost) and marks it', async () => {
      const hash = uniqueId('hash');
      await storedWebhookDeliveries(database.db).recordDelivery(event(hash), new Date(Date.now() - 60_000));
      expect(await post(hash)).toEqual({ status: 200, body: { outcome: 'signalled' } });
      expect(dispatchesOf(hash)).toBe(1);
      expect((await collection().findOne({ _id: `shop:bigcommerce:${hash}` }))?.state).toBe('dispatched');
    });

    it('when a record was received moments ago then the copy is asked to retry later and nothing is dispatched', async () => {
      const hash = uniqueId('hash');
      await storedWebhookDeliveries(database.db).recordDelivery(event(hash), new Date());
      expect(await post(hash)).toMatchObject({ status: 503, body: { error: { code: 'delivery_in_progress' } } });
      expect(dispatchesOf(hash)).toBe(0);
    });

    it('when a record was written by the version without states then the copy is a duplicate', async () => {
      const hash = uniqueId('hash');
      await collection().insertOne({ _id: `shop:bigcommerce:${hash}`, ...event(hash), receivedAt: new Date() });
      expect(await post(hash)).toEqual({ status: 200, body: { outcome: 'duplicate' } });
      expect(dispatchesOf(hash)).toBe(0);
    });
  });
});
