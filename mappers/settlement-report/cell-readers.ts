import { currencyExponent, isIso4217Currency, parseAmount } from '../money.js';

/**
 * Readers for one cell of a settlement file. Each answers the value or the reason, in words,
 * why the cell cannot be read; none rounds, guesses a century or a time zone silently.
 */

export type CellResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/** How a file writes decimal amounts (major units, "1234.56" or "1.234,56"). */
export interface DecimalStyle {
  decimalSeparator: '.' | ',';
  /** Grouping character between thousands, when the file uses one. */
  thousandsSeparator?: ',' | '.' | ' ' | "'" | undefined;
}

const plainDecimal = /^[+-]?\d+(?:\.\d+)?$/;

/**
 * A decimal amount in major units ("-12.34" USD → -1234) as exact minor units: the text is read
 * digit by digit, never through a float, and more decimals than the currency has are refused.
 */
export function readDecimalAmount(text: string, currency: string, style: DecimalStyle): CellResult<number> {
  let normalised = text.trim();
  if (normalised === '') return { ok: false, reason: 'the amount is empty' };
  const grouping = style.thousandsSeparator;
  if (grouping !== undefined && normalised.includes(grouping)) {
    // Grouped digits must come in threes, or "-99.00" with "." for thousands would read as -9900.
    const escape = (character: string) => character.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const grouped = new RegExp(`^[+-]?\\d{1,3}(?:${escape(grouping)}\\d{3})+(?:${escape(style.decimalSeparator)}\\d+)?$`);
    if (!grouped.test(normalised))
      return {
        ok: false,
        reason: `the amount is not a number (thousands are grouped by "${grouping}", decimals follow "${style.decimalSeparator}")`,
      };
    normalised = normalised.split(grouping).join('');
  }
  if (style.decimalSeparator === ',') {
    if (normalised.includes('.')) return { ok: false, reason: 'the amount is not a number (the decimal separator is ",")' };
    normalised = normalised.replace(',', '.');
  }
  if (!plainDecimal.test(normalised)) return { ok: false, reason: 'the amount is not a number' };
  const parsed = parseAmount(normalised.replace(/^\+/, ''), currency);
  if (!parsed.exact) return { ok: false, reason: `the amount has more decimals than ${currency} has (${currencyExponent(currency)})` };
  if (!Number.isSafeInteger(parsed.minor)) return { ok: false, reason: 'the amount is too large' };
  return { ok: true, value: parsed.minor };
}

/**
 * PayPal's settlement amounts: unsigned whole numbers in hundredths whatever the currency
 * ("10000" is USD 100.00 and JPY 100), signed by a CR/DR column. Answers signed minor units.
 */
export function readHundredthsAmount(text: string, indicator: string, currency: string): CellResult<number> {
  if (!/^\d+$/.test(text)) return { ok: false, reason: 'the amount is not a number (PayPal writes unsigned hundredths, e.g. 10000)' };
  if (indicator !== 'CR' && indicator !== 'DR') return { ok: false, reason: 'the debit/credit indicator is neither CR nor DR' };
  const exponent = currencyExponent(currency);
  const hundredths = BigInt(text);
  const scaled = exponent >= 2 ? hundredths * 10n ** BigInt(exponent - 2) : hundredths;
  const divisor = exponent >= 2 ? 1n : 10n ** BigInt(2 - exponent);
  if (scaled % divisor !== 0n) return { ok: false, reason: `the amount is not a whole number of ${currency} minor units` };
  const minor = Number(scaled / divisor);
  if (!Number.isSafeInteger(minor)) return { ok: false, reason: 'the amount is too large' };
  return { ok: true, value: indicator === 'DR' && minor !== 0 ? -minor : minor };
}

/** A currency cell ("usd" or "USD") as an ISO 4217 code in capitals. */
export function readCurrency(text: string): CellResult<string> {
  const code = text.trim().toUpperCase();
  if (code === '') return { ok: false, reason: 'the currency is missing' };
  if (!isIso4217Currency(code)) return { ok: false, reason: 'not an ISO 4217 currency code' };
  return { ok: true, value: code };
}

/** Date layouts a tenant's mapping may name. Times without an offset are read as UTC. */
export const settlementDateFormats = ['iso', 'YYYY-MM-DD', 'DD/MM/YYYY', 'MM/DD/YYYY', 'DD.MM.YYYY', 'YYYY/MM/DD'] as const;
export type SettlementDateFormat = (typeof settlementDateFormats)[number] | 'paypal';

const timePart = String.raw`(?:[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?`;
const offsetPart = String.raw`\s*(Z|[+-]\d{2}:?\d{2})?`;
const layouts: Record<SettlementDateFormat, { pattern: RegExp; order: [number, number, number] }> = {
  // Captures are day-month-year positions in the match, as [year, month, day].
  iso: { pattern: new RegExp(`^(\\d{4})-(\\d{2})-(\\d{2})${timePart}${offsetPart}$`), order: [1, 2, 3] },
  'YYYY-MM-DD': { pattern: new RegExp(`^(\\d{4})-(\\d{2})-(\\d{2})${timePart}$`), order: [1, 2, 3] },
  'YYYY/MM/DD': { pattern: new RegExp(`^(\\d{4})/(\\d{2})/(\\d{2})${timePart}$`), order: [1, 2, 3] },
  'DD/MM/YYYY': { pattern: new RegExp(`^(\\d{2})/(\\d{2})/(\\d{4})${timePart}$`), order: [3, 2, 1] },
  'MM/DD/YYYY': { pattern: new RegExp(`^(\\d{2})/(\\d{2})/(\\d{4})${timePart}$`), order: [3, 1, 2] },
  'DD.MM.YYYY': { pattern: new RegExp(`^(\\d{2})\\.(\\d{2})\\.(\\d{4})${timePart}$`), order: [3, 2, 1] },
  // PayPal: "2026/01/06 00:00:30 -0800", local time with its offset.
  paypal: { pattern: new RegExp(`^(\\d{4})/(\\d{2})/(\\d{2})${timePart}${offsetPart}$`), order: [1, 2, 3] },
};

/** A date or timestamp in the named layout as ISO 8601 with an offset (`2026-01-06T00:00:30-08:00`). */
export function readTimestamp(text: string, format: SettlementDateFormat): CellResult<string> {
  const value = text.trim();
  if (value === '') return { ok: false, reason: 'the date is missing' };
  const match = layouts[format].pattern.exec(value);
  if (!match) return { ok: false, reason: `the date is not in the ${format === 'paypal' ? 'YYYY/MM/DD HH:MM:SS ±HHMM' : format} layout` };
  const [yearAt, monthAt, dayAt] = layouts[format].order;
  const year = Number(match[yearAt]);
  const month = Number(match[monthAt]);
  const day = Number(match[dayAt]);
  const [hour, minute, second] = [match[4], match[5], match[6]].map((part) => Number(part ?? '0')) as [number, number, number];
  const fraction = match[7] ?? '';
  const calendar = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (
    calendar.getUTCFullYear() !== year ||
    calendar.getUTCMonth() !== month - 1 ||
    calendar.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  )
    return { ok: false, reason: 'the date does not exist in the calendar' };
  const offsetText = match[8];
  const offset = offsetText === undefined || offsetText === 'Z' ? 'Z' : `${offsetText.slice(0, 3)}:${offsetText.slice(-2)}`;
  const pad = (part: number, width = 2) => String(part).padStart(width, '0');
  return {
    ok: true,
    value: `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}${fraction}${offset}`,
  };
}

/** The calendar date (YYYY-MM-DD) of a timestamp read by {@link readTimestamp}, as the file wrote it. */
export function calendarDateOf(isoTimestamp: string): string {
  return isoTimestamp.slice(0, 10);
}
