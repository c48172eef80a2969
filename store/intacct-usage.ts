import type { Db } from 'mongodb';
import { isDuplicateKeyError } from './duplicate-key.js';

/**
 * The Intacct API transactions one process sent for a tenant in one calendar month: its running
 * tally, which only that process writes, with absolute values. The month's count is the sum of
 * every process's tally. Intacct bills the transactions above the tier's monthly allowance, so the
 * count must survive restarts and be shared by all workers; one writer per document makes it exact
 * on servers without atomic `$inc` under concurrency (FerretDB loses concurrent increments), and a
 * write retried after a lost answer sets the same value again instead of counting twice.
 */
export interface IntacctUsageTally {
  /** `{tenantId}:{month}:{process}`. */
  _id: string;
  tenantId: string;
  /** `YYYY-MM`, in UTC (see {@link intacctUsageMonth}). */
  month: string;
  /** The writing process's id (random per process start). */
  process: string;
  transactions: number;
  /** Transactions by Intacct function name (`create_sotransaction`, `readByQuery`, …). */
  byFunction: Record<string, number>;
  /** The tenant's monthly budget when the tally was last written; absent when it has none. */
  budget?: number;
  updatedAt: Date;
}

/** A tenant's month: every process's tally added up. */
export interface IntacctUsageMonth {
  tenantId: string;
  month: string;
  transactions: number;
  byFunction: Record<string, number>;
  /** The budget the latest tally was written under; absent when the tenant has none. */
  budget?: number;
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
  await db.collection<IntacctUsageTally>(usageCollection).createIndex({ month: 1, tenantId: 1 });
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

/** Writes a process's tally of a tenant's month (absolute values; only that process writes it). */
export async function saveIntacctUsageTally(db: Db, tally: Omit<IntacctUsageTally, '_id'>): Promise<void> {
  const byFunction: Record<string, number> = {};
  for (const [name, count] of Object.entries(tally.byFunction)) {
    // Intacct function names are identifiers; anything else is kept under one key rather than as a field path.
    const key = /^[A-Za-z0-9_]{1,64}$/.test(name) ? name : 'other';
    byFunction[key] = (byFunction[key] ?? 0) + count;
  }
  const { budget, ...rest } = tally;
  await db
    .collection<IntacctUsageTally>(usageCollection)
    .replaceOne(
      { _id: `${tally.tenantId}:${tally.month}:${tally.process}` },
      { ...rest, byFunction, ...(budget !== undefined && { budget }) },
      { upsert: true },
    );
}

function addUp(tallies: readonly IntacctUsageTally[]): IntacctUsageMonth[] {
  const months = new Map<string, IntacctUsageMonth & { budgetAt: number }>();
  for (const tally of tallies) {
    const key = `${tally.tenantId}\u0000${tally.month}`;
    const month = months.get(key) ?? { tenantId: tally.tenantId, month: tally.month, transactions: 0, byFunction: {}, budgetAt: -1 };
    month.transactions += tally.transactions;
    for (const [name, count] of Object.entries(tally.byFunction)) month.byFunction[name] = (month.byFunction[name] ?? 0) + count;
    if (tally.updatedAt.getTime() > month.budgetAt) {
      month.budgetAt = tally.updatedAt.getTime();
      if (tally.budget === undefined) delete month.budget;
      else month.budget = tally.budget;
    }
    months.set(key, month);
  }
  return [...months.values()].map(({ budgetAt: _budgetAt, ...month }) => month);
}

/** A tenant's usage of one month; undefined when nothing was sent that month. */
export async function readIntacctUsage(db: Db, tenantId: string, month: string): Promise<IntacctUsageMonth | undefined> {
  return addUp(await db.collection<IntacctUsageTally>(usageCollection).find({ tenantId, month }).toArray())[0];
}

/** Every tenant's usage of one month, by tenant id. */
export async function listIntacctUsageOfMonth(db: Db, month: string): Promise<IntacctUsageMonth[]> {
  const months = addUp(await db.collection<IntacctUsageTally>(usageCollection).find({ month }).toArray());
  return months.sort((a, b) => a.tenantId.localeCompare(b.tenantId));
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
