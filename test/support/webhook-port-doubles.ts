import type { DispatchOutcome, StorefrontEvent, StorefrontKind, WebhookReceiverDependencies } from '../../api/webhooks/ports.js';

/**
 * The product's side of the webhook receiver ports, in memory: secrets per tenant for one
 * storefront, a delivery log that releases failed dispatches, and a dispatcher that records
 * and can be told to fail.
 */
export class WebhookPortDoubles implements WebhookReceiverDependencies {
  tenantSecrets = new Map<string, string[]>();
  seen = new Set<string>();
  dispatched: StorefrontEvent[] = [];
  failNextDispatches = 0;
  secretsFail = false;

  constructor(readonly storefront: StorefrontKind) {}

  secrets = {
    webhookSecrets: (tenantId: string, storefront: StorefrontKind): Promise<string[] | undefined> => {
      if (this.secretsFail) return Promise.reject(new Error('database down'));
      return Promise.resolve(storefront === this.storefront ? this.tenantSecrets.get(tenantId) : undefined);
    },
  };

  deliveries = {
    recordFirstDelivery: (event: StorefrontEvent): Promise<boolean> => {
      const key = `${event.tenantId}/${event.deliveryId}`;
      const first = !this.seen.has(key);
      this.seen.add(key);
      return Promise.resolve(first);
    },
    releaseDelivery: (event: StorefrontEvent): Promise<void> => {
      this.seen.delete(`${event.tenantId}/${event.deliveryId}`);
      return Promise.resolve();
    },
  };

  dispatcher = {
    dispatch: (event: StorefrontEvent): Promise<DispatchOutcome> => {
      if (this.failNextDispatches > 0) {
        this.failNextDispatches -= 1;
        return Promise.reject(new Error('Temporal is unavailable'));
      }
      this.dispatched.push(event);
      return Promise.resolve('started');
    },
  };
}
