import { invalidRequest } from './errors.js';
import type { FeeDetail } from './model.js';

/** The account's pricing and settlement: what turns a charge into balance transactions. */
export interface StripeAccountSettings {
  /** The currency the balance and payouts are in (lower case). */
  settlementCurrency: string;
  fees: {
    /** The percentage part of the card fee, in hundredths of a percent (290 = 2.9 %). */
    percentBasisPoints: number;
    /** The fixed part, in minor units of the settlement currency. */
    fixed: number;
    /** Withdrawn with a disputed amount, in minor units of the settlement currency. */
    disputeFee: number;
    /** Whether a won dispute gives the dispute fee back (the reversal's fee is then negative). */
    disputeFeeReturnedWhenWon: boolean;
  };
  /**
   * Units of the settlement currency one unit of another currency buys (`{ eur: 1.08 }`): a
   * charge in that currency settles converted at this rate, named as `exchange_rate`.
   */
  exchangeRates: Record<string, number>;
  /** Days from a charge to its funds being available for payout. */
  availableAfterDays: number;
  /** Days from a payout's creation to its arrival at the bank. */
  payoutArrivalDays: number;
}

/** Stripe's standard US pricing: 2.9 % + 30 ¢, a $15 dispute fee returned when the dispute is won. */
export const defaultAccountSettings: StripeAccountSettings = {
  settlementCurrency: 'usd',
  fees: { percentBasisPoints: 290, fixed: 30, disputeFee: 1500, disputeFeeReturnedWhenWon: true },
  exchangeRates: { eur: 1.08, gbp: 1.27, cad: 0.73 },
  availableAfterDays: 2,
  payoutArrivalDays: 2,
};

// Stripe's zero-decimal and three-decimal currencies; every other has two decimals.
const zeroDecimal = new Set([
  'bif',
  'clp',
  'djf',
  'gnf',
  'jpy',
  'kmf',
  'krw',
  'mga',
  'pyg',
  'rwf',
  'ugx',
  'vnd',
  'vuv',
  'xaf',
  'xof',
  'xpf',
]);
const threeDecimal = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);

/** How many decimals the currency's minor unit has. */
export function minorUnitExponent(currency: string): number {
  return zeroDecimal.has(currency) ? 0 : threeDecimal.has(currency) ? 3 : 2;
}

/** Rounds half away from zero, as money is rounded. */
function roundHalfAway(value: number): number {
  return Math.sign(value) * Math.round(Math.abs(value));
}

/** An amount in a charge's currency expressed in the settlement currency, and the rate used (null when none was needed). */
export function toSettlement(
  amount: number,
  currency: string,
  settings: StripeAccountSettings,
): { amount: number; exchangeRate: number | null } {
  if (currency === settings.settlementCurrency) return { amount, exchangeRate: null };
  const rate = settings.exchangeRates[currency];
  if (rate === undefined)
    throw invalidRequest(
      `The sandbox has no exchange rate from ${currency} to ${settings.settlementCurrency}; set one with PATCH /_sandbox/settings.`,
      'currency',
    );
  const scale = 10 ** (minorUnitExponent(settings.settlementCurrency) - minorUnitExponent(currency));
  return { amount: roundHalfAway(amount * rate * scale), exchangeRate: rate };
}

/** The processing fee on a settled charge amount, as Stripe itemises it. */
export function processingFee(settledAmount: number, settings: StripeAccountSettings): FeeDetail[] {
  const { percentBasisPoints, fixed } = settings.fees;
  const amount = roundHalfAway((settledAmount * percentBasisPoints) / 10_000) + fixed;
  return [{ amount, currency: settings.settlementCurrency, description: 'Stripe processing fees', type: 'stripe_fee' }];
}

/** The dispute fee (negative when it is given back). */
export function disputeFee(amount: number, settings: StripeAccountSettings): FeeDetail[] {
  return amount === 0 ? [] : [{ amount, currency: settings.settlementCurrency, description: 'Dispute fee', type: 'stripe_fee' }];
}
