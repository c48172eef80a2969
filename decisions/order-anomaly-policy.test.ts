import { describe, expect, it } from 'vitest';
import { aCanonicalOrder } from '../test/support/builders.js';
import { anomalyChecksSchema, type AnomalyCheckSettings } from '../store/schemas/settings-anomaly-checks.js';
import { profileOrderHistory, type AnomalyCheckName, type AnomalyPolicy, type OrderForAnomalyCheck } from './order-anomalies.js';
import { anomalyChecksOn, anomalyFiguresOf, decideOrderAnomalyOutcome } from './order-anomaly-policy.js';

/** 40 steady orders: MUG at 1000 ×1–2, totals 1000–2000 USD, customers c0…c39, one hour apart. */
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

const usual: OrderForAnomalyCheck = { ...history[1]!, orderId: 'new', placedAt: '2026-03-01T00:00:00.000Z' };
/** A price-entry error: the decimal point moved, so the line and the total are 10× the usual. */
const priceEntryError: OrderForAnomalyCheck = { ...usual, total: 20_000, lines: [{ sku: 'MUG', unitPrice: 10_000, quantity: 2 }] };

const settings = (policies: Partial<Record<AnomalyCheckName, AnomalyPolicy>>, minimumHistory = 30): AnomalyCheckSettings =>
  anomalyChecksSchema.parse({ minimumHistory, policies });

describe('anomaly policy before posting', () => {
  it.each<[string, AnomalyCheckSettings, OrderForAnomalyCheck, 'post' | 'flag' | 'hold']>([
    ['every check is off (the default)', settings({}), priceEntryError, 'post'],
    ['the order is usual and checks hold', settings({ totalOutlier: 'hold', linePriceOutlier: 'hold' }), usual, 'post'],
    ['a fired check is flagged', settings({ linePriceOutlier: 'flag' }), priceEntryError, 'flag'],
    ['a fired check holds', settings({ totalOutlier: 'hold' }), priceEntryError, 'hold'],
    ['one fired check flags and another holds', settings({ linePriceOutlier: 'flag', totalOutlier: 'hold' }), priceEntryError, 'hold'],
    ['only a check that did not fire is on', settings({ unseenCurrency: 'hold' }), priceEntryError, 'post'],
    ['the history is shorter than the minimum', settings({ totalOutlier: 'hold' }, 41), priceEntryError, 'post'],
    ['the history just reaches the minimum', settings({ totalOutlier: 'hold' }, 40), priceEntryError, 'hold'],
  ])('when %s then the order is %s', (_name, tenant, probe, expected) => {
    expect(decideOrderAnomalyOutcome(probe, profile, tenant).action).toBe(expected);
  });

  it('when an order is held then the attention item says why with the figures of the checks that fired', () => {
    const outcome = decideOrderAnomalyOutcome(priceEntryError, profile, settings({ totalOutlier: 'hold', linePriceOutlier: 'flag' }));
    expect(outcome).toEqual({
      action: 'hold',
      attention: {
        code: 'anomaly_hold',
        reason: "held before posting: the order's total is 14.1× the tenant's usual USD total; MUG is priced at 10× its usual price",
        fix: 'look at the order and its figures; approve it to post it as it is, or cancel it',
        details: {
          historyOrders: 40,
          findings: [
            {
              check: 'totalOutlier',
              reason: "the order's total is 14.1× the tenant's usual USD total",
              figures: { total: 20_000, usualTotal: 1414, score: 5.2 },
            },
            {
              check: 'linePriceOutlier',
              reason: 'MUG is priced at 10× its usual price',
              figures: { sku: 'MUG', unitPrice: 10_000, usualPrice: 1000 },
            },
          ],
        },
      },
    });
  });

  it('when an order is flagged then the item is informational: the order has posted', () => {
    const outcome = decideOrderAnomalyOutcome(priceEntryError, profile, settings({ linePriceOutlier: 'flag' }));
    expect(outcome).toMatchObject({
      action: 'flag',
      attention: { code: 'anomaly_flagged', reason: 'posted, but unusual: MUG is priced at 10× its usual price' },
    });
  });

  it('when the minimum history is small then item checks need no more lines than it', () => {
    const short = profileOrderHistory(history.slice(0, 4));
    const outcome = decideOrderAnomalyOutcome(priceEntryError, short, settings({ linePriceOutlier: 'hold' }, 4));
    expect(outcome.action).toBe('hold');
  });

  it.each<[string, Partial<Record<AnomalyCheckName, AnomalyPolicy>>, boolean]>([
    ['every check is off', {}, false],
    ['one check flags', { emailVelocity: 'flag' }, true],
    ['one check holds', { unseenCurrency: 'hold' }, true],
  ])('when %s then checks on is %s', (_name, policies, expected) => {
    expect(anomalyChecksOn(settings(policies))).toBe(expected);
  });

  it('when settings name a policy that does not exist then they are refused', () => {
    expect(anomalyChecksSchema.safeParse({ policies: { totalOutlier: 'block' } }).success).toBe(false);
    expect(anomalyChecksSchema.safeParse({ policies: { totalOutliers: 'hold' } }).success).toBe(false);
  });

  it('when a canonical order is read for the checks then money, countries, lines and the given buyer key are taken', () => {
    const order = aCanonicalOrder();
    expect(anomalyFiguresOf(order, 'k1')).toEqual({
      orderId: order.orderId,
      placedAt: order.placedAt,
      currency: order.currency,
      total: order.total,
      customerKey: 'k1',
      billingCountry: order.billingAddress.country,
      ...(order.shippingAddress && { shippingCountry: order.shippingAddress.country }),
      lines: order.lines.map((line) => ({ sku: line.sku, unitPrice: line.unitPrice, quantity: line.quantity })),
    });
  });
});
