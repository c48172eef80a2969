// Tenant settings, `intacctBudget`: the Intacct API transactions a month may spend.
// Part of the schema in ./settings.ts, which is the module to import settings from.
import { z } from 'zod';

const percent = (label: string) =>
  z
    .number({ error: `${label} must be a number` })
    .int(`${label} must be a whole percentage`)
    .min(1, `${label} must be at least 1`)
    .max(1000, `${label} must be at most 1000`);

/**
 * Intacct bills the API transactions above the tier's monthly allowance (every function in a
 * request is one). The product counts what it sends per tenant and calendar month (UTC),
 * whether or not a budget is set; with one, each threshold crossed is recorded once a month
 * for alerts (docs/observability.md "Intacct API budget").
 */
export const intacctBudgetSchema = z
  .strictObject({
    /** Transactions the month may spend: the tier's allowance, or less to keep a margin. Absent: no budget. */
    monthlyTransactions: z
      .number({ error: 'monthlyTransactions must be a number' })
      .int('monthlyTransactions must be a whole number')
      .positive('monthlyTransactions must be positive')
      .optional(),
    /** Percentages of the budget at which a crossing is recorded (and alerted), each once a month. */
    alertAtPercent: z
      .array(percent('alertAtPercent'), { error: 'alertAtPercent must be a list of percentages' })
      .max(10, 'alertAtPercent takes at most 10 thresholds')
      .refine((values) => new Set(values).size === values.length, 'alertAtPercent must not repeat a threshold')
      .default([80, 100]),
    /**
     * The soft limit: at this percentage of the budget, non-urgent work (inventory reconciles,
     * catalog syncs) is deferred until the month ends or the limit is raised; orders, refunds and
     * payouts go on. Absent: nothing is deferred. Needs `monthlyTransactions`.
     */
    deferNonUrgentAtPercent: percent('deferNonUrgentAtPercent').optional(),
  })
  .refine((budget) => budget.deferNonUrgentAtPercent === undefined || budget.monthlyTransactions !== undefined, {
    message: 'deferNonUrgentAtPercent needs monthlyTransactions: a soft limit is a share of the budget',
    path: ['deferNonUrgentAtPercent'],
  });

export type IntacctBudgetSettings = z.output<typeof intacctBudgetSchema>;
