import { createHmac, randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProductApp } from '../../../api/product-app.js';
import { listen, type RunningServer } from '../../../api/server.js';
import { ConnectorClients } from '../../../connectors/clients.js';
import { CredentialCipher } from '../../../store/credential-cipher.js';
import { saveCredentials } from '../../../store/credentials.js';
import type { ProcessorEventRecord } from '../../../store/processor-events.js';
import { createTenant, updateTenant } from '../../../store/tenants.js';
import { payoutReconcileWorkflowId, payoutReconcileWorkflowType } from '../../../workflows/payout-reconcile-contract.js';
import { connectTestClient, openTestDatabase, testConfig, uniqueId } from '../../support/harness.js';
import { sandboxEndpoints } from '../../support/vendor-endpoints.js';

/**
 * Stripe's webhooks at the product API as it runs (signing secrets sealed in FerretDB): the
 * signature is computed here on its own from Stripe's documented scheme (HMAC-SHA256 over
 * `{t}.{raw body}`, hex, in `Stripe-Signature: t=…,v1=…`), events are kept once per event id,
 * and nothing is recorded for a delivery that fails any check.
 */
describe('Stripe webhooks', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let client: Awaited<ReturnType<typeof connectTestClient>>;
  let api: RunningServer;
  const tenant = uniqueId('stripe-wh');
  const tenantWithoutSecret = uniqueId('stripe-nosecret');
  const disabledTenant = uniqueId('stripe-off');
  const signingSecret = `whsec_${randomBytes(24).toString('base64url')}`;

  beforeAll(async () => {
    const config = testConfig();
    database = await openTestDatabase(config);
    client = await connectTestClient(config);
    const cipher = new CredentialCipher(config.credentials.keys, config.credentials.activeKeyId);
    for (const id of [tenant, tenantWithoutSecret, disabledTenant])
      await createTenant(database.db, { id, name: id, storefront: 'bigcommerce' });
    await saveCredentials(database.db, cipher, tenant, 'stripe', {
      secretKey: 'sk_test_webhooks1234',
      webhookSigningSecret: signingSecret,
    });
    await saveCredentials(database.db, cipher, disabledTenant, 'stripe', {
      secretKey: 'sk_test_webhooks1234',
      webhookSigningSecret: signingSecret,
    });
    await saveCredentials(database.db, cipher, tenantWithoutSecret, 'stripe', { secretKey: 'sk_test_webhooks1234' });
    await updateTenant(database.db, disabledTenant, { status: 'disabled' });
    const app = createProductApp({
      logger: pino({ level: 'silent' }),
      db: database.db,
      cipher,
      connectors: new ConnectorClients({ endpoints: sandboxEndpoints({}) }),
      temporal: { client, taskQueue: config.temporal.taskQueue },
    });
    api = await listen(app, 0, '127.0.0.1');
  });
  afterAll(async () => {
    await api?.close();
    await client?.close();
    await database?.drop();
  });

  const nowSeconds = () => Math.floor(Date.now() / 1000);
  const hmac = (secret: string, timestamp: number, body: string) =>
    createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
  const signature = (body: string, options: { secret?: string; timestamp?: number; extra?: string[] } = {}) => {
    const timestamp = options.timestamp ?? nowSeconds();
    return [`t=${timestamp}`, ...(options.extra ?? []), `v1=${hmac(options.secret ?? signingSecret, timestamp, body)}`].join(',');
  };
  const payoutEvent = (type = 'payout.paid', payoutId = `po_${randomBytes(8).toString('hex')}`) =>
    JSON.stringify({
      id: `evt_${randomBytes(12).toString('hex')}`,
      object: 'event',
      api_version: '2024-06-20',
      created: nowSeconds(),
      livemode: false,
      type,
      data: { object: { id: payoutId, object: 'payout', amount: 12_005, currency: 'usd', arrival_date: 1_780_012_800, status: 'paid' } },
    });
  const post = async (tenantId: string, body: string, signatureHeader: string | undefined, contentType = 'application/json') => {
    const response = await fetch(`${api.url}/webhooks/stripe/${tenantId}`, {
      method: 'POST',
      headers: { 'Content-Type': contentType, ...(signatureHeader !== undefined && { 'Stripe-Signature': signatureHeader }) },
      body,
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  const recorded = (tenantId: string) =>
    database.db.collection<ProcessorEventRecord>('processor_webhook_events').find({ tenantId }).toArray();
  const recordedEventIds = async (tenantId: string) => (await recorded(tenantId)).map((record) => record.eventId);

  it('when a payout.paid is rightly signed then it is recorded with a summary of the payout, and handed to its payout workflow', async () => {
    const body = payoutEvent('payout.paid', 'po_paid1');
    expect(await post(tenant, body, signature(body))).toEqual({ status: 200, body: { received: true, outcome: 'recorded' } });
    const record = (await recorded(tenant)).find((entry) => entry.eventId === JSON.parse(body).id);
    expect(record).toMatchObject({
      processor: 'stripe',
      type: 'payout.paid',
      // The receiver started the payout's PayoutReconcile (signal-with-start) before answering.
      state: 'dispatched',
      livemode: false,
      apiVersion: '2024-06-20',
      subject: { kind: 'payout', id: 'po_paid1', status: 'paid', amount: 12_005, currency: 'usd', arrivalDate: '2026-05-29T00:00:00.000Z' },
    });
    const started = await client.workflow.getHandle(payoutReconcileWorkflowId(tenant, 'stripe', 'po_paid1')).describe();
    expect(started.type).toBe(payoutReconcileWorkflowType);
  });

  it('when the same event is delivered three times, at once and again later, then it is recorded once and the copies are duplicates', async () => {
    const body = payoutEvent('payout.failed');
    const answers = await Promise.all([1, 2, 3].map(() => post(tenant, body, signature(body))));
    expect(answers.map((answer) => answer.body.outcome).sort()).toEqual(['duplicate', 'duplicate', 'recorded']);
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(await post(tenant, body, signature(body, { timestamp: nowSeconds() - 60 }))).toMatchObject({
      status: 200,
      body: { outcome: 'duplicate' },
    });
    expect((await recordedEventIds(tenant)).filter((id) => id === JSON.parse(body).id)).toHaveLength(1);
  });

  it('when a dispute event arrives then the disputed charge and payment intent are recorded', async () => {
    const body = JSON.stringify({
      id: `evt_${randomBytes(12).toString('hex')}`,
      object: 'event',
      created: nowSeconds(),
      livemode: true,
      type: 'charge.dispute.funds_withdrawn',
      data: {
        object: {
          id: 'dp_1x',
          object: 'dispute',
          amount: 5_000,
          currency: 'eur',
          status: 'needs_response',
          charge: 'ch_9',
          payment_intent: 'pi_9',
        },
      },
    });
    expect((await post(tenant, body, signature(body))).body.outcome).toBe('recorded');
    expect((await recorded(tenant)).find((entry) => entry.subject.id === 'dp_1x')?.subject).toEqual({
      kind: 'dispute',
      id: 'dp_1x',
      status: 'needs_response',
      amount: 5_000,
      currency: 'eur',
      chargeId: 'ch_9',
      paymentIntentId: 'pi_9',
    });
  });

  it('when Stripe signs with an old and a new secret during a roll then the delivery is accepted if either is ours', async () => {
    const body = payoutEvent();
    const timestamp = nowSeconds();
    const header = signature(body, { timestamp, extra: [`v1=${hmac('whsec_theothersecret', timestamp, body)}`, 'v0=deadbeef'] });
    expect((await post(tenant, body, header)).body.outcome).toBe('recorded');
  });

  it('when the signature is forged, tampered, missing or stale then the answer is 401 and nothing is recorded', async () => {
    const before = await recordedEventIds(tenant);
    const body = payoutEvent();
    const otherBody = payoutEvent();
    for (const header of [
      signature(body, { secret: 'whsec_notthetenantssecret' }),
      signature(otherBody),
      `t=${nowSeconds()}`,
      `v1=${hmac(signingSecret, nowSeconds(), body)}`,
      `t=${nowSeconds()},v1=zz`,
      signature(body, { timestamp: nowSeconds() - 301 - 5 }),
      signature(body, { timestamp: nowSeconds() + 600 }),
      undefined,
    ]) {
      expect(await post(tenant, body, header)).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    }
    expect(await recordedEventIds(tenant)).toEqual(before);
  });

  it('when the tenant is unknown, disabled or has no signing secret then a rightly signed delivery is refused the same way', async () => {
    const body = payoutEvent();
    for (const tenantId of [uniqueId('nobody'), disabledTenant, tenantWithoutSecret, 'not a tenant!']) {
      const answer = await post(encodeURIComponent(tenantId), body, signature(body));
      expect({ tenantId, answer }).toMatchObject({ tenantId, answer: { status: 401, body: { error: { code: 'unauthorized' } } } });
    }
    expect(await recordedEventIds(disabledTenant)).toEqual([]);
  });

  it('when an event of a type the product does not act on arrives then it is acknowledged as ignored, every copy, and not recorded', async () => {
    const body = JSON.stringify({
      id: 'evt_ignored1',
      object: 'event',
      created: nowSeconds(),
      livemode: false,
      type: 'charge.succeeded',
      data: { object: {} },
    });
    const answers = await Promise.all([1, 2, 3].map(() => post(tenant, body, signature(body))));
    expect(answers).toEqual(Array(3).fill({ status: 200, body: { received: true, outcome: 'ignored' } }));
    expect(await recordedEventIds(tenant)).not.toContain('evt_ignored1');
  });

  it('when a signed event has an unusable id or the wrong object for its type then the answer is 400 naming it', async () => {
    const longId = JSON.parse(payoutEvent()) as { data: { object: { id: string } } };
    longId.data.object.id = `po_${'9'.repeat(1_500)}`;
    const mismatched = JSON.parse(payoutEvent('charge.dispute.created')) as Record<string, unknown>;
    for (const [event, path] of [
      [longId, 'data.object.id'],
      [mismatched, 'data.object'],
    ] as const) {
      const body = JSON.stringify(event);
      const answer = await post(tenant, body, signature(body));
      expect(answer).toMatchObject({ status: 400, body: { error: { code: 'invalid_event' } } });
      expect(answer.body.error.message).toContain(path);
    }
    const notJson = '{"id":';
    expect((await post(tenant, notJson, signature(notJson))).status).toBe(400);
    expect((await post(tenant, payoutEvent(), signature(payoutEvent()), 'text/plain')).status).toBe(415);
  });
});
