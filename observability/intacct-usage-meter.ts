import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import type { Counter } from 'prom-client';
import type { Logger } from '../config/logger.js';
import type { IntacctTransactionCounter } from '../connectors/intacct/index.js';
import {
  intacctUsageMonth,
  readIntacctUsage,
  recordIntacctBudgetCrossing,
  saveIntacctUsageTally,
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

/** What this process sent for a tenant in a month, and whether MongoDB has it yet. */
interface Tally {
  tenantId: string;
  month: string;
  transactions: number;
  byFunction: Map<string, number>;
  /** Counted since the last write that landed. */
  dirty: boolean;
}

/**
 * The Intacct transaction counter of a process: every function the Intacct client sends is
 * counted in the process's metrics at once and written to the tenant's month in MongoDB in
 * batches (the process's own tally, one write per tenant per flush, not one per request), so the
 * month's count survives restarts and is shared by every worker. After each write the tenant's
 * month is added up over every process and its budget thresholds are checked; each crossing is
 * recorded once per tenant, month and threshold (a unique key), and whoever recorded it tells
 * `onThresholdCrossed`.
 *
 * A failed write is tried again at the next flush with the tally as it is then (absolute values,
 * so nothing is counted twice). Counts not yet written when a process dies without `stop` are
 * lost: at most `flushEveryMs` of them.
 */
export class IntacctUsageMeter implements IntacctTransactionCounter {
  /** This process's tallies by tenant and month. */
  private readonly tallies = new Map<string, Tally>();
  /** Crossings known to be recorded, so a month past a threshold does not try to insert it at every flush. */
  private readonly knownCrossings = new Set<string>();
  /** Tallies of this process start are its own documents: nobody else writes them. */
  private readonly process = randomUUID();
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
    const tally = this.tallies.get(key) ?? { tenantId, month, transactions: 0, byFunction: new Map<string, number>(), dirty: false };
    for (const name of functionNames) {
      tally.byFunction.set(name, (tally.byFunction.get(name) ?? 0) + 1);
      tally.transactions += 1;
      this.options.transactions?.inc({ tenant: tenantId, function: name });
    }
    tally.dirty = functionNames.length > 0 || tally.dirty;
    this.tallies.set(key, tally);
  }

  /** Writes every tally counted since its last write and checks the thresholds; flushes never overlap. */
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

  /** Stops the periodic flush and writes what is still unwritten. */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private async flushOnce(): Promise<void> {
    const currentMonth = intacctUsageMonth(this.now());
    for (const [key, tally] of this.tallies) {
      if (!tally.dirty) {
        // A month that is over and written needs no tally in memory any more.
        if (tally.month < currentMonth) this.tallies.delete(key);
        continue;
      }
      const { tenantId, month } = tally;
      let budget: IntacctBudgetSettings;
      try {
        budget = await this.budgetOf(tenantId);
        tally.dirty = false;
        await saveIntacctUsageTally(this.options.db, {
          tenantId,
          month,
          process: this.process,
          transactions: tally.transactions,
          byFunction: Object.fromEntries(tally.byFunction),
          ...(budget.monthlyTransactions !== undefined && { budget: budget.monthlyTransactions }),
          updatedAt: this.now(),
        });
      } catch (error) {
        tally.dirty = true;
        this.options.logger?.warn(
          { err: error, tenantId },
          'Intacct transactions not written to the month yet; the next flush tries again',
        );
        continue;
      }
      await this.recordCrossings(tenantId, month, budget).catch((error: unknown) =>
        this.options.logger?.warn(
          { err: error, tenantId },
          'Intacct budget thresholds not checked; the next count of the tenant checks them again',
        ),
      );
    }
  }

  private async recordCrossings(tenantId: string, month: string, budget: IntacctBudgetSettings): Promise<void> {
    if (budget.monthlyTransactions === undefined) return;
    const transactions = (await readIntacctUsage(this.options.db, tenantId, month))?.transactions ?? 0;
    for (const thresholdPercent of reachedThresholds(budget, transactions)) {
      const crossingKey = `${tenantId}\u0000${month}\u0000${thresholdPercent}`;
      if (this.knownCrossings.has(crossingKey)) continue;
      const crossing = {
        tenantId,
        month,
        thresholdPercent,
        budget: budget.monthlyTransactions,
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
}
