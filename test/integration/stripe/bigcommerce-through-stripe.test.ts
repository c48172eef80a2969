import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBigCommerceSandbox, type RunningBigCommerceSandbox } from '../../../sandbox/bigcommerce/index.js';
import { demoStripeSecretKey } from '../../../sandbox/stripe/index.js';
import { startStripeFixture, type StripeFixture } from './support.js';

const billing = {
  first_name: 'Ada',
  last_name: 'Lovelace',
  street_1: '1 Analytical Way',
  city: 'Austin',
  state: 'Texas',
  zip: '78701',
  country: 'United States',
  country_iso2: 'US',
  email: 'ada@example.com',
};

interface BigCommerceTransaction {
  event: string;
  amount: number;
  gateway: string;
  gateway_transaction_id: string;
}

describe('BigCommerce sandbox orders paid through the Stripe sandbox', () => {
  let stripeFixture: StripeFixture;
  let stripe: Stripe;
  let store: RunningBigCommerceSandbox;
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${store.url}/stores/demostore${path}`, {
      method,
      headers: { 'X-Auth-Token': 'demo-bc-token', 'Content-Type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const control = async (method: string, path: string, body: unknown) => {
    const response = await fetch(`${store.url}/_control${path}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`control ${path}: ${response.status}`);
  };
  const transactions = async (orderId: number) =>
    (await api<{ data: BigCommerceTransaction[] }>('GET', `/v3/orders/${orderId}/transactions`)).data;

  beforeAll(async () => {
    stripeFixture = await startStripeFixture();
    stripe = stripeFixture.stripe;
    store = await startBigCommerceSandbox({
      port: 0,
      controlEnabled: true,
      stripeGateway: { url: stripeFixture.sandbox.url, secretKey: demoStripeSecretKey },
    });
  });
  afterAll(async () => {
    await store.close();
    await stripeFixture.close();
  });

  it('when an order is placed at a paid status then its purchase transaction names gateway stripe and a captured PaymentIntent of the order total', async () => {
    const order = await api<{ id: number; total_inc_tax: string }>('POST', '/v2/orders', {
      status_id: 11,
      billing_address: billing,
      products: [{ product_id: 112, quantity: 2 }],
    });
    const [purchase] = await transactions(order.id);
    expect(purchase).toMatchObject({ event: 'purchase', gateway: 'stripe', amount: Number(order.total_inc_tax) });
    const intent = await stripe.paymentIntents.retrieve(purchase!.gateway_transaction_id);
    expect(intent).toMatchObject({
      status: 'succeeded',
      amount: Math.round(Number(order.total_inc_tax) * 100),
      currency: 'usd',
      metadata: { bigcommerce_order_id: String(order.id) },
    });
  });

  it('when the order is refunded in BigCommerce then the refund is made at Stripe and the refund transaction names its id', async () => {
    const order = await api<{ id: number }>('POST', '/v2/orders', {
      status_id: 11,
      billing_address: billing,
      products: [{ product_id: 112, quantity: 1 }],
    });
    const quote = await api<{ data: { refund_methods: { provider_id: string; amount: number; offline: boolean }[][] } }>(
      'POST',
      `/v3/orders/${order.id}/payment_actions/refund_quotes`,
      { items: [{ item_type: 'ORDER', item_id: order.id, amount: 5 }] },
    );
    const method = quote.data.refund_methods[0]![0]!;
    await api('POST', `/v3/orders/${order.id}/payment_actions/refunds`, {
      items: [{ item_type: 'ORDER', item_id: order.id, amount: 5 }],
      payments: [{ provider_id: method.provider_id, amount: 5, offline: false }],
    });
    const refundTransaction = (await transactions(order.id)).find((transaction) => transaction.event === 'refund')!;
    expect(refundTransaction.gateway).toBe('stripe');
    const refund = await stripe.refunds.retrieve(refundTransaction.gateway_transaction_id);
    expect(refund).toMatchObject({ amount: 500, status: 'succeeded' });
  });

  it('when the gateway only authorises and the order is captured later then the PaymentIntent is captured at Stripe', async () => {
    await control('PUT', '/payment-gateway', { transactionType: 'authorize_only' });
    const order = await api<{ id: number }>('POST', '/v2/orders', {
      status_id: 11,
      billing_address: billing,
      products: [{ product_id: 112, quantity: 1 }],
    });
    const [authorisation] = await transactions(order.id);
    expect(authorisation).toMatchObject({ event: 'authorization', gateway: 'stripe' });
    expect((await stripe.paymentIntents.retrieve(authorisation!.gateway_transaction_id)).status).toBe('requires_capture');
    await api('POST', `/v3/orders/${order.id}/payment_actions/capture`);
    const capture = (await transactions(order.id)).find((transaction) => transaction.event === 'capture');
    expect(capture).toMatchObject({ gateway: 'stripe', gateway_transaction_id: authorisation!.gateway_transaction_id });
    expect((await stripe.paymentIntents.retrieve(authorisation!.gateway_transaction_id)).status).toBe('succeeded');
  });
});
