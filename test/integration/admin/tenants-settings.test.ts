import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCredentials } from '../../../store/credentials.js';
import { bigCommerceConnection, startAdminApi, type AdminApiUnderTest } from '../../support/admin-api.js';

describe('admin API: tenants, settings, credentials (in-process app, real FerretDB)', () => {
  let api: AdminApiUnderTest;
  beforeAll(async () => {
    api = await startAdminApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('when no key or a wrong key is sent then it answers 401 and says nothing about tenants', async () => {
    expect((await api.call('GET', '/api/v1/tenants', { key: null })).status).toBe(401);
    const wrong = await api.call('GET', '/api/v1/tenants', { key: 'ssk_0123456789abcdef_' + 'x'.repeat(43) });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('unauthorized');
  });

  it('when a tenant is created then it gets default settings at version 1 and a second create is 409', async () => {
    const created = await api.call('POST', '/api/v1/tenants', {
      body: { id: 'acme', name: 'Acme Outdoor', connection: bigCommerceConnection },
    });
    expect(created.status).toBe(201);
    expect(created.body.tenant).toMatchObject({ id: 'acme', name: 'Acme Outdoor', storefront: 'bigcommerce', status: 'active' });
    expect(created.body.settings.version).toBe(1);
    expect(created.body.settings.settings.orderSync.triggerStatuses).toEqual(['11', '9', '8', '3', '2', '10']);
    expect(created.body.settings.settings.connection.intacct.companyId).toBe('ACME-CO');

    const again = await api.call('POST', '/api/v1/tenants', { body: { id: 'acme', name: 'Other', connection: bigCommerceConnection } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('tenant_exists');
  });

  it('when the body is invalid then it answers 400 listing every field error', async () => {
    const response = await api.call('POST', '/api/v1/tenants', { body: { id: 'Bad Id!', name: '', connection: bigCommerceConnection } });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation_failed');
    expect(response.body.error.details.map((detail: { path: string }) => detail.path).sort()).toEqual(['id', 'name']);

    const badConnection = await api.call('POST', '/api/v1/tenants', {
      body: { id: 'bad-conn', name: 'x', connection: { storefront: { kind: 'shopify' }, intacct: {} } },
    });
    expect(badConnection.status).toBe(400);
    expect(badConnection.body.error.details.length).toBeGreaterThan(0);
  });

  it('when settings are written with the current version then the version moves on and the history keeps the diff; a stale version is 409', async () => {
    await api.call('POST', '/api/v1/tenants', { body: { id: 'settings-co', name: 'Settings Co', connection: bigCommerceConnection } });
    const current = await api.call('GET', '/api/v1/tenants/settings-co/settings');
    expect(current.status).toBe(200);
    expect(current.headers.get('etag')).toBe('"1"');

    const patched = await api.call('PATCH', '/api/v1/tenants/settings-co/settings', {
      body: { version: 1, settings: { orderSync: { guestOrders: { enabled: true, customerId: 'GUEST' } }, timezone: 'America/Chicago' } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.version).toBe(2);
    expect(patched.body.settings.orderSync.guestOrders).toEqual({ enabled: true, customerId: 'GUEST' });
    expect(patched.body.settings.orderSync.triggerStatuses).toEqual(current.body.settings.orderSync.triggerStatuses);

    const stale = await api.call('PATCH', '/api/v1/tenants/settings-co/settings', { body: { version: 1, settings: { timezone: 'UTC' } } });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'stale_version', details: { currentVersion: 2 } });

    const history = await api.call('GET', '/api/v1/tenants/settings-co/settings/history');
    expect(history.body.changes.map((change: { version: number }) => change.version)).toEqual([2, 1]);
    expect(history.body.changes[0].diff).toEqual(
      expect.arrayContaining([
        { path: 'timezone', before: 'UTC', after: 'America/Chicago' },
        expect.objectContaining({ path: expect.stringContaining('orderSync.guestOrders') }),
      ]),
    );
  });

  it('when settings break a cross-field rule then it answers 400 with the path and nothing changes', async () => {
    await api.call('POST', '/api/v1/tenants', { body: { id: 'rules-co', name: 'Rules Co', connection: bigCommerceConnection } });
    const response = await api.call('PATCH', '/api/v1/tenants/rules-co/settings', {
      body: { version: 1, settings: { orderSync: { guestOrders: { enabled: true } } } },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.details).toContainEqual({ path: 'orderSync.guestOrders.customerId', message: expect.any(String) });
    expect((await api.call('GET', '/api/v1/tenants/rules-co/settings')).body.version).toBe(1);

    const otherStorefront = await api.call('PATCH', '/api/v1/tenants/rules-co/settings', {
      body: { version: 1, settings: { connection: { storefront: { kind: 'clarity', baseUrl: 'https://shop.example.com/api' } } } },
    });
    expect(otherStorefront.status).toBe(400);
  });

  it('when settings name a metafield or product custom field badly, then it answers 400 naming each and nothing changes', async () => {
    await api.call('POST', '/api/v1/tenants', { body: { id: 'fields-co', name: 'Fields Co', connection: bigCommerceConnection } });
    const bad = await api.call('PATCH', '/api/v1/tenants/fields-co/settings', {
      body: {
        version: 1,
        settings: {
          orderSync: { dimensionRules: [{ dimension: 'department', from: 'orderMetafield', value: 'costCenter' }] },
          rules: [
            { id: 'm', cases: [{ when: [{ field: 'order.metafields.segment', op: 'equals', value: 'b2b' }], set: { class: 'B2B' } }] },
            { id: 'p', cases: [{ when: [{ field: 'line.productCustomFields.Size', op: 'equals', value: 'L' }], set: { class: 'L' } }] },
          ],
        },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual(
      expect.arrayContaining([
        { path: 'orderSync.dimensionRules.0.value', message: 'a metafield is named as namespace.key (for example erp.costCenter)' },
        {
          path: 'rules.0.cases.0.when.0.field',
          message: 'order.metafields.segment: a metafield is named as namespace.key (for example erp.costCenter)',
        },
        { path: 'rules.1.cases.0.when.0.field', message: "line.productCustomFields.Size is a line field: set the rule's scope to line" },
      ]),
    );

    expect((await api.call('GET', '/api/v1/tenants/fields-co/settings')).body.version).toBe(1);
  });

  it('when credentials are stored then answers show only that they are set, the database holds ciphertext, and the store decrypts them', async () => {
    await api.call('POST', '/api/v1/tenants', { body: { id: 'secret-co', name: 'Secret Co', connection: bigCommerceConnection } });
    const secrets = { senderId: 'acme-sender', senderPassword: 'sender-pw-Zq81', userId: 'sync', userPassword: 'user-pw-Lk77' };
    const stored = await api.call('PUT', '/api/v1/tenants/secret-co/credentials/intacct', { body: secrets });
    expect(stored.status).toBe(200);
    expect(stored.body.credentials.intacct).toMatchObject({ set: true, keyId: api.config.credentials.activeKeyId });
    expect(stored.body.credentials.bigcommerce).toEqual({ set: false });

    const read = await api.call('GET', '/api/v1/tenants/secret-co');
    for (const answer of [stored.text, read.text]) {
      for (const value of Object.values(secrets)) expect(answer).not.toContain(value);
    }
    const raw = JSON.stringify(await api.database.db.collection('tenant_credentials').find({}).toArray());
    for (const value of Object.values(secrets)) expect(raw).not.toContain(value);
    expect(await loadCredentials(api.database.db, api.cipher, 'secret-co', 'intacct')).toEqual(secrets);

    const wrongStorefront = await api.call('PUT', '/api/v1/tenants/secret-co/credentials/clarity', {
      body: { clientId: 'a', clientSecret: 'b' },
    });
    expect(wrongStorefront.status).toBe(400);
    const incomplete = await api.call('PUT', '/api/v1/tenants/secret-co/credentials/intacct', { body: { senderId: 'only' } });
    expect(incomplete.status).toBe(400);
    expect(incomplete.text).not.toContain('only');
  });

  it('when a tenant is disabled then it reads back disabled; unknown tenants are 404', async () => {
    await api.call('POST', '/api/v1/tenants', { body: { id: 'gone-co', name: 'Gone Co', connection: bigCommerceConnection } });
    const disabled = await api.call('PATCH', '/api/v1/tenants/gone-co', { body: { status: 'disabled' } });
    expect(disabled.body.tenant.status).toBe('disabled');
    expect((await api.call('GET', '/api/v1/tenants/gone-co')).body.tenant.status).toBe('disabled');
    expect((await api.call('GET', '/api/v1/tenants/nobody-here')).status).toBe(404);
  });

  it('when the JSON body is too large then 413; when it is not JSON then 415; when malformed then 400', async () => {
    const big = await api.call('POST', '/api/v1/tenants', {
      rawBody: JSON.stringify({ id: 'big', name: 'x'.repeat(200_000), connection: bigCommerceConnection }),
    });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('entity_too_large');
    const plain = await api.call('POST', '/api/v1/tenants', { rawBody: 'id=x', contentType: 'text/plain' });
    expect(plain.status).toBe(415);
    const malformed = await api.call('POST', '/api/v1/tenants', { rawBody: '{"id": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('entity_parse_failed');
  });

  it('publishes an OpenAPI document generated from the route contracts', async () => {
    const response = await api.call('GET', '/api/v1/openapi.json', { key: null });
    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe('3.1.0');
    expect(Object.keys(response.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/tenants',
        '/api/v1/tenants/{tenantId}/settings',
        '/api/v1/tenants/{tenantId}/mappings/{table}/import',
        '/api/v1/api-keys',
      ]),
    );
    const create = response.body.paths['/api/v1/tenants'].post;
    expect(create.requestBody.content['application/json'].schema.required).toEqual(expect.arrayContaining(['id', 'name', 'connection']));
  });

  it('records every write in the audit log, without secret values', async () => {
    const audit = await api.call('GET', '/api/v1/tenants/secret-co/audit');
    expect(audit.status).toBe(200);
    expect(audit.body.entries.map((entry: { action: string }) => entry.action)).toEqual(['tenant.create', 'credentials.put']);
    expect(audit.text).not.toContain('sender-pw-Zq81');
  });
});
