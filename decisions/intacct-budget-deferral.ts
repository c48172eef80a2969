import type { IntacctBudgetSettings } from '../store/schemas/settings-intacct-budget.js';

/**
 * Whether non-urgent work (an inventory reconcile, a catalog sync) waits because the month has
 * spent the share of the Intacct budget the tenant set as its soft limit (pure). Orders, refunds
 * and payouts never wait on it: they are money, and deferring them would cost more than
 * Intacct's overage. Undefined means go on; otherwise why not, with the figures.
 */
export function budgetDeferral(budget: IntacctBudgetSettings, usage: { month: string; transactions: number }): string | undefined {
  const { monthlyTransactions, deferNonUrgentAtPercent } = budget;
  if (monthlyTransactions === undefined || deferNonUrgentAtPercent === undefined) return undefined;
  const limit = Math.floor((monthlyTransactions * deferNonUrgentAtPercent) / 100);
  if (usage.transactions < limit) return undefined;
  return (
    `deferred: ${usage.transactions} Intacct transactions spent in ${usage.month}, at or past the soft limit of ` +
    `${limit} (${deferNonUrgentAtPercent} % of the budget of ${monthlyTransactions}); ` +
    'raise intacctBudget.deferNonUrgentAtPercent or the budget to run it this month'
  );
}
