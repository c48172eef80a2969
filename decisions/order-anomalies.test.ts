import { describe, expect, it } from 'vitest';
import {
  decideAnomalyAction,
  findOrderAnomalies,
  profileOrderHistory,
  type AnomalyFinding,
  type OrderForAnomalyCheck,
} from './order-anomalies.js';

/** 40 steady orders: MUG at 1000 ×1–2, totals 1000–2000 USD, customers c0…c39, one hour apart, all in the US. */
const history: OrderForAnomalyCheck[] = Array.from({ length: 40 }, (_, index) => ({
  orderId: `h${index}`,
  placedAt: new Date(Date.parse('2026-01-01T00:00:00Z') + index * 3_600_000).toISOString(),
  currency: 'USD',
  total: 1000 * (1 + (index % 2)),
  customerKey: `c${index}`,
  billingCountry: 'US',
  shippingCountry: 'US',
  lines: [{ sku: 'MUG', unitPrice: 1000, quantity: 1 + (index % 2) }],
}));
const profile = profileOrderHistory(history);

const order = (changes: Partial<OrderForAnomalyCheck>): OrderForAnomalyCheck => ({
  orderId: 'new',
  placedAt: '2026-03-01T00:00:00.000Z',
  currency: 'USD',
  total: 2000,
  customerKey: 'c1',
  billingCountry: 'US',
  shippingCountry: 'US',
  lines: [{ sku: 'MUG', unitPrice: 1000, quantity: 2 }],
  ...changes,
});
const checksFired = (probe: OrderForAnomalyCheck, history_ = profile) =>
  findOrderAnomalies(probe, history_).map((finding) => finding.check);

describe('order anomaly checks', () => {
  it('when an order looks like the history then no check fires', () => {
    expect(findOrderAnomalies(order({}), profile)).toEqual([]);
  });

  it.each<[string, Partial<OrderForAnomalyCheck>, string[]]>([
    ['the total is far above the usual', { total: 100_000, lines: [{ sku: 'MUG', unitPrice: 1000, quantity: 2 }] }, ['totalOutlier']],
    [
      'a line is priced with the decimal point moved',
      { total: 2000, lines: [{ sku: 'MUG', unitPrice: 10_000, quantity: 1 }] },
      ['linePriceOutlier'],
    ],
    ['a line is priced at a tenth', { total: 2000, lines: [{ sku: 'MUG', unitPrice: 100, quantity: 1 }] }, ['linePriceOutlier']],
    ['a quantity has a zero too many', { total: 2000, lines: [{ sku: 'MUG', unitPrice: 1000, quantity: 20 }] }, ['quantityOutlier']],
    ['a new customer orders far more than a usual first order', { customerKey: 'new@example.com', total: 8000 }, ['firstOrderLarge']],
    ['billing and shipping countries differ on a high-value order', { shippingCountry: 'FR', total: 2500 }, ['countryMismatchHighValue']],
    ['the currency was never seen', { currency: 'EUR' }, ['unseenCurrency']],
  ])('when %s then that check fires', (_name, changes, expected) => {
    expect(checksFired(order(changes))).toEqual(expected);
  });

  it('when the countries differ on an ordinary order then nothing fires', () => {
    expect(checksFired(order({ shippingCountry: 'FR', total: 1000 }))).toEqual([]);
  });

  it('when the fifth order from one email arrives within the hour then the velocity check fires', () => {
    const burst = [0, 10, 20, 30].map((minutes, index) => ({
      ...history[0]!,
      orderId: `b${index}`,
      customerKey: 'burst@example.net',
      placedAt: new Date(Date.parse('2026-03-01T00:00:00Z') - 40 * 60_000 + minutes * 60_000).toISOString(),
    }));
    const withBurst = profileOrderHistory([...history, ...burst]);
    expect(checksFired(order({ customerKey: 'burst@example.net' }), withBurst)).toEqual(['emailVelocity']);
    expect(checksFired(order({ customerKey: 'burst@example.net', placedAt: '2026-03-01T02:00:00.000Z' }), withBurst)).toEqual([]);
  });

  it('when the history is shorter than the minimum then the statistical checks stay silent', () => {
    const short = profileOrderHistory(history.slice(0, 5));
    expect(
      checksFired(order({ total: 100_000, currency: 'USD', lines: [{ sku: 'MUG', unitPrice: 10_000, quantity: 20 }] }), short),
    ).toEqual([]);
    expect(checksFired(order({ currency: 'EUR' }), short)).toEqual([]);
  });

  it('when a price is moved tenfold then the finding carries the figures', () => {
    expect(findOrderAnomalies(order({ lines: [{ sku: 'MUG', unitPrice: 10_000, quantity: 1 }] }), profile)).toEqual([
      {
        check: 'linePriceOutlier',
        reason: 'MUG is priced at 10× its usual price',
        figures: { sku: 'MUG', unitPrice: 10_000, usualPrice: 1000 },
      },
    ]);
  });
});

describe('anomaly policy', () => {
  const price: AnomalyFinding = { check: 'linePriceOutlier', reason: 'r', figures: {} };
  const abroad: AnomalyFinding = { check: 'countryMismatchHighValue', reason: 'r', figures: {} };
  it.each<[string, AnomalyFinding[], Parameters<typeof decideAnomalyAction>[1], ReturnType<typeof decideAnomalyAction>]>([
    ['nothing fired', [], { linePriceOutlier: 'hold' }, { action: 'post' }],
    ['the check is off (the default)', [price], {}, { action: 'post' }],
    ['the check flags', [price], { linePriceOutlier: 'flag' }, { action: 'flag', findings: [price] }],
    [
      'one of two holds',
      [price, abroad],
      { linePriceOutlier: 'hold', countryMismatchHighValue: 'flag' },
      { action: 'hold', findings: [price, abroad] },
    ],
  ])('when %s then the action follows', (_name, findings, policies, expected) => {
    expect(decideAnomalyAction(findings, policies)).toEqual(expected);
  });
});
