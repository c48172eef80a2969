import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paidIntent, standardFee, startStripeFixture, stripeClient, type StripeFixture } from './support.js';

describe('Stripe sandbox, payments through the official stripe client', () => {
  let fixture: StripeFixture;
  let stripe: Stripe;
  beforeAll(async () => {
    fixture = await startStripeFixture();
    stripe = fixture.stripe;
  });
  afterAll(() => fixture.close());

  it('when a payment intent is created and confirmed then its charge has a balance transaction with the 2.9 % + 30 fee and the net', async () => {
    const intent = await paidIntent(stripe, 10_000, 'usd', { order: '1001' });
    expect(intent.status).toBe('succeeded');
    expect(intent.amount_received).toBe(10_000);
    expect(intent.metadata).toEqual({ order: '1001' });
    const charge = await stripe.charges.retrieve(intent.latest_charge as string, { expand: ['balance_transaction'] });
    expect(charge).toMatchObject({
      amount: 10_000,
      amount_captured: 10_000,
      captured: true,
      paid: true,
      payment_intent: intent.id,
      status: 'succeeded',
    });
    const transaction = charge.balance_transaction as Stripe.BalanceTransaction;
    expect(transaction).toMatchObject({
      type: 'charge',
      reporting_category: 'charge',
      amount: 10_000,
      fee: 320,
      net: 9_680,
      source: charge.id,
      exchange_rate: null,
    });
    expect(transaction.fee_details).toEqual([
      { amount: 320, application: null, currency: 'usd', description: 'Stripe processing fees', type: 'stripe_fee' },
    ]);
  });

  it('when the intent is created for manual capture then it waits with the amount capturable, and a partial capture settles only what was captured', async () => {
    const intent = await stripe.paymentIntents.create({
      amount: 5_000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      capture_method: 'manual',
    });
    expect(intent.status).toBe('requires_confirmation');
    const confirmed = await stripe.paymentIntents.confirm(intent.id);
    expect(confirmed).toMatchObject({ status: 'requires_capture', amount_capturable: 5_000 });
    const uncaptured = await stripe.charges.retrieve(confirmed.latest_charge as string);
    expect(uncaptured).toMatchObject({ captured: false, balance_transaction: null });
    const captured = await stripe.paymentIntents.capture(
      intent.id,
      { amount_to_capture: 4_000 },
      { idempotencyKey: `capture-${intent.id}` },
    );
    expect(captured).toMatchObject({ status: 'succeeded', amount_received: 4_000, amount_capturable: 0 });
    const charge = await stripe.charges.retrieve(captured.latest_charge as string, { expand: ['balance_transaction'] });
    expect(charge.amount_captured).toBe(4_000);
    expect((charge.balance_transaction as Stripe.BalanceTransaction).fee).toBe(standardFee(4_000));
    await expect(stripe.paymentIntents.capture(intent.id)).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      code: 'payment_intent_unexpected_state',
    });
  });

  it('when the card is declined then the client gets a card error naming the decline, and the intent asks for another payment method', async () => {
    const error = await stripe.paymentIntents
      .create({ amount: 2_000, currency: 'usd', payment_method: 'pm_card_chargeDeclined', confirm: true })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    const cardError = error as Stripe.errors.StripeCardError;
    expect(cardError).toMatchObject({ statusCode: 402, code: 'card_declined', decline_code: 'generic_decline' });
    expect(cardError.payment_intent?.status).toBe('requires_payment_method');
    const charge = await stripe.charges.retrieve(cardError.payment_intent!.latest_charge as string);
    expect(charge).toMatchObject({ status: 'failed', paid: false, balance_transaction: null, failure_code: 'card_declined' });
  });

  it('when part of a charge is refunded and then the rest then each refund leaves the balance in full, and a third is refused', async () => {
    const intent = await paidIntent(stripe, 3_000);
    const first = await stripe.refunds.create({ payment_intent: intent.id, amount: 1_000, reason: 'requested_by_customer' });
    const second = await stripe.refunds.create({ charge: intent.latest_charge as string });
    expect(first).toMatchObject({ amount: 1_000, status: 'succeeded', payment_intent: intent.id, reason: 'requested_by_customer' });
    expect(second.amount).toBe(2_000);
    const transaction = await stripe.balanceTransactions.retrieve(second.balance_transaction as string);
    expect(transaction).toMatchObject({ type: 'refund', amount: -2_000, fee: 0, net: -2_000, source: second.id });
    const charge = await stripe.charges.retrieve(intent.latest_charge as string);
    expect(charge).toMatchObject({ amount_refunded: 3_000, refunded: true });
    const listed = await stripe.refunds.list({ charge: charge.id });
    expect(listed.data.map((refund) => refund.id)).toEqual([second.id, first.id]);
    await expect(stripe.refunds.create({ charge: charge.id })).rejects.toMatchObject({ code: 'charge_already_refunded', statusCode: 400 });
  });

  it('when the same Idempotency-Key is sent with the same parameters then the first answer is replayed; with other parameters it is an idempotency error', async () => {
    const key = `order-2001-${Date.now()}`;
    const first = await stripe.paymentIntents.create(
      { amount: 1_500, currency: 'usd', payment_method: 'pm_card_visa', confirm: true },
      { idempotencyKey: key },
    );
    const again = await stripe.paymentIntents.create(
      { amount: 1_500, currency: 'usd', payment_method: 'pm_card_visa', confirm: true },
      { idempotencyKey: key },
    );
    expect(again.id).toBe(first.id);
    expect(again.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect((await stripe.charges.list({ payment_intent: first.id })).data).toHaveLength(1);
    const refused = await stripe.paymentIntents
      .create({ amount: 1_600, currency: 'usd' }, { idempotencyKey: key })
      .catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(refused).toMatchObject({ statusCode: 400, type: 'StripeIdempotencyError' });
  });

  it('when a declined payment is retried under its key then the saved 402 is replayed, not a second charge', async () => {
    const key = `declined-${Date.now()}`;
    const create = () =>
      stripe.paymentIntents
        .create({ amount: 900, currency: 'usd', payment_method: 'pm_card_chargeDeclined', confirm: true }, { idempotencyKey: key })
        .then(
          () => {
            throw new Error('a declined card was charged');
          },
          (caught: unknown) => caught as Stripe.errors.StripeCardError,
        );
    const [first, second] = [await create(), await create()];
    expect(second.payment_intent?.id).toBe(first.payment_intent?.id);
    expect(second.headers?.['idempotent-replayed']).toBe('true');
  });

  it('when a list is paged with limit, starting_after and ending_before then pages are newest first and has_more tells whether more follow', async () => {
    const ids: string[] = [];
    for (let index = 0; index < 5; index += 1) ids.push((await paidIntent(stripe, 100 + index, 'usd', { batch: 'paging' })).id);
    const newestFirst = [...ids].reverse();
    const first = await stripe.paymentIntents.list({ limit: 2 });
    expect(first).toMatchObject({ object: 'list', has_more: true, url: '/v1/payment_intents' });
    expect(first.data.map((intent) => intent.id)).toEqual(newestFirst.slice(0, 2));
    const second = await stripe.paymentIntents.list({ limit: 2, starting_after: first.data[1]!.id });
    expect(second.data.map((intent) => intent.id)).toEqual(newestFirst.slice(2, 4));
    const back = await stripe.paymentIntents.list({ limit: 2, ending_before: second.data[0]!.id });
    expect(back.data.map((intent) => intent.id)).toEqual(newestFirst.slice(0, 2));
    expect(back.has_more).toBe(false);
    const all = await stripe.paymentIntents.list({ limit: 3 }).autoPagingToArray({ limit: 1_000 });
    expect(all.filter((intent) => intent.metadata.batch === 'paging').map((intent) => intent.id)).toEqual(newestFirst);
    await expect(stripe.paymentIntents.list({ limit: 101 })).rejects.toMatchObject({ param: 'limit', statusCode: 400 });
  });

  it('when the key is wrong, a parameter unknown or an object missing then Stripe’s error types, codes and params come back', async () => {
    await expect(stripeClient(fixture.sandbox.port, 'sk_test_not_a_key').charges.list()).rejects.toBeInstanceOf(
      Stripe.errors.StripeAuthenticationError,
    );
    const basic = await fetch(`${fixture.sandbox.url}/v1/charges?limit=1`, {
      headers: { authorization: `Basic ${Buffer.from('sk_test_demo:').toString('base64')}` },
    });
    expect(basic.status).toBe(200);
    await expect(stripe.charges.retrieve('ch_missing')).rejects.toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
      param: 'id',
      message: expect.stringContaining("No such charge: 'ch_missing'") as unknown,
    });
    await expect(
      stripe.paymentIntents.create({ amount: 100, currency: 'usd', colour: 'blue' } as Stripe.PaymentIntentCreateParams),
    ).rejects.toMatchObject({
      statusCode: 400,
      code: 'parameter_unknown',
      param: 'colour',
    });
    await expect(stripe.paymentIntents.create({ currency: 'usd' } as Stripe.PaymentIntentCreateParams)).rejects.toMatchObject({
      code: 'parameter_missing',
      param: 'amount',
    });
  });

  it('when expand[] names nested ids then they come back as objects, and an unexpandable field is refused', async () => {
    const intent = await paidIntent(stripe, 2_500);
    const expanded = await stripe.paymentIntents.retrieve(intent.id, { expand: ['latest_charge.balance_transaction'] });
    const charge = expanded.latest_charge as Stripe.Charge;
    expect((charge.balance_transaction as Stripe.BalanceTransaction).net).toBe(2_500 - standardFee(2_500));
    const listed = await stripe.balanceTransactions.list({ type: 'charge', limit: 1, expand: ['data.source'] });
    expect((listed.data[0]!.source as Stripe.Charge).object).toBe('charge');
    await expect(stripe.paymentIntents.retrieve(intent.id, { expand: ['amount'] })).rejects.toMatchObject({
      statusCode: 400,
      param: 'expand',
    });
  });
});
