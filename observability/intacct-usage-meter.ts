import type { Db } from 'mongodb';
import type { Counter } from 'prom-client';
import type { Logger } from '../config/logger.js';
import type { IntacctTransactionCounter } from '../connectors/intacct/index.js';
import {
  addIntacctTransactions,
  intacctUsageMonth,
  recordIntacctBudgetCrossing,
  type IntacctBudgetCrossing,
} from '../store/intacct-usage.js';
import { intacctBudgetSchema, type IntacctBudgetSettings } from '../store/schemas/settings-intacct-budget.js';
import { readSettings } from '../store/settings.js';

/** Listener of budget threshold crossings: called once per tenant, month and threshold across every process. */
export type IntacctBudgetCrossingListener = (crossing: IntacctBudgetCrossing) => void | Promise<void>;

export interface IntacctUsageMeterOptions {
  db: Db;
  /** The process's series of transactions by tenant and function (the worker's registry). */
  transactions?: Counter<'tenant' | 'function'>;
  /** The process's series of crossings it recorded. */
  crossings?: Counter<'tenant' | 'threshold'>;
  /**
   * Told of each crossing this process recorded, after it is stored in `intacct_budget_crossings`
   * (which stays the durable record: a listener that fails, or a process that dies before it
   * is called, loses nothing that a reader of the collection would not find).
   */
  onThresholdCrossed?: IntacctBudgetCrossingListener;
  /** A tenant's budget settings; by default read from its stored settings at each flush. */
  budgetOf?: (tenantId: string) => Promise<IntacctBudgetSettings>;
  /** How often counts are added to MongoDB (default 5 s); `flush` adds them at once. */
  flushEveryMs?: number;
  logger?: Logger;
  now?: () => Date;
}

/** The thresholds of a budget that `transactions` has reached, in ascending order. */
export function reachedThresholds(budget: IntacctBudgetSettings, transactions: number): number[] {
  const allowance = budget.monthlyTransactions;
  if (allowance === undefined) return [];
  return [...budget.alertAtPercent].sort((a, b) => a - b).filter((percent) => transactions * 100 >= allowance * percent);
}

/** A tenant's budget settings as stored (settings written before budgets existed have none: the defaults). */
export async function storedIntacctBudget(db: Db, tenantId: string): Promise<IntacctBudgetSettings> {
  const stored = await readSettings(db, tenantId);
  const parsed = intacctBudgetSchema.safeParse((stored?.settings as { intacctBudget?: unknown } | undefined)?.intacctBudget ?? {});
  return parsed.success ? parsed.data : intacctBudgetSchema.parse({});
}

/**
 * The Intacct transaction counter of a process: every function the Intacct client sends is
 * counted in the process's metrics at once and added to the tenant's month in MongoDB in
 * batches (one write per tenant per flush, not one per request), so the month's count survives
 * restarts and is shared by every worker. After each addition the tenant's budget thresholds are
 * checked; each crossing is recorded once per tenant, month and threshold (a unique key), and
 * whoever recorded it tells `onThresholdCrossed`.
 *
 * A flush that fails keeps its counts for the next one; one whose write landed but whose answer
 * was lost counts them twice (the count errs high, never low). Counts still pending when a
 * process dies without `stop` are lost: at most `flushEveryMs` of them.
 */
export class IntacctUsageMeter implements IntacctTransactionCounter {
  /** Pending counts by tenant and month, then by function. */
  private pending = new Map<string, { tenantId: string; month: string; byFunction: Map<string, number> }>();
  /** Crossings known to be recorded, so a month past a threshold does not try to insert it at every flush. */
  private readonly knownCrossings = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private readonly now: () => Date;
  private readonly budgetOf: (tenantId: string) => Promise<IntacctBudgetSettings>;

  constructor(private readonly options: IntacctUsageMeterOptions) {
    this.now = options.now ?? (() => new Date());
    this.budgetOf = options.budgetOf ?? ((tenantId) => storedIntacctBudget(options.db, tenantId));
  }

  record(tenantId: string, functionNames: readonly string[]): void {
    // The month the request is sent in, not the one the flush happens in.
    const month = intacctUsageMonth(this.now());
    const key = `${tenantId}\u0000${month}`;
    const entry = this.pending.get(key) ?? { tenantId, month, byFunction: new Map<string, number>() };
    for (const name of functionNames) {
      entry.byFunction.set(name, (entry.byFunction.get(name) ?? 0) + 1);
      this.options.transactions?.inc({ tenant: tenantId, function: name });
    }
    this.pending.set(key, entry);
  }

  /** Adds every pending count to MongoDB and checks the thresholds; flushes never overlap. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.flushOnce());
    return this.flushing;
  }

  /** Flushes every `flushEveryMs` until {@link stop}. */
  start(): this {
    const everyMs = this.options.flushEveryMs ?? 5_000;
    const tick = () => {
      void this.flush().finally(() => {
        if (this.timer !== undefined) this.timer = setTimeout(tick, everyMs).unref();
      });
    };
    this.timer = setTimeout(tick, everyMs).unref();
    return this;
  }

  /** Stops the periodic flush and adds what is still pending. */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private async flushOnce(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    for (const [key, entry] of batch) {
      let budget: IntacctBudgetSettings;
      let transactions: number;
      try {
        budget = await this.budgetOf(entry.tenantId);
        transactions = await addIntacctTransactions(this.options.db, {
          tenantId: entry.tenantId,
          month: entry.month,
          byFunction: Object.fromEntries(entry.byFunction),
          budget: budget.monthlyTransactions,
          at: this.now(),
        });
      } catch (error) {
        this.keepForNextFlush(key, entry);
        this.options.logger?.warn(
          { err: error, tenantId: entry.tenantId },
          'Intacct transactions not added to the month yet; the next flush tries again',
        );
        continue;
      }
      // Counted now: a failure from here on must not put the counts back.
      await this.recordCrossings(entry.tenantId, entry.month, budget, transactions).catch((error: unknown) =>
        this.options.logger?.warn(
          { err: error, tenantId: entry.tenantId },
          'Intacct budget thresholds not checked; the next count of the tenant checks them again',
        ),
      );
    }
  }

  private async recordCrossings(tenantId: string, month: string, budget: IntacctBudgetSettings, transactions: number): Promise<void> {
    for (const thresholdPercent of reachedThresholds(budget, transactions)) {
      const crossingKey = `${tenantId}\u0000${month}\u0000${thresholdPercent}`;
      if (this.knownCrossings.has(crossingKey)) continue;
      const crossing = {
        tenantId,
        month,
        thresholdPercent,
        budget: budget.monthlyTransactions!,
        transactions,
        crossedAt: this.now(),
      };
      const recorded = await recordIntacctBudgetCrossing(this.options.db, crossing);
      this.knownCrossings.add(crossingKey);
      if (!recorded) continue;
      this.options.crossings?.inc({ tenant: tenantId, threshold: String(thresholdPercent) });
      this.options.logger?.warn(
        { tenantId, month, thresholdPercent, budget: crossing.budget, transactions },
        'Intacct transaction budget threshold crossed',
      );
      try {
        await this.options.onThresholdCrossed?.({ _id: `${tenantId}:${month}:${thresholdPercent}`, ...crossing });
      } catch (error) {
        this.options.logger?.warn({ err: error, tenantId, thresholdPercent }, 'budget crossing listener failed; the crossing is recorded');
      }
    }
  }

  private keepForNextFlush(key: string, entry: { tenantId: string; month: string; byFunction: Map<string, number> }): void {
    const current = this.pending.get(key);
    if (current === undefined) {
      this.pending.set(key, entry);
      return;
    }
    for (const [name, count] of entry.byFunction) current.byFunction.set(name, (current.byFunction.get(name) ?? 0) + count);
  }
}
