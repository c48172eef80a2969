/**
 * BigCommerce's wire formats: V2 money as decimal strings (usually 4 places), V2 dates in
 * RFC 2822, V3 dates in ISO 8601. The product keeps money as integer minor units.
 */

const decimalPattern = /^(-)?(\d+)(?:\.(\d+))?$/;

/** True when `value` is a plain decimal string such as `"62.6793"`, `"8"` or `"-1.50"`. */
export function isDecimalString(value: string): boolean {
  return decimalPattern.test(value);
}

/**
 * Converts a decimal string to integer minor units of a currency with `exponent` places,
 * rounding half away from zero (`"62.6793"` → 6268 cents). Throws on anything that is not
 * a plain decimal, so a malformed amount is never read as zero.
 */
export function decimalToMinorUnits(value: string, exponent = 2): number {
  const match = decimalPattern.exec(value.trim());
  if (!match) throw new RangeError(`not a decimal amount: ${JSON.stringify(value)}`);
  const [, sign, whole = '0', fraction = ''] = match;
  const kept = fraction.slice(0, exponent).padEnd(exponent, '0');
  let minor = BigInt(whole) * 10n ** BigInt(exponent) + BigInt(kept === '' ? '0' : kept);
  const firstDropped = fraction.charAt(exponent);
  if (firstDropped !== '' && Number(firstDropped) >= 5) minor += 1n;
  const result = Number(sign === '-' ? -minor : minor);
  if (!Number.isSafeInteger(result)) throw new RangeError(`amount out of range: ${value}`);
  return result === 0 ? 0 : result;
}

/** Writes integer minor units as BigCommerce's 4-decimal money string (1999 → `"19.9900"`). */
export function minorUnitsToDecimal(minor: number, exponent = 2): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`not an integer amount: ${minor}`);
  const negative = minor < 0;
  const digits = Math.abs(minor)
    .toString()
    .padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent).padEnd(4, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const rfc2822Pattern =
  /^(?:[A-Z][a-z]{2},\s*)?(\d{1,2})\s+([A-Z][a-z]{2})\s+(\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s+([+-])(\d{2})(\d{2})$/;

/**
 * Parses a V2 date (`"Tue, 05 Mar 2019 21:40:11 +0000"`) into ISO 8601 UTC. V2 sends `""`
 * for dates that have not happened (an unshipped order's `date_shipped`): that is undefined.
 */
export function parseRfc2822Date(value: string): string | undefined {
  if (value.trim() === '') return undefined;
  const match = rfc2822Pattern.exec(value.trim());
  const month = match ? months.indexOf(match[2]!) : -1;
  if (!match || month < 0) throw new RangeError(`not an RFC 2822 date: ${JSON.stringify(value)}`);
  const [, day, , year, hour, minute, second = '0', offsetSign, offsetHours, offsetMinutes] = match;
  const offsetMs = (Number(offsetHours) * 60 + Number(offsetMinutes)) * 60_000 * (offsetSign === '-' ? -1 : 1);
  const utc = Date.UTC(Number(year), month, Number(day), Number(hour), Number(minute), Number(second)) - offsetMs;
  return new Date(utc).toISOString();
}
