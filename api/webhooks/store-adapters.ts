import { setTimeout } from 'node:timers/promises';
import type { Db } from 'mongodb';
import type { CredentialCipher } from '../../store/credential-cipher.js';
import { loadCredentials } from '../../store/credentials.js';
import { ownInventoryWriteWindowMs, wasWrittenByUs } from '../../store/own-inventory-writes.js';
import { productCreationOf } from '../../store/own-product-creations.js';
import { findTenant } from '../../store/tenants.js';
import { deadLetterDelivery } from '../../store/webhook-dead-letters.js';
import {
  findUndispatchedDeliveries,
  forgetDelivery,
  markDeliveriesDispatched,
  markDeliveryDispatched,
  recordDeliveries,
  recordDelivery,
  type WebhookDelivery,
} from '../../store/webhook-deliveries.js';
import type { OwnInventoryWrites, OwnProductCreations } from './bigcommerce.js';
import { operationLimit } from '../../store/operation-limit.js';
import { recordProcessorEvent } from '../../store/processor-events.js';
import { defaultStoreDeadlineMs } from './delivery-acceptance.js';
import { intakeDatabaseTimeoutMs } from './webhook-intake.js';
import type {
  ProcessorEventLog,
  StorefrontEvent,
  UndispatchedDeliveries,
  WebhookDeadLetters,
  WebhookDeliveryLog,
  WebhookSecretSource,
  WebhookSender,
} from './ports.js';

export interface WebhookSecretCacheOptions {
  /**
   * How long a tenant's secrets are reused: a tenant disabled (or a secret withdrawn) is still
   * accepted for up to this long on each API instance. 30 s by default.
   */
  ttlMs?: number;
  /** How long "unknown, disabled, other storefront or no secrets" is reused. 5 s by default. */
  absentTtlMs?: number;
  /** Tenants and storefronts remembered at most; the least recently asked go first. 10,000 by default. */
  maxEntries?: number;
  now?: () => number;
}

/**
 * An entry is `read` when fetched for a request, `served` once a later request used it from the
 * cache, and `reread` when fetched again because secrets served from the cache did not verify.
 */
interface CachedSecrets {
  secrets: string[] | undefined;
  readAt: number;
  use: 'read' | 'served' | 'reread';
}

/**
 * Keeps a source's answers for a short while: every webhook needs its tenant's secrets, and
 * while the database is slow (FerretDB's SQLite backend waits out a busy lock for seconds)
 * two reads per delivery are what makes the storefront's 5 s delivery timeout run out.
 *
 * A delivery that does not verify against cached secrets asks for `fresh` ones, read once more
 * past the cache, so a secret rotated or a tenant re-enabled a moment ago is accepted at once.
 * Only an answer served from the cache is read again, and an answer read again is not read a
 * third time before it expires: forged deliveries cost at most two reads per tenant and expiry.
 * Concurrent requests for the same tenant share one read, and a read that outlives the request
 * that started it still fills the cache for the storefront's retry.
 */
export function cachedWebhookSecrets(source: WebhookSecretSource, options: WebhookSecretCacheOptions = {}): WebhookSecretSource {
  const ttlMs = options.ttlMs ?? 30_000;
  const absentTtlMs = options.absentTtlMs ?? 5_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, CachedSecrets>();
  const reads = new Map<string, Promise<string[] | undefined>>();

  const remember = (key: string, entry: CachedSecrets) => {
    // Maps iterate in insertion order: re-inserting on use keeps the least recently asked first.
    entries.delete(key);
    entries.set(key, entry);
    for (const oldest of entries.keys()) {
      if (entries.size <= maxEntries) break;
      entries.delete(oldest);
    }
  };

  const read = (key: string, tenantId: string, storefront: WebhookSender, use: CachedSecrets['use']) => {
    const pending = reads.get(key);
    if (pending !== undefined) return pending;
    const readAt = now();
    const reading = source.webhookSecrets(tenantId, storefront).then((secrets) => {
      remember(key, { secrets, readAt, use });
      return secrets;
    });
    reads.set(key, reading);
    const forget = () => reads.delete(key);
    reading.then(forget, forget);
    return reading;
  };

  return {
    webhookSecrets(tenantId, storefront, request) {
      const key = `${storefront}:${tenantId}`;
      const entry = entries.get(key);
      const live = entry !== undefined && now() - entry.readAt < (entry.secrets?.length ? ttlMs : absentTtlMs);
      if (!live) return read(key, tenantId, storefront, 'read');
      if (request?.fresh === true && entry.use === 'served') return read(key, tenantId, storefront, 'reread');
      remember(key, { ...entry, use: entry.use === 'read' && request?.fresh !== true ? 'served' : entry.use });
      return Promise.resolve(entry.secrets);
    },
  };
}

/**
 * Every database operation of these adapters carries a limit (see `store/operation-limit.ts`):
 * the receivers stop waiting at their deadline, and the operation itself ends at most this long
 * after it started, rather than running on in the driver and on the server and holding a pooled
 * connection while deliveries queue for one. It is the receivers' whole deadline, not what is
 * left of one request's: a secrets read and a group-committed record are shared by every request
 * waiting for them, and outlive the request that started them (a read still fills the cache for
 * the storefront's retry).
 */
const limitMs = defaultStoreDeadlineMs;

/**
 * Webhook secrets from the tenant's sealed credentials, cached (see {@link cachedWebhookSecrets}).
 * A missing, disabled or other-storefront tenant answers undefined, like a tenant without secrets.
 */
export function storedWebhookSecrets(db: Db, cipher: CredentialCipher, cache: WebhookSecretCacheOptions = {}): WebhookSecretSource {
  return cachedWebhookSecrets(
    {
      async webhookSecrets(tenantId: string, storefront: WebhookSender) {
        const within = operationLimit(limitMs);
        const tenant = await findTenant(db, tenantId, within);
        if (!tenant || tenant.status !== 'active' || tenant.storefront !== storefront) return undefined;
        const webhook = await loadCredentials(db, cipher, tenantId, 'webhook', within);
        return webhook?.secrets.map((entry) => entry.secret);
      },
    },
    cache,
  );
}

/**
 * The keys BigCommerce signs its webhooks with: the client secret of the tenant's stored
 * BigCommerce credentials (decrypted here and nowhere else on the receiving side), cached as
 * the webhook secrets are. Clarity tenants, and BigCommerce tenants without stored credentials,
 * answer undefined.
 */
export function storedWebhookSigningSecrets(db: Db, cipher: CredentialCipher, cache: WebhookSecretCacheOptions = {}): WebhookSecretSource {
  return cachedWebhookSecrets(
    {
      async webhookSecrets(tenantId: string, storefront: WebhookSender) {
        if (storefront !== 'bigcommerce') return undefined;
        const within = operationLimit(limitMs);
        const tenant = await findTenant(db, tenantId, within);
        if (!tenant || tenant.status !== 'active' || tenant.storefront !== storefront) return undefined;
        const credentials = await loadCredentials(db, cipher, tenantId, 'bigcommerce', within);
        return credentials === undefined ? undefined : [credentials.clientSecret];
      },
    },
    cache,
  );
}

/**
 * Deliveries recorded in MongoDB under a unique id, `received` and then `dispatched`: the second
 * copy of a webhook is recognised, and one whose first attempt never reached the dispatcher is not
 * taken for a duplicate.
 */
export function storedWebhookDeliveries(db: Db): WebhookDeliveryLog {
  return {
    recordDelivery: (event: StorefrontEvent, receivedAt: Date) => recordDelivery(db, event, receivedAt, operationLimit(limitMs)),
    markDispatched: (event: StorefrontEvent) => markDeliveryDispatched(db, event, new Date(), operationLimit(limitMs)),
    releaseDelivery: (event: StorefrontEvent) => forgetDelivery(db, event, operationLimit(limitMs)),
  };
}

/**
 * {@link storedWebhookDeliveries} with records written by group commit: a delivery arriving while
 * a write is under way waits for it and goes in the next one, with every other delivery that
 * arrived meanwhile (at most `maxBatch`). Alone, a delivery is written at once; in a burst,
 * FerretDB's single SQLite writer takes one transaction per batch, not one per delivery, and
 * concurrent writers no longer queue behind its busy lock. The deferred intake's API uses it.
 */
export function batchedWebhookDeliveries(db: Db, options: { maxBatch?: number } = {}): WebhookDeliveryLog {
  const maxBatch = options.maxBatch ?? 200;
  type Waiting = {
    event: StorefrontEvent;
    receivedAt: Date;
    settle: (earlier: Awaited<ReturnType<WebhookDeliveryLog['recordDelivery']>>) => void;
    fail: (error: unknown) => void;
  };
  const waiting: Waiting[] = [];
  let writing = false;
  const write = async (): Promise<void> => {
    writing = true;
    while (waiting.length > 0) {
      const batch = waiting.splice(0, maxBatch);
      try {
        const answers = await recordDeliveries(
          db,
          batch.map(({ event, receivedAt }) => ({ delivery: event, receivedAt })),
          operationLimit(limitMs),
        );
        batch.forEach((entry, index) => entry.settle(answers[index]));
      } catch (error) {
        for (const entry of batch) entry.fail(error);
      }
    }
    writing = false;
  };
  return {
    ...storedWebhookDeliveries(db),
    recordDelivery: (event, receivedAt) =>
      new Promise((settle, fail) => {
        waiting.push({ event, receivedAt, settle, fail });
        if (!writing) void write();
      }),
  };
}

/** A recorded delivery as the event it was recorded from. */
function eventOf(delivery: WebhookDelivery): StorefrontEvent {
  return {
    tenantId: delivery.tenantId,
    storefront: delivery.storefront as StorefrontEvent['storefront'],
    topic: delivery.topic,
    entity: delivery.entity as StorefrontEvent['entity'],
    entityId: delivery.entityId,
    ...(delivery.orderId !== undefined && { orderId: delivery.orderId }),
    deliveryId: delivery.deliveryId,
    occurredAt: delivery.occurredAt,
  };
}

/**
 * The delivery log as the deferred intake and its recovery sweep read and mark it, each
 * operation limited to the intake's own wait (`intakeLimitMs`, its `databaseTimeoutMs`). A batch
 * of 100 marks is 100 updates, each with a limit of its own: together they take seconds on a
 * busy FerretDB, and a limit on the batch would end it half-way, leaving the rest to the sweep.
 */
export function storedUndispatchedDeliveries(db: Db, intakeLimitMs = intakeDatabaseTimeoutMs): UndispatchedDeliveries {
  return {
    findUndispatched: async (receivedBefore, limit) =>
      (await findUndispatchedDeliveries(db, receivedBefore, limit, operationLimit(intakeLimitMs))).map(eventOf),
    markDispatched: (events) => markDeliveriesDispatched(db, events, new Date(), () => operationLimit(intakeLimitMs)),
  };
}

/** Refused deliveries kept in MongoDB under the delivery log's key, for the admin API to list and replay. */
export function storedWebhookDeadLetters(db: Db): WebhookDeadLetters {
  return {
    deadLetter: (event, reason) => deadLetterDelivery(db, event, reason),
  };
}

/**
 * Inventory webhooks caused by the product's own stock pushes: the push (in the worker)
 * records what it wrote; the receiver (in the API) asks here. Two minutes covers
 * BigCommerce's delivery delay.
 */
export function storedOwnInventoryWrites(db: Db, windowMs = ownInventoryWriteWindowMs): OwnInventoryWrites {
  return {
    isOwnWrite: (tenantId, change) => wasWrittenByUs(db, tenantId, change, windowMs, new Date(), operationLimit(limitMs)),
  };
}

/** How long a product create without an answer is taken as in flight: a create is answered within seconds. */
export const ownProductCreationPendingMs = 30_000;

/**
 * Product-creation webhooks caused by CatalogSync's own creates: the worker records each create
 * before sending it and the product id once answered; the receiver asks here. A webhook that
 * overtook the answer finds the create in flight and waits for its id, at most `atMostMs`.
 */
export function storedOwnProductCreations(db: Db, options: { pendingMs?: number; pollMs?: number } = {}): OwnProductCreations {
  const pendingMs = options.pendingMs ?? ownProductCreationPendingMs;
  const pollMs = options.pollMs ?? 50;
  return {
    async isOwnCreation(tenantId, productId, atMostMs) {
      const until = Date.now() + atMostMs;
      for (;;) {
        const known = await productCreationOf(db, tenantId, productId, pendingMs);
        if (known !== 'pending' || Date.now() + pollMs > until) return known === 'own';
        await setTimeout(pollMs);
      }
    },
  };
}

/**
 * The signing secret of each tenant's Stripe webhook endpoint, from its sealed `stripe`
 * credentials, cached as the storefront secrets are. Asked for anything but `stripe`, or for a
 * missing or disabled tenant or one without a signing secret, it answers undefined.
 */
export function storedStripeSigningSecrets(db: Db, cipher: CredentialCipher, cache: WebhookSecretCacheOptions = {}): WebhookSecretSource {
  return cachedWebhookSecrets(
    {
      async webhookSecrets(tenantId: string, sender: WebhookSender) {
        if (sender !== 'stripe') return undefined;
        const within = operationLimit(limitMs);
        const tenant = await findTenant(db, tenantId, within);
        if (!tenant || tenant.status !== 'active') return undefined;
        const secret = (await loadCredentials(db, cipher, tenantId, 'stripe', within))?.webhookSigningSecret;
        return secret === undefined ? undefined : [secret];
      },
    },
    cache,
  );
}

/** Processor events recorded in MongoDB under their unique event id. */
export function storedProcessorEvents(db: Db): ProcessorEventLog {
  return { record: (event, receivedAt) => recordProcessorEvent(db, event, receivedAt, operationLimit(limitMs)) };
}
