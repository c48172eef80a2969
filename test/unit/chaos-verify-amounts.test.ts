import { describe, expect, it } from 'vitest';
import { capturedCents, lineDifferences, orderOfPayment, shippedAmountCents } from '../chaos/verify-amounts.js';

describe('shippedAmountCents', () => {
  const lines = [
    { quantity: 2, shipped: 0, unitPriceExTaxCents: 2500 },
    { quantity: 1, shipped: 0, unitPriceExTaxCents: 1200 },
  ];
  it('when nothing shipped, then nothing is to be invoiced', () => {
    expect(shippedAmountCents(7000, lines)).toBe(0);
  });
  it('when part shipped, then the total less the units not shipped (shipping and tax go with the first invoice)', () => {
    expect(shippedAmountCents(7000, [{ ...lines[0]!, shipped: 1 }, lines[1]!])).toBe(7000 - 2500 - 1200);
  });
  it('when everything shipped, then the order total', () => {
    expect(
      shippedAmountCents(
        7000,
        lines.map((line) => ({ ...line, shipped: line.quantity })),
      ),
    ).toBe(7000);
  });
});

describe('capturedCents', () => {
  it('when an order was authorised, captured in two parts and something failed, then the two captures count', () => {
    expect(
      capturedCents([
        { id: 1, event: 'authorization', amount: 50 },
        { id: 2, event: 'capture', amount: 20.01 },
        { id: 3, event: 'capture', amount: 29.99 },
        { id: 4, event: 'capture', amount: 5, status: 'error' },
      ]),
    ).toEqual({ cents: 5000, count: 2 });
  });
  it('when an authorisation was voided, then nothing was taken', () => {
    expect(
      capturedCents([
        { id: 1, event: 'authorization', amount: 50 },
        { id: 2, event: 'void', amount: 50 },
      ]),
    ).toEqual({ cents: 0, count: 0 });
  });
  it('when paid at checkout, then the purchase counts', () => {
    expect(capturedCents([{ id: 1, event: 'purchase', amount: 12.5 }])).toEqual({ cents: 1250, count: 1 });
  });
});

describe('orderOfPayment', () => {
  const placed = new Set(['101', 'CL-2001']);
  it.each([
    ['101', '101'],
    ['101-7', '101'],
    ['CL-2001', 'CL-2001'],
    ['CL-2001-3', 'CL-2001'],
    ['102-7', undefined],
    ['101-x', undefined],
    [undefined, undefined],
  ])('when the reference is %s, then the payment belongs to %s', (reference, order) => {
    expect(orderOfPayment(reference, placed)).toBe(order);
  });
});

describe('lineDifferences', () => {
  const store = [
    { quantity: 3, unitPriceExTaxCents: 2500 },
    { quantity: 1, unitPriceExTaxCents: 3000 },
  ];
  it('when the sales order follows the lines (one written as two, then shipping and tax), then there is no difference', () => {
    expect(
      lineDifferences(store, [
        { quantity: 2, price: 25 },
        { quantity: 1, price: 25 },
        { quantity: 1, price: 30 },
        { quantity: 1, price: 8 },
        { quantity: 1, price: 4.4 },
      ]),
    ).toEqual([]);
  });
  it('when the sales order kept the quantity and price from before the edit, then both lines are named', () => {
    expect(
      lineDifferences(store, [
        { quantity: 2, price: 25 },
        { quantity: 1, price: 19.99 },
      ]),
    ).toEqual([
      'line 1: the store has 3 × 25.00, the sales order 3 units for 69.99',
      'line 2: the store has 1 × 30.00, the sales order 0 units for 0.00',
    ]);
  });
});
