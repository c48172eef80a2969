import type { Db } from 'mongodb';
import type { PayoutLineKind, PayoutVarianceNotice, ProcessorName } from '../workflows/payout-reconcile-contract.js';

/**
 * What PayoutReconcile did with one payout, written by its `recordPayoutOutcome` step and read
 * by period reconciliation (the payout register, the clearing roll-forward). One document per
 * tenant + processor + payout id; a later outcome of the same payout (a retry, an approval)
 * replaces the earlier one, so the register always shows where each payout stands now.
 */
export interface PayoutPosting {
  tenantId: string;
  processor: ProcessorName;
  payoutId: string;
  /** The storefront gateway whose close settings the payout posted with. */
  gateway: string;
  currency: string;
  /** The day the payout posts on (arrival or created date, per the gateway's settings), YYYY-MM-DD: its period. */
  postingDate: string;
  state: 'posted' | 'parked' | 'not_paid' | 'pending';
  /**
   * The payout's figures in minor units, summed per line kind: `gross` is the charges' gross,
   * the other kinds are the signed sums of their lines' net (refunds and chargebacks negative),
   * `fees` the processor fees taken (positive), `net` what reached the bank.
   */
  figures: { net: number; fees: number; byKind: Partial<Record<PayoutLineKind, number>> };
  /** The Intacct deposit of the matched receipts, and the journal entries for everything else. */
  depositKey?: string;
  journalKeys: string[];
  /** Set when the payout posted with its gateway's day (`dailySummary`): the day's reference, whose postings the keys above are. */
  dayReference?: string;
  variances: PayoutVarianceNotice[];
  variancesApproved: boolean;
  workflowId: string;
  /**
   * Set when the processor reported the payout failed after it posted: the journal entry that
   * moved its net back from the bank to the clearing account (PayoutFailureReversal), and the day.
   */
  reversal?: { journalKey: string; failedOn: string };
  updatedAt: Date;
}

const collectionName = 'payout_postings';

export async function ensurePayoutPostingIndexes(db: Db): Promise<void> {
  const collection = db.collection<PayoutPosting>(collectionName);
  await collection.createIndex({ tenantId: 1, processor: 1, payoutId: 1 }, { unique: true });
  await collection.createIndex({ tenantId: 1, postingDate: 1 });
}

/** Records (or replaces) a payout's outcome; a retried write leaves one document with the same content. */
export async function recordPayoutPosting(db: Db, posting: Omit<PayoutPosting, 'updatedAt'>): Promise<void> {
  const { tenantId, processor, payoutId } = posting;
  await db
    .collection<PayoutPosting>(collectionName)
    .replaceOne({ tenantId, processor, payoutId }, { ...posting, updatedAt: new Date() }, { upsert: true });
}

/** Notes the reversal of a posted payout that failed; a retried write sets the same. */
export async function recordPayoutReversal(
  db: Db,
  ref: { tenantId: string; processor: ProcessorName; payoutId: string },
  reversal: NonNullable<PayoutPosting['reversal']>,
): Promise<void> {
  const { tenantId, processor, payoutId } = ref;
  await db
    .collection<PayoutPosting>(collectionName)
    .updateOne({ tenantId, processor, payoutId }, { $set: { reversal, updatedAt: new Date() } });
}

export async function findPayoutPosting(
  db: Db,
  tenantId: string,
  processor: ProcessorName,
  payoutId: string,
): Promise<PayoutPosting | null> {
  return db.collection<PayoutPosting>(collectionName).findOne({ tenantId, processor, payoutId }, { projection: { _id: 0 } });
}

/** A tenant's payouts posting within [from, to] (YYYY-MM-DD, both inclusive), oldest first: one period's register. */
export async function listPayoutPostings(
  db: Db,
  tenantId: string,
  range: { from: string; to: string; gateway?: string | undefined },
): Promise<PayoutPosting[]> {
  return db
    .collection<PayoutPosting>(collectionName)
    .find(
      {
        tenantId,
        postingDate: { $gte: range.from, $lte: range.to },
        ...(range.gateway !== undefined && { gateway: range.gateway }),
      },
      { projection: { _id: 0 } },
    )
    .sort({ postingDate: 1, payoutId: 1 })
    .toArray();
}
