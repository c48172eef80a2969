import type { Db } from 'mongodb';
import { retryOnDuplicateKey } from './duplicate-key.js';
import type { OperationLimit } from './operation-limit.js';

/**
 * Payment processor webhook events (Stripe `payout.*`, `charge.dispute.*`) accepted by the API,
 * kept once per event id. Until PayoutReconcile exists this collection is where an accepted event
 * waits: `recorded` when accepted; whoever starts the workflow later marks it `dispatched`.
 * A summary of the event's object is kept, never the whole payload.
 */
export type ProcessorEventState = 'recorded' | 'dispatched';

/** What a payout or dispute event says about its object. */
export interface ProcessorEventSubject {
  kind: 'payout' | 'dispute';
  /** `po_…` or `dp_…`/`du_…`. */
  id: string;
  status: string;
  /** Minor units of `currency` (lower case, as Stripe writes it). */
  amount: number;
  currency: string;
  /** Payouts: when it reaches the bank (ISO 8601). */
  arrivalDate?: string;
  /** Disputes: the payment disputed. */
  chargeId?: string;
  paymentIntentId?: string;
}

export interface ProcessorEvent {
  tenantId: string;
  processor: 'stripe';
  /** The processor's event id (`evt_…`): the same event delivered again is a duplicate. */
  eventId: string;
  type: string;
  livemode: boolean;
  apiVersion?: string;
  /** When the processor says the event happened (ISO 8601). */
  occurredAt: string;
  subject: ProcessorEventSubject;
}

export interface ProcessorEventRecord extends ProcessorEvent {
  /** `{tenantId}:{processor}:{eventId}`. */
  _id: string;
  state: ProcessorEventState;
  receivedAt: Date;
  dispatchedAt?: Date;
}

const collectionName = 'processor_webhook_events';

/** An event's key: FerretDB answers `_id` filters from its primary key. */
export const processorEventId = (event: Pick<ProcessorEvent, 'tenantId' | 'processor' | 'eventId'>): string =>
  `${event.tenantId}:${event.processor}:${event.eventId}`;

export async function ensureProcessorEventIndexes(db: Db): Promise<void> {
  const collection = db.collection<ProcessorEventRecord>(collectionName);
  await collection.createIndex({ tenantId: 1, state: 1, receivedAt: 1 });
  await collection.createIndex({ tenantId: 1, 'subject.kind': 1, 'subject.id': 1 });
}

/**
 * Records the event unless it was recorded before, under its unique `_id`: of concurrent copies
 * exactly one is `recorded`, the others are `duplicate`.
 */
export async function recordProcessorEvent(
  db: Db,
  event: ProcessorEvent,
  receivedAt = new Date(),
  within?: OperationLimit,
): Promise<'recorded' | 'duplicate'> {
  const earlier = await retryOnDuplicateKey(() =>
    db
      .collection<ProcessorEventRecord>(collectionName)
      .findOneAndUpdate(
        { _id: processorEventId(event) },
        { $setOnInsert: { ...event, state: 'recorded', receivedAt } },
        { upsert: true, returnDocument: 'before', ...within },
      ),
  );
  return earlier === null ? 'recorded' : 'duplicate';
}

/** A tenant's events still waiting for their workflow, oldest first. */
export async function listRecordedProcessorEvents(db: Db, tenantId: string, limit = 100): Promise<ProcessorEventRecord[]> {
  return db
    .collection<ProcessorEventRecord>(collectionName)
    .find({ tenantId, state: 'recorded' })
    .sort({ receivedAt: 1 })
    .limit(limit)
    .toArray();
}

/** Every recorded event about one payout or dispute, oldest first. */
export async function findProcessorEventsAbout(
  db: Db,
  tenantId: string,
  subject: Pick<ProcessorEventSubject, 'kind' | 'id'>,
): Promise<ProcessorEventRecord[]> {
  return db
    .collection<ProcessorEventRecord>(collectionName)
    .find({ tenantId, 'subject.kind': subject.kind, 'subject.id': subject.id })
    .sort({ receivedAt: 1 })
    .toArray();
}

/** The event as recorded, or null when it never was. */
export async function findProcessorEvent(
  db: Db,
  event: Pick<ProcessorEvent, 'tenantId' | 'processor' | 'eventId'>,
): Promise<ProcessorEventRecord | null> {
  return db.collection<ProcessorEventRecord>(collectionName).findOne({ _id: processorEventId(event) });
}

/** Notes that the event's workflow has it. */
export async function markProcessorEventDispatched(
  db: Db,
  event: Pick<ProcessorEvent, 'tenantId' | 'processor' | 'eventId'>,
  at = new Date(),
) {
  await db
    .collection<ProcessorEventRecord>(collectionName)
    .updateOne({ _id: processorEventId(event) }, { $set: { state: 'dispatched', dispatchedAt: at } });
}

/** Every dispute event of a tenant that happened before `before` (ISO 8601), oldest first: what period reconciliation reads. */
export async function listDisputeEventsBefore(db: Db, tenantId: string, before: string): Promise<ProcessorEventRecord[]> {
  return db
    .collection<ProcessorEventRecord>(collectionName)
    .find({ tenantId, 'subject.kind': 'dispute', occurredAt: { $lt: before } })
    .sort({ occurredAt: 1, eventId: 1 })
    .toArray();
}
