import type { IntacctRefusalWords } from './refund-refusal.js';

/** A customers mapping row naming the refused customer, and who wrote it. */
export interface MappingRowOrigin {
  /** The row's storefront key (customer id or email). */
  key: string;
  /** True when the product wrote the row itself (a match or creation it remembered), false when a person did. */
  learned: boolean;
}

/**
 * What to do about an Intacct refusal of a document's customer:
 * - `forget`: the product had learned these rows itself; they point at a customer Intacct no
 *   longer knows (deleted, inactive, a company reset), so they are dropped and the customer is
 *   resolved again (matched or created by the tenant's settings);
 * - `park`: the refusal is not about the document's customer, or only rows a person entered name
 *   it; a person's row is never dropped automatically, so the order parks with Intacct's words.
 */
export type StaleMappingVerdict = { action: 'forget'; keys: string[] } | { action: 'park' };

const invalidCustomer = /\binvalid customer\b\s*(?:'([^']*)'|"([^"]*)"|([^\s.,;:]+))?/i;

/**
 * Whether Intacct refused `customerId` itself: its "Invalid Customer 'X' specified." answer
 * (BL03000003 on a sales document) naming this customer, or naming none. The error number is
 * unverified (the reference marks it so) and is shared with every other unknown reference, so the
 * gateway's wording decides.
 */
export function refusesCustomer(refusal: readonly IntacctRefusalWords[], customerId: string): boolean {
  return refusal.some((words) =>
    [words.description2, words.description].some((text) => {
      const match = invalidCustomer.exec(text ?? '');
      if (match === null) return false;
      const named = match[1] ?? match[2] ?? match[3];
      return named === undefined || named.toLowerCase() === 'specified' || named.trim() === customerId.trim();
    }),
  );
}

/**
 * The verdict on a refusal of a sales document for `customerId`, given the customers mapping rows
 * that name that customer. Every learned row naming it is forgotten, not only the shopper's:
 * Intacct refuses the customer for every shopper it was remembered for.
 */
export function staleMappingVerdict(
  refusal: readonly IntacctRefusalWords[],
  customerId: string,
  rowsNamingCustomer: readonly MappingRowOrigin[],
): StaleMappingVerdict {
  if (!refusesCustomer(refusal, customerId)) return { action: 'park' };
  const keys = rowsNamingCustomer
    .filter((row) => row.learned)
    .map((row) => row.key)
    .sort();
  return keys.length === 0 ? { action: 'park' } : { action: 'forget', keys };
}
