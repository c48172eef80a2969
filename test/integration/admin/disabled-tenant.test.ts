import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bigCommerceConnection, startAdminApi, type AdminApiUnderTest } from '../../support/admin-api.js';

// Finding 4 of the security review: a disabled tenant's keys kept full access, and its own
// admin key could set it back to active.
describe('admin API on a disabled tenant', () => {
  let api: AdminApiUnderTest;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    api = await startAdminApi();
    expect(
      (await api.call('POST', '/api/v1/tenants', { body: { id: 'paused-co', name: 'Paused Co', connection: bigCommerceConnection } }))
        .status,
    ).toBe(201);
    for (const [name, role] of [
      ['admin', 'admin'],
      ['operator', 'operator'],
      ['viewer', 'viewer'],
    ] as const) {
      const issued = await api.call('POST', '/api/v1/api-keys', { body: { name, role, tenantId: 'paused-co' } });
      expect(issued.status).toBe(201);
      tokens[name] = issued.body.token as string;
    }
    expect((await api.call('PATCH', '/api/v1/tenants/paused-co', { body: { status: 'disabled' } })).status).toBe(200);
  });
  afterAll(async () => {
    await api?.close();
  });

  it.each([
    ['admin', 'PATCH', '/api/v1/tenants/paused-co/settings', { version: 1, settings: { timezone: 'UTC' } }],
    ['admin', 'PUT', '/api/v1/tenants/paused-co/credentials/bigcommerce', { accessToken: 't', clientId: 'c', clientSecret: 's' }],
    ['admin', 'POST', '/api/v1/api-keys', { name: 'more', role: 'admin', tenantId: 'paused-co' }],
    ['admin', 'PATCH', '/api/v1/tenants/paused-co', { name: 'Renamed while disabled' }],
    ['operator', 'PUT', '/api/v1/tenants/paused-co/mappings/items/rows/SKU-1', { intacctItemId: 'I-1' }],
    ['operator', 'POST', '/api/v1/tenants/paused-co/connections/intacct/test', undefined],
  ] as const)('when the tenant is disabled then its %s key is refused %s %s with 403 and the reason', async (key, method, path, body) => {
    const response = await api.call(method, path, { key: tokens[key]!, ...(body !== undefined && { body }) });
    expect(response.status).toBe(403);
    expect(response.body.error).toMatchObject({ code: 'tenant_disabled' });
    expect(response.body.error.message).toContain('paused-co is disabled');
  });

  it('when the tenant is disabled then nothing its keys tried was written', async () => {
    const settings = await api.call('GET', '/api/v1/tenants/paused-co/settings');
    expect(settings.body.version).toBe(1);
    expect((await api.call('GET', '/api/v1/tenants/paused-co/mappings/items/rows/SKU-1')).status).toBe(404);
    const keys = await api.call('GET', '/api/v1/api-keys');
    expect(keys.body.keys.filter((key: { tenantId: string | null }) => key.tenantId === 'paused-co')).toHaveLength(3);
  });

  it('when the tenant is disabled then its keys can still read, so its people can see why', async () => {
    const tenant = await api.call('GET', '/api/v1/tenants/paused-co', { key: tokens['viewer']! });
    expect(tenant.status).toBe(200);
    expect(tenant.body.tenant.status).toBe('disabled');
  });

  it('when its own admin key tries to re-enable the disabled tenant then it is refused and the tenant stays disabled', async () => {
    const response = await api.call('PATCH', '/api/v1/tenants/paused-co', { key: tokens['admin']!, body: { status: 'active' } });
    expect(response.status).toBe(403);
    expect((await api.call('GET', '/api/v1/tenants/paused-co')).body.tenant.status).toBe('disabled');
  });

  it('when an active tenant’s own admin key changes its status then it is refused: only an installation-wide admin does', async () => {
    expect(
      (await api.call('POST', '/api/v1/tenants', { body: { id: 'running-co', name: 'Running Co', connection: bigCommerceConnection } }))
        .status,
    ).toBe(201);
    const issued = await api.call('POST', '/api/v1/api-keys', { body: { name: 'own-admin', role: 'admin', tenantId: 'running-co' } });
    const ownAdmin = issued.body.token as string;
    const response = await api.call('PATCH', '/api/v1/tenants/running-co', { key: ownAdmin, body: { status: 'disabled' } });
    expect(response.status).toBe(403);
    expect(response.body.error.message).toContain('installation-wide admin');
    // Renaming stays with the tenant's own admin.
    expect((await api.call('PATCH', '/api/v1/tenants/running-co', { key: ownAdmin, body: { name: 'Running Co Ltd' } })).status).toBe(200);
  });

  it('when an installation-wide admin re-enables the tenant then its keys write again', async () => {
    expect((await api.call('PATCH', '/api/v1/tenants/paused-co', { body: { status: 'active' } })).status).toBe(200);
    const write = await api.call('PUT', '/api/v1/tenants/paused-co/mappings/items/rows/SKU-1', {
      key: tokens['operator']!,
      body: { intacctItemId: 'I-1' },
    });
    expect(write.status).toBe(200);
    expect((await api.call('PATCH', '/api/v1/tenants/paused-co', { body: { status: 'disabled' } })).status).toBe(200);
  });
});
