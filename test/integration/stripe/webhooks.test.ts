import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paidIntent, startStripeFixture, type StripeFixture } from './support.js';

interface Received {
  body: string;
  signature: string;
}

/** A webhook receiver that records every delivery and fails the first attempt of each event id it is told to. */
async function startReceiver(
  failFirstAttemptOf: (type: string) => boolean,
): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const attempts = new Map<string, number>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ body, signature: String(request.headers['stripe-signature']) });
      const event = JSON.parse(body) as { id: string; type: string };
      const attempt = (attempts.get(event.id) ?? 0) + 1;
      attempts.set(event.id, attempt);
      response.statusCode = failFirstAttemptOf(event.type) && attempt === 1 ? 500 : 200;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/stripe`, received, server };
}

async function until<T>(probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('Stripe sandbox, webhook endpoints and signed events', () => {
  let fixture: StripeFixture;
  let stripe: Stripe;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let endpoint: Stripe.WebhookEndpoint;
  const events = (type: string) => receiver.received.filter((delivery) => (JSON.parse(delivery.body) as { type: string }).type === type);

  beforeAll(async () => {
    fixture = await startStripeFixture();
    stripe = fixture.stripe;
    receiver = await startReceiver((type) => type === 'payout.paid');
    endpoint = await stripe.webhookEndpoints.create({
      url: receiver.url,
      enabled_events: [
        'payout.paid',
        'payout.failed',
        'charge.refunded',
        'charge.dispute.created',
        'charge.dispute.closed',
        'charge.dispute.funds_withdrawn',
        'charge.dispute.funds_reinstated',
      ],
    });
  });
  afterAll(async () => {
    await fixture.close();
    await new Promise((resolve) => receiver.server.close(resolve));
  });

  it('when an endpoint is created then its whsec_ secret is shown once, and listing or retrieving it does not show the secret', async () => {
    expect(endpoint.secret).toMatch(/^whsec_/);
    expect(endpoint).toMatchObject({ object: 'webhook_endpoint', status: 'enabled', url: receiver.url });
    const retrieved = await stripe.webhookEndpoints.retrieve(endpoint.id);
    expect(retrieved.secret).toBeUndefined();
    expect((await stripe.webhookEndpoints.list()).data.map((listed) => listed.id)).toContain(endpoint.id);
  });

  it('when a charge is refunded then charge.refunded arrives signed so that stripe.webhooks.constructEvent accepts it, and no other type is sent', async () => {
    const intent = await paidIntent(stripe, 6_000);
    await stripe.refunds.create({ payment_intent: intent.id, amount: 2_500 });
    const delivery = await until(() => events('charge.refunded')[0]);
    expect(delivery.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const event = stripe.webhooks.constructEvent(delivery.body, delivery.signature, endpoint.secret!);
    expect(event.type).toBe('charge.refunded');
    const charge = event.data.object as Stripe.Charge;
    expect(charge).toMatchObject({ id: intent.latest_charge, amount_refunded: 2_500, refunded: false });
    expect(event.data.previous_attributes).toEqual({ amount_refunded: 0, refunded: false });
    expect(events('payment_intent.succeeded')).toEqual([]);
    expect(() => stripe.webhooks.constructEvent(delivery.body, delivery.signature, 'whsec_someone_else')).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
    expect(() => stripe.webhooks.constructEvent(delivery.body.replace('2500', '2501'), delivery.signature, endpoint.secret!)).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
  });

  it('when a dispute is opened and won then created, funds_withdrawn, funds_reinstated and closed arrive, each verifiable', async () => {
    const intent = await paidIntent(stripe, 4_000);
    const dispute = await fixture.control<Stripe.Dispute>('POST', '/disputes', { charge: intent.id });
    await fixture.control('POST', `/disputes/${dispute.id}/close`, { outcome: 'won' });
    const types = ['charge.dispute.created', 'charge.dispute.funds_withdrawn', 'charge.dispute.funds_reinstated', 'charge.dispute.closed'];
    for (const type of types) {
      const delivery = await until(() => events(type).find((candidate) => candidate.body.includes(dispute.id)));
      const event = stripe.webhooks.constructEvent(delivery.body, delivery.signature, endpoint.secret!);
      expect((event.data.object as Stripe.Dispute).id).toBe(dispute.id);
    }
    const closed = stripe.webhooks.constructEvent(
      events('charge.dispute.closed').at(-1)!.body,
      events('charge.dispute.closed').at(-1)!.signature,
      endpoint.secret!,
    );
    expect((closed.data.object as Stripe.Dispute).status).toBe('won');
  });

  it('when the receiver answers 500 then the event is retried until it answers 2xx, and the delivery log shows both attempts', async () => {
    await paidIntent(stripe, 7_000);
    const payout = await fixture.control<Stripe.Payout>('POST', '/payouts', { includePending: true });
    const deliveries = await until(() => {
      const paid = events('payout.paid').filter((delivery) => delivery.body.includes(payout.id));
      return paid.length >= 2 ? paid : undefined;
    });
    expect(deliveries[0]!.body).toBe(deliveries[1]!.body);
    const event = stripe.webhooks.constructEvent(deliveries[1]!.body, deliveries[1]!.signature, endpoint.secret!);
    expect(event.data.object).toMatchObject({ id: payout.id, status: 'paid', amount: payout.amount });
    const log = await fixture.control<{ deliveries: { state: string; attempts: { status: number }[] }[] }>(
      'GET',
      `/webhook_deliveries?eventType=payout.paid&endpointId=${endpoint.id}`,
    );
    expect(log.deliveries[0]).toMatchObject({ state: 'delivered', attempts: [{ status: 500 }, { status: 200 }] });
  });

  it('when an event is redelivered three times then the receiver gets the same event id three more times, and the events API lists it', async () => {
    await paidIntent(stripe, 1_000);
    const payout = await fixture.control<Stripe.Payout>('POST', '/payouts', { includePending: true, status: 'in_transit' });
    await fixture.control('POST', `/payouts/${payout.id}/fail`, {});
    const original = await until(() => events('payout.failed')[0]);
    const eventId = (JSON.parse(original.body) as { id: string }).id;
    await fixture.control('POST', `/events/${eventId}/redeliver`, { copies: 3 });
    await until(() => (events('payout.failed').length === 4 ? true : undefined));
    expect(new Set(events('payout.failed').map((delivery) => (JSON.parse(delivery.body) as { id: string }).id))).toEqual(
      new Set([eventId]),
    );
    const listed = await stripe.events.list({ type: 'payout.*' });
    expect(listed.data.map((event) => event.type)).toContain('payout.failed');
    expect((await stripe.events.retrieve(eventId)).data.object).toMatchObject({
      id: payout.id,
      status: 'failed',
      failure_code: 'account_closed',
    });
  });

  it('when the endpoint is deleted then nothing more is delivered to it', async () => {
    const deleted = await stripe.webhookEndpoints.del(endpoint.id);
    expect(deleted).toMatchObject({ id: endpoint.id, deleted: true });
    const intent = await paidIntent(stripe, 1_100);
    const refund = await stripe.refunds.create({ payment_intent: intent.id });
    // Deliveries are queued when the event happens: none queued means none will arrive.
    const refunded = (await stripe.events.list({ type: 'charge.refunded', limit: 1 })).data[0]!;
    expect((refunded.data.object as Stripe.Charge).id).toBe(refund.charge);
    const log = await fixture.control<{ deliveries: unknown[] }>('GET', `/webhook_deliveries?eventId=${refunded.id}`);
    expect(log.deliveries).toEqual([]);
    await expect(stripe.webhookEndpoints.retrieve(endpoint.id)).rejects.toMatchObject({ statusCode: 404 });
  });
});
