import type Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { paidIntent, standardFee, startStripeFixture, type StripeFixture } from './support.js';

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

describe('Stripe sandbox, disputes and payouts', () => {
  let fixture: StripeFixture;
  let stripe: Stripe;
  beforeAll(async () => {
    fixture = await startStripeFixture();
    stripe = fixture.stripe;
  });
  beforeEach(() => fixture.control('POST', '/reset'));
  afterAll(() => fixture.close());

  async function transactionsOf(payoutId: string): Promise<Stripe.BalanceTransaction[]> {
    return stripe.balanceTransactions.list({ payout: payoutId, limit: 100 }).autoPagingToArray({ limit: 1_000 });
  }

  it('when charges, a refund and a lost dispute are paid out then the payout’s transactions (fees and net) sum to the payout, its own transaction included', async () => {
    await paidIntent(stripe, 10_000);
    const second = await paidIntent(stripe, 4_550);
    const disputed = await paidIntent(stripe, 2_000);
    await stripe.refunds.create({ payment_intent: second.id, amount: 1_000 });
    const dispute = await fixture.control<Stripe.Dispute>('POST', '/disputes', { charge: disputed.id, reason: 'fraudulent' });
    expect(dispute).toMatchObject({ status: 'needs_response', amount: 2_000, charge: disputed.latest_charge, payment_intent: disputed.id });
    await fixture.control('POST', `/disputes/${dispute.id}/close`, { outcome: 'lost' });
    await expect(fixture.control('POST', '/payouts', {})).rejects.toThrow(/balance_insufficient|no positive available balance/);
    await fixture.control('POST', '/clock', { advanceSeconds: 2 * 86_400 });
    const payout = await fixture.control<Stripe.Payout>('POST', '/payouts', {});
    expect(payout).toMatchObject({ object: 'payout', status: 'paid', automatic: true, currency: 'usd' });
    expect(payout.arrival_date).toBe(payout.created + 2 * 86_400);

    const transactions = await transactionsOf(payout.id);
    const byType = (type: string) => transactions.filter((transaction) => transaction.type === type);
    expect(
      byType('charge')
        .map((transaction) => transaction.fee)
        .sort(),
    ).toEqual([standardFee(2_000), standardFee(4_550), standardFee(10_000)].sort());
    expect(byType('refund').map((transaction) => transaction.net)).toEqual([-1_000]);
    expect(byType('adjustment')).toEqual([
      expect.objectContaining({ reporting_category: 'dispute', amount: -2_000, fee: 1_500, net: -3_500, source: dispute.id }),
    ]);
    const own = byType('payout');
    expect(own).toEqual([
      expect.objectContaining({ amount: -payout.amount, net: -payout.amount, fee: 0, source: payout.id, id: payout.balance_transaction }),
    ]);
    for (const transaction of transactions) expect(transaction.net).toBe(transaction.amount - transaction.fee);
    const paidOut = transactions.filter((transaction) => transaction.type !== 'payout');
    expect(sum(paidOut.map((transaction) => transaction.net))).toBe(payout.amount);
    expect(payout.amount).toBe(10_000 + 4_550 + 2_000 - standardFee(10_000) - standardFee(4_550) - standardFee(2_000) - 1_000 - 3_500);
    expect((await stripe.payouts.list({ status: 'paid' })).data.map((listed) => listed.id)).toEqual([payout.id]);
  });

  it('when a dispute is won then the funds and the dispute fee come back as a dispute_reversal, and the dispute holds both transactions', async () => {
    const intent = await paidIntent(stripe, 8_000);
    const opened = await fixture.control<Stripe.Dispute>('POST', '/disputes', { charge: intent.latest_charge });
    const won = await fixture.control<Stripe.Dispute>('POST', `/disputes/${opened.id}/close`, { outcome: 'won' });
    expect(won.status).toBe('won');
    expect(won.balance_transactions.map(({ reporting_category, amount, fee, net }) => ({ reporting_category, amount, fee, net }))).toEqual([
      { reporting_category: 'dispute', amount: -8_000, fee: 1_500, net: -9_500 },
      { reporting_category: 'dispute_reversal', amount: 8_000, fee: -1_500, net: 9_500 },
    ]);
    const retrieved = await stripe.disputes.retrieve(opened.id);
    expect(retrieved.balance_transactions).toHaveLength(2);
    expect((await stripe.disputes.list({ charge: intent.latest_charge as string })).data.map((dispute) => dispute.id)).toEqual([opened.id]);
    await expect(fixture.control('POST', `/disputes/${opened.id}/close`, { outcome: 'lost' })).rejects.toThrow(/already closed/);
  });

  it('when the merchant accepts a dispute through the API then it is lost and the charge cannot be refunded any more', async () => {
    const intent = await paidIntent(stripe, 3_000);
    const opened = await fixture.control<Stripe.Dispute>('POST', '/disputes', { charge: intent.id, amount: 1_000 });
    const closed = await stripe.disputes.close(opened.id);
    expect(closed).toMatchObject({ status: 'lost', amount: 1_000 });
    await expect(stripe.refunds.create({ payment_intent: intent.id })).rejects.toMatchObject({ code: 'charge_disputed' });
  });

  it('when the test card that creates a dispute is used then the dispute exists right after the payment', async () => {
    const intent = await stripe.paymentIntents.create({
      amount: 1_234,
      currency: 'usd',
      payment_method: 'pm_card_createDispute',
      confirm: true,
    });
    const disputes = await stripe.disputes.list({ payment_intent: intent.id });
    expect(disputes.data).toEqual([expect.objectContaining({ amount: 1_234, status: 'needs_response' })]);
  });

  it('when a payout fails then its amount returns to the balance as payout_failure and the next payout pays it again', async () => {
    await paidIntent(stripe, 5_000);
    const payout = await fixture.control<Stripe.Payout>('POST', '/payouts', { includePending: true, status: 'in_transit' });
    expect(payout.status).toBe('in_transit');
    const failed = await fixture.control<Stripe.Payout>('POST', `/payouts/${payout.id}/fail`, { failureCode: 'account_closed' });
    expect(failed).toMatchObject({
      status: 'failed',
      failure_code: 'account_closed',
      failure_message: 'The bank account has been closed.',
    });
    const returned = await stripe.balanceTransactions.retrieve(failed.failure_balance_transaction as string);
    expect(returned).toMatchObject({ type: 'payout_failure', amount: payout.amount, net: payout.amount, source: payout.id });
    const again = await fixture.control<Stripe.Payout>('POST', '/payouts', {});
    expect(again.amount).toBe(payout.amount);
    expect((await transactionsOf(again.id)).map((transaction) => transaction.type).sort()).toEqual(['payout', 'payout_failure']);
    expect((await stripe.payouts.list({ status: 'failed' })).data.map((listed) => listed.id)).toEqual([payout.id]);
  });

  it('when a charge is in another currency then it settles converted at the stated rate, named as exchange_rate, with the fee on the converted amount', async () => {
    await fixture.control('PATCH', '/settings', { exchangeRates: { eur: 1.1 }, fees: { percentBasisPoints: 250, fixed: 25 } });
    const intent = await paidIntent(stripe, 10_000, 'eur');
    const charge = await stripe.charges.retrieve(intent.latest_charge as string, { expand: ['balance_transaction'] });
    expect(charge.currency).toBe('eur');
    expect(charge.balance_transaction).toMatchObject({ currency: 'usd', amount: 11_000, exchange_rate: 1.1, fee: 275 + 25, net: 10_700 });
    const refund = await stripe.refunds.create({ charge: charge.id, amount: 5_000, expand: ['balance_transaction'] });
    expect(refund.balance_transaction).toMatchObject({ currency: 'usd', amount: -5_500, exchange_rate: 1.1 });
  });

  it('when balance transactions are filtered by type and created then only those match, and the balance shows what is pending', async () => {
    const before = Math.floor(Date.now() / 1000) - 1;
    await paidIntent(stripe, 1_000);
    await paidIntent(stripe, 2_000);
    const charges = await stripe.balanceTransactions.list({ type: 'charge', created: { gte: before } });
    expect(charges.data.map((transaction) => transaction.amount)).toEqual([2_000, 1_000]);
    expect((await stripe.balanceTransactions.list({ type: 'refund' })).data).toEqual([]);
    expect((await stripe.balanceTransactions.list({ created: { lt: before } })).data).toEqual([]);
    const balance = await stripe.balance.retrieve();
    expect(balance.pending).toEqual([
      {
        amount: 3_000 - standardFee(1_000) - standardFee(2_000),
        currency: 'usd',
        source_types: { card: 3_000 - standardFee(1_000) - standardFee(2_000) },
      },
    ]);
  });
});
