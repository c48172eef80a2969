import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../api/app.js';
import { listen, type RunningServer } from '../../../api/server.js';
import type { StorefrontEvent, WebhookReceiverDependencies } from '../../../api/webhooks/ports.js';
import { storedWebhookDeliveries, storedWebhookSecrets } from '../../../api/webhooks/store-adapters.js';
import { ClarityClient } from '../../../connectors/clarity/index.js';
import { startBigCommerceSandbox } from '../../../sandbox/bigcommerce/index.js';
import { startClaritySandbox } from '../../../sandbox/clarity/index.js';
import { startIntacctSandbox } from '../../../sandbox/intacct/index.js';
import { CredentialCipher } from '../../../store/credential-cipher.js';
import { loadCredentials } from '../../../store/credentials.js';
import { eventually } from '../../support/eventually.js';
import { openTestDatabase, testConfig } from '../../support/harness.js';
import { bootstrapKey } from '../../support/admin-api.js';
import { ConnectorClients } from '../../../connectors/clients.js';
import { sandboxEndpoints } from '../../support/vendor-endpoints.js';

/**
 * The admin API against the three sandboxes over HTTP: connection tests, then webhook
 * registration proven end to end — storefront activity reaches the receiver with the secret
 * the registration stored, and a rotation keeps callbacks flowing.
 */
describe('admin API: connection tests and webhook registration (sandboxes over HTTP)', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let cipher: CredentialCipher;
  let api: RunningServer;
  const sandboxes: Array<{ url: string; close(): Promise<void> }> = [];
  let intacctUrl: string;
  let bigCommerceUrl: string;
  let clarityUrl: string;
  const dispatched: StorefrontEvent[] = [];

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${api.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${bootstrapKey}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, text, body: text ? JSON.parse(text) : undefined };
  };

  /** Waits until `predicate` holds; on timeout, says which topics were dispatched. */
  const waitFor = (predicate: () => boolean, what: string) =>
    eventually(predicate, {
      what: () => `${what} (dispatched so far: ${JSON.stringify(dispatched.map((event) => event.topic))})`,
      timeoutMs: 15_000,
      intervalMs: 50,
    });

  beforeAll(async () => {
    const config = testConfig();
    database = await openTestDatabase(config);
    cipher = new CredentialCipher(config.credentials.keys, config.credentials.activeKeyId);
    const webhooks: WebhookReceiverDependencies = {
      secrets: storedWebhookSecrets(database.db, cipher),
      deliveries: storedWebhookDeliveries(database.db),
      dispatcher: {
        dispatch: (event) => {
          dispatched.push(event);
          return Promise.resolve('started');
        },
      },
    };
    const intacct = await startIntacctSandbox({ port: 0, controlEnabled: true });
    const bigCommerce = await startBigCommerceSandbox({
      port: 0,
      host: '127.0.0.1',
      controlEnabled: true,
      webhookRetryScheduleMs: [0, 50, 100],
    });
    const clarity = await startClaritySandbox({ port: 0, host: '127.0.0.1', controlEnabled: true, webhookRetryScheduleMs: [0, 50, 100] });
    sandboxes.push(intacct, bigCommerce, clarity);
    api = await listen(
      createApp({
        logger: pino({ level: 'silent' }),
        readinessChecks: {},
        admin: {
          db: database.db,
          cipher,
          connectors: new ConnectorClients({
            endpoints: sandboxEndpoints({ intacct: intacct.url, bigcommerce: bigCommerce.url, clarity: clarity.url }),
          }),
          bootstrapApiKey: bootstrapKey,
        },
        webhooks,
      }),
      0,
      '127.0.0.1',
    );
    intacctUrl = `${intacct.url}/ia/xml/xmlgw.phtml`;
    bigCommerceUrl = bigCommerce.url;
    clarityUrl = clarity.url;

    expect(
      (
        await call('POST', '/api/v1/tenants', {
          id: 'bc-shop',
          name: 'BC Shop',
          connection: {
            storefront: { kind: 'bigcommerce', storeHash: 'demostore', apiBaseUrl: bigCommerceUrl },
            intacct: { companyId: 'DEMO-CO', endpointUrl: intacctUrl },
          },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await call('POST', '/api/v1/tenants', {
          id: 'clarity-shop',
          name: 'Clarity Shop',
          connection: { storefront: { kind: 'clarity', baseUrl: clarityUrl }, intacct: { companyId: 'DEMO-CO', endpointUrl: intacctUrl } },
        })
      ).status,
    ).toBe(201);
  });

  afterAll(async () => {
    await Promise.all(sandboxes.map((sandbox) => sandbox.close()));
    await api?.close();
    await database?.drop();
  });

  it('when Intacct credentials are missing, right or wrong then the test says so, never echoing a password', async () => {
    expect((await call('POST', '/api/v1/tenants/bc-shop/connections/intacct/test')).body.error.code).toBe('credentials_missing');

    await call('PUT', '/api/v1/tenants/bc-shop/credentials/intacct', {
      senderId: 'demo-sender',
      senderPassword: 'demo-sender-pw',
      userId: 'sync-user',
      userPassword: 'wrong-pw-Qx19',
    });
    const refused = await call('POST', '/api/v1/tenants/bc-shop/connections/intacct/test');
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({ ok: false, system: 'intacct', failure: 'auth' });
    expect(refused.text).not.toContain('wrong-pw-Qx19');
    expect(refused.text).not.toContain('demo-sender-pw');

    await call('PUT', '/api/v1/tenants/bc-shop/credentials/intacct', {
      senderId: 'demo-sender',
      senderPassword: 'demo-sender-pw',
      userId: 'sync-user',
      userPassword: 'demo-user-pw',
    });
    const accepted = await call('POST', '/api/v1/tenants/bc-shop/connections/intacct/test');
    expect(accepted.body).toMatchObject({ ok: true, system: 'intacct', details: { companyId: 'DEMO-CO' } });
  });

  it('when the storefront token is wrong or right then the storefront test says so', async () => {
    await call('PUT', '/api/v1/tenants/bc-shop/credentials/bigcommerce', {
      accessToken: 'not-the-token',
      clientId: 'demo-bc-client',
      clientSecret: 'demo-bc-secret',
    });
    const refused = await call('POST', '/api/v1/tenants/bc-shop/connections/storefront/test');
    expect(refused.body).toMatchObject({ ok: false, system: 'bigcommerce', failure: 'auth' });
    expect(refused.text).not.toContain('not-the-token');

    await call('PUT', '/api/v1/tenants/bc-shop/credentials/bigcommerce', {
      accessToken: 'demo-bc-token',
      clientId: 'demo-bc-client',
      clientSecret: 'demo-bc-secret',
    });
    expect((await call('POST', '/api/v1/tenants/bc-shop/connections/storefront/test')).body).toMatchObject({
      ok: true,
      system: 'bigcommerce',
    });

    await call('PUT', '/api/v1/tenants/clarity-shop/credentials/clarity', {
      clientId: 'demo-clarity-client',
      clientSecret: 'demo-clarity-secret',
    });
    expect((await call('POST', '/api/v1/tenants/clarity-shop/connections/storefront/test')).body).toMatchObject({
      ok: true,
      system: 'clarity',
      details: { webhooksRegistered: 0 },
    });
  });

  it('when BigCommerce webhooks are registered (twice) then store activity reaches the receiver, and still does after a rotation', async () => {
    const first = await call('POST', '/api/v1/tenants/bc-shop/webhooks/register', { publicBaseUrl: api.url });
    expect(first.body).toEqual({ destination: `${api.url}/webhooks/bigcommerce/bc-shop`, subscriptions: 16, activeSecrets: 1 });
    expect((await call('POST', '/api/v1/tenants/bc-shop/webhooks/register', { publicBaseUrl: api.url })).body.activeSecrets).toBe(1);
    const hooks = (await (
      await fetch(`${bigCommerceUrl}/stores/demostore/v3/hooks`, {
        headers: { 'X-Auth-Token': 'demo-bc-token', accept: 'application/json' },
      })
    ).json()) as { data: unknown[] };
    expect(hooks.data).toHaveLength(16);

    const changeStatus = (orderId: number, statusId: number) =>
      fetch(`${bigCommerceUrl}/stores/demostore/v2/orders/${orderId}`, {
        method: 'PUT',
        headers: { 'X-Auth-Token': 'demo-bc-token', 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ status_id: statusId }),
      });
    expect((await changeStatus(101, 11)).status).toBe(200);
    await waitFor(
      () =>
        dispatched.some((event) => event.tenantId === 'bc-shop' && event.topic === 'store/order/statusUpdated' && event.entityId === '101'),
      'the status webhook',
    );

    const rotated = await call('POST', '/api/v1/tenants/bc-shop/webhooks/rotate', { publicBaseUrl: api.url });
    expect(rotated.body.activeSecrets).toBe(2);
    expect((await changeStatus(102, 11)).status).toBe(200);
    await waitFor(
      () =>
        dispatched.some((event) => event.tenantId === 'bc-shop' && event.topic === 'store/order/statusUpdated' && event.entityId === '102'),
      'the status webhook after rotation',
    );
  });

  it('when Clarity webhooks are registered then a checkout reaches the receiver, signed with the stored secret', async () => {
    const registered = await call('POST', '/api/v1/tenants/clarity-shop/webhooks/register', { publicBaseUrl: api.url });
    expect(registered.body).toEqual({ destination: `${api.url}/webhooks/clarity/clarity-shop`, subscriptions: 1, activeSecrets: 1 });
    const checkout = await fetch(`${clarityUrl}/_sandbox/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customerId: 'CU-2001', lineItems: [{ sku: 'MUG-WHT-11OZ', quantity: 2 }] }),
    });
    expect(checkout.status, await checkout.clone().text()).toBeLessThan(300);
    await waitFor(
      () => dispatched.some((event) => event.tenantId === 'clarity-shop' && event.topic === 'order.created'),
      'the order.created webhook',
    );

    expect((await call('POST', '/api/v1/tenants/clarity-shop/webhooks/rotate', { publicBaseUrl: api.url })).body.activeSecrets).toBe(2);
    const second = await fetch(`${clarityUrl}/_sandbox/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customerId: 'CU-2002', lineItems: [{ sku: 'CAP-NVY-OS', quantity: 1 }] }),
    });
    expect(second.status).toBeLessThan(300);
    await waitFor(
      () => dispatched.filter((event) => event.tenantId === 'clarity-shop' && event.topic === 'order.created').length === 2,
      'the order.created webhook after rotation',
    );
  });

  it('when Clarity disabled the subscription (its endpoint answered 410) then registering replaces it, the old secret kept beside the new, and deliveries are accepted again; registering again changes nothing', async () => {
    // Stands between Clarity and the receiver: answers 410 (so Clarity disables the subscription) until told to pass deliveries on.
    let gone = true;
    const front = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (gone) {
          response.writeHead(410).end();
          return;
        }
        const headers = Object.fromEntries(
          ['content-type', 'user-agent', 'webhook-id', 'webhook-timestamp', 'webhook-signature'].flatMap((name) =>
            typeof request.headers[name] === 'string' ? [[name, request.headers[name]]] : [],
          ),
        );
        fetch(`${api.url}${request.url ?? '/'}`, { method: request.method ?? 'POST', headers, body: Buffer.concat(chunks) }).then(
          async (answer) => response.writeHead(answer.status).end(await answer.text()),
          () => response.writeHead(502).end(),
        );
      });
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    const frontUrl = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
    const destination = `${frontUrl}/webhooks/clarity/clarity-repair`;
    const clarity = new ClarityClient({
      baseUrl: clarityUrl,
      credentials: { clientId: 'demo-clarity-client', clientSecret: 'demo-clarity-secret' },
    });
    const atDestination = async () => (await clarity.listWebhooks()).filter((subscription) => subscription.url === destination);
    const storedSecrets = async () =>
      (await loadCredentials(database.db, cipher, 'clarity-repair', 'webhook'))?.secrets.map((entry) => entry.secret);
    const checkout = async (customerId: string) => {
      const answer = await fetch(`${clarityUrl}/_sandbox/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ customerId, lineItems: [{ sku: 'MUG-WHT-11OZ', quantity: 1 }] }),
      });
      expect(answer.status, await answer.clone().text()).toBeLessThan(300);
    };
    try {
      expect(
        (
          await call('POST', '/api/v1/tenants', {
            id: 'clarity-repair',
            name: 'Clarity Repair',
            connection: {
              storefront: { kind: 'clarity', baseUrl: clarityUrl },
              intacct: { companyId: 'DEMO-CO', endpointUrl: intacctUrl },
            },
          })
        ).status,
      ).toBe(201);
      await call('PUT', '/api/v1/tenants/clarity-repair/credentials/clarity', {
        clientId: 'demo-clarity-client',
        clientSecret: 'demo-clarity-secret',
      });
      expect((await call('POST', '/api/v1/tenants/clarity-repair/webhooks/register', { publicBaseUrl: frontUrl })).body).toEqual({
        destination,
        subscriptions: 1,
        activeSecrets: 1,
      });
      const [original] = await atDestination();
      const originalSecrets = await storedSecrets();
      await checkout('CU-2003');
      await eventually(async () => !(await atDestination()).some((subscription) => subscription.active), {
        what: 'Clarity to disable the subscription',
        timeoutMs: 15_000,
        intervalMs: 50,
      });
      gone = false;

      const repaired = await call('POST', '/api/v1/tenants/clarity-repair/webhooks/register', { publicBaseUrl: frontUrl });

      expect(repaired.body).toEqual({ destination, subscriptions: 1, activeSecrets: 2 });
      const [replacement, ...others] = await atDestination();
      expect(others).toEqual([]);
      expect(replacement).toMatchObject({ active: true });
      expect(replacement!.id).not.toBe(original!.id);
      expect((await clarity.listWebhooks()).map((subscription) => subscription.id)).not.toContain(original!.id);
      const secrets = await storedSecrets();
      expect(secrets).toHaveLength(2);
      expect(secrets![0]).toBe(originalSecrets![0]);
      expect(secrets![1]).not.toBe(originalSecrets![0]);
      await checkout('CU-2001');
      await waitFor(
        () => dispatched.some((event) => event.tenantId === 'clarity-repair' && event.topic === 'order.created'),
        'the order.created webhook through the replacement subscription',
      );

      expect((await call('POST', '/api/v1/tenants/clarity-repair/webhooks/register', { publicBaseUrl: frontUrl })).body).toEqual({
        destination,
        subscriptions: 1,
        activeSecrets: 2,
      });
      expect(await atDestination()).toEqual([replacement]);
      expect(await storedSecrets()).toEqual(secrets);
    } finally {
      front.closeAllConnections();
      await new Promise((resolve) => front.close(resolve));
    }
  });

  it('records registrations in the audit log and never stores a secret in clear', async () => {
    const auditText = (await call('GET', '/api/v1/tenants/bc-shop/audit')).text;
    expect(auditText).toContain('webhooks.rotate');
    const raw = JSON.stringify(await database.db.collection('tenant_credentials').find({}).toArray());
    expect(raw).not.toContain('demo-bc-token');
    expect(raw).not.toContain('whsec_');
  });
});
