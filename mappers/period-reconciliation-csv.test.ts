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
