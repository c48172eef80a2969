import { describe, expect, it } from 'vitest';
import type { StripeBalanceTransaction, StripeBalanceTransactionSource, StripePayout } from '../connectors/stripe/index.js';
import { processorPayoutSchema, type PayoutLine } from '../workflows/payout-reconcile-contract.js';
import { fromStripePayout, stripeLineKind, StripePayoutMappingError } from './from-stripe-payout.js';

const created = 1_779_900_000; // 2026-05-27T16:40:00Z
const occurredAt = '2026-05-27T16:40:00.000Z';

const payout = (overrides: Partial<StripePayout> = {}): StripePayout => ({
  id: 'po_1',
  object: 'payout',
  amount: 0,
  currency: 'usd',
  arrival_date: 1_780_012_800, // 2026-05-29, midnight UTC
  created: 1_779_840_000, // 2026-05-27
  status: 'paid',
  balance_transaction: 'txn_po_1',
  metadata: {},
  ...overrides,
});

const source = (
  id: string,
  object: string | undefined,
  chargeId: string | null,
  paymentIntentId: string | null,
  presented?: { amount: number; currency: string },
) => ({ id, object, chargeId, paymentIntentId, ...(presented && { presented }) }) satisfies StripeBalanceTransactionSource;

const txn = (
  id: string,
  type: string,
  amount: number,
  fee: number,
  txSource: StripeBalanceTransactionSource | null,
  extra: Partial<StripeBalanceTransaction> = {},
): StripeBalanceTransaction => ({
  id,
  object: 'balance_transaction',
  type,
  amount,
  fee,
  net: amount - fee,
  currency: 'usd',
  created,
  fee_details: [],
  source: txSource,
  ...extra,
});

const charge = (n: number, amount: number, fee: number) =>
  txn(`txn_ch${n}`, 'charge', amount, fee, source(`ch_${n}`, 'charge', `ch_${n}`, `pi_${n}`), { reporting_category: 'charge' });
const payoutLine = (amount: number) => txn('txn_po_1', 'payout', -amount, 0, source('po_1', 'payout', null, null));

/** Maps and checks the result against the shared contract, so every expectation is also a valid ProcessorPayout. */
const map = (...args: Parameters<typeof fromStripePayout>) => processorPayoutSchema.parse(fromStripePayout(...args));
const netOf = (lines: readonly PayoutLine[]) => lines.reduce((sum, line) => sum + line.net, 0);

describe('fromStripePayout', () => {
  it('when a payout holds charges, a refund and a Radar fee then each is one line, the payout transfer left out, nets summing to the amount', () => {
    const lines = [
      charge(1, 10_000, 320),
      charge(2, 5_000, 175),
      txn('txn_re1', 'refund', -2_000, 0, source('re_1', 'refund', 'ch_1', 'pi_1'), { reporting_category: 'refund' }),
      txn('txn_fee1', 'stripe_fee', -500, 0, null, { description: 'Radar for Fraud Teams' }),
      payoutLine(12_005),
    ];
    const result = map({ payout: payout({ amount: 12_005 }), balanceTransactions: lines });
    expect(result).toEqual({
      processor: 'stripe',
      gateway: 'stripe',
      payoutId: 'po_1',
      status: 'paid',
      currency: 'USD',
      amount: 12_005,
      createdDate: '2026-05-27',
      arrivalDate: '2026-05-29',
      lines: [
        {
          lineId: 'txn_ch1',
          kind: 'charge',
          gross: 10_000,
          fee: 320,
          net: 9_680,
          occurredAt,
          paymentReference: 'pi_1',
          otherPaymentReferences: ['ch_1'],
        },
        {
          lineId: 'txn_ch2',
          kind: 'charge',
          gross: 5_000,
          fee: 175,
          net: 4_825,
          occurredAt,
          paymentReference: 'pi_2',
          otherPaymentReferences: ['ch_2'],
        },
        {
          lineId: 'txn_re1',
          kind: 'refund',
          gross: -2_000,
          fee: 0,
          net: -2_000,
          occurredAt,
          paymentReference: 'pi_1',
          otherPaymentReferences: ['ch_1'],
        },
        { lineId: 'txn_fee1', kind: 'fee', gross: -500, fee: 0, net: -500, occurredAt, description: 'Radar for Fraud Teams' },
      ],
    });
    expect(netOf(result.lines)).toBe(result.amount);
  });

  it('when a dispute is lost then the chargeback and its dispute fee are two lines netting to the transaction', () => {
    const dispute = source('dp_1', 'dispute', 'ch_7', 'pi_7');
    const result = map({
      payout: payout({ amount: -6_500 + 9_000 }),
      balanceTransactions: [charge(8, 9_000, 0), txn('txn_dp1', 'adjustment', -5_000, 1_500, dispute, { reporting_category: 'dispute' })],
    });
    expect(result.lines.slice(1)).toEqual([
      {
        lineId: 'txn_dp1',
        kind: 'chargeback',
        gross: -5_000,
        fee: 0,
        net: -5_000,
        occurredAt,
        paymentReference: 'pi_7',
        otherPaymentReferences: ['ch_7'],
      },
      {
        lineId: 'txn_dp1:dispute_fee',
        kind: 'dispute_fee',
        gross: -1_500,
        fee: 0,
        net: -1_500,
        occurredAt,
        paymentReference: 'pi_7',
        otherPaymentReferences: ['ch_7'],
        description: 'Dispute fee',
      },
    ]);
    expect(netOf(result.lines)).toBe(result.amount);
  });

  it.each([
    [
      'with the dispute fee returned',
      -1_500,
      [
        ['chargeback_reversal', 5_000],
        ['dispute_fee', 1_500],
      ],
    ],
    ['with the dispute fee kept', 0, [['chargeback_reversal', 5_000]]],
  ] as const)('when a dispute is won %s then the funds come back as a chargeback reversal', (_name, fee, expected) => {
    const won = txn('txn_dp2', 'adjustment', 5_000, fee, source('dp_1', 'dispute', 'ch_7', null), {
      reporting_category: 'dispute_reversal',
    });
    const result = map({ payout: payout({ amount: 5_000 - fee }), balanceTransactions: [won] });
    expect(result.lines.map((line) => [line.kind, line.gross, line.fee, line.net, line.paymentReference])).toEqual(
      expected.map(([kind, gross]) => [kind, gross, 0, gross, 'ch_7']),
    );
    expect(netOf(result.lines)).toBe(result.amount);
  });

  it('when charges were presented in another currency then each line names its original amount and the rate Stripe used', () => {
    const eurCharge = txn('txn_eur', 'charge', 10_850, 345, source('ch_e', 'charge', 'ch_e', 'pi_e', { amount: 10_000, currency: 'eur' }), {
      exchange_rate: 1.085,
    });
    const eurRefund = txn('txn_eur_re', 'refund', -5_425, 0, source('re_e', 'refund', 'ch_e', 'pi_e', { amount: 5_000, currency: 'eur' }), {
      exchange_rate: 1.085,
    });
    const jpyCharge = txn('txn_jpy', 'charge', 6_700, 224, source('ch_j', 'charge', 'ch_j', null, { amount: 10_000, currency: 'jpy' }), {
      exchange_rate: 0.0067,
    });
    const usdCharge = txn('txn_usd', 'charge', 1_000, 59, source('ch_u', 'charge', 'ch_u', null, { amount: 1_000, currency: 'usd' }));
    const result = map({ payout: payout({ amount: 12_497 }), balanceTransactions: [eurCharge, eurRefund, jpyCharge, usdCharge] });
    expect(result.lines.map((line) => [line.lineId, line.gross, line.original])).toEqual([
      ['txn_eur', 10_850, { currency: 'EUR', amount: 10_000, exchangeRate: 1.085 }],
      ['txn_eur_re', -5_425, { currency: 'EUR', amount: -5_000, exchangeRate: 1.085 }],
      ['txn_jpy', 6_700, { currency: 'JPY', amount: 10_000, exchangeRate: 0.0067 }],
      ['txn_usd', 1_000, undefined],
    ]);
    expect(netOf(result.lines)).toBe(result.amount);
  });

  it('when a charge predates payment intents or its source was not expanded then the charge id is the payment reference', () => {
    const result = map({
      payout: payout({ amount: 1_941 }),
      balanceTransactions: [
        txn('txn_old', 'charge', 1_000, 59, source('ch_old', 'charge', 'ch_old', null)),
        txn('txn_flat', 'charge', 1_000, 0, source('ch_flat', undefined, 'ch_flat', null)),
      ],
    });
    expect(result.lines.map((line) => [line.paymentReference, line.otherPaymentReferences])).toEqual([
      ['ch_old', undefined],
      ['ch_flat', undefined],
    ]);
  });

  it('when Stripe gives a fee back then the line keeps its gross and the returned fee is a positive fee line', () => {
    const result = map({
      payout: payout({ amount: -1_970 }),
      balanceTransactions: [txn('txn_re', 'refund', -2_000, -30, source('re_1', 'refund', 'ch_1', 'pi_1'))],
    });
    expect(result.lines.map((line) => [line.lineId, line.kind, line.gross, line.fee, line.net])).toEqual([
      ['txn_re', 'refund', -2_000, 0, -2_000],
      ['txn_re:fee', 'fee', 30, 0, 30],
    ]);
  });

  it('when the lines of a payout do not sum to its amount then it is still read, for matching to report', () => {
    const result = map({ payout: payout({ amount: 5_000 }), balanceTransactions: [charge(1, 1_000, 59)] });
    expect(netOf(result.lines)).toBe(941);
    expect(result.amount).toBe(5_000);
  });

  it('when the status, a currency or the arithmetic of a line is wrong then every problem is named', () => {
    const broken = () =>
      fromStripePayout({
        payout: payout({ status: 'vanished' }),
        balanceTransactions: [txn('txn_gbp', 'charge', 1_000, 0, null, { currency: 'gbp' }), { ...charge(2, 1_000, 59), net: 900 }],
      });
    expect(broken).toThrow(StripePayoutMappingError);
    expect(broken).toThrow(
      'Stripe payout po_1 cannot be read: status vanished is not one of pending, in_transit, paid, failed, canceled; txn_gbp is in gbp, the payout in usd; txn_ch2: amount 1000 − fee 59 is not its net 900',
    );
  });

  it('when the gateway is named then the payout posts with that gateway', () => {
    expect(map({ payout: payout(), balanceTransactions: [], gateway: 'stripe-eu' }).gateway).toBe('stripe-eu');
  });
});

describe('stripeLineKind', () => {
  const dispute = source('dp_1', 'dispute', 'ch_1', null);
  it.each([
    ['charge', 'charge', 100, undefined, null, 'charge'],
    ['payment (non-card method)', 'payment', 100, undefined, null, 'charge'],
    ['refund', 'refund', -100, undefined, null, 'refund'],
    ['payment_refund', 'payment_refund', -100, undefined, null, 'refund'],
    ['refund_failure', 'refund_failure', 100, undefined, null, 'refund'],
    ['adjustment of a failed refund', 'adjustment', 100, 'refund_failure', null, 'refund'],
    ['partial capture reversal', 'adjustment', -100, 'partial_capture_reversal', null, 'charge'],
    ['dispute withdrawal', 'adjustment', -100, 'dispute', dispute, 'chargeback'],
    ['dispute reinstatement', 'adjustment', 100, 'dispute_reversal', dispute, 'chargeback_reversal'],
    ['dispute source without a category', 'adjustment', 100, undefined, source('du_1', undefined, null, null), 'chargeback_reversal'],
    ['dispute fee billed on its own', 'stripe_fee', -1_500, 'fee', dispute, 'dispute_fee'],
    ['stripe_fee', 'stripe_fee', -100, 'fee', null, 'fee'],
    ['stripe_fx_fee', 'stripe_fx_fee', -100, 'fee', null, 'fee'],
    ['application_fee', 'application_fee', -100, 'fee', null, 'fee'],
    ['fee adjustment', 'adjustment', -100, 'fee', null, 'fee'],
    ['reserve_transaction', 'reserve_transaction', -100, 'risk_reserved_funds', null, 'reserve'],
    ['reserved_funds', 'reserved_funds', 100, undefined, null, 'reserve'],
    ['network reserve hold', 'payment_network_reserve_hold', -100, undefined, null, 'reserve'],
    ['other adjustment', 'adjustment', -100, 'other_adjustment', null, 'adjustment'],
    ['payout_failure', 'payout_failure', 100, 'payout_reversal', null, 'adjustment'],
    ['transfer', 'transfer', -100, 'transfer', null, 'adjustment'],
  ] as const)('%s: read as its kind', (_name, type, amount, reportingCategory, lineSource, expected) => {
    expect(stripeLineKind({ type, amount, reporting_category: reportingCategory, source: lineSource })).toBe(expected);
  });
});
