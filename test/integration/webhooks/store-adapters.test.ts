import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StorefrontEvent } from '../../../api/webhooks/ports.js';
import { storedOwnInventoryWrites, storedWebhookDeliveries, storedWebhookSecrets } from '../../../api/webhooks/store-adapters.js';
import { recordOwnInventoryWrites, sweepOwnInventoryWrites } from '../../../store/own-inventory-writes.js';
import { CredentialCipher } from '../../../store/credential-cipher.js';
import { saveCredentials } from '../../../store/credentials.js';
import { createTenant, updateTenant } from '../../../store/tenants.js';
import { openTestDatabase, testConfig } from '../../support/harness.js';

describe('webhook ports over the store (FerretDB)', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let cipher: CredentialCipher;

  beforeAll(async () => {
    const config = testConfig();
    database = await openTestDatabase(config);
    cipher = new CredentialCipher(config.credentials.keys, config.credentials.activeKeyId);
    await createTenant(database.db, { id: 'shop', name: 'Shop', storefront: 'bigcommerce' });
    await saveCredentials(database.db, cipher, 'shop', 'webhook', {
      secrets: [
        { secret: 'old-secret-0123456789', createdAt: '2026-01-01T00:00:00Z' },
        { secret: 'new-secret-0123456789', createdAt: '2026-02-01T00:00:00Z' },
      ],
    });
    await createTenant(database.db, { id: 'no-secrets', name: 'No secrets', storefront: 'bigcommerce' });
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('gives both secrets during a rotation, and undefined for unknown, other-storefront, secretless or disabled tenants alike (disabling taking effect within the 30 s cache)', async () => {
    let clock = Date.now();
    const secrets = storedWebhookSecrets(database.db, cipher, { now: () => clock });
    expect(await secrets.webhookSecrets('shop', 'bigcommerce')).toEqual(['old-secret-0123456789', 'new-secret-0123456789']);
    expect(await secrets.webhookSecrets('shop', 'clarity')).toBeUndefined();
    expect(await secrets.webhookSecrets('nobody', 'bigcommerce')).toBeUndefined();
    expect(await secrets.webhookSecrets('no-secrets', 'bigcommerce')).toBeUndefined();
    await updateTenant(database.db, 'shop', { status: 'disabled' });
    expect(await secrets.webhookSecrets('shop', 'bigcommerce')).toEqual(['old-secret-0123456789', 'new-secret-0123456789']);
    clock += 30_000;
    expect(await secrets.webhookSecrets('shop', 'bigcommerce')).toBeUndefined();
    await updateTenant(database.db, 'shop', { status: 'active' });
  });

  it('when a secret is rotated after the secrets were cached then the fresh ask after a mismatch reads the new one at once', async () => {
    await createTenant(database.db, { id: 'rotating', name: 'Rotating', storefront: 'clarity' });
    await saveCredentials(database.db, cipher, 'rotating', 'webhook', {
      secrets: [{ secret: 'first-secret-0123456789', createdAt: '2026-01-01T00:00:00Z' }],
    });
    const secrets = storedWebhookSecrets(database.db, cipher);
    expect(await secrets.webhookSecrets('rotating', 'clarity')).toEqual(['first-secret-0123456789']);
    await saveCredentials(database.db, cipher, 'rotating', 'webhook', {
      secrets: [
        { secret: 'first-secret-0123456789', createdAt: '2026-01-01T00:00:00Z' },
        { secret: 'second-secret-0123456789', createdAt: '2026-03-01T00:00:00Z' },
      ],
    });
    expect(await secrets.webhookSecrets('rotating', 'clarity')).toEqual(['first-secret-0123456789']);
    expect(await secrets.webhookSecrets('rotating', 'clarity', { fresh: true })).toEqual([
      'first-secret-0123456789',
      'second-secret-0123456789',
    ]);
  });

  it('recognises a redelivered webhook, also when both copies arrive at once', async () => {
    const deliveries = storedWebhookDeliveries(database.db);
    const event: StorefrontEvent = {
      tenantId: 'shop',
      storefront: 'bigcommerce',
      topic: 'store/order/created',
      entity: 'order',
      entityId: '100',
      deliveryId: 'hash-1',
      occurredAt: '2026-11-23T10:00:00Z',
    };
    const receivedAt = new Date();
    const results = await Promise.all(Array.from({ length: 5 }, () => deliveries.recordDelivery(event, receivedAt)));
    expect(results.filter((earlier) => earlier === undefined)).toHaveLength(1);
    expect(results.filter((earlier) => earlier !== undefined)).toEqual(
      Array.from({ length: 4 }, () => ({ state: 'received', receivedAt })),
    );
    expect(await deliveries.recordDelivery({ ...event, tenantId: 'no-secrets' }, receivedAt)).toBeUndefined();
  });

  it('when a delivery is released (its dispatch failed) then the storefront retry counts as new', async () => {
    const deliveries = storedWebhookDeliveries(database.db);
    const event: StorefrontEvent = {
      tenantId: 'shop',
      storefront: 'clarity',
      topic: 'order.created',
      entity: 'order',
      entityId: '9',
      deliveryId: 'msg-9',
      occurredAt: '2026-11-23T10:00:00Z',
    };
    expect(await deliveries.recordDelivery(event, new Date())).toBeUndefined();
    await deliveries.releaseDelivery(event);
    expect(await deliveries.recordDelivery(event, new Date())).toBeUndefined();
    expect(await deliveries.recordDelivery(event, new Date())).toMatchObject({ state: 'received' });
  });

  it("recognises inventory webhooks that follow the product's own stock push, and only those", async () => {
    const ownWrites = storedOwnInventoryWrites(database.db, 60_000);
    await recordOwnInventoryWrites(database.db, 'shop', [{ productId: '111', variantId: '202' }, { productId: '112' }]);
    expect(await ownWrites.isOwnWrite('shop', { productId: '111', variantId: '202', method: 'absolute', value: 5 })).toBe(true);
    expect(await ownWrites.isOwnWrite('shop', { productId: '112', variantId: undefined, method: 'absolute', value: 0 })).toBe(true);
    expect(await ownWrites.isOwnWrite('shop', { productId: '111', variantId: '203', method: 'absolute', value: 5 })).toBe(false);
    expect(await ownWrites.isOwnWrite('other', { productId: '112', variantId: undefined, method: 'absolute', value: 0 })).toBe(false);

    await recordOwnInventoryWrites(database.db, 'shop', [{ productId: '113' }], new Date(Date.now() - 120_000));
    expect(await ownWrites.isOwnWrite('shop', { productId: '113', variantId: undefined, method: 'absolute', value: 1 })).toBe(false);
    expect(await sweepOwnInventoryWrites(database.db, new Date(Date.now() - 60_000))).toBe(1);
  });
});
