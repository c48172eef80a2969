import { element, type XmlElement } from './xml-writer.js';

/** A business date as plain `YYYY-MM-DD` text: never a `Date`, so no time zone can shift the day. */
export type BusinessDate = string;

const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;

function splitDate(date: BusinessDate): [string, string, string] {
  const match = isoDate.exec(date);
  if (!match) throw new RangeError(`Expected a YYYY-MM-DD date, got ${JSON.stringify(date)}`);
  const [, year, month, day] = match as unknown as [string, string, string, string];
  const probe = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (probe.getUTCMonth() + 1 !== Number(month) || probe.getUTCDate() !== Number(day)) throw new RangeError(`No such date: ${date}`);
  return [year, month, day];
}

/** Legacy-function date: `<name><year/><month/><day/></name>`, zero-padded like the SDKs. */
export function legacyDate(name: string, date: BusinessDate): XmlElement {
  const [year, month, day] = splitDate(date);
  return element(name, [element('year', year), element('month', month), element('day', day)]);
}

/** Generic-function date: `MM/DD/YYYY`. */
export function genericDate(date: BusinessDate): string {
  const [year, month, day] = splitDate(date);
  return `${month}/${day}/${year}`;
}

/** `MM/DD/YYYY` from a response back to `YYYY-MM-DD`. */
export function fromGenericDate(value: string): BusinessDate | undefined {
  const match = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(value.trim());
  return match ? `${match[3]}-${match[1]}-${match[2]}` : undefined;
}

/**
 * Integer minor units to Intacct's decimal text (`1999`, exponent 2 → `19.99`); money is held
 * as integers everywhere else and converted only here, at the edge.
 */
export function minorUnitsToDecimal(minorUnits: number, exponent: number): string {
  if (!Number.isSafeInteger(minorUnits)) throw new RangeError(`Minor units must be a safe integer, got ${minorUnits}`);
  if (!Number.isInteger(exponent) || exponent < 0 || exponent > 4) throw new RangeError(`Unsupported currency exponent ${exponent}`);
  const negative = minorUnits < 0;
  const digits = Math.abs(minorUnits)
    .toString()
    .padStart(exponent + 1, '0');
  const whole = exponent === 0 ? digits : digits.slice(0, -exponent);
  const fraction = exponent === 0 ? '' : `.${digits.slice(-exponent)}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** Intacct decimal text back to integer minor units; refuses values with more precision than the currency. */
export function decimalToMinorUnits(value: string, exponent: number): number {
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!match) throw new RangeError(`Not a decimal amount: ${JSON.stringify(value)}`);
  const fraction = (match[3] ?? '').replace(/0+$/, '');
  if (fraction.length > exponent) throw new RangeError(`${value} has more than ${exponent} decimals`);
  const minor = Number(`${match[2]}${fraction.padEnd(exponent, '0')}`);
  return match[1] && minor !== 0 ? -minor : minor;
}

/**
 * Quotes a literal for the readByQuery language: single quotes, with backslash before an
 * apostrophe or a backslash inside the value.
 */
export function queryLiteral(value: string): string {
  return `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}
