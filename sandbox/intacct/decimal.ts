/**
 * Exact decimal arithmetic for amounts and quantities, as integers scaled by 10^6 in BigInt;
 * floating point would drift on sums of prices.
 */
const scale = 1_000_000n;

/** A decimal as a scaled integer. */
export type Scaled = bigint;

/** Parses decimal text ("19.99", "-5", "0.125"); undefined when it is not a plain decimal. */
export function parseDecimal(value: string): Scaled | undefined {
  const match = /^\s*(-)?(\d+)(?:\.(\d{1,6}))?\s*$/.exec(value);
  if (!match) return undefined;
  const scaled = BigInt(match[2]!) * scale + BigInt((match[3] ?? '').padEnd(6, '0'));
  return match[1] ? -scaled : scaled;
}

/** Rounds half away from zero to `places` decimals. */
export function roundTo(value: Scaled, places: number): Scaled {
  const unit = 10n ** BigInt(6 - places);
  const half = unit / 2n;
  const rounded = value >= 0n ? ((value + half) / unit) * unit : -(((-value + half) / unit) * unit);
  return rounded;
}

/** Multiplies two scaled decimals. */
export function multiply(a: Scaled, b: Scaled): Scaled {
  return (a * b) / scale;
}

/** Formats as Intacct does: plain decimal, trailing zeros dropped ("5900", "19.9"). */
export function formatDecimal(value: Scaled): string {
  const negative = value < 0n;
  const absolute = negative ? -value : value;
  const whole = absolute / scale;
  const fraction = (absolute % scale).toString().padStart(6, '0').replace(/0+$/, '');
  return `${negative && absolute !== 0n ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** The scaled form of an integer. */
export function fromInteger(value: number): Scaled {
  return BigInt(value) * scale;
}
