import { describe, expect, it } from 'vitest';
import { buildPeriodReconciliation } from '../decisions/period-reconciliation.js';
import { toPeriodReconciliationCsv } from './period-reconciliation-csv.js';

const report = buildPeriodReconciliation({
  tenantId: 'acme',
  period: '2026-11',
  timeZone: 'UTC',
  baseCurrency: 'USD',
  gateways: [{ gateway: 'stripe', clearingAccountNo: '1060' }],
  payments: [
    {
      paymentId: '=HYPERLINK("x")',
      orderId: '=HYPERLINK("x")',
      gateway: 'stripe',
      gatewayTransactionIds: ['pi_1'],
      amount: 1_234,
      currency: 'USD',
      state: 'synced',
      recordedOn: '2026-11-30',
    },
  ],
  payouts: [],
  clearingBalances: { '1060': 1_200 },
  orders: [],
  intacctDocuments: [],
  refunds: [],
  disputes: [],
  previousClosing: null,
  unpaidOut: { afterDays: 7, asOf: '2026-11-30' },
});

describe('toPeriodReconciliationCsv', () => {
  const lines = toPeriodReconciliationCsv(report).split('\r\n');

  it('when the report is written then the roll-forward reads line by line in major units', () => {
    expect(lines.filter((line) => line.startsWith('clearing roll-forward')).map((line) => line.split(',').slice(15, 17).join(' '))).toEqual(
      [
        'opening 0.00',
        'captured (+) 12.34',
        'refunded (-) 0.00',
        'fees (-) 0.00',
        'chargebacks (-) 0.00',
        'adjustments (+) 0.00',
        'paid out (-) 0.00',
        'closing (=) 12.34',
        'payments not yet paid out 12.34',
        'closing less payments not yet paid out 0.00',
      ],
    );
  });

  it('when a reference would run as a formula then it is written with a leading quote, and amounts stay numbers', () => {
    expect(lines).toContain(`"cut-off: sold, not paid out",stripe,USD,"'=HYPERLINK(""x"")",2026-11-30,,,,,,,,,,,pi_1,12.34,`);
    expect(lines.find((line) => line.startsWith('difference: intacctGl'))).toContain(',-0.34,');
  });
});

describe('toPeriodReconciliationCsv: opening source and payments in no payout', () => {
  const withExceptions = buildPeriodReconciliation({
    tenantId: 'acme',
    period: '2026-11',
    timeZone: 'UTC',
    baseCurrency: 'USD',
    gateways: [{ gateway: 'stripe', clearingAccountNo: '1060' }],
    payments: [
      {
        paymentId: '-17',
        orderId: '-17',
        gateway: 'stripe',
        gatewayTransactionIds: ['pi_17'],
        amount: 4_200,
        currency: 'USD',
        state: 'synced',
        recordedOn: '2026-11-02',
      },
    ],
    payouts: [],
    clearingBalances: { '1060': 5_000 },
    orders: [],
    intacctDocuments: [],
    refunds: [],
    disputes: [],
    previousClosing: { period: '2026-10', revision: 4, figuresHash: 'h', closings: [{ gateway: 'stripe', currency: 'USD', closing: 800 }] },
    unpaidOut: { afterDays: 7, asOf: '2026-11-30' },
  });
  const rows = toPeriodReconciliationCsv(withExceptions).split('\r\n');

  it('when the opening is the previous closing then its row says which report it came from', () => {
    expect(rows.find((line) => line.startsWith('clearing roll-forward') && line.includes(',opening,'))).toBe(
      'clearing roll-forward,stripe,USD,1060,2026-11-30,,,,,,,,,,,opening,8.00,the closing of 2026-10 (revision 4)',
    );
  });

  it('when a payment waits past the days then it has its own row, its order id guarded against formulas', () => {
    expect(rows.filter((line) => line.startsWith('paid but in no payout'))).toEqual([
      "paid but in no payout after 7 days,stripe,USD,'-17,2026-11-02,,,,,,,,,,,pi_17,42.00,28 days without a payout at 2026-11-30",
    ]);
    expect(rows.find((line) => line.startsWith('difference: payments'))).toContain(',paidNotPaidOut,');
  });
});
