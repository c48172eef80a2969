import type { DocumentContact, InlineContact, MailAddress } from '../connectors/intacct/functions/legacy-parts.js';
import type { CanonicalAddress, CanonicalOrder } from './canonical-order.js';

/**
 * Intacct's contact field lengths (CONTACT: name and print-as 200, company 100, first and last
 * name 40, phone 30, email 200, city 80, country 60; address lines 255 as on the customer).
 * State and postal code lengths are not published; 40 and 30 are what Intacct's own forms
 * take. Longer storefront text is cut rather than refused: a shortened display name is
 * better than an order stuck for a cosmetic field.
 */
export const intacctContactLimits = {
  contactName: 200,
  printAs: 200,
  companyName: 100,
  firstName: 40,
  lastName: 40,
  phone: 30,
  email: 200,
  addressLine: 255,
  city: 80,
  state: 40,
  zip: 30,
  country: 60,
} as const;

const storefrontCodes: Readonly<Record<CanonicalOrder['storefront'], string>> = { bigcommerce: 'BC', clarity: 'CL' };

/** Which of the document's contacts an address becomes. */
export type ContactRole = 'billTo' | 'shipTo';

const roleLabels: Readonly<Record<ContactRole, string>> = { billTo: 'bill-to', shipTo: 'ship-to' };

/** Text cut to at most `max` characters (by code point, so no half of a surrogate pair is left), trailing space removed. */
export function clip(text: string, max: number): string {
  const characters = [...text];
  return characters.length <= max ? text : characters.slice(0, max).join('').trimEnd();
}

function present(text: string | undefined, max: number): string | undefined {
  const trimmed = text?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : clip(trimmed, max);
}

const regionNames = new Intl.DisplayNames('en', { type: 'region', fallback: 'none' });

/** The English country name of an ISO 3166-1 alpha-2 code (`US` → "United States"), or undefined when it is not one. */
export function countryNameOf(code: string): string | undefined {
  if (!/^[A-Z]{2}$/.test(code)) return undefined;
  return regionNames.of(code);
}

/** "First Last", or the company when the address has no person's name. */
export function personOrCompanyName(address: Pick<CanonicalAddress, 'firstName' | 'lastName' | 'company'>): string {
  const person = [address.firstName, address.lastName]
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .join(' ');
  return person !== '' ? person : (address.company?.trim() ?? '');
}

/**
 * Intacct recommends names and ids made of letters, digits, single spaces, single dashes,
 * underscores and periods; anything else (apostrophes, ampersands, brackets) can make a
 * contact impossible to find again, so it becomes a space.
 */
function contactNameSafe(text: string): string {
  return text
    .replace(/[^\p{L}\p{N} ._-]+/gu, ' ')
    .replace(/-{2,}/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The contact name of an order's address: the person (or company), then the storefront, order
 * and role, e.g. "Jane Doe - BC 100 bill-to". Contact names are Intacct's unique key for a
 * contact, so the order id and role keep two shoppers called Jane Doe, and an order's two
 * addresses, apart; the same order always gets the same names, so a retry sends the same
 * contact. The person's part is cut first when the whole would pass Intacct's 200 characters.
 */
export function documentContactName(
  address: Pick<CanonicalAddress, 'firstName' | 'lastName' | 'company'>,
  order: Pick<CanonicalOrder, 'storefront' | 'orderId'>,
  role: ContactRole,
): string {
  const suffix = contactNameSafe(`${storefrontCodes[order.storefront]} ${order.orderId} ${roleLabels[role]}`);
  const name = contactNameSafe(personOrCompanyName(address));
  if (name === '') return clip(suffix, intacctContactLimits.contactName);
  const room = intacctContactLimits.contactName - [...suffix].length - ' - '.length;
  if (room <= 0) return clip(suffix, intacctContactLimits.contactName);
  return `${clip(name, room)} - ${suffix}`;
}

/** A canonical address as Intacct's mail address: region as state, the ISO code and its country name. */
export function toMailAddress(address: CanonicalAddress): MailAddress {
  const countryName = countryNameOf(address.country);
  const line1 = present(address.line1, intacctContactLimits.addressLine);
  const line2 = present(address.line2, intacctContactLimits.addressLine);
  const city = present(address.city, intacctContactLimits.city);
  const state = present(address.region, intacctContactLimits.state);
  const zip = present(address.postalCode, intacctContactLimits.zip);
  const country = present(countryName ?? address.country, intacctContactLimits.country);
  return {
    ...(line1 !== undefined && { address1: line1 }),
    ...(line2 !== undefined && { address2: line2 }),
    ...(city !== undefined && { city }),
    ...(state !== undefined && { state }),
    ...(zip !== undefined && { zip }),
    ...(country !== undefined && { country }),
    ...(countryName !== undefined && { isoCountryCode: address.country }),
  };
}

/** An order's address as an inline contact of its sales document (created with the document). */
export function toDocumentContact(
  address: CanonicalAddress,
  order: Pick<CanonicalOrder, 'storefront' | 'orderId'>,
  role: ContactRole,
): DocumentContact {
  const printAs = present(personOrCompanyName(address), intacctContactLimits.printAs);
  const companyName = present(address.company, intacctContactLimits.companyName);
  const firstName = present(address.firstName, intacctContactLimits.firstName);
  const lastName = present(address.lastName, intacctContactLimits.lastName);
  const phone1 = present(address.phone, intacctContactLimits.phone);
  const email1 = present(address.email?.toLowerCase(), intacctContactLimits.email);
  const contactName = documentContactName(address, order, role);
  const contact: InlineContact = {
    contactName,
    // Intacct requires a print-as name; an address with neither name nor company prints as its contact name.
    printAs: printAs ?? contactName,
    ...(companyName !== undefined && { companyName }),
    ...(firstName !== undefined && { firstName }),
    ...(lastName !== undefined && { lastName }),
    ...(phone1 !== undefined && { phone1 }),
    ...(email1 !== undefined && { email1 }),
    mailAddress: toMailAddress(address),
  };
  return { contact };
}

/** The bill-to contact from the billing address, and the ship-to contact when the order ships somewhere. */
export function toDocumentContacts(order: Pick<CanonicalOrder, 'storefront' | 'orderId' | 'billingAddress' | 'shippingAddress'>): {
  billTo: DocumentContact;
  shipTo?: DocumentContact;
} {
  return {
    billTo: toDocumentContact(order.billingAddress, order, 'billTo'),
    ...(order.shippingAddress !== undefined && { shipTo: toDocumentContact(order.shippingAddress, order, 'shipTo') }),
  };
}
