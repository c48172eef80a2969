import { z } from 'zod';
import { isIso4217Currency } from '../../mappers/money.js';

/**
 * Field builders shared by the settings and mapping-table schemas. They exist so that every
 * "required" and "wrong type" message reads the same in the admin API and in CSV imports,
 * instead of zod's generic "expected string, received undefined".
 */

/** Longest identifier we accept; Intacct ids are far shorter, storefront SKUs may be long. */
const maxIdentifierLength = 200;

/** A required, trimmed, non-empty piece of text such as an Intacct id or a storefront SKU. */
export function identifier(label: string) {
  return z
    .string({
      error: (issue) =>
        issue.code !== 'invalid_type' ? undefined : issue.input === undefined ? `${label} is required` : `${label} must be text`,
    })
    .trim()
    .min(1, `${label} must not be empty`)
    .max(maxIdentifierLength, `${label} must be at most ${maxIdentifierLength} characters`);
}

/** A boolean with a readable message (CSV cells are decoded to booleans before this runs). */
export function flag(label: string) {
  return z.boolean({ error: `${label} must be true or false` });
}

/** One of a fixed set of words, with the accepted words named in the message. */
export function oneOf<const T extends readonly [string, ...string[]]>(label: string, values: T) {
  return z.enum(values, { error: `${label} must be one of ${values.join(', ')}` });
}

/** An ISO 4217 alphabetic code in upper case, e.g. `USD`. */
export function currencyCode(label: string) {
  return z
    .string({ error: `${label} must be text` })
    .regex(/^[A-Z]{3}$/, `${label} must be a 3-letter upper-case ISO 4217 code`)
    .refine((code) => !/^[A-Z]{3}$/.test(code) || isIso4217Currency(code), `${label} is not an ISO 4217 currency code`);
}

/**
 * True when the runtime accepts the name as a time zone. `Intl.supportedValuesOf('timeZone')`
 * is not used because it omits `UTC` and the `Etc/*` aliases on Node 20.
 */
export function isValidTimeZone(name: string): boolean {
  if (name.trim() === '' || name !== name.trim()) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** An http(s) URL; other schemes are refused because the product only ever calls HTTP APIs. */
export function httpUrl(label: string) {
  return z.url({
    protocol: /^https?$/,
    error: (issue) => (issue.input === undefined ? `${label} is required` : `${label} must be an http or https URL`),
  });
}

/** Turns a zod issue path into the dotted form the API and the settings history use. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((segment) => String(segment)).join('.');
}
