/**
 * What the webhook receivers need from the rest of the product, as small interfaces: the
 * receivers authenticate and validate; these ports decide what a delivery means. Implemented
 * over the store (secrets, dedupe) and the Temporal client (workflow starts); tests use doubles.
 */
export type StorefrontKind = 'bigcommerce' | 'clarity';

/** A storefront event after authentication and validation, in the product's words. */
export interface StorefrontEvent {
  tenantId: string;
  storefront: StorefrontKind;
  /** The vendor's topic as sent (BigCommerce scope, Clarity event type). */
  topic: string;
  /** What the event is about. */
  entity: 'order' | 'refund' | 'return' | 'product' | 'inventory' | 'shipment' | 'customer';
  /** The storefront's id of that entity (order id, refund id, product id or SKU). */
  entityId: string;
  /** The order an event refers to, when it is not the order itself (refund, return, shipment). */
  orderId?: string;
  /** The vendor's delivery identity, for deduplication (BigCommerce `hash`, Clarity `webhook-id`). */
  deliveryId: string;
  /** When the storefront says the event happened (ISO 8601). */
  occurredAt: string;
}

export type DispatchOutcome = 'started' | 'signalled' | 'ignored';

/** Starts or signals the workflow an event belongs to (signal-with-start, conflict policy use-existing). */
export interface WorkflowDispatcher {
  dispatch(event: StorefrontEvent): Promise<DispatchOutcome>;
}

/** Webhook secrets of a tenant's storefront connection. */
export interface WebhookSecretSource {
  /**
   * The secrets currently accepted (more than one while a rotation is in progress), or
   * undefined when the tenant does not exist, is disabled, or has no such storefront — the
   * receiver answers all three the same way, so callers cannot probe for tenants.
   */
  webhookSecrets(tenantId: string, storefront: StorefrontKind): Promise<string[] | undefined>;
}

/** Remembers deliveries so a redelivered webhook is acknowledged without a second dispatch. */
export interface WebhookDeliveryLog {
  /** Records the delivery; resolves false when it was seen before. */
  recordFirstDelivery(event: StorefrontEvent): Promise<boolean>;
  /**
   * Forgets a recorded delivery whose dispatch failed, so the storefront's retry (on any API
   * instance) is dispatched instead of being taken for a duplicate.
   */
  releaseDelivery(event: StorefrontEvent): Promise<void>;
}

export interface WebhookReceiverDependencies {
  secrets: WebhookSecretSource;
  deliveries: WebhookDeliveryLog;
  dispatcher: WorkflowDispatcher;
}
