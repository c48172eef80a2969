import { describe, expect, it } from 'vitest';
import { budgetDeferral } from './intacct-budget-deferral.js';

const month = '2026-12';

describe('budgetDeferral', () => {
  it.each([
    ['no budget', { alertAtPercent: [80] }, 1_000_000, undefined],
    ['a budget without a soft limit', { monthlyTransactions: 1000, alertAtPercent: [80] }, 5000, undefined],
    ['below the soft limit', { monthlyTransactions: 1000, deferNonUrgentAtPercent: 90, alertAtPercent: [80] }, 899, undefined],
    ['at the soft limit', { monthlyTransactions: 1000, deferNonUrgentAtPercent: 90, alertAtPercent: [80] }, 900, 'soft limit of 900'],
    [
      'past the budget itself',
      { monthlyTransactions: 1000, deferNonUrgentAtPercent: 100, alertAtPercent: [80] },
      1500,
      'soft limit of 1000',
    ],
    ['a soft limit above the budget', { monthlyTransactions: 1000, deferNonUrgentAtPercent: 120, alertAtPercent: [80] }, 1100, undefined],
    ['a limit that rounds down', { monthlyTransactions: 999, deferNonUrgentAtPercent: 50, alertAtPercent: [80] }, 499, 'soft limit of 499'],
  ])('%s', (_case, budget, transactions, expected) => {
    const deferral = budgetDeferral(budget, { month, transactions });
    if (expected === undefined) expect(deferral).toBeUndefined();
    else {
      expect(deferral).toContain(expected);
      expect(deferral).toContain(`${transactions} Intacct transactions spent in ${month}`);
    }
  });
});
