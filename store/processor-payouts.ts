import { createHash } from 'node:crypto';
import type { Db, ObjectId } from 'mongodb';
import type { ProcessorName, ProcessorPayout } from '../workflows/payout-reconcile-contract.js';
import { isDuplicateKeyError } from './duplicate-key.js';
import { findPage, type Page } from './pagination.js';

/**
 * Processor payouts as received (a settlement file today, the Stripe connector later), one per
 * tenant + processor + payout id under a unique index: a payout is stored once, and what is
 * stored is what PayoutReconcile posts. A repeated import of the same content changes nothing;
 * different content for a stored payout is refused, never written over.
 */
export interface ProcessorPayoutDocument {
  _id?: ObjectId;
  tenantId: string;
  processor: ProcessorName;
  payoutId: string;
  payout: ProcessorPayout;
  /** SHA-256 of the payout's canonical JSON: how a repeated import is told from a changed one. */
  contentHash: string;
  /** Where it came from: the template or mapping name, and the API key that imported it. */
  source: { layout: string; importedBy: string };
  importedAt: Date;
}

const collectionName = 'processor_payouts';

export async function ensureProcessorPayoutIndexes(db: Db): Promise<void> {
  await db.collection<ProcessorPayoutDocument>(collectionName).createIndex({ tenantId: 1, processor: 1, payoutId: 1 }, { unique: true });
}

/** The payout's content fingerprint: JSON with keys sorted at every depth, hashed. */
export function payoutContentHash(payout: ProcessorPayout): string {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : typeof value === 'object' && value !== null
        ? Object.fromEntries(
            Object.entries(value)
              .filter(([, entry]) => entry !== undefined)
              .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
              .map(([key, entry]) => [key, canonical(entry)]),
          )
        : value;
  return createHash('sha256')
    .update(JSON.stringify(canonical(payout)))
    .digest('hex');
}

/**
 * What {@link storeProcessorPayout} did: stored it, found it already stored as is, moved the
 * stored payout to its new status (nothing else differed), or found other content under its key.
 */
export type StorePayoutOutcome =
  | { outcome: 'created' }
  | { outcome: 'unchanged' }
  | { outcome: 'statusChanged'; from: ProcessorPayout['status'] }
  | { outcome: 'conflict'; stored: ProcessorPayoutDocument };

/**
 * Where a payout may go from each status: a payout on its way (pending, in transit) arrives,
 * fails or is cancelled; one paid may still come back failed (the bank returned it, as Stripe
 * documents). Nothing returns to pending, and a failed or cancelled payout stays so.
 */
const laterStatuses: Readonly<Record<ProcessorPayout['status'], ReadonlySet<ProcessorPayout['status']>>> = {
  pending: new Set(['in_transit', 'paid', 'failed', 'canceled']),
  in_transit: new Set(['paid', 'failed', 'canceled']),
  paid: new Set(['failed']),
  failed: new Set(),
  canceled: new Set(),
};

/** True when `next` is `stored` with a later status and nothing else changed (the lines, the amount, the dates as stored). */
export function isStatusChangeOnly(stored: ProcessorPayoutDocument, next: ProcessorPayout): boolean {
  if (!laterStatuses[stored.payout.status].has(next.status)) return false;
  return payoutContentHash({ ...next, status: stored.payout.status }) === stored.contentHash;
}

/**
 * Stores a payout unless its key is taken. Two concurrent imports of one payout both end well:
 * the loser of the insert reads the winner's document and compares content. A payout stored
 * while on its way and read again once it arrived (Stripe's pending → paid) differs only in its
 * status: that is the processor's news, not a changed payout, so the stored status moves on
 * (see {@link isStatusChangeOnly}); any other difference (a line, the amount) is refused.
 */
export async function storeProcessorPayout(
  db: Db,
  tenantId: string,
  payout: ProcessorPayout,
  source: ProcessorPayoutDocument['source'],
): Promise<StorePayoutOutcome> {
  const collection = db.collection<ProcessorPayoutDocument>(collectionName);
  const contentHash = payoutContentHash(payout);
  const key = { tenantId, processor: payout.processor, payoutId: payout.payoutId };
  try {
    await collection.insertOne({ ...key, payout, contentHash, source, importedAt: new Date() });
    return { outcome: 'created' };
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
  const stored = await collection.findOne(key);
  if (!stored) throw new Error(`payout ${payout.processor}:${payout.payoutId} was refused as a duplicate but cannot be read back`);
  if (stored.contentHash === contentHash) return { outcome: 'unchanged' };
  if (!isStatusChangeOnly(stored, payout)) return { outcome: 'conflict', stored };
  // Conditional on the content read: of two concurrent status changes one wins, the other compares again.
  const moved = await collection.updateOne(
    { ...key, contentHash: stored.contentHash },
    { $set: { 'payout.status': payout.status, contentHash } },
  );
  if (moved.modifiedCount === 0) return storeProcessorPayout(db, tenantId, payout, source);
  return { outcome: 'statusChanged', from: stored.payout.status };
}

export async function findProcessorPayout(
  db: Db,
  tenantId: string,
  processor: ProcessorName,
  payoutId: string,
): Promise<ProcessorPayoutDocument | null> {
  return db.collection<ProcessorPayoutDocument>(collectionName).findOne({ tenantId, processor, payoutId });
}

/** A tenant's payouts in the order they were stored (keyset pagination), optionally of one processor. */
export async function listProcessorPayouts(
  db: Db,
  tenantId: string,
  filter: { processor?: ProcessorName | undefined },
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<ProcessorPayoutDocument>> {
  return findPage(
    db.collection<ProcessorPayoutDocument>(collectionName),
    { tenantId, ...(filter.processor !== undefined && { processor: filter.processor }) },
    page,
  );
}
