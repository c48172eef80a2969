import type { IntacctRefusalWords } from './refund-refusal.js';

/**
 * What Intacct refused in a sales document, when it is something the tenant's mappings or
 * settings put there: a dimension value (standard or user-defined) that does not exist or is
 * inactive, or a custom field the transaction does not define.
 */
export type SalesDocumentRefusal = { kind: 'dimensionValue'; dimension: string; value: string } | { kind: 'customField'; field: string };

/** "Invalid Department 'X' specified.": the gateway's words for an unknown reference. */
const invalidReference = /\binvalid ([a-z][a-z ]*?) '([^']*)' specified/i;
/** "The custom field X is not defined …": the sandbox's words (the real wording is unverified). */
const unknownCustomField = /\bcustom field '?([A-Za-z0-9_]+)'? (?:is not defined|does not exist)/i;
/** References the order's own resolution handles (customers, items), not dimension values. */
const notDimensions = new Set(['customer', 'item', 'term', 'transaction definition', 'source transaction']);

/**
 * Reads Intacct's refusal of a sales document into {@link SalesDocumentRefusal}, or undefined
 * when it is about something else. The error numbers are unverified (the reference marks them
 * so, and the same number covers every unknown reference), so the gateway's wording decides.
 */
export function salesDocumentRefusal(refusal: readonly IntacctRefusalWords[]): SalesDocumentRefusal | undefined {
  for (const words of refusal) {
    for (const text of [words.description2, words.description]) {
      const field = unknownCustomField.exec(text ?? '');
      if (field !== null) return { kind: 'customField', field: field[1]!.toUpperCase() };
      const reference = invalidReference.exec(text ?? '');
      if (reference !== null && !notDimensions.has(reference[1]!.toLowerCase()))
        return { kind: 'dimensionValue', dimension: reference[1]!, value: reference[2]! };
    }
  }
  return undefined;
}
