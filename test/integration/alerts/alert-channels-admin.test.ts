import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertChannels } from '../../../connectors/alert-channels/channels.js';
import { AlertWebhookEndpoints, type AlertWebhookRules } from '../../../connectors/alert-channels/webhook-endpoints.js';
import { raiseAlert } from '../../../store/alert-outbox.js';
import { parkForAttention, resolveAttention } from '../../../store/attention.js';
import { runAlertSenderPass } from '../../../workers/alert-sender.js';
import { bigCommerceConnection, startAdminApi, type AdminApiUnderTest } from '../../support/admin-api.js';
import {
  startLocalSmtpServer,
  startLocalWebhookReceiver,
  type LocalSmtpServer,
  type LocalWebhookReceiver,
} from '../../support/alert-receivers.js';

const production: AlertWebhookRules = { allowed: undefined, requireHttps: true, refusePrivateAddresses: true };
const local: AlertWebhookRules = { allowed: undefined, requireHttps: false, refusePrivateAddresses: false };

const channelsWith = (
  rules: AlertWebhookRules,
  smtpPort: number,
  resolve?: (host: string) => Promise<Array<{ address: string; family: number }>>,
) =>
  new AlertChannels({
    smtp: {
      host: '127.0.0.1',
      port: smtpPort,
      secure: false,
      requireTls: false,
      user: undefined,
      password: undefined,
      from: 'alerts@sync.test',
    },
    webhooks: new AlertWebhookEndpoints(rules, resolve ? { resolve } : {}),
    timeoutMs: 5_000,
  });

describe('alert channels through the admin API (in-process app, real FerretDB, local SMTP and HTTP receivers)', () => {
  let smtp: LocalSmtpServer;
  let receiver: LocalWebhookReceiver;
  let productionApi: AdminApiUnderTest;
  let localApi: AdminApiUnderTest;

  beforeAll(async () => {
    [smtp, receiver] = await Promise.all([startLocalSmtpServer(), startLocalWebhookReceiver()]);
    [productionApi, localApi] = await Promise.all([
      startAdminApi({ alerts: { channels: channelsWith(production, smtp.port), publicBaseUrl: 'https://sync.example.com' } }),
      startAdminApi({ alerts: { channels: channelsWith(local, smtp.port), publicBaseUrl: 'https://sync.example.com' } }),
    ]);
    for (const api of [productionApi, localApi]) {
      const created = await api.call('POST', '/api/v1/tenants', {
        body: { id: 'alerting', name: 'Alerting Co', connection: bigCommerceConnection },
      });
      expect(created.status).toBe(201);
    }
  });
  afterAll(async () => {
    await Promise.allSettled([productionApi?.close(), localApi?.close(), smtp?.close(), receiver?.close()]);
  });

  const patchAlerts = (api: AdminApiUnderTest, version: number, alerts: unknown) =>
    api.call('PATCH', '/api/v1/tenants/alerting/settings', { body: { version, settings: { alerts } } });

  it('when a production tenant points an alert webhook at a private or plain-http address, then the settings are refused at that field', async () => {
    for (const url of ['https://10.1.2.3/hook', 'https://127.0.0.1:8443/hook', 'https://localhost/hook', 'http://hooks.example.com/x']) {
      const refused = await patchAlerts(productionApi, 1, { channels: [{ id: 'hook', kind: 'webhook', url }] });
      expect(refused.status, url).toBe(400);
      expect(refused.body.error.details, url).toEqual([
        { path: 'alerts.channels.0.url', message: expect.stringMatching(/not a public address|must be https/) },
      ]);
    }
    const accepted = await patchAlerts(productionApi, 1, {
      channels: [{ id: 'hook', kind: 'webhook', url: 'https://hooks.slack.com/services/T0/B0/x' }],
    });
    expect(accepted.status).toBe(200);
  });

  it('when a public host name resolves to a private address in production, then the webhook is refused at connection time and nothing is sent', async () => {
    const port = new URL(receiver.url).port;
    const rebinding = channelsWith(production, smtp.port, () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]));
    const before = receiver.received.length;
    const answer = await rebinding.webhook(
      `https://alerts.example.com:${port}/alerts`,
      { id: 'a1', subject: 's', text: 't', webhookBody: { text: 't' } },
      'whsec_0123456789abcdef0123456789abcdef',
    );
    expect(answer).toEqual({
      ok: false,
      retryable: false,
      answer: expect.stringContaining('resolves to 127.0.0.1, which is not a public address'),
    });
    expect(receiver.received).toHaveLength(before);
  });

  it('when an operator tests each channel, then the email reaches the SMTP server, the webhook arrives signed, and each answer is the server’s', async () => {
    const secret = await localApi.call('POST', '/api/v1/tenants/alerting/alerts/signing-secret');
    expect(secret.status).toBe(201);
    receiver.secret = secret.body.signingSecret;
    const patched = await patchAlerts(localApi, 1, {
      channels: [
        { id: 'ops-email', kind: 'email', to: ['ops@example.com', 'finance@example.com'] },
        { id: 'ops-hook', kind: 'webhook', url: receiver.url },
      ],
    });
    expect(patched.status).toBe(200);

    const emailed = await localApi.call('POST', '/api/v1/tenants/alerting/alerts/channels/ops-email/test');
    expect(emailed.body).toEqual({ ok: true, channelId: 'ops-email', kind: 'email', answer: expect.stringMatching(/^250 /) });
    expect(smtp.received.at(-1)).toMatchObject({
      to: ['ops@example.com', 'finance@example.com'],
      text: expect.stringContaining('test_alert'),
    });

    const posted = await localApi.call('POST', '/api/v1/tenants/alerting/alerts/channels/ops-hook/test');
    expect(posted.body).toEqual({ ok: true, channelId: 'ops-hook', kind: 'webhook', answer: '200 ok' });
    expect(receiver.received.at(-1)).toMatchObject({ verified: true, body: { alerts: [expect.objectContaining({ code: 'test_alert' })] } });

    // A receiver holding another secret refuses the call, and the test says so with its answer.
    receiver.secret = 'whsec_not-the-tenants-secret-000000000';
    const refused = await localApi.call('POST', '/api/v1/tenants/alerting/alerts/channels/ops-hook/test');
    expect(refused.body).toEqual({ ok: false, channelId: 'ops-hook', kind: 'webhook', answer: '401 bad signature' });
    receiver.secret = secret.body.signingSecret;

    expect((await localApi.call('POST', '/api/v1/tenants/alerting/alerts/channels/nope/test')).status).toBe(404);
  });

  it('when a channel keeps failing, then the alert is kept as failed with the last answer, and a retry sends it once the receiver answers', async () => {
    const { db } = localApi.database;
    const settings = await localApi.call('GET', '/api/v1/tenants/alerting/settings');
    const closed = await startLocalWebhookReceiver();
    await closed.close();
    await patchAlerts(localApi, settings.body.version, {
      channels: [{ id: 'gone', kind: 'webhook', url: closed.url, rules: ['schedule_failed'] }],
    });
    await raiseAlert(db, {
      tenantId: 'alerting',
      rule: 'schedule_failed',
      subject: { entity: 'tenant', externalId: 'inventory-reconcile' },
      code: 'schedule_run_failed',
      reason: 'The inventory reconciliation run failed: Intacct refused the session.',
      fix: 'Check the Intacct credentials, then run the reconciliation again.',
    });
    const sender = {
      db,
      channels: channelsWith(local, smtp.port),
      cipher: localApi.cipher,
      publicBaseUrl: 'https://sync.example.com',
      maxAttempts: 3,
    };
    let now = Date.now();
    for (let pass = 0; pass < 4; pass += 1) {
      await runAlertSenderPass({ ...sender, backoff: { firstMs: 1, maxMs: 1 } }, undefined, new Date((now += 1_000)));
    }
    const failed = await localApi.call('GET', '/api/v1/tenants/alerting/alerts?state=failed');
    expect(failed.body.alerts).toEqual([
      expect.objectContaining({
        rule: 'schedule_failed',
        state: 'failed',
        deliveries: [
          {
            channelId: 'gone',
            kind: 'webhook',
            state: 'failed',
            attempts: 3,
            lastAnswer: expect.stringMatching(/^no answer \(ECONNREFUSED\)/),
          },
        ],
      }),
    ]);
    const alertId = failed.body.alerts[0].id as string;
    expect((await localApi.call('POST', `/api/v1/tenants/alerting/alerts/${new ObjectId().toHexString()}/retry`)).status).toBe(409);

    await patchAlerts(localApi, settings.body.version + 1, {
      channels: [{ id: 'gone', kind: 'webhook', url: receiver.url, rules: ['schedule_failed'] }],
    });
    const retried = await localApi.call('POST', `/api/v1/tenants/alerting/alerts/${alertId}/retry`);
    expect(retried.body.alert).toMatchObject({ state: 'pending', deliveries: [{ state: 'pending', attempts: 0 }] });
    await runAlertSenderPass(sender, undefined, new Date((now += 1_000)));
    const sent = await localApi.call('GET', '/api/v1/tenants/alerting/alerts?rule=schedule_failed');
    expect(sent.body.alerts).toEqual([
      expect.objectContaining({
        id: alertId,
        state: 'sent',
        deliveries: [expect.objectContaining({ state: 'sent', lastAnswer: '200 ok' })],
      }),
    ]);
    expect(receiver.received.at(-1)).toMatchObject({
      verified: true,
      alertId,
      body: { alerts: [expect.objectContaining({ rule: 'schedule_failed' })] },
    });
  });
  it('when a parked item is resolved before its alert goes out, then nobody is told; when it parks again later, that is a new alert', async () => {
    const { db } = localApi.database;
    const settings = await localApi.call('GET', '/api/v1/tenants/alerting/settings');
    await patchAlerts(localApi, settings.body.version, { channels: [{ id: 'ops-hook', kind: 'webhook', url: receiver.url }] });
    const sender = {
      db,
      channels: channelsWith(local, smtp.port),
      cipher: localApi.cipher,
      publicBaseUrl: 'https://sync.example.com',
      maxAttempts: 3,
    };
    const key = { tenantId: 'alerting', entity: 'order' as const, externalId: 'R-1' };
    const park = { ...key, code: 'unknown_sku', reason: 'SKU GONE-1 is unknown', fix: 'Map the SKU, then retry.' };
    await parkForAttention(db, park);
    await resolveAttention(db, key, 'operator');
    await runAlertSenderPass(sender);
    const skipped = await localApi.call('GET', '/api/v1/tenants/alerting/alerts?state=skipped');
    expect(skipped.body.alerts).toEqual([
      expect.objectContaining({
        subject: { entity: 'order', externalId: 'R-1' },
        skippedBecause: 'the item was resolved before the alert was sent',
      }),
    ]);
    expect(
      receiver.received.some((hook) =>
        hook.body.alerts.some((alert: { subject: { externalId: string } }) => alert.subject.externalId === 'R-1'),
      ),
    ).toBe(false);

    await parkForAttention(db, park);
    await runAlertSenderPass(sender);
    const sent = await localApi.call('GET', '/api/v1/tenants/alerting/alerts?state=sent');
    expect(sent.body.alerts.filter((alert: { subject: { externalId: string } }) => alert.subject.externalId === 'R-1')).toHaveLength(1);
  });

  it('when the storefront webhook check raises its tenant item, then the alert falls under the webhooks rule', async () => {
    const { db } = localApi.database;
    await parkForAttention(db, {
      tenantId: 'alerting',
      entity: 'tenant',
      externalId: 'storefront-webhooks',
      code: 'storefront_webhooks_disabled',
      reason: 'Clarity disabled the subscription sub-1.',
      fix: 'Register the webhooks again.',
    });
    const raised = await localApi.call('GET', '/api/v1/tenants/alerting/alerts?rule=webhooks');
    expect(raised.body.alerts).toEqual([
      expect.objectContaining({ code: 'storefront_webhooks_disabled', subject: { entity: 'tenant', externalId: 'storefront-webhooks' } }),
    ]);
  });
});
