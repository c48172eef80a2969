import { describe, expect, it } from 'vitest';
import { describePayoutChange } from '../../../mappers/settlement-report/payout-change.js';
import type { PayoutLine, ProcessorPayout } from '../../../workflows/payout-reconcile-contract.js';

const line = (lineId: string, gross: number): PayoutLine => ({
  lineId,
  kind: 'charge',
  gross,
  fee: 0,
  net: gross,
  occurredAt: '2026-11-01T00:00:00Z',
});
const payout = (lines: PayoutLine[], overrides: Partial<ProcessorPayout> = {}): ProcessorPayout => ({
  processor: 'paypal',
  gateway: 'paypalexpress',
  payoutId: 'P1',
  status: 'paid',
  currency: 'USD',
  amount: lines.reduce((sum, each) => sum + each.net, 0),
  createdDate: '2026-11-02',
  arrivalDate: '2026-11-02',
  lines,
  ...overrides,
});

describe('how a payout offered again differs from the stored one', () => {
  it.each([
    ['a line added', payout([line('a', 100)]), payout([line('a', 100), line('b', 5)]), 'amount was 100, is now 105; lines added: b'],
    ['a line gone', payout([line('a', 100), line('b', 5)]), payout([line('a', 100)]), 'amount was 105, is now 100; lines missing: b'],
    ['a line changed', payout([line('a', 100)]), payout([line('a', 90)], { amount: 100 }), 'lines changed: a'],
    [
      'another gateway',
      payout([line('a', 100)]),
      payout([line('a', 100)], { gateway: 'paypal' }),
      'gateway was paypalexpress, is now paypal',
    ],
    [
      'many lines added',
      payout([]),
      payout(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => line(id, 1))),
      'amount was 0, is now 7; lines added: a, b, c, d, e and 2 more',
    ],
  ])('names %s', (_case, stored, offered, words) => {
    expect(describePayoutChange(stored, offered)).toBe(words);
  });
});
