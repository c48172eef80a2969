import type { Db } from 'mongodb';
import { z } from 'zod';
import { storedIntacctBudget } from '../../observability/intacct-usage-meter.js';
import { intacctUsageMonth, listIntacctBudgetCrossings, readIntacctUsage } from '../../store/intacct-usage.js';
import { tenantParams, visibleTenant, type AdminDependencies } from './context.js';
import type { DocumentedRouter } from './documented-router.js';

const usageView = z.object({
  /** `YYYY-MM`, UTC. */
  month: z.string(),
  transactions: z.number().int(),
  byFunction: z.record(z.string(), z.number().int()),
  budget: z.object({
    monthlyTransactions: z.number().int().optional(),
    alertAtPercent: z.array(z.number().int()),
    deferNonUrgentAtPercent: z.number().int().optional(),
  }),
  /** Share of the budget spent, in percent (one decimal); absent without a budget. */
  percentUsed: z.number().optional(),
  crossings: z.array(
    z.object({ thresholdPercent: z.number().int(), transactions: z.number().int(), budget: z.number().int(), crossedAt: z.string() }),
  ),
});

export function registerIntacctUsageRoutes(router: DocumentedRouter, deps: AdminDependencies): void {
  router.add({
    method: 'get',
    path: '/tenants/:tenantId/intacct-usage',
    summary:
      "The Intacct API transactions the tenant's processes sent in a month (UTC; default this one), by function, against its budget, with the thresholds crossed",
    tag: 'tenants',
    role: 'viewer',
    params: tenantParams,
    query: z.object({
      month: z
        .string()
        .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month must be YYYY-MM')
        .optional(),
    }),
    response: usageView,
    handler: async ({ params, query, principal }) => {
      const tenant = await visibleTenant(deps.db, principal, params.tenantId);
      return intacctUsageOfMonth(deps.db, tenant._id, query.month ?? intacctUsageMonth(new Date()));
    },
  });
}

/** A tenant's Intacct transactions in a month against its budget: what the admin API and the console's overview show. */
export async function intacctUsageOfMonth(db: Db, tenantId: string, month: string): Promise<z.infer<typeof usageView>> {
  const [usage, budget, crossings] = await Promise.all([
    readIntacctUsage(db, tenantId, month),
    storedIntacctBudget(db, tenantId),
    listIntacctBudgetCrossings(db, tenantId, month),
  ]);
  const transactions = usage?.transactions ?? 0;
  return {
    month,
    transactions,
    byFunction: usage?.byFunction ?? {},
    budget,
    ...(budget.monthlyTransactions !== undefined && {
      percentUsed: Math.round((transactions * 1000) / budget.monthlyTransactions) / 10,
    }),
    crossings: crossings.map((crossing) => ({
      thresholdPercent: crossing.thresholdPercent,
      transactions: crossing.transactions,
      budget: crossing.budget,
      crossedAt: crossing.crossedAt.toISOString(),
    })),
  };
}
