import type { PayoutLine } from '../../workflows/payout-reconcile-contract.js';
import type { PeriodPaymentRecord, PeriodPayoutRecord, PeriodReconciliationInput } from '../../decisions/period-reconciliation.js';
import { payout } from './payout-fixtures.js';

/**
 * Records the period reconciliation's table tests are built from: a stripe USD tenant whose
 * clearing account is 1060, the payments the product recorded and the payouts it posted.
 */

/** A payment recorded for order `paymentId`, paid by charge `pi_{paymentId}`. */
export const periodPayment = (
  paymentId: string,
  amount: number,
  recordedOn: string,
  extra: Partial<PeriodPaymentRecord> = {},
): PeriodPaymentRecord => ({
  paymentId,
  orderId: paymentId,
  gateway: 'stripe',
  gatewayTransactionIds: [`pi_${paymentId}`],
  amount,
  currency: 'USD',
  state: 'synced',
  recordedOn,
  ...extra,
});

/** A payout of `lines` (paying their net unless `amount` says otherwise) posted on `postingDate`, unless parked. */
export const periodPayout = (
  payoutId: string,
  postingDate: string,
  lines: PayoutLine[],
  options: { amount?: number; state?: 'posted' | 'parked'; variances?: string[] } = {},
): PeriodPayoutRecord => ({
  payout: payout(lines, {
    payoutId,
    createdDate: postingDate,
    arrivalDate: postingDate,
    ...(options.amount !== undefined && { amount: options.amount }),
  }),
  postingDate,
  posting: {
    state: options.state ?? 'posted',
    ...(options.state !== 'parked' && { depositKey: `DEP-${payoutId}` }),
    journalKeys: options.state === 'parked' ? [] : [`GJ-${payoutId}`],
    variances: options.variances ?? [],
  },
});

/** The reconciliation of `period` with nothing in it but what `overrides` adds. */
export const periodInput = (period: string, overrides: Partial<PeriodReconciliationInput>): PeriodReconciliationInput => ({
  tenantId: 'acme',
  period,
  timeZone: 'UTC',
  baseCurrency: 'USD',
  gateways: [{ gateway: 'stripe', clearingAccountNo: '1060' }],
  payments: [],
  payouts: [],
  clearingBalances: {},
  orders: [],
  intacctDocuments: [],
  refunds: [],
  disputes: [],
  previousClosing: null,
  unpaidOut: { afterDays: 7, asOf: `${period}-28` },
  ...overrides,
});
