import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productionEndpointDefaults } from '../../../config/vendor-endpoints.js';
import { stripeApiVersion } from '../../../connectors/stripe/index.js';
import { VendorEndpoints } from '../../../connectors/vendor-endpoints.js';
import { loadCredentials } from '../../../store/credentials.js';
import { startAdminApi, type AdminApiUnderTest } from '../../support/admin-api.js';

/**
 * A tenant's Stripe account through the admin API as it runs: credentials written and sealed,
 * never read back; the endpoint held to the installation's allow-list; the connection test reading
 * the balance at a listener that answers as Stripe's API reference documents (the Stripe sandbox
 * is written separately), with Stripe's message, never the key, when the key is refused.
 */
describe('admin API: Stripe credentials and connection test', () => {
  const goodKey = 'sk_test_4eC39HqLyjWDarjtT1zdp7dc';
  const refusedKey = 'sk_test_51Refused0000000000000000';
  const signingSecret = 'whsec_5WbX5kEWLlfzsGNjH64I8lOOqUB6e8FH';
  let api: AdminApiUnderTest;
  let stripe: Server;
  let stripeUrl: string;
  let otherStripeUrl: string;
  const seen: Array<{ path: string; headers: IncomingHttpHeaders }> = [];

  const listenOnFreePort = async (server: Server) => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };

  beforeAll(async () => {
    stripe = createServer((request, response) => {
      seen.push({ path: request.url ?? '', headers: request.headers });
      response.setHeader('Content-Type', 'application/json');
      response.setHeader('Request-Id', 'req_standin');
      if (request.url !== '/v1/balance') {
        response.writeHead(404).end(JSON.stringify({ error: { type: 'invalid_request_error', message: 'Unrecognized request URL' } }));
      } else if (request.headers.authorization === `Bearer ${goodKey}`) {
        response.end(
          JSON.stringify({
            object: 'balance',
            livemode: false,
            available: [{ amount: 120_05, currency: 'usd', source_types: { card: 120_05 } }],
            pending: [{ amount: 300, currency: 'eur' }],
          }),
        );
      } else {
        const offered = (request.headers.authorization ?? '').replace('Bearer ', '');
        response.writeHead(401).end(
          JSON.stringify({
            error: {
              type: 'invalid_request_error',
              message: `Invalid API Key provided: ${offered.slice(0, 8)}${'*'.repeat(16)}${offered.slice(-4)}`,
            },
          }),
        );
      }
    });
    stripeUrl = await listenOnFreePort(stripe);
    // A second allowed origin, for a tenant moving its Stripe endpoint.
    otherStripeUrl = stripeUrl.replace('127.0.0.1', 'localhost');
    const origins = [stripeUrl, otherStripeUrl];
    api = await startAdminApi({
      endpoints: new VendorEndpoints({ allowed: { ...productionEndpointDefaults, stripe: origins }, refusePrivateAddresses: false }),
    });
    const created = await api.call('POST', '/api/v1/tenants', {
      body: {
        id: 'stripe-co',
        name: 'Stripe Co',
        connection: {
          storefront: { kind: 'bigcommerce', storeHash: 'stripeco' },
          intacct: { companyId: 'STRIPE-CO' },
          stripe: { apiBaseUrl: stripeUrl },
        },
      },
    });
    expect(created.status).toBe(201);
    await api.call('POST', '/api/v1/tenants', {
      body: {
        id: 'no-stripe',
        name: 'No Stripe',
        connection: { storefront: { kind: 'bigcommerce', storeHash: 'nostripe' }, intacct: { companyId: 'NS' } },
      },
    });
  });
  afterAll(async () => {
    await api?.close();
    await new Promise<void>((resolve) => stripe?.close(() => resolve()));
  });

  const settingsVersion = async (tenantId: string) =>
    (await api.call('GET', `/api/v1/tenants/${tenantId}/settings`)).body.version as number;

  it('when Stripe credentials are stored then they are sealed, described as set and never returned', async () => {
    const stored = await api.call('PUT', '/api/v1/tenants/stripe-co/credentials/stripe', {
      body: { secretKey: refusedKey, webhookSigningSecret: signingSecret },
    });
    expect(stored.status).toBe(200);
    expect(stored.body.credentials.stripe).toMatchObject({ set: true });
    expect(stored.text).not.toContain(refusedKey);
    const described = await api.call('GET', '/api/v1/tenants/stripe-co/credentials');
    expect(described.body.credentials.stripe.set).toBe(true);
    expect(described.text).not.toContain(signingSecret);
    const raw = JSON.stringify(await api.database.db.collection('tenant_credentials').findOne({ _id: 'stripe-co' as never }));
    expect(raw).not.toContain(refusedKey);
    expect(raw).not.toContain(signingSecret);
    expect(await loadCredentials(api.database.db, api.cipher, 'stripe-co', 'stripe')).toEqual({
      secretKey: refusedKey,
      webhookSigningSecret: signingSecret,
    });
  });

  it('when the credentials are not a Stripe key then they are refused with 400 naming the field', async () => {
    const refused = await api.call('PUT', '/api/v1/tenants/stripe-co/credentials/stripe', {
      body: { secretKey: 'pk_test_publishable123' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual([expect.objectContaining({ path: 'secretKey' })]);
  });

  it('when Stripe refuses the key then the test answers ok:false with Stripe message and never the key', async () => {
    const result = await api.call('POST', '/api/v1/tenants/stripe-co/connections/stripe/test');
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ ok: false, system: 'stripe', failure: 'auth', vendorCode: 'invalid_request_error' });
    expect(result.body.message).toContain('Invalid API Key provided');
    expect(result.text).not.toContain(refusedKey);
    expect(result.text).not.toMatch(/sk_test_\w/);
  });

  it('when the key is right then the test reads the balance with the key as Bearer and the pinned version', async () => {
    await api.call('PUT', '/api/v1/tenants/stripe-co/credentials/stripe', {
      body: { secretKey: goodKey, webhookSigningSecret: signingSecret },
    });
    seen.length = 0;
    const result = await api.call('POST', '/api/v1/tenants/stripe-co/connections/stripe/test');
    expect(result.body).toEqual({ ok: true, system: 'stripe', details: { livemode: false, currencies: ['EUR', 'USD'] } });
    expect(seen).toEqual([
      { path: '/v1/balance', headers: expect.objectContaining({ authorization: `Bearer ${goodKey}`, 'stripe-version': stripeApiVersion }) },
    ]);
    const audit = await api.database.db.collection('audit_log').find({ tenantId: 'stripe-co', action: 'connection.test' }).toArray();
    expect(audit.map((entry) => entry.details)).toContainEqual({ system: 'stripe', endpoint: new URL(stripeUrl).origin, outcome: 'ok' });
  });

  it('when the tenant has no Stripe account or no stored key then the test says what to set first', async () => {
    expect((await api.call('POST', '/api/v1/tenants/no-stripe/connections/stripe/test')).body.error.code).toBe('stripe_not_connected');
    const version = await settingsVersion('no-stripe');
    await api.call('PATCH', '/api/v1/tenants/no-stripe/settings', {
      body: { version, settings: { connection: { stripe: { apiBaseUrl: stripeUrl } } } },
    });
    expect((await api.call('POST', '/api/v1/tenants/no-stripe/connections/stripe/test')).body.error.code).toBe('credentials_missing');
  });

  it('when the Stripe endpoint is not allowed then the settings are refused naming it; when it moves then the key is cleared', async () => {
    const version = await settingsVersion('stripe-co');
    const steered = await api.call('PATCH', '/api/v1/tenants/stripe-co/settings', {
      body: { version, settings: { connection: { stripe: { apiBaseUrl: 'https://stripe.attacker.example' } } } },
    });
    expect(steered.status).toBe(400);
    expect(JSON.stringify(steered.body.error.details)).toContain('connection.stripe.apiBaseUrl');
    const moved = await api.call('PATCH', '/api/v1/tenants/stripe-co/settings', {
      body: { version, settings: { connection: { stripe: { apiBaseUrl: otherStripeUrl } } } },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.credentialsCleared).toEqual(['stripe']);
    expect(await loadCredentials(api.database.db, api.cipher, 'stripe-co', 'stripe')).toBeUndefined();
  });
});
