import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStripeSandbox } from '../../../sandbox/stripe/index.js';
import { paidIntent, startStripeFixture, stripeClient, type StripeFixture } from './support.js';

describe('Stripe sandbox, faults', () => {
  let fixture: StripeFixture;
  let stripe: Stripe;
  beforeAll(async () => {
    fixture = await startStripeFixture();
    stripe = fixture.stripe;
  });
  beforeEach(() => fixture.control('DELETE', '/faults'));
  afterAll(() => fixture.close());

  it('when a rate limit is injected then the client gets StripeRateLimitError with code rate_limit, once, then the call succeeds', async () => {
    await fixture.control('POST', '/faults', { kind: 'rate_limit', pathPrefix: '/v1/payouts', times: 1 });
    const error = await stripe.payouts.list().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    expect(error).toMatchObject({ statusCode: 429, code: 'rate_limit' });
    expect((await stripe.payouts.list()).object).toBe('list');
  });

  it('when a 503 is injected then the client gets StripeAPIError of type api_error, and Stripe-Should-Retry says to retry', async () => {
    await fixture.control('POST', '/faults', { kind: 'server_error', status: 503, times: 1 });
    const error = (await stripe.balanceTransactions.list().catch((caught: unknown) => caught)) as Stripe.errors.StripeAPIError;
    expect(error).toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(error.statusCode).toBe(503);
    expect(error.headers?.['stripe-should-retry']).toBe('true');
  });

  it('when the answer to a payment is lost after it was made then the client’s retry under the same Idempotency-Key gets that payment, not a second one', async () => {
    await fixture.control('POST', '/faults', { kind: 'lost_response', method: 'POST', pathPrefix: '/v1/payment_intents', times: 1 });
    // The client retries a closed connection once, even with retries off, under the same key.
    const intent = await stripe.paymentIntents.create(
      { amount: 4_200, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, metadata: { order: 'lost' } },
      { idempotencyKey: `lost-${Date.now()}` },
    );
    expect(intent.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect((await fixture.control<{ faults: unknown[] }>('GET', '/faults')).faults).toEqual([]);
    const made = (await stripe.paymentIntents.list({ limit: 100 })).data.filter((listed) => listed.metadata.order === 'lost');
    expect(made.map((listed) => listed.id)).toEqual([intent.id]);
    expect((await stripe.charges.list({ payment_intent: intent.id })).data).toHaveLength(1);
  });

  it('when latency is injected then the answer comes that much later', async () => {
    await fixture.control('POST', '/faults', { kind: 'latency', delayMs: 300, times: 1 });
    const started = Date.now();
    await stripe.charges.list({ limit: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });
});

describe('Stripe sandbox, state across restarts', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stripe-sandbox-'));
  });
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  it('when the sandbox restarts with its state file then payments, payouts and webhook endpoints are still there; without it the account is empty', async () => {
    const stateFile = path.join(dir, 'stripe.json');
    const first = await startStripeSandbox({ port: 0, controlEnabled: true, stateFile });
    const intent = await paidIntent(stripeClient(first.port), 9_900);
    const endpoint = await stripeClient(first.port).webhookEndpoints.create({
      url: 'http://127.0.0.1:9/none',
      enabled_events: ['payout.paid'],
    });
    const payout = (await (
      await fetch(`${first.url}/_sandbox/payouts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"includePending":true}',
      })
    ).json()) as Stripe.Payout;
    await first.close();

    const second = await startStripeSandbox({ port: 0, controlEnabled: true, stateFile });
    try {
      const stripe = stripeClient(second.port);
      expect((await stripe.paymentIntents.retrieve(intent.id)).status).toBe('succeeded');
      expect((await stripe.payouts.retrieve(payout.id)).amount).toBe(payout.amount);
      expect((await stripe.balanceTransactions.list({ payout: payout.id })).data).toHaveLength(2);
      expect((await stripe.webhookEndpoints.retrieve(endpoint.id)).url).toBe('http://127.0.0.1:9/none');
    } finally {
      await second.close();
    }
    const fresh = await startStripeSandbox({ port: 0, controlEnabled: false });
    try {
      expect((await stripeClient(fresh.port).paymentIntents.list()).data).toEqual([]);
      expect((await fetch(`${fresh.url}/_sandbox/settings`)).status).toBe(404);
    } finally {
      await fresh.close();
    }
  });
});
