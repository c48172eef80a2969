/*
 * What the webhook receivers need from the rest of the product, as small interfaces: the
 * receivers authenticate and validate; these ports decide what a delivery means. Implemented
 * over the store (secrets, dedupe) and the Temporal client (workflow starts); tests use doubles.
 */
import type { StorefrontKind } from '../../mappers/canonical-order.js';
import type { ProcessorEvent } from '../../store/processor-events.js';

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

/**
 * What the dispatcher did with an event. `dead-lettered`: Temporal refused it as invalid, so it
 * was kept for an operator (see {@link WebhookDeadLetters}) and the delivery is acknowledged.
 */
export type DispatchOutcome = 'started' | 'signalled' | 'ignored' | 'dead-lettered';

/** Starts or signals the workflow an event belongs to (signal-with-start, conflict policy use-existing). */
export interface WorkflowDispatcher {
  dispatch(event: StorefrontEvent): Promise<DispatchOutcome>;
}

/** Whose webhooks a secret checks: a storefront's, or the tenant's Stripe account's (its endpoint signing secret). */
export type WebhookSender = StorefrontKind | 'stripe';

/** Webhook secrets of a tenant's storefront connection (or of its Stripe account). */
export interface WebhookSecretSource {
  /**
   * The secrets currently accepted (more than one while a rotation is in progress), or
   * undefined when the tenant does not exist, is disabled, or has no such storefront — the
   * receiver answers all three the same way, so callers cannot probe for tenants.
   *
   * `fresh` is asked after the secrets just answered did not verify a delivery: a source that
   * caches reads them again, so a secret rotated or a tenant re-enabled moments ago is accepted
   * at once. It may still answer from its cache when that answer is itself such a re-read, so
   * forged deliveries cannot turn every request into a database read.
   */
  webhookSecrets(tenantId: string, storefront: WebhookSender, options?: { fresh?: boolean }): Promise<string[] | undefined>;
}

/** How an earlier attempt of the same delivery left it in the log. */
export interface EarlierDelivery {
  /**
   * `received`: recorded, but the dispatcher's acceptance was never noted — that attempt may
   * still be dispatching, may have failed without forgetting the delivery, or may have died.
   * `dispatched`: the dispatcher accepted the event.
   */
  state: 'received' | 'dispatched';
  receivedAt: Date;
}

/**
 * Remembers deliveries so a redelivered webhook is acknowledged without a second dispatch, and
 * one whose first attempt never reached the dispatcher is dispatched after all.
 */
export interface WebhookDeliveryLog {
  /**
   * Records the delivery as `received` at `receivedAt`, unless an earlier attempt recorded it:
   * then it is left as it is and answered.
   */
  recordDelivery(event: StorefrontEvent, receivedAt: Date): Promise<EarlierDelivery | undefined>;
  /** Notes that the dispatcher accepted the event; a later copy is then a duplicate. */
  markDispatched(event: StorefrontEvent): Promise<void>;
  /**
   * Forgets a recorded delivery whose dispatch failed, so the storefront's retry (on any API
   * instance) is dispatched at once instead of waiting for the record to age.
   */
  releaseDelivery(event: StorefrontEvent): Promise<void>;
}

/**
 * The deliveries the recovery sweep looks for: acknowledged and recorded `received`, but whose
 * dispatch was never noted. With the deferred intake that is every delivery between its answer
 * and its dispatch, so the log, not the process's memory, is what keeps an acknowledged event.
 */
export interface UndispatchedDeliveries {
  /** Events of deliveries still `received` that were recorded before `receivedBefore`, oldest first. */
  findUndispatched(receivedBefore: Date, limit: number): Promise<StorefrontEvent[]>;
  /** Notes, in one batch, that the dispatcher accepted these events. */
  markDispatched(events: readonly StorefrontEvent[]): Promise<void>;
}

/**
 * Takes a recorded delivery's event to dispatch after the receiver has answered (see
 * `api/webhooks/webhook-intake.ts`). It never fails the delivery: what it cannot dispatch stays
 * `received` in the log for the recovery sweep.
 */
export interface WebhookIntake {
  accept(event: StorefrontEvent): void;
}

/**
 * Deliveries that passed authentication and validation but that Temporal refused as invalid:
 * retrying them cannot succeed, so they are kept with the reason for an operator to replay once
 * the cause is fixed, instead of being answered 503 until the store gives up on the hook.
 */
export interface WebhookDeadLetters {
  deadLetter(event: StorefrontEvent, reason: string): Promise<void>;
}

export interface WebhookReceiverDependencies {
  secrets: WebhookSecretSource;
  /**
   * The keys of the storefront's own webhook signatures, where it signs (BigCommerce: the API
   * account's client secret, from the tenant's stored BigCommerce credentials). Without it, or
   * for a tenant without one, signed deliveries are checked by the secret header alone.
   */
  signingSecrets?: WebhookSecretSource;
  deliveries: WebhookDeliveryLog;
  dispatcher: WorkflowDispatcher;
  /**
   * With an intake, a delivery is acknowledged once it is recorded and dispatched after the
   * answer (the intake's sweep dispatches what a dead process left). Without one, the answer
   * waits for the dispatch itself, as before.
   */
  intake?: WebhookIntake;
}

/** Keeps accepted processor events once per event id, until their workflow takes them. */
export interface ProcessorEventLog {
  /** `duplicate` when an earlier delivery of the same event was recorded. */
  record(event: ProcessorEvent, receivedAt: Date): Promise<'recorded' | 'duplicate'>;
}

/**
 * Hands a recorded payout event to the payout's workflow (PayoutReconcile, signal-with-start).
 * `recorded` says whether this delivery recorded the event or found it recorded before: a copy
 * of an event already handed on is not handed on again.
 */
export interface PayoutEventDispatcher {
  dispatch(event: ProcessorEvent, recorded: 'recorded' | 'duplicate'): Promise<'dispatched' | 'duplicate'>;
}

/** What the Stripe receiver needs: the tenants' endpoint signing secrets and the processor event log. */
export interface StripeWebhookDependencies {
  /** Asked with `stripe`: the tenant's Stripe webhook signing secret, or undefined (unknown, disabled, none set). */
  secrets: WebhookSecretSource;
  events: ProcessorEventLog;
  /** Starts the payout's workflow on the payout events that move it; without it events are only recorded. */
  payouts?: PayoutEventDispatcher;
}
