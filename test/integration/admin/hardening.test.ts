import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../api/app.js';
import { listen, type RunningServer } from '../../../api/server.js';
import { ConnectorClients } from '../../../connectors/clients.js';
import { VendorEndpoints } from '../../../connectors/vendor-endpoints.js';
import { productionEndpointDefaults } from '../../../config/vendor-endpoints.js';
import { CredentialCipher } from '../../../store/credential-cipher.js';
import { bigCommerceConnection, bootstrapKey, startAdminApi, type AdminApiUnderTest } from '../../support/admin-api.js';
import { openTestDatabase, testConfig } from '../../support/harness.js';

// The smaller findings (8) of the security review that concern the admin API.
describe('admin API hardening', () => {
  let api: AdminApiUnderTest;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    api = await startAdminApi();
    expect(
      (await api.call('POST', '/api/v1/tenants', { body: { id: 'acme', name: 'Acme', connection: bigCommerceConnection } })).status,
    ).toBe(201);
    for (const role of ['admin', 'operator'] as const) {
      const issued = await api.call('POST', '/api/v1/api-keys', { body: { name: role, role, tenantId: 'acme' } });
      tokens[role] = issued.body.token as string;
    }
  });
  afterAll(async () => {
    await api?.close();
  });

  it('when an installation-wide admin revokes a tenant’s key then the revocation is in that tenant’s audit log', async () => {
    const issued = await api.call('POST', '/api/v1/api-keys', { body: { name: 'to-revoke', role: 'viewer', tenantId: 'acme' } });
    expect((await api.call('DELETE', `/api/v1/api-keys/${issued.body.key.id}`)).status).toBe(204);
    const log = await api.call('GET', '/api/v1/tenants/acme/audit', { key: tokens['admin']! });
    expect(log.body.entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'api-key.revoke', target: `api-key:${issued.body.key.id}`, actor: 'bootstrap' }),
      ]),
    );
  });

  it('every answer says X-Content-Type-Options: nosniff, and admin answers (ledger, audit, CSV) are not cached', async () => {
    const answers = {
      health: await fetch(`${api.server.url}/healthz`),
      unknownRoute: await fetch(`${api.server.url}/no-such-page`),
      ledger: await fetch(`${api.server.url}/api/v1/tenants/acme/ledger`, { headers: { authorization: `Bearer ${bootstrapKey}` } }),
      audit: await fetch(`${api.server.url}/api/v1/tenants/acme/audit`, { headers: { authorization: `Bearer ${bootstrapKey}` } }),
      csv: await fetch(`${api.server.url}/api/v1/tenants/acme/mappings/items/export`, {
        headers: { authorization: `Bearer ${bootstrapKey}` },
      }),
      unauthorised: await fetch(`${api.server.url}/api/v1/tenants/acme/ledger`),
    };
    for (const [name, answer] of Object.entries(answers)) expect(answer.headers.get('x-content-type-options'), name).toBe('nosniff');
    for (const name of ['ledger', 'audit', 'csv', 'unauthorised'] as const) {
      expect(answers[name].headers.get('cache-control'), name).toBe('no-store');
    }
    expect(answers.csv.headers.get('content-type')).toMatch(/^text\/csv/);
  });

  it('when an operator changes the payment-method routing then it is refused: only admins route money', async () => {
    const row = { glAccountNo: '1010' };
    const csv = 'paymentMethod,glAccountNo\nstripe,1010\n';
    const operator = tokens['operator']!;
    const attempts = [
      await api.call('PUT', '/api/v1/tenants/acme/mappings/paymentMethods/rows/stripe', { key: operator, body: row }),
      await api.call('DELETE', '/api/v1/tenants/acme/mappings/paymentMethods/rows/stripe', { key: operator }),
      await api.call('POST', '/api/v1/tenants/acme/mappings/paymentMethods/import', {
        key: operator,
        rawBody: csv,
        contentType: 'text/csv',
      }),
    ];
    for (const attempt of attempts) {
      expect(attempt.status).toBe(403);
      expect(attempt.body.error.message).toContain('admin');
    }
    expect((await api.call('GET', '/api/v1/tenants/acme/mappings/paymentMethods/rows/stripe')).status).toBe(404);
    // Admins route payments; operators keep the operational tables.
    expect(
      (await api.call('PUT', '/api/v1/tenants/acme/mappings/paymentMethods/rows/stripe', { key: tokens['admin']!, body: row })).status,
    ).toBe(200);
    expect(
      (await api.call('PUT', '/api/v1/tenants/acme/mappings/items/rows/SKU-1', { key: operator, body: { intacctItemId: 'I-1' } })).status,
    ).toBe(200);
  });
});

describe('admin API in production mode: vendor endpoints over https only', () => {
  let server: RunningServer;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const config = testConfig();
    const database = await openTestDatabase(config);
    drop = () => database.drop();
    const app = createApp({
      logger: pino({ level: 'silent' }),
      readinessChecks: {},
      admin: {
        db: database.db,
        cipher: new CredentialCipher(config.credentials.keys, config.credentials.activeKeyId),
        connectors: new ConnectorClients({
          endpoints: new VendorEndpoints({ allowed: productionEndpointDefaults, refusePrivateAddresses: true }),
        }),
        bootstrapApiKey: bootstrapKey,
      },
    });
    server = await listen(app, 0, '127.0.0.1');
  });
  afterAll(async () => {
    await server?.close();
    await drop?.();
  });

  const call = async (method: string, path: string, body: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${bootstrapKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  it('when a tenant is created or its settings changed with an http vendor endpoint then it is a 400 naming the setting', async () => {
    const created = await call('POST', '/api/v1/tenants', {
      id: 'plain-co',
      name: 'Plain',
      connection: { ...bigCommerceConnection, intacct: { companyId: 'P', endpointUrl: 'http://intacct.example.com/ia/xml/xmlgw.phtml' } },
    });
    expect(created.status).toBe(400);
    expect(created.body.error.details).toEqual([{ path: 'connection.intacct.endpointUrl', message: expect.stringContaining('https') }]);

    expect((await call('POST', '/api/v1/tenants', { id: 'tls-co', name: 'TLS', connection: bigCommerceConnection })).status).toBe(201);
    const patched = await call('PATCH', '/api/v1/tenants/tls-co/settings', {
      version: 1,
      settings: { connection: { storefront: { apiBaseUrl: 'http://api.bigcommerce.com' } } },
    });
    expect(patched.status).toBe(400);
    expect(patched.body.error.details).toEqual([{ path: 'connection.storefront.apiBaseUrl', message: expect.stringContaining('https') }]);
  });
});
