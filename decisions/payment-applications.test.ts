import { describe, expect, it } from 'vitest';
import { applyToInvoicesOldestFirst, type OpenInvoice, type PaymentApplications } from './payment-applications.js';

const owes = (invoiceKey: string, due: number): OpenInvoice => ({ invoiceKey, due });

describe('applyToInvoicesOldestFirst', () => {
  const cases: Array<[name: string, toApply: number, invoices: OpenInvoice[], expected: PaymentApplications]> = [
    [
      'when one invoice owes the whole payment, then one line for all of it',
      10_000,
      [owes('1', 10_000)],
      { applications: [{ invoiceKey: '1', amount: 10_000 }], unapplied: 0 },
    ],
    [
      'when two shipment invoices together owe the payment, then each is paid in full, oldest first',
      10_001,
      [owes('1', 3_333), owes('2', 6_668)],
      {
        applications: [
          { invoiceKey: '1', amount: 3_333 },
          { invoiceKey: '2', amount: 6_668 },
        ],
        unapplied: 0,
      },
    ],
    [
      'when the payment is less than the invoices owe, then the oldest is paid first and the next in part',
      5_000,
      [owes('1', 3_333), owes('2', 6_668)],
      {
        applications: [
          { invoiceKey: '1', amount: 3_333 },
          { invoiceKey: '2', amount: 1_667 },
        ],
        unapplied: 0,
      },
    ],
    [
      'when the payment is more than the invoices owe (the rest is not invoiced yet), then the rest stays unapplied',
      10_000,
      [owes('1', 2_500)],
      { applications: [{ invoiceKey: '1', amount: 2_500 }], unapplied: 7_500 },
    ],
    [
      'when an invoice is paid already, then it gets no line and the next takes the payment',
      4_000,
      [owes('1', 0), owes('2', 6_000)],
      { applications: [{ invoiceKey: '2', amount: 4_000 }], unapplied: 0 },
    ],
    [
      'when an earlier payment paid part of the oldest, then it takes only what it still owes',
      7_000,
      [owes('1', 1), owes('2', 6_999), owes('3', 500)],
      {
        applications: [
          { invoiceKey: '1', amount: 1 },
          { invoiceKey: '2', amount: 6_999 },
        ],
        unapplied: 0,
      },
    ],
    ['when there is no invoice yet, then all of it stays unapplied', 4_200, [], { applications: [], unapplied: 4_200 }],
    ['when nothing is to be applied, then no line', 0, [owes('1', 100)], { applications: [], unapplied: 0 }],
  ];

  it.each(cases)('%s', (_name, toApply, invoices, expected) => {
    const applied = applyToInvoicesOldestFirst(toApply, invoices);
    expect(applied).toEqual(expected);
    expect(applied.applications.reduce((sum, line) => sum + line.amount, 0) + applied.unapplied).toBe(toApply);
  });

  it('refuses fractions of a minor unit, which only floats would produce', () => {
    expect(() => applyToInvoicesOldestFirst(10.5, [owes('1', 100)])).toThrow(RangeError);
    expect(() => applyToInvoicesOldestFirst(100, [owes('1', 0.1)])).toThrow(RangeError);
    expect(() => applyToInvoicesOldestFirst(-1, [])).toThrow(RangeError);
  });
});
