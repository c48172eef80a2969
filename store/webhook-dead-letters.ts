import type { Db } from 'mongodb';
import { retryOnDuplicateKey } from './duplicate-key.js';
import { findPage, type Page } from './pagination.js';
import { webhookDeliveryId, type WebhookDelivery } from './webhook-deliveries.js';

/** `dead` until an operator's replay is accepted by Temporal, then `replayed` (kept as the record of it). */
export type WebhookDeadLetterState = 'dead' | 'replayed';

/**
 * An authenticated, valid webhook delivery that Temporal refused as invalid (for example a
 * search attribute the namespace does not define). It was acknowledged, so the store stopped
 * sending it; it waits here, with Temporal's reason, for an operator to fix the cause and replay it.
 */
export interface WebhookDeadLetter extends Pick<
  WebhookDelivery,
  'tenantId' | 'storefront' | 'deliveryId' | 'topic' | 'entity' | 'entityId' | 'orderId' | 'occurredAt'
> {
  /** `{tenantId}:{storefront}:{deliveryId}`, the delivery log's key ({@link webhookDeliveryId}). */
  _id: string;
  /** Temporal's words for the last refusal. */
  reason: string;
  state: WebhookDeadLetterState;
  deadLetteredAt: Date;
  /** Replays tried so far, refused or not. */
  replays: number;
  lastReplayAt?: Date;
  replayedAt?: Date;
  /** What the accepted replay did (`signalled`, `ignored`). */
  replayOutcome?: string;
}

export type DeadLetteredEvent = Pick<
  WebhookDeadLetter,
  'tenantId' | 'storefront' | 'deliveryId' | 'topic' | 'entity' | 'entityId' | 'orderId' | 'occurredAt'
>;

const collectionName = 'webhook_dead_letters';

/** The id the admin API shows: the key without the tenant, which is in the path already. */
export const deadLetterIdOf = (letter: Pick<WebhookDeadLetter, 'storefront' | 'deliveryId'>): string =>
  `${letter.storefront}:${letter.deliveryId}`;

/** Temporal's reasons are short; anything longer is cut so one refusal cannot grow a document without bound. */
const maxReasonLength = 1_000;

export async function ensureWebhookDeadLetterIndexes(db: Db): Promise<void> {
  // MongoDB lists a tenant's letters from this; FerretDB's SQLite backend scans the (small) collection.
  await db.collection<WebhookDeadLetter>(collectionName).createIndex({ tenantId: 1, _id: 1 });
}

/**
 * Keeps a refused delivery as `dead` with the reason. Idempotent on the delivery: a copy refused
 * again updates the reason and leaves the first time and the replay count as they were.
 */
export async function deadLetterDelivery(db: Db, event: DeadLetteredEvent, reason: string, at = new Date()): Promise<void> {
  const { orderId, ...required } = event;
  await retryOnDuplicateKey(() =>
    db.collection<WebhookDeadLetter>(collectionName).updateOne(
      { _id: webhookDeliveryId(event) },
      {
        $set: { reason: reason.slice(0, maxReasonLength), state: 'dead' },
        $setOnInsert: { ...required, ...(orderId !== undefined && { orderId }), deadLetteredAt: at, replays: 0 },
      },
      { upsert: true },
    ),
  );
}

/** A tenant's dead letters in key order, a page at a time. */
export async function listWebhookDeadLetters(
  db: Db,
  tenantId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<WebhookDeadLetter>> {
  return findPage(db.collection<WebhookDeadLetter>(collectionName), { tenantId }, page);
}

/** One of the tenant's dead letters by the id the admin API shows, or null. */
export async function findWebhookDeadLetter(db: Db, tenantId: string, deadLetterId: string): Promise<WebhookDeadLetter | null> {
  return db.collection<WebhookDeadLetter>(collectionName).findOne({ _id: `${tenantId}:${deadLetterId}` });
}

/** Notes a replay: accepted (the letter becomes `replayed`) or refused again (the reason is Temporal's new one). */
export async function noteWebhookDeadLetterReplay(
  db: Db,
  letter: Pick<WebhookDeadLetter, '_id'>,
  result: { outcome: string } | { refused: string },
  at = new Date(),
): Promise<WebhookDeadLetter | null> {
  const changes =
    'outcome' in result
      ? { state: 'replayed' as const, replayedAt: at, replayOutcome: result.outcome, lastReplayAt: at }
      : { reason: result.refused.slice(0, maxReasonLength), lastReplayAt: at };
  return db
    .collection<WebhookDeadLetter>(collectionName)
    .findOneAndUpdate({ _id: letter._id }, { $set: changes, $inc: { replays: 1 } }, { returnDocument: 'after' });
}
