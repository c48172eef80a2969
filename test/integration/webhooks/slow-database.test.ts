import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorHandler, notFound } from '../../../api/errors.js';
import { requestContext } from '../../../api/request-context.js';
import { bigCommerceSecretHeader, bigCommerceWebhookRoutes } from '../../../api/webhooks/bigcommerce.js';
import { listen, type RunningServer } from '../../../api/server.js';
import { delegatingPorts, WebhookPortDoubles } from '../../support/webhook-port-doubles.js';
import { eventually } from '../../support/eventually.js';
import { useBigCommerceSandbox } from '../bigcommerce/sandbox-fixture.js';
import { janeDoeBillingAddress } from '../../support/builders.js';

/**
 * The chaos run's finding, replayed against the BigCommerce sandbox (its real 5 s delivery
 * timeout, a compressed retry schedule): a database that hangs must cost BigCommerce a retry,
 * never the hook and never the event. Deadline 100 ms, so the in-flight window is 250 ms and
 * the retries (400 ms apart) come after it, as BigCommerce's (a minute apart) do after 5 s.
 */
const bc = useBigCommerceSandbox({ webhookRetryScheduleMs: [400, 400, 400] });

const secret = 'whsec-slow-0123456789';
let product: WebhookPortDoubles;
let receiver: RunningServer;

beforeAll(async () => {
  const deps = delegatingPorts(() => product);
  const logger = pino({ level: 'silent' });
  const app = express();
  app.use(requestContext(logger));
  app.use(bigCommerceWebhookRoutes(deps, { storeDeadlineMs: 100 }));
  app.use(notFound);
  app.use(errorHandler(logger));
  receiver = await listen(app, 0, '127.0.0.1');
});
afterAll(async () => {
  product.unstall();
  await receiver.close();
});
beforeEach(() => {
  product?.unstall();
  product = new WebhookPortDoubles('bigcommerce');
  product.tenantSecrets.set('acme', [secret]);
});

type Deliveries = { deliveries: { hookId: number; hash: string; state: string; attempts: { status?: number }[] }[] };
const deliveries = async () => ((await bc.control('GET', '/webhooks')) as Deliveries).deliveries;

async function registerAndOrder(): Promise<number> {
  const hook = await bc.client().hooks.createHook({
    scope: 'store/order/created',
    destination: `${receiver.url}/webhooks/bigcommerce/acme`,
    is_active: true,
    headers: { [bigCommerceSecretHeader]: secret },
  });
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
  return hook.id;
}

describe('BigCommerce webhooks while the database hangs', () => {
  it('when recording the delivery hangs then the attempt is answered 503 inside BigCommerce’s timeout, the late record does not swallow the retry, and the hook stays active', async () => {
    product.stalled.add('record');
    const hookId = await registerAndOrder();
    await eventually(async () => (await deliveries())[0]?.attempts[0]?.status, { what: 'the first attempt to be answered' });
    product.unstall();
    await eventually(async () => (await deliveries()).find((delivery) => delivery.state === 'delivered'), {
      what: 'the delivery to be delivered',
    });
    const [delivery] = await deliveries();
    expect(delivery!.attempts.map((attempt) => attempt.status)).toEqual([503, 200]);
    expect(product.dispatched.map((event) => event.deliveryId)).toEqual([delivery!.hash]);
    expect(product.seen.get(`acme/${delivery!.hash}`)?.state).toBe('dispatched');
    expect((await bc.client().hooks.getHook(hookId)).is_active).toBe(true);
  });

  it('when the dispatch fails and forgetting the delivery hangs then the retry is dispatched, not acknowledged as a duplicate (the event is not lost)', async () => {
    product.failNextDispatches = 1;
    product.stalled.add('release');
    await registerAndOrder();
    await eventually(async () => (await deliveries()).find((delivery) => delivery.state === 'delivered'), {
      what: 'the delivery to be delivered',
    });
    const [delivery] = await deliveries();
    expect(delivery!.attempts.map((attempt) => attempt.status)).toEqual([503, 200]);
    expect(product.dispatched.map((event) => event.deliveryId)).toEqual([delivery!.hash]);
  });

  it('when the tenant’s secrets hang then every attempt is answered 503 before the timeout, nothing is dispatched, and the first retry after recovery is', async () => {
    product.stalled.add('secrets');
    await registerAndOrder();
    await eventually(async () => (await deliveries())[0]?.attempts[1]?.status, { what: 'the second attempt to be answered' });
    product.unstall();
    await eventually(async () => (await deliveries()).find((delivery) => delivery.state === 'delivered'), {
      what: 'the delivery to be delivered',
    });
    const [delivery] = await deliveries();
    expect(delivery!.attempts.map((attempt) => attempt.status)).toEqual([503, 503, 200]);
    expect(product.dispatched).toHaveLength(1);
  });
});
