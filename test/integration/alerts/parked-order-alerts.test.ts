import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertChannels } from '../../../connectors/alert-channels/channels.js';
import { AlertWebhookEndpoints } from '../../../connectors/alert-channels/webhook-endpoints.js';
import { findAttentionItem } from '../../../store/attention.js';
import { runAlertSenderPass, type AlertSenderOptions } from '../../../workers/alert-sender.js';
import {
  startLocalSmtpServer,
  startLocalWebhookReceiver,
  type LocalSmtpServer,
  type LocalWebhookReceiver,
} from '../../support/alert-receivers.js';
import { eventually } from '../../support/eventually.js';
import { useEndToEndTenant, type OrderToCashStack } from '../../support/order-to-cash-stack.js';
import '../../support/quiet-runtime.js';

/**
 * Alerts to a person, end to end: a Clarity order parks on the real worker (a SKU Intacct has
 * discontinued), the park's attention write puts the alert in the outbox, and the sender delivers
 * it to a real local SMTP server and a local HTTP receiver that verifies the HMAC signature.
 */
describe('alerts for parked orders: SMTP and signed webhooks', () => {
  let stack: OrderToCashStack;
  let tenantId: string;
  let smtp: LocalSmtpServer;
  let receiver: LocalWebhookReceiver;
  let sender: AlertSenderOptions;
  const baseUrl = 'https://sync.example.com';

  useEndToEndTenant({ storefront: 'clarity' }, (started) => ({ stack, tenantId } = started));

  const channelsFor = (port: number) =>
    new AlertChannels({
      smtp: {
        host: '127.0.0.1',
        port,
        secure: false,
        requireTls: false,
        user: undefined,
        password: undefined,
        from: 'Sync <alerts@sync.test>',
      },
      webhooks: new AlertWebhookEndpoints({ allowed: undefined, requireHttps: false, refusePrivateAddresses: false }),
      timeoutMs: 5_000,
    });

  beforeAll(async () => {
    [smtp, receiver] = await Promise.all([startLocalSmtpServer(), startLocalWebhookReceiver()]);
    const secret = await stack.admin('POST', `/tenants/${tenantId}/alerts/signing-secret`);
    expect(secret.status).toBe(201);
    receiver.secret = secret.body.signingSecret as string;
    await setAlerts({
      channels: [
        { id: 'ops-email', kind: 'email', to: ['ops@example.com'] },
        { id: 'ops-hook', kind: 'webhook', url: receiver.url },
      ],
    });
    sender = {
      db: stack.database.db,
      channels: channelsFor(smtp.port),
      cipher: stack.cipher,
      publicBaseUrl: baseUrl,
      maxAttempts: 5,
      backoff: { firstMs: 10, maxMs: 10 },
    };
    // The discontinued poster is still for sale in the store: every order of it parks.
    expect((await stack.clarity('PATCH', '/products/POSTER-CITY-A2', { active: true, available: 50 })).status).toBe(200);
  });
  afterAll(async () => {
    sender?.channels.close();
    await Promise.allSettled([smtp?.close(), receiver?.close()]);
  });

  async function setAlerts(alerts: Record<string, unknown>) {
    const current = await stack.admin('GET', `/tenants/${tenantId}/settings`);
    const patched = await stack.admin('PATCH', `/tenants/${tenantId}/settings`, { version: current.body.version, settings: { alerts } });
    expect(patched.status).toBe(200);
  }
  async function parkOrder(customerId: string): Promise<string> {
    const created = await stack.clarity('POST', '/orders', {
      customerId,
      lineItems: [{ sku: 'POSTER-CITY-A2', quantity: 1 }],
      status: 'processing',
    });
    expect(created.status).toBe(201);
    const orderId = (created.body as { orderId: string }).orderId;
    await stack.waitForOrder(tenantId, orderId, (status) => status.step === 'parked');
    // The workflow shows itself parked a moment before its park activity has written the item.
    await eventually(() => findAttentionItem(stack.database.db, { tenantId, entity: 'order', externalId: orderId }), {
      what: `order ${orderId} in the attention queue`,
    });
    return orderId;
  }
  const emailsAbout = (orderId: string) => smtp.received.filter((email) => email.text.includes(`Order ${orderId} of tenant`));
  const hooksAbout = (orderId: string) =>
    receiver.received.filter((hook) =>
      (hook.body.alerts as Array<{ subject: { externalId: string } }>).some((alert) => alert.subject.externalId === orderId),
    );
  const alertsAbout = async (orderId: string) =>
    ((await stack.admin('GET', `/tenants/${tenantId}/alerts`)).body.alerts as Array<Record<string, any>>).filter(
      (alert) => alert.subject.externalId === orderId,
    );

  it('when an order parks, then exactly one email and one signed webhook say what, why, the fix and where; a second park for the same reason sends nothing', async () => {
    const orderId = await parkOrder('CU-2002');
    await eventually(
      async () => {
        await runAlertSenderPass(sender);
        return emailsAbout(orderId).length > 0 && hooksAbout(orderId).length > 0;
      },
      { what: `the alerts of order ${orderId}` },
    );
    const [email] = emailsAbout(orderId);
    expect(email!.to).toEqual(['ops@example.com']);
    expect(email!.subject).toBe(`[${tenantId}] Order ${orderId} of tenant ${tenantId} is parked and waits for a person: unknown_sku`);
    expect(email!.text).toMatch(/^Why: .*POSTER-CITY-A2/m);
    expect(email!.text).toMatch(/^Fix: \S/m);
    expect(email!.text).toContain(`Attention queue: ${baseUrl}/console/tenants/${tenantId}/attention`);
    expect(email!.text).toContain(`API: ${baseUrl}/api/v1/tenants/${tenantId}/attention?entity=order`);
    const [hook] = hooksAbout(orderId);
    expect(hook!.verified).toBe(true);
    expect(hook!.body).toMatchObject({ digest: false, text: expect.stringContaining('unknown_sku') });
    expect(hook!.body.alerts).toEqual([
      expect.objectContaining({
        rule: 'parked',
        code: 'unknown_sku',
        subject: { entity: 'order', externalId: orderId },
        reason: expect.stringContaining('POSTER-CITY-A2'),
        links: {
          console: `${baseUrl}/console/tenants/${tenantId}/attention`,
          api: `${baseUrl}/api/v1/tenants/${tenantId}/attention?entity=order`,
        },
      }),
    ]);

    // The operator retries without fixing anything: the order parks again, for the same reason.
    const before = (await findAttentionItem(stack.database.db, { tenantId, entity: 'order', externalId: orderId }))!;
    expect((await stack.admin('POST', `/tenants/${tenantId}/orders/${orderId}/retry`)).status).toBe(200);
    const again = await eventually(() => findAttentionItem(stack.database.db, { tenantId, entity: 'order', externalId: orderId }), {
      until: (item) => item !== null && item.updatedAt > before.updatedAt && item.state === 'open',
      what: `order ${orderId} parked again`,
    });
    expect(again!.reason).toBe(before.reason);
    for (let pass = 0; pass < 3; pass += 1) await runAlertSenderPass(sender);
    expect(emailsAbout(orderId)).toHaveLength(1);
    expect(hooksAbout(orderId)).toHaveLength(1);
    const alerts = await alertsAbout(orderId);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      state: 'sent',
      deliveries: [
        { channelId: 'ops-email', state: 'sent', attempts: 1 },
        { channelId: 'ops-hook', state: 'sent', attempts: 1 },
      ],
    });
  });

  it('when the tenant digests parks, then parks within the window go out as one email and one webhook once the window ends', async () => {
    await setAlerts({ parked: { delivery: 'digest', digestMinutes: 5 } });
    try {
      const first = await parkOrder('CU-2001');
      const second = await parkOrder('CU-2003');
      await runAlertSenderPass(sender);
      expect(emailsAbout(first)).toHaveLength(0);
      expect((await alertsAbout(first))[0]).toMatchObject({ state: 'pending', deliveries: [{ attempts: 0 }, { attempts: 0 }] });

      await runAlertSenderPass(sender, undefined, new Date(Date.now() + 6 * 60_000));
      expect(emailsAbout(first)).toHaveLength(1);
      expect(emailsAbout(second)).toEqual(emailsAbout(first));
      expect(emailsAbout(first)[0]!.subject).toBe(`[${tenantId}] 2 items wait for a person`);
      expect(hooksAbout(first)).toHaveLength(1);
      expect(hooksAbout(first)[0]).toMatchObject({ verified: true, body: { digest: true } });
      expect(
        hooksAbout(first)[0]!
          .body.alerts.map((alert: { subject: { externalId: string } }) => alert.subject.externalId)
          .sort(),
      ).toEqual([first, second].sort());
    } finally {
      await setAlerts({ parked: { delivery: 'immediate' } });
    }
  });

  it('when the SMTP server is down, then the order parks as ever, the email waits and is retried, and it is delivered once the server is back', async () => {
    const port = smtp.port;
    await smtp.close();
    const orderId = await parkOrder('CU-2002');
    // The order is unaffected: parked and recorded, while the alert could not be emailed.
    // (The park activity writes the ledger just after the attention item.)
    await eventually(() => stack.ledger(tenantId, 'order', orderId), {
      until: (entry) => entry?.state === 'parked',
      what: `order ${orderId} parked in the ledger`,
    });
    await eventually(
      async () => {
        await runAlertSenderPass(sender);
        return hooksAbout(orderId).length > 0;
      },
      { what: `the webhook of order ${orderId}` },
    );
    const waiting = (await alertsAbout(orderId))[0]!;
    expect(waiting.state).toBe('pending');
    expect(waiting.deliveries[0]).toMatchObject({
      channelId: 'ops-email',
      state: 'pending',
      lastAnswer: expect.stringContaining('ECONNREFUSED'),
    });
    expect(emailsAbout(orderId)).toHaveLength(0);

    const back = await startLocalSmtpServer(port);
    smtp.received = back.received;
    smtp.close = back.close;
    await eventually(
      async () => {
        await runAlertSenderPass(sender);
        return emailsAbout(orderId).length > 0;
      },
      { what: `the email of order ${orderId} after the SMTP server came back` },
    );
    for (let pass = 0; pass < 2; pass += 1) await runAlertSenderPass(sender);
    expect(emailsAbout(orderId)).toHaveLength(1);
    expect(hooksAbout(orderId)).toHaveLength(1);
    const sent = (await alertsAbout(orderId))[0]!;
    expect(sent.state).toBe('sent');
    expect(sent.deliveries[0].attempts).toBeGreaterThanOrEqual(2);
    expect(sent.deliveries[0].lastAnswer).toMatch(/^250/);
  });
});
