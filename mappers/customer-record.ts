import type { CustomerInput } from '../connectors/intacct/functions/create-customer.js';
import type { CanonicalOrder } from './canonical-order.js';
import { clip, countryNameOf, intacctContactLimits, personOrCompanyName } from './document-contacts.js';

/** Intacct's CUSTOMERID holds at most 20 characters. */
export const maxIntacctCustomerIdLength = 20;
/** Intacct's customer NAME holds at most 100 characters. */
export const maxIntacctCustomerNameLength = 100;

const storefrontCodes: Readonly<Record<CanonicalOrder['storefront'], string>> = { bigcommerce: 'BC', clarity: 'CL' };

/** How the storefront identifies the shopper: what a customer is matched by and remembered under. */
export interface ShopperKeys {
  /** The storefront's customer id (registered shoppers only). */
  storefrontCustomerId?: string;
  /** Lower case: storefronts do not keep the case a shopper typed. */
  email?: string;
  phone?: string;
  /** The billing company (an order's) or the customer's company (the store's record), when a `field` match key reads it. */
  company?: string;
}

function nonEmpty(text: string | undefined): string | undefined {
  const trimmed = text?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

/**
 * The shopper's keys: storefront customer id, the order's email (else the billing email), the
 * billing phone, and the billing company only when `company` (a match key reads it; otherwise it
 * stays out of attention details).
 */
export function shopperKeysOf(
  order: Pick<CanonicalOrder, 'customer' | 'billingAddress'>,
  options: { company?: boolean } = {},
): ShopperKeys {
  const storefrontCustomerId = order.customer.kind === 'registered' ? nonEmpty(order.customer.customerId) : undefined;
  const email = nonEmpty(order.customer.email ?? order.billingAddress.email)?.toLowerCase();
  const phone = nonEmpty(order.billingAddress.phone);
  const company = options.company === true ? nonEmpty(order.billingAddress.company) : undefined;
  return {
    ...(storefrontCustomerId !== undefined && { storefrontCustomerId }),
    ...(email !== undefined && { email }),
    ...(phone !== undefined && { phone }),
    ...(company !== undefined && { company }),
  };
}

/** The value of the shopper field a `field` match key reads (`orderSync.customerMatching.matchField.shopper`). */
export function shopperFieldValue(keys: ShopperKeys, field: 'customerId' | 'email' | 'phone' | 'company'): string | undefined {
  return field === 'customerId' ? keys.storefrontCustomerId : keys[field];
}

/** The customers mapping table key a shopper is remembered under: the storefront customer id, else the email. */
export function customerMappingKeyOf(keys: ShopperKeys): string | undefined {
  return keys.storefrontCustomerId ?? keys.email;
}

/** Letters and digits joined by single dashes, underscores or periods: what Intacct's ids take without trouble. */
const plainId = /^[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*$/;

const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const fnvOffset = 0xcbf29ce484222325n;
const fnvPrime = 0x100000001b3n;
const mask64 = (1n << 64n) - 1n;

/**
 * FNV-1a over the UTF-8 bytes, 64 bits, as 13 Crockford base-32 characters. Not a secret, only
 * a short stable name for text that does not fit an Intacct id; a collision would make a
 * create answer "already exists", which the caller checks against the shopper's email.
 */
export function shortHash(text: string): string {
  let hash = fnvOffset;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * fnvPrime) & mask64;
  }
  let out = '';
  for (let index = 0; index < 13; index += 1) {
    out = crockford[Number(hash & 31n)]! + out;
    hash >>= 5n;
  }
  return out;
}

/**
 * The Intacct customer id the product creates for a shopper, the same on every attempt:
 * - a storefront customer id that is plain and fits: `BC-123`, `CL-CU-2001`;
 * - any other storefront customer id (a GUID, an id with spaces): `BCH-` + a hash of it;
 * - no customer id but an email: `BCE-` + a hash of the lower-case email.
 * The three forms have different prefixes so they can never name the same customer by accident.
 * Undefined when the shopper has neither id nor email.
 */
export function intacctCustomerIdFor(storefront: CanonicalOrder['storefront'], keys: ShopperKeys): string | undefined {
  const code = storefrontCodes[storefront];
  if (keys.storefrontCustomerId !== undefined) {
    const direct = `${code}-${keys.storefrontCustomerId}`;
    if (plainId.test(keys.storefrontCustomerId) && direct.length <= maxIntacctCustomerIdLength) return direct;
    return `${code}H-${shortHash(keys.storefrontCustomerId)}`;
  }
  if (keys.email !== undefined) return `${code}E-${shortHash(keys.email.toLowerCase())}`;
  return undefined;
}

/**
 * The new Intacct customer for an order's shopper: named after the billing company (a business
 * buying) or else the person, with the billing address as its display contact, and the
 * tenant's default payment term so its documents have a due date.
 */
export function toIntacctCustomer(
  order: Pick<CanonicalOrder, 'customer' | 'billingAddress'>,
  customerId: string,
  options: { paymentTerm?: string | undefined } = {},
): CustomerInput & { customerId: string } {
  const address = order.billingAddress;
  const keys = shopperKeysOf(order);
  const company = nonEmpty(address.company);
  const name = clip(company ?? nonEmpty(personOrCompanyName(address)) ?? keys.email ?? customerId, maxIntacctCustomerNameLength);
  const firstName = nonEmpty(address.firstName);
  const lastName = nonEmpty(address.lastName);
  const countryName = countryNameOf(address.country);
  const mail = {
    address1: nonEmpty(address.line1),
    address2: nonEmpty(address.line2),
    city: nonEmpty(address.city),
    state: nonEmpty(address.region),
    zip: nonEmpty(address.postalCode),
    country: countryName ?? nonEmpty(address.country),
  };
  const limits = {
    address1: intacctContactLimits.addressLine,
    address2: intacctContactLimits.addressLine,
    city: intacctContactLimits.city,
    state: intacctContactLimits.state,
    zip: intacctContactLimits.zip,
    country: intacctContactLimits.country,
  };
  const mailAddress = Object.fromEntries(
    Object.entries(mail)
      .filter((entry): entry is [keyof typeof mail, string] => entry[1] !== undefined)
      .map(([field, value]) => [field, clip(value, limits[field])]),
  );
  return {
    customerId,
    name,
    ...(keys.email !== undefined && { email: clip(keys.email, intacctContactLimits.email) }),
    ...(keys.phone !== undefined && { phone: clip(keys.phone, intacctContactLimits.phone) }),
    ...(firstName !== undefined && { firstName: clip(firstName, intacctContactLimits.firstName) }),
    ...(lastName !== undefined && { lastName: clip(lastName, intacctContactLimits.lastName) }),
    ...(company !== undefined && { companyName: clip(company, intacctContactLimits.companyName) }),
    ...(Object.keys(mailAddress).length > 0 && { address: mailAddress }),
    ...(options.paymentTerm !== undefined && { paymentTerm: options.paymentTerm }),
    status: 'active',
  };
}
