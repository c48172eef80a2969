/**
 * Money as integers in minor units of its currency (ISO 4217 exponent), converted to and from
 * decimal strings only at the edges. Nothing here rounds silently: conversions that would lose
 * value say so, and allocations always sum exactly to what they divide.
 */

/** ISO 4217 currencies whose minor unit is not 1/100 (all others use 2 decimals). */
const exponentOverrides: Readonly<Record<string, number>> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

/** Raised for a currency code that is not three upper-case letters. */
export class InvalidCurrencyError extends Error {
  override readonly name = 'InvalidCurrencyError';
}

/** Raised for an amount that is not a plain decimal number, or not representable exactly. */
export class InvalidAmountError extends Error {
  override readonly name = 'InvalidAmountError';
}

// Intl knows the currencies in circulation, not ISO 4217's test and metal codes (XXX, XTS, XAU),
// which no order or ledger is in.
const circulatingCurrencies = new Set(Intl.supportedValuesOf('currency'));

/** True for an ISO 4217 code of a currency in circulation (`USD`, `JPY`), false for `XXX` or `usd`. */
export function isIso4217Currency(code: string): boolean {
  return circulatingCurrencies.has(code);
}

/** Number of decimal places of the currency's minor unit (USD 2, JPY 0, KWD 3). */
export function currencyExponent(currency: string): number {
  if (!/^[A-Z]{3}$/.test(currency)) throw new InvalidCurrencyError(`"${currency}" is not an ISO 4217 currency code`);
  return exponentOverrides[currency] ?? 2;
}

const decimalPattern = /^([+-])?(\d+)(?:\.(\d+))?$/;

export interface ParsedAmount {
  minor: number;
  /** False when digits beyond the currency's exponent were rounded away (half away from zero). */
  exact: boolean;
}

/**
 * Reads a decimal string ("12.3400" from BigCommerce, "12.34" from Intacct) into minor units.
 * Digits beyond the currency's precision are rounded half away from zero and reported.
 */
export function parseAmount(text: string, currency: string): ParsedAmount {
  const exponent = currencyExponent(currency);
  const match = decimalPattern.exec(text.trim());
  if (!match) throw new InvalidAmountError(`"${text}" is not a decimal amount`);
  const [, sign, whole = '0', fraction = ''] = match;
  const kept = fraction.slice(0, exponent).padEnd(exponent, '0');
  const dropped = fraction.slice(exponent);
  let minor = Number(`${whole}${kept}`);
  const roundUp = dropped.length > 0 && dropped[0]! >= '5';
  if (roundUp) minor += 1;
  if (!Number.isSafeInteger(minor)) throw new InvalidAmountError(`"${text}" is too large to hold exactly`);
  return { minor: sign === '-' && minor !== 0 ? -minor : minor, exact: /^0*$/.test(dropped) };
}

/** Reads an amount that must be exact in its currency; throws when it would be rounded. */
export function parseExactAmount(text: string, currency: string): number {
  const parsed = parseAmount(text, currency);
  if (!parsed.exact) throw new InvalidAmountError(`"${text}" has more decimals than ${currency} allows`);
  return parsed.minor;
}

/** Writes minor units as the decimal string Intacct expects ("1234" USD → "12.34", "-5" → "-0.05"). */
export function formatAmount(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor)) throw new InvalidAmountError(`${minor} is not a whole number of minor units`);
  const exponent = currencyExponent(currency);
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  return `${minor < 0 ? '-' : ''}${whole}${exponent > 0 ? `.${fraction}` : ''}`;
}

/**
 * Splits `total` into integer parts proportional to `weights` (largest-remainder method), so
 * the parts always sum to `total` exactly. Ties go to the earlier weight, which keeps the
 * result deterministic across replays. A zero total weight spreads nothing and is refused.
 */
export function allocateLargestRemainder(total: number, weights: readonly number[]): number[] {
  if (!Number.isSafeInteger(total)) throw new InvalidAmountError(`${total} is not a whole number of minor units`);
  if (weights.length === 0) {
    if (total === 0) return [];
    throw new InvalidAmountError('nothing to allocate to');
  }
  if (weights.some((weight) => !Number.isSafeInteger(weight) || weight < 0))
    throw new InvalidAmountError('weights must be non-negative whole numbers');
  const weightSum = weights.reduce((sum, weight) => sum + weight, 0);
  if (weightSum === 0) {
    if (total === 0) return weights.map(() => 0);
    throw new InvalidAmountError('cannot allocate an amount over weights that are all zero');
  }
  const sign = total < 0 ? -1 : 1;
  const magnitude = Math.abs(total);
  // BigInt keeps magnitude × weight exact even for large orders.
  const shares = weights.map((weight, index) => {
    const numerator = BigInt(magnitude) * BigInt(weight);
    return { index, floor: Number(numerator / BigInt(weightSum)), remainder: numerator % BigInt(weightSum) };
  });
  let left = magnitude - shares.reduce((sum, share) => sum + share.floor, 0);
  const byRemainder = [...shares].sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  const parts = shares.map((share) => share.floor);
  for (const share of byRemainder) {
    if (left === 0) break;
    parts[share.index]! += 1;
    left -= 1;
  }
  return parts.map((part) => (part === 0 ? 0 : sign * part));
}

export interface OrderAmounts {
  /** Each line's extended amount (quantity × unit price) before order-level discounts. */
  lineTotals: readonly number[];
  shipping: number;
  /** Handling charges, tax-exclusive like shipping. */
  handling: number;
  tax: number;
  /** Order-level discounts, as a positive amount. */
  discounts: number;
  /** The order's grand total as the storefront states it. */
  total: number;
}

export interface BalanceCheck {
  balanced: boolean;
  /** total − (lines + shipping + handling + tax − discounts); 0 when balanced. */
  difference: number;
  computedTotal: number;
}

/** lines + shipping + handling + tax − discounts = total, to the minor unit. Flags, never fixes. */
export function checkOrderBalance(amounts: OrderAmounts): BalanceCheck {
  const computedTotal =
    amounts.lineTotals.reduce((sum, line) => sum + line, 0) + amounts.shipping + amounts.handling + amounts.tax - amounts.discounts;
  const difference = amounts.total - computedTotal;
  return { balanced: difference === 0, difference, computedTotal };
}
