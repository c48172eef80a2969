import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paidIntent, startStripeFixture, type StripeFixture } from './support.js';

const subset = JSON.parse(readFileSync(new URL('../../../sandbox/stripe/schema/openapi-subset.json', import.meta.url), 'utf8')) as object;

describe("Stripe sandbox answers against Stripe's OpenAPI components", () => {
  let fixture: StripeFixture;
  let stripe: Stripe;
  let ajv: Ajv;
  beforeAll(async () => {
    fixture = await startStripeFixture();
    stripe = fixture.stripe;
    ajv = new Ajv({ allErrors: true, strict: false });
    ajv.addSchema(subset, 'stripe');
  });
  afterAll(() => fixture.close());

  const validator = (component: string): ValidateFunction => ajv.getSchema(`stripe#/definitions/${component}`)!;
  const expectValid = (component: string, value: unknown) => {
    const validate = validator(component);
    const body = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
    delete body.lastResponse;
    expect(validate(body) ? [] : validate.errors, component).toEqual([]);
  };

  it('when the sandbox answers each kind of object then it has every required field with the type and values the description gives', async () => {
    const intent = await paidIntent(stripe, 5_000);
    const charge = await stripe.charges.retrieve(intent.latest_charge as string, { expand: ['balance_transaction'] });
    const refund = await stripe.refunds.create({ charge: charge.id, amount: 1_000 });
    const dispute = await fixture.control<Stripe.Dispute>('POST', '/disputes', { charge: charge.id });
    await paidIntent(stripe, 20_000);
    const payout = await fixture.control<Stripe.Payout>('POST', '/payouts', { includePending: true });
    const endpoint = await stripe.webhookEndpoints.create({ url: 'http://127.0.0.1:9/hook', enabled_events: ['*'] });
    const transactions = await stripe.balanceTransactions.list({ payout: payout.id });
    const events = await stripe.events.list({ limit: 100 });

    expectValid('payment_intent', intent);
    expectValid('charge', charge);
    expectValid('balance_transaction', charge.balance_transaction);
    expectValid('refund', refund);
    expectValid('dispute', dispute);
    expectValid('payout', payout);
    expectValid('webhook_endpoint', endpoint);
    expectValid('list', transactions);
    for (const transaction of transactions.data) expectValid('balance_transaction', transaction);
    for (const event of events.data) expectValid('event', event);
    expect(new Set(events.data.map((event) => event.type))).toEqual(
      new Set([
        'payment_intent.created',
        'charge.succeeded',
        'payment_intent.succeeded',
        'refund.created',
        'charge.refunded',
        'charge.dispute.created',
        'charge.dispute.funds_withdrawn',
        'payout.created',
        'payout.paid',
      ]),
    );
  });

  it('when the sandbox refuses a request then the body is Stripe’s error object', async () => {
    const missing = await fetch(`${fixture.sandbox.url}/v1/payouts/po_missing`, { headers: { authorization: 'Bearer sk_test_demo' } });
    expectValid('error', await missing.json());
    const unauthenticated = await fetch(`${fixture.sandbox.url}/v1/payouts`);
    expect(unauthenticated.status).toBe(401);
    expectValid('error', await unauthenticated.json());
    const unknownRoute = await fetch(`${fixture.sandbox.url}/v1/settlements`, { headers: { authorization: 'Bearer sk_test_demo' } });
    expect(unknownRoute.status).toBe(404);
    expectValid('error', await unknownRoute.json());
  });

  it('when a field is missing or of the wrong type then the subset rejects it (the check has teeth)', () => {
    const validate = validator('balance_transaction');
    expect(validate({ id: 'txn_1', object: 'balance_transaction', amount: '100' })).toBe(false);
    expect(validate.errors?.map((error) => error.instancePath || error.params)).toContainEqual('/amount');
  });
});
