import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocateLargestRemainder,
  checkOrderBalance,
  currencyExponent,
  formatAmount,
  InvalidAmountError,
  InvalidCurrencyError,
  parseAmount,
  parseExactAmount,
} from './money.js';

describe('currencyExponent', () => {
  it.each([
    ['USD', 2],
    ['EUR', 2],
    ['JPY', 0],
    ['KRW', 0],
    ['KWD', 3],
    ['BHD', 3],
    ['CLF', 4],
  ])('%s has %i decimals', (currency, exponent) => {
    expect(currencyExponent(currency)).toBe(exponent);
  });

  it.each(['usd', 'US', 'USDX', ''])('refuses %j', (currency) => {
    expect(() => currencyExponent(currency)).toThrow(InvalidCurrencyError);
  });
});

describe('parseAmount', () => {
  it.each([
    ['12.3400', 'USD', 1234, true],
    ['12.34', 'USD', 1234, true],
    ['12', 'USD', 1200, true],
    ['0.0000', 'USD', 0, true],
    ['-5.5', 'USD', -550, true],
    ['-0.001', 'USD', 0, false],
    ['12.345', 'USD', 1235, false],
    ['12.3449', 'USD', 1234, false],
    ['-12.345', 'USD', -1235, false],
    ['1500', 'JPY', 1500, true],
    ['1500.0000', 'JPY', 1500, true],
    ['1500.5', 'JPY', 1501, false],
    ['1.234', 'KWD', 1234, true],
    [' 7.10 ', 'EUR', 710, true],
    ['+3.00', 'USD', 300, true],
  ])('%j %s → %i minor units (exact: %s)', (text, currency, minor, exact) => {
    expect(parseAmount(text, currency)).toEqual({ minor, exact });
  });

  it.each(['', 'abc', '1,234.00', '1e3', '12.', '.5', '--1', 'NaN', '99999999999999999999'])('refuses %j', (text) => {
    expect(() => parseAmount(text, 'USD')).toThrow(InvalidAmountError);
  });

  it('parseExactAmount refuses what would be rounded', () => {
    expect(parseExactAmount('10.5000', 'USD')).toBe(1050);
    expect(() => parseExactAmount('10.505', 'USD')).toThrow('more decimals than USD allows');
  });
});

describe('formatAmount', () => {
  it.each([
    [1234, 'USD', '12.34'],
    [5, 'USD', '0.05'],
    [-5, 'USD', '-0.05'],
    [0, 'USD', '0.00'],
    [100000, 'USD', '1000.00'],
    [1500, 'JPY', '1500'],
    [-1500, 'JPY', '-1500'],
    [1, 'KWD', '0.001'],
  ])('%i %s → %j', (minor, currency, text) => {
    expect(formatAmount(minor, currency)).toBe(text);
  });

  it('round-trips through parseAmount', () => {
    for (const minor of [0, 1, 99, 100, 123456789, -42])
      expect(parseAmount(formatAmount(minor, 'USD'), 'USD')).toEqual({ minor, exact: true });
  });

  it('refuses fractions of a minor unit', () => {
    expect(() => formatAmount(1.5, 'USD')).toThrow(InvalidAmountError);
  });
});

describe('allocateLargestRemainder', () => {
  it.each([
    ['even split', 300, [1, 1, 1], [100, 100, 100]],
    ['remainder to the largest fractional parts', 100, [1, 1, 1], [34, 33, 33]],
    ['proportional to line totals', 1000, [2999, 1999, 5002], [300, 200, 500]],
    ['a discount spread over lines (negative total)', -500, [1000, 2000, 3000], [-83, -167, -250]],
    ['ties go to the earlier line', 1, [5, 5], [1, 0]],
    ['zero-weight lines get nothing', 99, [0, 3, 0, 6], [0, 33, 0, 66]],
    ['a single line takes all', 12345, [7], [12345]],
    ['nothing to allocate', 0, [1, 2], [0, 0]],
    ['cent-level rounding on a $10 discount over three $3.33 lines', 1000, [333, 333, 333], [334, 333, 333]],
  ])('%s', (_case, total, weights, expected) => {
    const parts = allocateLargestRemainder(total, weights);
    expect(parts).toEqual(expected);
    expect(parts.reduce((sum, part) => sum + part, 0)).toBe(total);
  });

  it('always sums to the total, and no part strays more than one unit from its exact share (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -10_000_000, max: 10_000_000 }),
        fc.array(fc.nat({ max: 1_000_000 }), { minLength: 1, maxLength: 12 }),
        (total, weights) => {
          fc.pre(weights.some((weight) => weight > 0));
          const parts = allocateLargestRemainder(total, weights);
          const weightSum = weights.reduce((sum, weight) => sum + weight, 0);
          expect(parts.reduce((sum, part) => sum + part, 0)).toBe(total);
          parts.forEach((part, index) => expect(Math.abs(part - (total * weights[index]!) / weightSum)).toBeLessThan(1));
        },
      ),
    );
  });

  it.each([
    ['no lines', 100, []],
    ['all-zero weights', 100, [0, 0]],
    ['a negative weight', 100, [1, -1]],
    ['a fractional total', 10.5, [1]],
  ])('refuses %s', (_case, total, weights) => {
    expect(() => allocateLargestRemainder(total, weights)).toThrow(InvalidAmountError);
  });
});

describe('checkOrderBalance', () => {
  it.each([
    [
      'balanced with shipping, tax and a discount',
      { lineTotals: [2500, 1500], shipping: 599, handling: 0, tax: 330, discounts: 500, total: 4429 },
      true,
      0,
    ],
    ['a cent short', { lineTotals: [2500, 1500], shipping: 599, handling: 0, tax: 330, discounts: 500, total: 4428 }, false, -1],
    ['a cent over', { lineTotals: [1000], shipping: 0, handling: 0, tax: 0, discounts: 0, total: 1001 }, false, 1],
    ['balanced with handling', { lineTotals: [1000], shipping: 500, handling: 250, tax: 100, discounts: 0, total: 1850 }, true, 0],
    [
      'handling left out of the total',
      { lineTotals: [1000], shipping: 500, handling: 250, tax: 100, discounts: 0, total: 1600 },
      false,
      -250,
    ],
    ['empty order of zero', { lineTotals: [], shipping: 0, handling: 0, tax: 0, discounts: 0, total: 0 }, true, 0],
  ])('%s', (_case, amounts, balanced, difference) => {
    expect(checkOrderBalance(amounts)).toMatchObject({ balanced, difference });
  });
});
