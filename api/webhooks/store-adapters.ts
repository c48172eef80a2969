import type { Db } from 'mongodb';
import type { CredentialCipher } from '../../store/credential-cipher.js';
import { loadCredentials } from '../../store/credentials.js';
import { ownInventoryWriteWindowMs, wasWrittenByUs } from '../../store/own-inventory-writes.js';
import { findTenant } from '../../store/tenants.js';
import { forgetDelivery, recordFirstDelivery } from '../../store/webhook-deliveries.js';
import type { OwnInventoryWrites } from '../routes/webhooks/bigcommerce.js';
import type { StorefrontEvent, StorefrontKind, WebhookDeliveryLog, WebhookSecretSource } from './ports.js';

/**
 * Webhook secrets from the tenant's sealed credentials. A missing, disabled or
 * other-storefront tenant answers undefined, like a tenant without secrets.
 */
export function storedWebhookSecrets(db: Db, cipher: CredentialCipher): WebhookSecretSource {
  return {
    async webhookSecrets(tenantId: string, storefront: StorefrontKind) {
      const tenant = await findTenant(db, tenantId);
      if (!tenant || tenant.status !== 'active' || tenant.storefront !== storefront) return undefined;
      const webhook = await loadCredentials(db, cipher, tenantId, 'webhook');
      return webhook?.secrets.map((entry) => entry.secret);
    },
  };
}

/** Deliveries recorded in MongoDB under a unique id: the second copy of a webhook is recognised. */
export function storedWebhookDeliveries(db: Db): WebhookDeliveryLog {
  return {
    recordFirstDelivery: (event: StorefrontEvent) => recordFirstDelivery(db, event),
    releaseDelivery: (event: StorefrontEvent) => forgetDelivery(db, event),
  };
}

/**
 * Inventory webhooks caused by the product's own stock pushes: the push (in the worker)
 * records what it wrote; the receiver (in the API) asks here. Two minutes covers
 * BigCommerce's delivery delay.
 */
export function storedOwnInventoryWrites(db: Db, windowMs = ownInventoryWriteWindowMs): OwnInventoryWrites {
  return {
    isOwnWrite: (tenantId, change) => wasWrittenByUs(db, tenantId, change, windowMs),
  };
}
