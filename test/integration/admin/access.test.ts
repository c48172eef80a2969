import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialCipher } from '../../../store/credential-cipher.js';
import { loadCredentials, reEncryptCredentials, saveCredentials } from '../../../store/credentials.js';
import { bigCommerceConnection, startAdminApi, type AdminApiUnderTest } from '../../support/admin-api.js';

describe('admin API access: keys, roles, tenant scope', () => {
  let api: AdminApiUnderTest;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    api = await startAdminApi();
    for (const id of ['tenant-a', 'tenant-b']) {
      expect((await api.call('POST', '/api/v1/tenants', { body: { id, name: id, connection: bigCommerceConnection } })).status).toBe(201);
    }
    for (const [name, role, tenantId] of [
      ['viewer-a', 'viewer', 'tenant-a'],
      ['operator-a', 'operator', 'tenant-a'],
      ['admin-a', 'admin', 'tenant-a'],
    ] as const) {
      const issued = await api.call('POST', '/api/v1/api-keys', { body: { name, role, tenantId } });
      expect(issued.status).toBe(201);
      expect(issued.body.token).toMatch(/^ssk_[a-f0-9]{16}_/);
      tokens[name] = issued.body.token as string;
    }
  });
  afterAll(async () => {
    await api?.close();
  });

  it('when a key for tenant A asks for tenant B then it gets 404, exactly as for a tenant that does not exist', async () => {
    const other = await api.call('GET', '/api/v1/tenants/tenant-b', { key: tokens['viewer-a']! });
    const missing = await api.call('GET', '/api/v1/tenants/no-such-tenant', { key: tokens['viewer-a']! });
    expect(other.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(other.body.error.message).toBe('no tenant tenant-b');
    expect((await api.call('GET', '/api/v1/tenants/tenant-b/settings', { key: tokens['admin-a']! })).status).toBe(404);
    const list = await api.call('GET', '/api/v1/tenants', { key: tokens['viewer-a']! });
    expect(list.body.tenants.map((tenant: { id: string }) => tenant.id)).toEqual(['tenant-a']);
  });

  it.each([
    ['viewer-a', 'GET', '/api/v1/tenants/tenant-a/settings', undefined, 200],
    ['viewer-a', 'PATCH', '/api/v1/tenants/tenant-a/settings', { version: 1, settings: { timezone: 'UTC' } }, 403],
    ['viewer-a', 'PUT', '/api/v1/tenants/tenant-a/mappings/items/rows/SKU-1', { intacctItemId: 'I-1' }, 403],
    ['operator-a', 'PATCH', '/api/v1/tenants/tenant-a/settings', { version: 1, settings: { timezone: 'UTC' } }, 403],
    ['operator-a', 'GET', '/api/v1/tenants/tenant-a/audit', undefined, 403],
    ['admin-a', 'POST', '/api/v1/tenants', { id: 'tenant-c', name: 'c', connection: bigCommerceConnection }, 403],
    ['admin-a', 'POST', '/api/v1/api-keys', { name: 'x', role: 'viewer', tenantId: 'tenant-b' }, 403],
    ['admin-a', 'POST', '/api/v1/api-keys', { name: 'x', role: 'viewer', tenantId: null }, 403],
  ] as const)('%s %s %s answers %i', async (keyName, method, path, body, status) => {
    const response = await api.call(method, path, { key: tokens[keyName]!, ...(body !== undefined && { body }) });
    expect(response.status).toBe(status);
  });

  it('when a key is revoked then it is refused with 401', async () => {
    const issued = await api.call('POST', '/api/v1/api-keys', { body: { name: 'short-lived', role: 'viewer', tenantId: 'tenant-a' } });
    expect((await api.call('GET', '/api/v1/tenants/tenant-a', { key: issued.body.token })).status).toBe(200);
    expect((await api.call('DELETE', `/api/v1/api-keys/${issued.body.key.id}`)).status).toBe(204);
    expect((await api.call('GET', '/api/v1/tenants/tenant-a', { key: issued.body.token })).status).toBe(401);
  });

  it('stores keys hashed: the database never holds a token', async () => {
    const raw = JSON.stringify(await api.database.db.collection('api_keys').find({}).toArray());
    // The secret is everything after `ssk_<16 hex>_`; it may itself contain underscores.
    for (const token of Object.values(tokens)) expect(raw).not.toContain(token.slice('ssk_'.length + 16 + 1));
    const listed = await api.call('GET', '/api/v1/api-keys');
    expect(listed.text).not.toContain('secretHash');
  });

  it('when the key is rotated then re-encryption moves every credential to the new key, and a tampered or moved ciphertext does not open', async () => {
    const db = api.database.db;
    const oldKeys = api.config.credentials.keys;
    const oldCipher = new CredentialCipher(oldKeys, api.config.credentials.activeKeyId);
    await saveCredentials(db, oldCipher, 'tenant-a', 'bigcommerce', { accessToken: 'tok-A', clientId: 'cid', clientSecret: 'csecret' });
    await saveCredentials(db, oldCipher, 'tenant-b', 'bigcommerce', { accessToken: 'tok-B', clientId: 'cid', clientSecret: 'csecret' });

    const newKey = randomBytes(32);
    const rotated = new CredentialCipher(new Map([...oldKeys, ['k2', newKey]]), 'k2');
    const first = await reEncryptCredentials(db, rotated);
    expect(first.reEncrypted).toBe(first.examined);
    expect(first.examined).toBeGreaterThanOrEqual(2);
    expect(await reEncryptCredentials(db, rotated)).toEqual({ examined: first.examined, reEncrypted: 0 });

    const newOnly = new CredentialCipher(new Map([['k2', newKey]]), 'k2');
    expect(await loadCredentials(db, newOnly, 'tenant-a', 'bigcommerce')).toEqual({
      accessToken: 'tok-A',
      clientId: 'cid',
      clientSecret: 'csecret',
    });

    // A ciphertext copied onto another tenant fails authentication (bound by associated data).
    const collection = db.collection<{ _id: string; parts: Record<string, unknown> }>('tenant_credentials');
    const a = await collection.findOne({ _id: 'tenant-a' });
    await collection.updateOne({ _id: 'tenant-b' }, { $set: { 'parts.bigcommerce': a!.parts['bigcommerce'] } });
    await expect(loadCredentials(db, newOnly, 'tenant-b', 'bigcommerce')).rejects.toThrow('failed authentication');
  });
});
