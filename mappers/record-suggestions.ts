import { alignTokens, editSimilarity, percent } from './item-similarity.js';
import { caseFolded, nameTokens, withoutSeparators } from './sku-normalisation.js';
import { defaultMinimumConfidence } from './item-suggestions.js';

/**
 * Suggestions for the mapping tables other than items (customers, payment methods, dimensions,
 * shipping methods), built from the item scorer's pieces: the same normal forms, token and edit
 * similarity, confidences in [0, 1] with reasons in words. Each candidate is the mapping row it
 * would write. Pure: the storefront value and the tenant's Intacct records come in.
 */

/** One ranked candidate: the mapping row it would write, how sure, and why. */
export interface RecordCandidate {
  row: Record<string, string>;
  confidence: number;
  reasons: string[];
}

export interface RecordSuggestOptions {
  /** Most candidates per value (default 3). */
  limit?: number;
  /** Candidates below this are not offered (default the item scorer's). */
  minimumConfidence?: number;
}

/** How alike two texts are as words (reordered, typos) or as strings, in [0, 1]. */
export function textSimilarity(a: string, b: string): number {
  const left = nameTokens(a);
  const right = nameTokens(b);
  if (left.length === 0 || right.length === 0) return 0;
  return Math.max(alignTokens(left, right).similarity, editSimilarity(left.join(' '), right.join(' ')));
}

/** The share of `words`' tokens that `text` has (a method named inside an account title), in [0, 1]. */
function containment(words: string, text: string): number {
  const wanted = nameTokens(words);
  if (wanted.length === 0) return 0;
  const alignment = alignTokens(wanted, nameTokens(text));
  return (wanted.length - alignment.unmatchedLeft.length) / wanted.length;
}

const sameText = (a: string | undefined, b: string | undefined) =>
  a !== undefined && b !== undefined && a.trim() !== '' && withoutSeparators(a) === withoutSeparators(b);

/** Rounded, the weak dropped, the best first (ties by row, so answers are stable), at most `limit`. */
function ranked(candidates: readonly RecordCandidate[], options: RecordSuggestOptions): RecordCandidate[] {
  const minimum = options.minimumConfidence ?? defaultMinimumConfidence;
  const key = (candidate: RecordCandidate) => JSON.stringify(candidate.row);
  return candidates
    .map((candidate) => ({ ...candidate, confidence: Math.round(Math.min(1, candidate.confidence) * 100) / 100 }))
    .filter((candidate) => candidate.confidence >= minimum)
    .sort((a, b) => b.confidence - a.confidence || key(a).localeCompare(key(b)))
    .slice(0, options.limit ?? 3);
}

/** A postal address as both sides compare it. */
export interface SuggestionAddress {
  line1?: string | undefined;
  city?: string | undefined;
  postalCode?: string | undefined;
  country?: string | undefined;
}

/** A storefront customer looking for its Intacct customer. */
export interface CustomerSuggestionQuery {
  /** The customers table's key: the storefront customer id, or a guest's email. */
  storefrontCustomer: string;
  email?: string | undefined;
  name?: string | undefined;
  company?: string | undefined;
  address?: SuggestionAddress | undefined;
}

/** An Intacct customer as suggestions compare it (CUSTOMER with its display contact). */
export interface SuggestibleCustomer {
  customerId: string;
  name: string;
  email?: string | undefined;
  company?: string | undefined;
  address?: SuggestionAddress | undefined;
}

/** Postal code and country equal, street and city alike: in [0, 1]; undefined when either side has too little. */
function addressSimilarity(a: SuggestionAddress | undefined, b: SuggestionAddress | undefined): number | undefined {
  if (a?.line1 === undefined || b?.line1 === undefined || a.line1.trim() === '' || b.line1.trim() === '') return undefined;
  const parts = [textSimilarity(a.line1, b.line1)];
  if (a.city !== undefined && b.city !== undefined) parts.push(textSimilarity(a.city, b.city));
  if (a.postalCode !== undefined && b.postalCode !== undefined) parts.push(sameText(a.postalCode, b.postalCode) ? 1 : 0);
  if (a.country !== undefined && b.country !== undefined && caseFolded(a.country) !== caseFolded(b.country)) return 0;
  return parts.reduce((sum, part) => sum + part, 0) / parts.length;
}

/**
 * Intacct customers for a storefront customer: the same email is nearly certain; otherwise
 * name, company and address similarity, weighed over what both sides have (name and company
 * 0.4 and 0.3, address 0.3), with at least a name or company alike; a different email on both
 * sides weakens it.
 */
export function suggestCustomers(
  query: CustomerSuggestionQuery,
  customers: readonly SuggestibleCustomer[],
  options: RecordSuggestOptions = {},
): RecordCandidate[] {
  const queryEmail = query.email ?? (query.storefrontCustomer.includes('@') ? query.storefrontCustomer : undefined);
  const candidates = customers.flatMap((customer): RecordCandidate[] => {
    const row = { storefrontCustomer: query.storefrontCustomer, intacctCustomerId: customer.customerId };
    const emailsKnown = queryEmail !== undefined && customer.email !== undefined && customer.email.trim() !== '';
    if (emailsKnown && caseFolded(queryEmail) === caseFolded(customer.email!)) return [{ row, confidence: 0.97, reasons: ['same email'] }];
    const weighed: Array<[string, number, number]> = [];
    const intacctName = customer.name;
    if (query.name !== undefined && intacctName !== '') weighed.push(['name', 0.4, textSimilarity(query.name, intacctName)]);
    const company = customer.company ?? customer.name;
    if (query.company !== undefined && company !== '') weighed.push(['company', 0.3, textSimilarity(query.company, company)]);
    if (!weighed.some(([, , similarity]) => similarity >= 0.6)) return [];
    const address = addressSimilarity(query.address, customer.address);
    if (address !== undefined) weighed.push(['address', 0.3, address]);
    const weight = weighed.reduce((sum, [, share]) => sum + share, 0);
    let confidence = (0.9 * weighed.reduce((sum, [, share, similarity]) => sum + share * similarity, 0)) / weight;
    const reasons = weighed.map(([what, , similarity]) => `${what} ${percent(similarity)} similar`);
    if (emailsKnown) {
      confidence *= 0.8;
      reasons.push('another email');
    }
    return [{ row, confidence, reasons }];
  });
  return ranked(candidates, options);
}

/** The tenant's Intacct accounts a payment method's receipts may go to. */
export interface SuggestibleAccounts {
  glAccounts: ReadonlyArray<{ accountNo: string; title: string }>;
  bankAccounts: ReadonlyArray<{ bankAccountId: string; name: string }>;
}

/**
 * GL and bank accounts for a storefront payment method, by name and account title: the method
 * named inside the title ("PayPal" in "PayPal clearing") or titles alike.
 */
export function suggestPaymentAccounts(
  query: { paymentMethod: string },
  accounts: SuggestibleAccounts,
  options: RecordSuggestOptions = {},
): RecordCandidate[] {
  const { paymentMethod } = query;
  const score = (title: string, what: string): { confidence: number; reasons: string[] } => {
    const named = containment(paymentMethod, title);
    const alike = textSimilarity(paymentMethod, title);
    return named >= alike
      ? { confidence: 0.9 * named, reasons: [`${what} names ${paymentMethod}`] }
      : { confidence: 0.85 * alike, reasons: [`${what} ${percent(alike)} similar`] };
  };
  const candidates: RecordCandidate[] = [
    ...accounts.glAccounts.map((account) => ({
      row: { paymentMethod, glAccountNo: account.accountNo },
      ...score(account.title, `GL account title "${account.title}"`),
    })),
    ...accounts.bankAccounts.map((account) => ({
      row: { paymentMethod, bankAccountId: account.bankAccountId },
      ...score(`${account.bankAccountId} ${account.name}`, `bank account "${account.name}"`),
    })),
  ];
  return ranked(candidates, options);
}

/** The Intacct dimensions a storefront value may stand for. */
export type DimensionName = 'department' | 'location' | 'project' | 'class';

/** One value of an Intacct dimension: its id and its name (TITLE or NAME). */
export interface SuggestibleDimensionValue {
  dimension: DimensionName;
  id: string;
  name: string;
}

/**
 * Dimension values for a storefront value (an order attribute, a channel, a customer group):
 * the value equal to an id or a name, else alike to the name; limited to one dimension when
 * the query names it.
 */
export function suggestDimensionValues(
  query: { storefrontValue: string; dimension?: DimensionName | undefined },
  values: readonly SuggestibleDimensionValue[],
  options: RecordSuggestOptions = {},
): RecordCandidate[] {
  const { storefrontValue } = query;
  const candidates = values
    .filter((value) => query.dimension === undefined || value.dimension === query.dimension)
    .map((value): RecordCandidate => {
      const row = { storefrontValue, [value.dimension]: value.id };
      if (sameText(storefrontValue, value.id)) return { row, confidence: 0.97, reasons: [`same as the ${value.dimension} id`] };
      if (sameText(storefrontValue, value.name)) return { row, confidence: 0.95, reasons: [`same as the ${value.dimension} name`] };
      const alike = Math.max(textSimilarity(storefrontValue, value.name), textSimilarity(storefrontValue, value.id));
      return { row, confidence: 0.9 * alike, reasons: [`${value.dimension} ${value.name} ${percent(alike)} similar`] };
    });
  return ranked(candidates, options);
}

/** Carriers whose names tell shipping methods apart: "UPS Ground" is not "FedEx Ground". */
const carriers = ['ups', 'fedex', 'dhl', 'usps', 'royalmail', 'dpd', 'gls', 'canadapost', 'auspost'];
const carrierOf = (method: string) => {
  const compact = withoutSeparators(method);
  return carriers.find((carrier) => compact.includes(carrier));
};

/**
 * Intacct shipping methods (SHIPMETHOD names) for a storefront method: equal after case and
 * separators, else alike by words; a different carrier on both sides is another method.
 */
export function suggestShippingMethods(
  query: { storefrontMethod: string },
  methods: readonly string[],
  options: RecordSuggestOptions = {},
): RecordCandidate[] {
  const { storefrontMethod } = query;
  const candidates = methods.map((method): RecordCandidate => {
    const row = { storefrontMethod, intacctShippingMethod: method };
    if (sameText(storefrontMethod, method)) return { row, confidence: 0.97, reasons: ['same shipping method'] };
    const alike = textSimilarity(storefrontMethod, method);
    const ours = carrierOf(storefrontMethod);
    const theirs = carrierOf(method);
    if (ours !== undefined && theirs !== undefined && ours !== theirs)
      return {
        row,
        confidence: 0.45 * alike,
        reasons: [`name ${percent(alike)} similar`, `another carrier: ${ours} here, ${theirs} in Intacct`],
      };
    return {
      row,
      confidence: (ours !== undefined && ours === theirs ? 0.9 : 0.85) * alike + (ours !== undefined && ours === theirs ? 0.1 : 0),
      reasons: [...(ours !== undefined && ours === theirs ? [`same carrier (${ours})`] : []), `name ${percent(alike)} similar`],
    };
  });
  return ranked(candidates, options);
}
