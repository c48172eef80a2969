import { createHash } from 'node:crypto';
import { ObjectId, type Db, type Filter } from 'mongodb';
import type { AttentionItem } from './attention.js';
import type { IntacctBudgetCrossing } from './intacct-usage.js';
import { isDuplicateKeyError } from './duplicate-key.js';
import { findPage, type Page } from './pagination.js';
import type { AlertRule } from './schemas/settings.js';

/**
 * The alert outbox: what people are to be told, written in the same write path as the thing it
 * tells of (the attention queue's park), then sent by the worker's alert sender with retries.
 * Sending never runs inside a workflow or an order's activity, so a failing SMTP relay or
 * receiver can never fail or delay an order.
 */

/** Where one alert stands on one channel. */
export interface AlertDelivery {
  channelId: string;
  kind: 'email' | 'webhook';
  state: 'pending' | 'sent' | 'failed';
  attempts: number;
  nextAttemptAt: Date;
  /** The server's last answer: the SMTP reply, or the HTTP status and the start of the body. */
  lastAnswer?: string;
  sentAt?: Date;
}

export interface AlertDocument {
  _id: ObjectId;
  /** Item + code + reason hash + park episode: the same park repeated is this alert again, not a new one. */
  key: string;
  tenantId: string;
  rule: AlertRule;
  /** Which item: `order`/`refund`/`inventory` and its storefront id, or `tenant` and what of it. */
  subject: { entity: string; externalId: string };
  code: string;
  reason: string;
  fix: string;
  details?: Record<string, unknown>;
  workflowId?: string;
  raisedAt: Date;
  /** `pending` until every channel is `sent` (or one `failed`); `skipped` when nobody was to be told. */
  state: 'pending' | 'sent' | 'failed' | 'skipped';
  skippedBecause?: string;
  /** False until the sender has read the tenant's channels and planned the deliveries. */
  planned: boolean;
  deliveries: AlertDelivery[];
  /** When the sender should look at it next (the earliest pending delivery, or the digest's time). */
  nextAttemptAt: Date;
  /** A sender holds it until then; another process leaves it alone. */
  claimedUntil?: Date;
  updatedAt: Date;
}

/** What a rule raises: the hook other parts of the product call (the Intacct budget, payout variances, failing schedules). */
export interface AlertInput {
  tenantId: string;
  rule: AlertRule;
  subject: { entity: string; externalId: string };
  code: string;
  reason: string;
  fix: string;
  details?: Record<string, unknown>;
  workflowId?: string;
  /**
   * What makes a repeat a new alert although code and reason are the same: the attention item's
   * `since` (a new park after a resolution), a month and threshold for the budget. Absent: never.
   */
  episode?: string;
}

const collectionName = 'alert_outbox';

export async function ensureAlertOutboxIndexes(db: Db): Promise<void> {
  const collection = db.collection<AlertDocument>(collectionName);
  await collection.createIndex({ key: 1 }, { unique: true });
  await collection.createIndex({ state: 1, nextAttemptAt: 1 });
  await collection.createIndex({ tenantId: 1, state: 1 });
}

/** The suppression key: the same item, code and reason (hashed) in the same episode is one alert. */
export function alertKey(input: Pick<AlertInput, 'tenantId' | 'subject' | 'code' | 'reason' | 'episode'>): string {
  const reasonHash = createHash('sha256').update(input.reason).digest('hex').slice(0, 16);
  const { entity, externalId } = input.subject;
  return [input.tenantId, entity, externalId, input.code, reasonHash, input.episode ?? ''].map(encodeURIComponent).join('|');
}

/**
 * Puts an alert in the outbox unless the same one is there already (its key is unique), so a
 * retried activity, a re-park with the same reason or a second process raising it adds nothing.
 * True when this call added it.
 */
export async function raiseAlert(db: Db, input: AlertInput, now = new Date()): Promise<boolean> {
  const document: AlertDocument = {
    _id: new ObjectId(),
    key: alertKey(input),
    tenantId: input.tenantId,
    rule: input.rule,
    subject: input.subject,
    code: input.code,
    reason: input.reason,
    fix: input.fix,
    ...(input.details !== undefined && { details: input.details }),
    ...(input.workflowId !== undefined && { workflowId: input.workflowId }),
    raisedAt: now,
    state: 'pending',
    planned: false,
    deliveries: [],
    nextAttemptAt: now,
    updatedAt: now,
  };
  try {
    await db.collection<AlertDocument>(collectionName).insertOne(document);
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

/** The rule an attention item falls under: the storefront-webhook check's items, a payout's (or a payment no payout included), or a parked item. */
export function attentionRule(item: Pick<AttentionItem, 'entity' | 'code'>): AlertRule {
  if (item.entity === 'tenant' && item.code.startsWith('storefront_webhooks_')) return 'webhooks';
  if (item.entity === 'tenant' && (item.code.startsWith('payout_') || item.code === 'payment_not_paid_out')) return 'payout_variance';
  return 'parked';
}

/** The alert of an open attention item, keyed to its park episode (`since`). */
export async function raiseAttentionAlert(db: Db, item: AttentionItem): Promise<boolean> {
  return raiseAlert(db, {
    tenantId: item.tenantId,
    rule: attentionRule(item),
    subject: { entity: item.entity, externalId: item.externalId },
    code: item.code,
    reason: item.reason,
    fix: item.fix,
    ...(item.details !== undefined && { details: item.details }),
    ...(item.workflowId !== undefined && { workflowId: item.workflowId }),
    episode: item.since.toISOString(),
  });
}

/**
 * The alert of a monthly Intacct budget threshold crossed: once per tenant, month and threshold
 * (the crossing itself is recorded once across processes; the key makes a repeat add nothing).
 */
export async function raiseIntacctBudgetAlert(db: Db, crossing: IntacctBudgetCrossing): Promise<boolean> {
  const { tenantId, month, thresholdPercent, budget, transactions } = crossing;
  const spent = Math.round((transactions / budget) * 100);
  return raiseAlert(db, {
    tenantId,
    rule: 'intacct_budget',
    subject: { entity: 'tenant', externalId: 'intacct-budget' },
    code: `intacct_budget_${thresholdPercent}`,
    reason:
      `Intacct API transactions in ${month}: ${transactions.toLocaleString('en-US')} of a budget of ` +
      `${budget.toLocaleString('en-US')} (${spent} %), past the ${thresholdPercent} % threshold.`,
    fix:
      thresholdPercent >= 100
        ? 'Intacct bills the transactions above your allowance: raise the budget if the tier allows, or reduce inventory reconcile frequency (GET …/intacct-usage shows what spends them).'
        : 'Check what spends the transactions (GET …/intacct-usage) before the month runs out; raise the budget if the tier allows.',
    details: { month, thresholdPercent, budget, transactions },
    episode: `${month}:${thresholdPercent}`,
  });
}

/** Pending alerts due by `now` and not held by another sender, oldest first. */
export async function findDueAlerts(db: Db, now: Date, limit: number): Promise<AlertDocument[]> {
  return db
    .collection<AlertDocument>(collectionName)
    .find({ state: 'pending', nextAttemptAt: { $lte: now }, $or: [{ claimedUntil: { $exists: false } }, { claimedUntil: { $lte: now } }] })
    .sort({ nextAttemptAt: 1 })
    .limit(limit)
    .toArray();
}

/** The tenant's other pending, planned alerts of a rule: what a digest takes along. */
export async function findPendingAlerts(db: Db, tenantId: string, rule: AlertRule, now: Date): Promise<AlertDocument[]> {
  return db
    .collection<AlertDocument>(collectionName)
    .find({ tenantId, rule, state: 'pending', planned: true, $or: [{ claimedUntil: { $exists: false } }, { claimedUntil: { $lte: now } }] })
    .sort({ raisedAt: 1 })
    .limit(200)
    .toArray();
}

/** Holds a pending alert for this sender until `until`; null when another holds it or it is no longer pending. */
export async function claimAlert(db: Db, id: ObjectId, now: Date, until: Date): Promise<AlertDocument | null> {
  return db
    .collection<AlertDocument>(collectionName)
    .findOneAndUpdate(
      { _id: id, state: 'pending', $or: [{ claimedUntil: { $exists: false } }, { claimedUntil: { $lte: now } }] },
      { $set: { claimedUntil: until } },
      { returnDocument: 'after' },
    );
}

/** Writes what the sender did with a claimed alert and lets go of it. */
export async function saveAlertProgress(
  db: Db,
  alert: Pick<AlertDocument, '_id' | 'state' | 'planned' | 'deliveries' | 'nextAttemptAt' | 'skippedBecause'>,
  now = new Date(),
): Promise<void> {
  await db.collection<AlertDocument>(collectionName).updateOne(
    { _id: alert._id },
    {
      $set: {
        state: alert.state,
        planned: alert.planned,
        deliveries: alert.deliveries,
        nextAttemptAt: alert.nextAttemptAt,
        updatedAt: now,
        ...(alert.skippedBecause !== undefined && { skippedBecause: alert.skippedBecause }),
      },
      $unset: { claimedUntil: '' },
    },
  );
}

export async function listAlerts(
  db: Db,
  tenantId: string,
  filter: { state?: AlertDocument['state'] | undefined; rule?: AlertRule | undefined },
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<AlertDocument>> {
  const query: Filter<AlertDocument> = {
    tenantId,
    ...(filter.state && { state: filter.state }),
    ...(filter.rule && { rule: filter.rule }),
  };
  return findPage(db.collection<AlertDocument>(collectionName), query, page);
}

/** Sends a failed alert's failed channels again from the first attempt; null when it is not the tenant's failed alert. */
export async function retryFailedAlert(db: Db, tenantId: string, id: string, now = new Date()): Promise<AlertDocument | null> {
  if (!ObjectId.isValid(id)) return null;
  const collection = db.collection<AlertDocument>(collectionName);
  const alert = await collection.findOne({ _id: new ObjectId(id), tenantId, state: 'failed' });
  if (alert === null) return null;
  const deliveries = alert.deliveries.map((delivery) =>
    delivery.state === 'failed' ? { ...delivery, state: 'pending' as const, attempts: 0, nextAttemptAt: now } : delivery,
  );
  return collection.findOneAndUpdate(
    { _id: alert._id, state: 'failed' },
    { $set: { state: 'pending', deliveries, nextAttemptAt: now, updatedAt: now }, $unset: { claimedUntil: '' } },
    { returnDocument: 'after' },
  );
}
