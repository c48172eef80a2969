import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStorefrontOrderActivities } from '../../../activities/storefront-orders.js';
import { TenantConnections } from '../../../activities/tenant-connections.js';
import { ConnectorClients } from '../../../connectors/clients.js';
import { VendorEndpoints } from '../../../connectors/vendor-endpoints.js';
import { describeStepFailure } from '../../../workflows/order-to-cash-failures.js';
import { startBigCommerceSandbox, type RunningBigCommerceSandbox } from '../../../sandbox/bigcommerce/index.js';
import { startClaritySandbox, type RunningClaritySandbox } from '../../../sandbox/clarity/index.js';
import { startIntacctSandbox, type RunningIntacctSandbox } from '../../../sandbox/intacct/index.js';
import { defaultTenantSettings } from '../../../store/schemas/settings.js';
import { writeSettings } from '../../../store/settings.js';
import { createTenant } from '../../../store/tenants.js';
import { startAdminApi, type AdminApiUnderTest } from '../../support/admin-api.js';
import { testConfig } from '../../support/harness.js';
import { sandboxCredentials } from '../../support/sandbox-credentials.js';
import { sandboxEndpoints } from '../../support/vendor-endpoints.js';

// Finding 1 of the security review: a tenant admin pointed a vendor endpoint at any URL, and the
// next connection test sent the decrypted credentials there and echoed the answer back.

/** A listener on a free local port standing in for an attacker's (or an internal) service: it records everything that reaches it. */
async function startListener(answer: { status: number; contentType: string; body: string }) {
  const requests: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; body: string }> = [];
  let connections = 0;
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      response.writeHead(answer.status, { 'content-type': answer.contentType }).end(answer.body);
    });
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    requests,
    connections: () => connections,
    /** Everything the listener received, as one text to search for secrets. */
    received: () => JSON.stringify(requests),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
type Listener = Awaited<ReturnType<typeof startListener>>;

const secrets = [
  sandboxCredentials.intacct.senderPassword,
  sandboxCredentials.intacct.userPassword,
  sandboxCredentials.bigcommerce.accessToken,
  sandboxCredentials.clarity.clientSecret,
];
const marker = 'TEMPORAL-UI-INTERNAL-PAGE-7f3a';

describe('vendor endpoints in sandbox mode: the sandboxes and nothing else', () => {
  let api: AdminApiUnderTest;
  let listener: Listener;
  let intacct: RunningIntacctSandbox;
  let bigCommerce: RunningBigCommerceSandbox;
  let clarity: RunningClaritySandbox;
  let gateway: string;
  let rules: VendorEndpoints;

  beforeAll(async () => {
    listener = await startListener({ status: 404, contentType: 'text/html', body: `<html>${marker}</html>` });
    [intacct, bigCommerce, clarity] = await Promise.all([
      startIntacctSandbox({ port: 0, controlEnabled: true }),
      startBigCommerceSandbox({ port: 0, host: '127.0.0.1', controlEnabled: true }),
      startClaritySandbox({ port: 0, host: '127.0.0.1', controlEnabled: true }),
    ]);
    gateway = `http://127.0.0.1:${intacct.port}/ia/xml/xmlgw.phtml`;
    // As the stack launcher does: the configuration names the ports the sandboxes really listen on.
    const config = testConfig({
      INTACCT_SANDBOX_PORT: String(intacct.port),
      BIGCOMMERCE_SANDBOX_PORT: String(bigCommerce.port),
      CLARITY_SANDBOX_PORT: String(clarity.port),
    });
    rules = new VendorEndpoints(config.vendorEndpoints);
    api = await startAdminApi({ endpoints: rules });
  });
  afterAll(async () => {
    await api?.close();
    await Promise.all([listener?.close(), intacct?.close(), bigCommerce?.close(), clarity?.close()]);
  });

  const connectionTo = (bigCommerceUrl: string, intacctUrl: string) => ({
    storefront: { kind: 'bigcommerce', storeHash: 'demostore', apiBaseUrl: bigCommerceUrl },
    intacct: { companyId: 'DEMO-CO', endpointUrl: intacctUrl },
  });

  it('when a tenant points an endpoint at a listener on a free port then it is a 400 naming the setting and no credential reaches the listener', async () => {
    const created = await api.call('POST', '/api/v1/tenants', {
      body: {
        id: 'steered',
        name: 'Steered',
        connection: connectionTo(`http://127.0.0.1:${bigCommerce.port}`, gateway),
      },
    });
    expect(created.status).toBe(201);
    await api.call('PUT', '/api/v1/tenants/steered/credentials/intacct', { body: sandboxCredentials.intacct });
    await api.call('PUT', '/api/v1/tenants/steered/credentials/bigcommerce', { body: sandboxCredentials.bigcommerce });

    for (const [setting, change] of [
      ['connection.intacct.endpointUrl', { intacct: { endpointUrl: `${listener.url}/ia/xml/xmlgw.phtml` } }],
      ['connection.storefront.apiBaseUrl', { storefront: { apiBaseUrl: listener.url } }],
    ] as const) {
      const patched = await api.call('PATCH', '/api/v1/tenants/steered/settings', {
        body: { version: 1, settings: { connection: change } },
      });
      expect(patched.status).toBe(400);
      expect(patched.body.error.details).toEqual([{ path: setting, message: expect.stringContaining('is not one of the') }]);
    }
    const clarityTenant = await api.call('POST', '/api/v1/tenants', {
      body: {
        id: 'steered-clarity',
        name: 'Steered Clarity',
        connection: { storefront: { kind: 'clarity', baseUrl: listener.url }, intacct: { companyId: 'DEMO-CO', endpointUrl: gateway } },
      },
    });
    expect(clarityTenant.status).toBe(400);
    expect(clarityTenant.body.error.details).toEqual([
      { path: 'connection.storefront.baseUrl', message: expect.stringContaining(`http://127.0.0.1:${listener.port} is not one of`) },
    ]);

    // Whatever the tenant's settings say now, its connection tests reach the sandboxes only.
    expect((await api.call('POST', '/api/v1/tenants/steered/connections/intacct/test')).body).toMatchObject({ ok: true });
    expect((await api.call('POST', '/api/v1/tenants/steered/connections/storefront/test')).body).toMatchObject({ ok: true });
    expect(listener.connections()).toBe(0);
    for (const secret of secrets) expect(listener.received()).not.toContain(secret);
  });

  /** A tenant whose settings were stored before the allow-list existed, pointing at the listener, with its credentials set. */
  async function storeTenantBeforeTheRules(tenantId: string): Promise<void> {
    await createTenant(api.database.db, { id: tenantId, name: tenantId, storefront: 'bigcommerce' });
    await writeSettings(
      api.database.db,
      tenantId,
      defaultTenantSettings(connectionTo(listener.url, `${listener.url}/ia/xml/xmlgw.phtml`) as never),
      { expectedVersion: 0, changedBy: 'before-the-allow-list' },
    );
    await api.call('PUT', `/api/v1/tenants/${tenantId}/credentials/intacct`, { body: sandboxCredentials.intacct });
    await api.call('PUT', `/api/v1/tenants/${tenantId}/credentials/bigcommerce`, { body: sandboxCredentials.bigcommerce });
  }

  it('when settings stored before the allow-list point at the listener then every use is refused 409 naming the setting, and audited', async () => {
    await storeTenantBeforeTheRules('legacy');

    const intacctTest = await api.call('POST', '/api/v1/tenants/legacy/connections/intacct/test');
    expect(intacctTest.status).toBe(409);
    expect(intacctTest.body.error).toMatchObject({
      code: 'endpoint_not_allowed',
      message: expect.stringMatching(/^connection\.intacct\.endpointUrl: Intacct endpoint refused: /),
    });
    const storefrontTest = await api.call('POST', '/api/v1/tenants/legacy/connections/storefront/test');
    expect(storefrontTest.status).toBe(409);
    expect(storefrontTest.body.error.message).toMatch(/^connection\.storefront\.apiBaseUrl: /);
    const registration = await api.call('POST', '/api/v1/tenants/legacy/webhooks/register', {
      body: { publicBaseUrl: 'https://sync.example.com' },
    });
    expect(registration.status).toBe(409);
    expect(registration.body.error.code).toBe('endpoint_not_allowed');
    expect(listener.connections()).toBe(0);

    const entries = (await api.call('GET', '/api/v1/tenants/legacy/audit')).body.entries as Array<Record<string, any>>;
    const listenerOrigin = `http://127.0.0.1:${listener.port}`;
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'connection.test',
          target: 'connection:legacy:intacct',
          details: { system: 'intacct', endpoint: listenerOrigin, outcome: 'endpoint_not_allowed' },
        }),
        expect.objectContaining({
          action: 'connection.test',
          target: 'connection:legacy:bigcommerce',
          details: { system: 'bigcommerce', endpoint: `${listenerOrigin}/stores/demostore`, outcome: 'endpoint_not_allowed' },
        }),
        expect.objectContaining({ action: 'webhooks.register', details: expect.objectContaining({ outcome: 'endpoint_not_allowed' }) }),
      ]),
    );
  });

  it('when a workflow needs a connection whose stored endpoint the rules refuse then the activity fails non-retryably and the order parks saying why', async () => {
    await storeTenantBeforeTheRules('legacy-orders');
    const connections = new TenantConnections({
      db: api.database.db,
      cipher: api.cipher,
      connectors: new ConnectorClients({ endpoints: rules }),
    });
    const activities = createStorefrontOrderActivities({ db: api.database.db, connections });
    const mock = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });
    const failure = await mock
      .run(activities.fetchStorefrontOrder, { tenantId: 'legacy-orders', storefront: 'bigcommerce' as const, orderId: '100' })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'VendorEndpointRefusedError', nonRetryable: true, details: [{ failureClass: 'auth' }] });

    const parked = describeStepFailure(
      'fetching the order',
      new ActivityFailure('activity failed', 'fetchStorefrontOrder', '1', RetryState.NON_RETRYABLE_FAILURE, 'test', failure as Error),
    );
    expect(parked.transient).toBe(false);
    expect(parked.attention).toMatchObject({
      code: 'vendor_endpoint_refused',
      fix: expect.stringContaining('connection.storefront.apiBaseUrl'),
    });
    expect(listener.connections()).toBe(0);
  });

  it('when a connection test reaches the vendor then the audit log says where the credentials went and how it ended', async () => {
    await api.call('POST', '/api/v1/tenants', {
      body: {
        id: 'audited',
        name: 'Audited',
        connection: connectionTo(`http://127.0.0.1:${bigCommerce.port}`, gateway),
      },
    });
    await api.call('PUT', '/api/v1/tenants/audited/credentials/intacct', {
      body: { ...sandboxCredentials.intacct, userPassword: 'wrong-pw-Qx19' },
    });
    const refused = await api.call('POST', '/api/v1/tenants/audited/connections/intacct/test');
    expect(refused.body).toMatchObject({ ok: false, failure: 'auth', vendorCode: expect.stringMatching(/^[A-Z0-9-]+$/) });
    await api.call('PUT', '/api/v1/tenants/audited/credentials/intacct', { body: sandboxCredentials.intacct });
    expect((await api.call('POST', '/api/v1/tenants/audited/connections/intacct/test')).body.ok).toBe(true);

    const entries = (await api.call('GET', '/api/v1/tenants/audited/audit')).body.entries as Array<Record<string, any>>;
    const tests = entries.filter((entry) => entry.action === 'connection.test').map((entry) => entry.details);
    expect(tests).toEqual(
      expect.arrayContaining([
        { system: 'intacct', endpoint: `http://127.0.0.1:${intacct.port}`, outcome: 'refused:auth' },
        { system: 'intacct', endpoint: `http://127.0.0.1:${intacct.port}`, outcome: 'ok' },
      ]),
    );
    expect(tests).toHaveLength(2);
  });

  it("when a connection's host or store changes then its stored credentials are cleared and the answer says so", async () => {
    await api.call('POST', '/api/v1/tenants', {
      body: {
        id: 'moving',
        name: 'Moving',
        connection: connectionTo(`http://127.0.0.1:${bigCommerce.port}`, gateway),
      },
    });
    await api.call('PUT', '/api/v1/tenants/moving/credentials/intacct', { body: sandboxCredentials.intacct });
    await api.call('PUT', '/api/v1/tenants/moving/credentials/bigcommerce', { body: sandboxCredentials.bigcommerce });
    const credentialsSet = async () =>
      Object.fromEntries(
        Object.entries((await api.call('GET', '/api/v1/tenants/moving/credentials')).body.credentials).map(([part, description]) => [
          part,
          (description as { set: boolean }).set,
        ]),
      );

    const unrelated = await api.call('PATCH', '/api/v1/tenants/moving/settings', {
      body: { version: 1, settings: { timezone: 'Europe/Paris' } },
    });
    expect(unrelated.status).toBe(200);
    expect(unrelated.body.credentialsCleared).toBeUndefined();
    expect(await credentialsSet()).toMatchObject({ intacct: true, bigcommerce: true });

    const newHost = `http://localhost:${intacct.port}/ia/xml/xmlgw.phtml`;
    const moved = await api.call('PATCH', '/api/v1/tenants/moving/settings', {
      body: { version: 2, settings: { connection: { intacct: { endpointUrl: newHost } } } },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.credentialsCleared).toEqual(['intacct']);
    expect(await credentialsSet()).toMatchObject({ intacct: false, bigcommerce: true });
    expect((await api.call('POST', '/api/v1/tenants/moving/connections/intacct/test')).body.error.code).toBe('credentials_missing');

    const otherStore = await api.call('PATCH', '/api/v1/tenants/moving/settings', {
      body: { version: 3, settings: { connection: { storefront: { storeHash: 'otherstore' } } } },
    });
    expect(otherStore.body.credentialsCleared).toEqual(['bigcommerce']);
    expect(await credentialsSet()).toMatchObject({ intacct: false, bigcommerce: false });

    const entries = (await api.call('GET', '/api/v1/tenants/moving/audit')).body.entries as Array<Record<string, any>>;
    expect(entries.filter((entry) => entry.action === 'settings.patch').map((entry) => entry.details)).toEqual(
      expect.arrayContaining([
        { version: 3, credentialsCleared: ['intacct'] },
        { version: 4, credentialsCleared: ['bigcommerce'] },
      ]),
    );
  });
});

describe('vendor endpoints in production mode: allowed hosts must resolve to public addresses', () => {
  let api: AdminApiUnderTest;
  let listener: Listener;
  const resolved: string[] = [];

  beforeAll(async () => {
    listener = await startListener({ status: 200, contentType: 'text/plain', body: marker });
    const allowedAt = (host: string) => [`https://${host}:${listener.port}`];
    // DNS answers as an attacker controlling the name (or a rebinding) would: a loopback address.
    const endpoints = new VendorEndpoints(
      {
        allowed: {
          intacct: allowedAt('gateway.intacct.com'),
          bigcommerce: allowedAt('api.bigcommerce.com'),
          clarity: allowedAt('shop.example.com'),
        },
        refusePrivateAddresses: true,
      },
      {
        resolve: (hostname) => {
          resolved.push(hostname);
          return Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
        },
      },
    );
    api = await startAdminApi({ endpoints });
  });
  afterAll(async () => {
    await api?.close();
    await listener?.close();
  });

  it('when an allowed host resolves to a loopback address then the connection is refused at connect time and nothing reaches the listener', async () => {
    const created = await api.call('POST', '/api/v1/tenants', {
      body: {
        id: 'rebound',
        name: 'Rebound',
        connection: {
          storefront: { kind: 'bigcommerce', storeHash: 'demostore', apiBaseUrl: `https://api.bigcommerce.com:${listener.port}` },
          intacct: { companyId: 'DEMO-CO', endpointUrl: `https://gateway.intacct.com:${listener.port}/ia/xml/xmlgw.phtml` },
        },
      },
    });
    expect(created.status).toBe(201);
    await api.call('PUT', '/api/v1/tenants/rebound/credentials/intacct', { body: sandboxCredentials.intacct });
    await api.call('PUT', '/api/v1/tenants/rebound/credentials/bigcommerce', { body: sandboxCredentials.bigcommerce });

    for (const [connection, setting, host] of [
      ['intacct', 'connection.intacct.endpointUrl', 'gateway.intacct.com'],
      ['storefront', 'connection.storefront.apiBaseUrl', 'api.bigcommerce.com'],
    ]) {
      const answer = await api.call('POST', `/api/v1/tenants/rebound/connections/${connection}/test`);
      expect(answer.status).toBe(409);
      expect(answer.body.error).toEqual({
        code: 'endpoint_not_allowed',
        message: expect.stringContaining(`${setting}: `),
        requestId: expect.any(String),
      });
      expect(answer.body.error.message).toContain(`${host} resolves to 127.0.0.1, which is not a public address`);
      expect(answer.text).not.toContain(marker);
    }

    const clarityTenant = await api.call('POST', '/api/v1/tenants', {
      body: {
        id: 'rebound-clarity',
        name: 'Rebound Clarity',
        connection: {
          storefront: { kind: 'clarity', baseUrl: `https://shop.example.com:${listener.port}` },
          intacct: { companyId: 'DEMO-CO', endpointUrl: `https://gateway.intacct.com:${listener.port}/ia/xml/xmlgw.phtml` },
        },
      },
    });
    expect(clarityTenant.status).toBe(201);
    await api.call('PUT', '/api/v1/tenants/rebound-clarity/credentials/clarity', { body: sandboxCredentials.clarity });
    const clarityTest = await api.call('POST', '/api/v1/tenants/rebound-clarity/connections/storefront/test');
    expect(clarityTest.status).toBe(409);
    expect(clarityTest.body.error.message).toMatch(
      /^connection\.storefront\.baseUrl: .*shop\.example\.com resolves to 127\.0\.0\.1, which is not a public address/,
    );

    expect(resolved).toEqual(expect.arrayContaining(['gateway.intacct.com', 'api.bigcommerce.com', 'shop.example.com']));
    expect(listener.connections()).toBe(0);
  });
});

describe('connection tests answer the vendor parsed error only', () => {
  let api: AdminApiUnderTest;
  let listener: Listener;

  beforeAll(async () => {
    // An allowed endpoint that answers like an internal page: the admin answer never quotes its body.
    listener = await startListener({ status: 404, contentType: 'text/html', body: `<html><body>${marker} internal page</body></html>` });
    api = await startAdminApi({ endpoints: sandboxEndpoints({ intacct: listener.url, bigcommerce: listener.url }) });
  });
  afterAll(async () => {
    await api?.close();
    await listener?.close();
  });

  it('when an endpoint answers something that is not the vendor then the answer says what happened without quoting the body', async () => {
    await api.call('POST', '/api/v1/tenants', {
      body: {
        id: 'echo',
        name: 'Echo',
        connection: {
          storefront: { kind: 'bigcommerce', storeHash: 'demostore', apiBaseUrl: listener.url },
          intacct: { companyId: 'DEMO-CO', endpointUrl: `${listener.url}/ia/xml/xmlgw.phtml` },
        },
      },
    });
    await api.call('PUT', '/api/v1/tenants/echo/credentials/intacct', { body: sandboxCredentials.intacct });
    await api.call('PUT', '/api/v1/tenants/echo/credentials/bigcommerce', { body: sandboxCredentials.bigcommerce });

    const intacctTest = await api.call('POST', '/api/v1/tenants/echo/connections/intacct/test');
    expect(intacctTest.body).toEqual({
      ok: false,
      system: 'intacct',
      failure: 'input',
      message: 'Intacct gateway answered HTTP 404 without an XML response',
    });
    const storefrontTest = await api.call('POST', '/api/v1/tenants/echo/connections/storefront/test');
    expect(storefrontTest.body).toMatchObject({ ok: false, system: 'bigcommerce', failure: 'input' });
    for (const answer of [intacctTest, storefrontTest]) expect(answer.text).not.toContain(marker);
  });
});
