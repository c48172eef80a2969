import type { Db } from 'mongodb';
import { isDuplicateKeyError, retryOnDuplicateKey } from './duplicate-key.js';

/**
 * The Intacct API transactions a tenant's processes sent in one calendar month, as every API
 * and worker process adds them: Intacct bills the transactions above the tier's monthly
 * allowance, so the count must survive restarts and be shared by all workers.
 */
export interface IntacctUsageMonth {
  /** `{tenantId}:{month}`. */
  _id: string;
  tenantId: string;
  /** `YYYY-MM`, in UTC (see {@link intacctUsageMonth}). */
  month: string;
  transactions: number;
  /** Transactions by Intacct function name (`create_sotransaction`, `readByQuery`, …). */
  byFunction: Record<string, number>;
  /** The tenant's monthly budget when the count was last added to; absent when it has none. */
  budget?: number;
  updatedAt: Date;
}

/**
 * A budget threshold a tenant's month crossed, recorded once per tenant, month and threshold
 * (the `_id` is unique), whichever process saw it first: what alerts about the budget are sent from.
 */
export interface IntacctBudgetCrossing {
  /** `{tenantId}:{month}:{thresholdPercent}`. */
  _id: string;
  tenantId: string;
  month: string;
  /** The threshold, in percent of the budget (80, 100, …). */
  thresholdPercent: number;
  budget: number;
  /** The month's transactions when the crossing was seen (at or above the threshold). */
  transactions: number;
  crossedAt: Date;
}

const usageCollection = 'intacct_usage';
const crossingCollection = 'intacct_budget_crossings';

export async function ensureIntacctUsageIndexes(db: Db): Promise<void> {
  await db.collection<IntacctUsageMonth>(usageCollection).createIndex({ month: 1, tenantId: 1 });
  await db.collection<IntacctBudgetCrossing>(crossingCollection).createIndex({ tenantId: 1, month: 1 });
}

/**
 * The billing month of an instant, `YYYY-MM` in UTC. Intacct counts per calendar month; UTC
 * keeps every process and tenant on one boundary, at the cost of a few hours' shift against a
 * company's local midnight.
 */
export function intacctUsageMonth(at: Date): string {
  return at.toISOString().slice(0, 7);
}

/**
 * Adds transactions to a tenant's month and answers the month's total after the addition.
 * Concurrent additions from several processes all land (`$inc`); each caller's total covers
 * its own addition, so exactly one caller sees any given total first.
 */
export async function addIntacctTransactions(
  db: Db,
  addition: { tenantId: string; month: string; byFunction: Readonly<Record<string, number>>; budget: number | undefined; at: Date },
): Promise<number> {
  const { tenantId, month, byFunction } = addition;
  const increments: Record<string, number> = { transactions: 0 };
  for (const [name, count] of Object.entries(byFunction)) {
    increments.transactions! += count;
    // Intacct function names are identifiers; anything else is kept under one key rather than as a path.
    const key = `byFunction.${/^[A-Za-z0-9_]{1,64}$/.test(name) ? name : 'other'}`;
    increments[key] = (increments[key] ?? 0) + count;
  }
  const updated = await retryOnDuplicateKey(() =>
    db.collection<IntacctUsageMonth>(usageCollection).findOneAndUpdate(
      { _id: `${tenantId}:${month}` },
      {
        $inc: increments,
        $set: { updatedAt: addition.at, ...(addition.budget !== undefined && { budget: addition.budget }) },
        ...(addition.budget === undefined && { $unset: { budget: '' } }),
        $setOnInsert: { tenantId, month },
      },
      { upsert: true, returnDocument: 'after' },
    ),
  );
  return updated?.transactions ?? increments.transactions!;
}

/** A tenant's usage of one month; undefined when nothing was sent that month. */
export async function readIntacctUsage(db: Db, tenantId: string, month: string): Promise<IntacctUsageMonth | undefined> {
  return (await db.collection<IntacctUsageMonth>(usageCollection).findOne({ _id: `${tenantId}:${month}` })) ?? undefined;
}

/** Every tenant's usage of one month. */
export async function listIntacctUsageOfMonth(db: Db, month: string): Promise<IntacctUsageMonth[]> {
  return db.collection<IntacctUsageMonth>(usageCollection).find({ month }).sort({ tenantId: 1 }).toArray();
}

/**
 * Records a crossing unless one of the same tenant, month and threshold is recorded already:
 * true for the one caller that recorded it.
 */
export async function recordIntacctBudgetCrossing(db: Db, crossing: Omit<IntacctBudgetCrossing, '_id'>): Promise<boolean> {
  try {
    await db.collection<IntacctBudgetCrossing>(crossingCollection).insertOne({
      _id: `${crossing.tenantId}:${crossing.month}:${crossing.thresholdPercent}`,
      ...crossing,
    });
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

/** A tenant's recorded crossings, of one month or of all, oldest first. */
export async function listIntacctBudgetCrossings(db: Db, tenantId: string, month?: string): Promise<IntacctBudgetCrossing[]> {
  return db
    .collection<IntacctBudgetCrossing>(crossingCollection)
    .find({ tenantId, ...(month !== undefined && { month }) })
    .sort({ month: 1, thresholdPercent: 1 })
    .toArray();
}
