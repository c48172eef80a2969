import type {
  DispatchOutcome,
  EarlierDelivery,
  StorefrontEvent,
  WebhookReceiverDependencies,
  WebhookSender,
} from '../../api/webhooks/ports.js';
import type { StorefrontKind } from '../../mappers/canonical-order.js';

/** The database calls a receiver makes through its ports, each of which a test can stall. */
export type StoreCall = 'secrets' | 'record' | 'mark' | 'release';

/**
 * The product's side of the webhook receiver ports, in memory: secrets per tenant for one
 * storefront, a delivery log with the `received` → `dispatched` states that releases failed
 * dispatches, and a dispatcher that records and can be told to fail. A store call named in
 * `failing` rejects; one named in `stalled` hangs like a database behind a lock until
 * `unstall()` lets it finish (late).
 */
export class WebhookPortDoubles implements WebhookReceiverDependencies {
  tenantSecrets = new Map<string, string[]>();
  /** The delivery log by `${tenantId}/${deliveryId}`. */
  seen = new Map<string, EarlierDelivery>();
  dispatched: StorefrontEvent[] = [];
  secretLookups: Array<{ tenantId: string; fresh: boolean }> = [];
  failNextDispatches = 0;
  failing = new Set<StoreCall>();
  stalled = new Set<StoreCall>();
  private readonly stalledCalls: Array<() => void> = [];

  constructor(readonly storefront: StorefrontKind) {}

  /** Lets every stalled call finish, as a database does once its lock clears. */
  unstall(): void {
    this.stalled.clear();
    for (const finish of this.stalledCalls.splice(0)) finish();
  }

  private store<T>(call: StoreCall, answer: () => T): Promise<T> {
    if (this.failing.has(call)) return Promise.reject(new Error('database down'));
    if (!this.stalled.has(call)) return Promise.resolve(answer());
    return new Promise((resolve) => this.stalledCalls.push(() => resolve(answer())));
  }

  secrets = {
    webhookSecrets: (tenantId: string, storefront: WebhookSender, options?: { fresh?: boolean }): Promise<string[] | undefined> => {
      this.secretLookups.push({ tenantId, fresh: options?.fresh === true });
      return this.store('secrets', () => (storefront === this.storefront ? this.tenantSecrets.get(tenantId) : undefined));
    },
  };

  deliveries = {
    recordDelivery: (event: StorefrontEvent, receivedAt: Date): Promise<EarlierDelivery | undefined> =>
      this.store('record', () => {
        const key = `${event.tenantId}/${event.deliveryId}`;
        const earlier = this.seen.get(key);
        if (earlier === undefined) this.seen.set(key, { state: 'received', receivedAt });
        return earlier && { ...earlier };
      }),
    markDispatched: (event: StorefrontEvent): Promise<void> =>
      this.store('mark', () => {
        const entry = this.seen.get(`${event.tenantId}/${event.deliveryId}`);
        if (entry) entry.state = 'dispatched';
      }),
    releaseDelivery: (event: StorefrontEvent): Promise<void> =>
      this.store('release', () => {
        this.seen.delete(`${event.tenantId}/${event.deliveryId}`);
      }),
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

/**
 * Receiver ports that delegate to whichever doubles `current()` returns, so a receiver started
 * once (beforeAll) serves each test's fresh doubles (beforeEach).
 */
export function delegatingPorts(current: () => WebhookPortDoubles): WebhookReceiverDependencies {
  return {
    secrets: { webhookSecrets: (tenantId, storefront, options) => current().secrets.webhookSecrets(tenantId, storefront, options) },
    deliveries: {
      recordDelivery: (event, receivedAt) => current().deliveries.recordDelivery(event, receivedAt),
      markDispatched: (event) => current().deliveries.markDispatched(event),
      releaseDelivery: (event) => current().deliveries.releaseDelivery(event),
    },
    dispatcher: { dispatch: (event) => current().dispatcher.dispatch(event) },
  };
}
