import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveCredentials } from '../../../store/credentials.js';
import { startOrderSyncFixture, sandboxCredentials, type OrderSyncFixture } from '../../support/order-sync-fixture.js';

describe('tenant connections over the sandboxes', () => {
  let fixture: OrderSyncFixture;
  beforeAll(async () => {
    fixture = await startOrderSyncFixture();
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('when a BigCommerce tenant is configured, then its clients sign in to Intacct and read its store, and are reused while nothing changes', async () => {
    const tenantId = await fixture.createTenant('bigcommerce');
    const connection = await fixture.connections.forTenant(tenantId);
    await (await connection.intacct()).verifySignIn();
    const storefront = await connection.storefront();
    expect(storefront.kind).toBe('bigcommerce');
    if (storefront.kind === 'bigcommerce') expect((await storefront.client.orders.getOrder(100)).id).toBe(100);
    const again = await fixture.connections.forTenant(tenantId);
    expect(await again.storefront()).toBe(storefront);
  });

  it('when a Clarity tenant is configured, then its storefront client reads its site', async () => {
    const tenantId = await fixture.createTenant('clarity');
    const storefront = await (await fixture.connections.forTenant(tenantId)).storefront();
    expect(storefront.kind).toBe('clarity');
    if (storefront.kind === 'clarity') expect((await storefront.client.listOrders({})).items.length).toBeGreaterThan(0);
  });

  it('when the settings change, then the clients are rebuilt from the new version', async () => {
    const tenantId = await fixture.createTenant('bigcommerce');
    const before = await fixture.connections.forTenant(tenantId);
    const intacct = await before.intacct();
    await fixture.updateOrderSync(tenantId, { transactionDefinition: 'Sales Invoice' });
    const after = await fixture.connections.forTenant(tenantId);
    expect(after.settingsVersion).toBe(before.settingsVersion + 1);
    expect(after.settings.orderSync.transactionDefinition).toBe('Sales Invoice');
    expect(await after.intacct()).not.toBe(intacct);
  });

  it('when a tenant has no settings or no credentials, then a non-retryable TenantNotConfigured failure names what is missing', async () => {
    await expect(fixture.connections.forTenant('t-missing')).rejects.toMatchObject({ type: 'TenantNotConfigured', nonRetryable: true });
    const tenantId = await fixture.createTenant('clarity');
    await fixture.database.db.collection('tenant_credentials').updateOne({ _id: tenantId as never }, { $unset: { 'parts.clarity': '' } });
    const connection = await fixture.connections.forTenant(tenantId);
    await expect(connection.storefront()).rejects.toMatchObject({
      type: 'TenantNotConfigured',
      message: expect.stringContaining('clarity credentials'),
    });
    await saveCredentials(fixture.database.db, fixture.cipher, tenantId, 'clarity', sandboxCredentials.clarity);
  });
});
