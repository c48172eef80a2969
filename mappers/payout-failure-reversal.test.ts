import { describe, expect, it } from 'vitest';
import type { GatewayCloseSettings } from '../store/schemas/settings.js';
import { PayoutCurrencyNotPostableError } from './payout-to-intacct.js';
import {
  payoutReversalReference,
  postedPayoutFailedCode,
  toIntacctPayoutFailureReversal,
  type PayoutFailureReversalInput,
} from './payout-failure-reversal.js';

const gateway: GatewayCloseSettings = {
  gateway: 'stripe',
  clearing: { kind: 'gatewayClearing', glAccountNo: '1060' },
  bankAccountId: 'BOA-CHK',
  glAccounts: { fees: '6100', refunds: '4950', chargebacks: '6110', disputeFees: '6120', reserves: '1070', adjustments: '6190' },
  journal: 'GJ',
  dimensions: { locationId: '100', departmentId: 'SALES' },
  postingMode: 'perPayout',
  postingDate: 'arrival',
};

const base: PayoutFailureReversalInput = {
  payoutId: 'po_1',
  currency: 'USD',
  postedNet: 14_535,
  postedOn: '2026-11-05',
  failedOn: '2026-11-07',
  failureCode: 'account_closed',
  gateway,
  bankGlAccountNo: '1000',
  baseCurrency: 'USD',
  exchangeRateType: 'Intacct Daily Rate',
};

describe('toIntacctPayoutFailureReversal', () => {
  it('when a posted USD payout fails, then one entry moves its net from the bank back to clearing, on the failure day, referenced apart from the payout', () => {
    const { journalEntry, attention } = toIntacctPayoutFailureReversal(base);
    expect(journalEntry).toEqual({
      journal: 'GJ',
      date: '2026-11-07',
      title: 'stripe payout po_1 failed (account_closed): reversed',
      referenceNumber: 'po_1-failed',
      lines: [
        {
          accountNumber: '1060',
          direction: 'debit',
          amount: '145.35',
          description: "stripe payout po_1 failed (account_closed): back in the processor's balance",
          locationId: '100',
          departmentId: 'SALES',
        },
        {
          accountNumber: '1000',
          direction: 'credit',
          amount: '145.35',
          description: 'stripe payout po_1 failed (account_closed): never reached the bank',
          locationId: '100',
          departmentId: 'SALES',
        },
      ],
    });
    expect(attention.code).toBe(postedPayoutFailedCode);
    expect(attention.reason).toBe(
      'stripe payout po_1 of USD 145.35 was posted on 2026-11-05 (deposit and journal entry), then failed (account_closed) on 2026-11-07: the bank never received it, so USD 145.35 moved back from bank GL 1000 to clearing 1060 on 2026-11-07',
    );
  });

  it.each([
    {
      case: 'the failure is reported before the day the payout posted (arrival date later)',
      input: { failedOn: '2026-11-03' },
      date: '2026-11-05',
    },
    { case: 'the failure is reported the day it posted', input: { failedOn: '2026-11-05' }, date: '2026-11-05' },
    { case: 'the failure comes the next month', input: { failedOn: '2026-12-01' }, date: '2026-12-01' },
  ])('when $case, then the reversal is dated $date', ({ input, date }) => {
    expect(toIntacctPayoutFailureReversal({ ...base, ...input }).journalEntry.date).toBe(date);
  });

  it.each([
    {
      case: 'an explicit rate',
      input: { postedExchangeRate: 1.0842 },
      rate: { rate: '1.0842', date: '2026-11-05' },
    },
    { case: 'the rate type', input: {}, rate: { rateType: 'Intacct Daily Rate', date: '2026-11-05' } },
  ])('when a EUR payout posted at $case fails, then it reverses at that same rate of the day it posted', ({ input, rate }) => {
    const { journalEntry } = toIntacctPayoutFailureReversal({ ...base, currency: 'EUR', ...input });
    for (const line of journalEntry.lines) expect(line).toMatchObject({ currency: 'EUR', exchangeRate: rate, amount: '145.35' });
  });

  it('when the processor gives no reason and the gateway no dimensions, then the entry says failed and carries none', () => {
    const { journalEntry } = toIntacctPayoutFailureReversal({
      ...base,
      failureCode: undefined,
      gateway: { ...gateway, dimensions: {} },
    });
    expect(journalEntry.title).toBe('stripe payout po_1 failed: reversed');
    expect(journalEntry.lines.map((line) => Object.keys(line).sort())).toEqual([
      ['accountNumber', 'amount', 'description', 'direction'],
      ['accountNumber', 'amount', 'description', 'direction'],
    ]);
  });

  it.each([
    { case: 'a net of zero', input: { postedNet: 0 }, error: RangeError },
    { case: 'a negative net', input: { postedNet: -100 }, error: RangeError },
    { case: 'a currency with 3 decimals', input: { currency: 'KWD' }, error: PayoutCurrencyNotPostableError },
  ])('when the payout has $case, then nothing is reversed', ({ input, error }) => {
    expect(() => toIntacctPayoutFailureReversal({ ...base, ...input })).toThrow(error);
  });

  it('the reversal reference is never the payout id itself', () => {
    expect(payoutReversalReference('po_1')).toBe('po_1-failed');
    expect(payoutReversalReference('po_1')).not.toBe('po_1');
  });
});
