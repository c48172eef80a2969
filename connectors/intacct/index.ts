/** Sage Intacct XML gateway connector: builders, parser, errors, client and the product's operations. */
export * from './catalog-items.js';
export * from './price-list-entries.js';
export * from './client.js';
export * from './customers.js';
export * from './customer-sync.js';
export * from './deposits.js';
export * from './envelope.js';
export * from './error-classification.js';
export * from './errors.js';
export * from './formats.js';
export * from './general-ledger.js';
export * from './inventory.js';
export * from './items.js';
export * from './item-catalogue.js';
export * from './paging.js';
export * from './receivables.js';
export * from './reference-data.js';
export * from './request-slot-keys.js';
export * from './request-slots.js';
export * from './response-parser.js';
export * from './sales-documents.js';
export * from './sales-document-listing.js';
export * from './sales-document-conversions.js';
export * from './session-cache.js';
export * from './transaction-counter.js';
export * from './transport.js';
export * from './xml-writer.js';
export * from './functions/create.js';
export * from './functions/create-aradjustment.js';
export * from './functions/create-arpayment.js';
export { applyArCredit as applyArCreditFunction, type ArCreditApplicationInput } from './functions/apply-ar-credit.js';
export { createCustomer as createCustomerFunction, customerFields, type CustomerInput } from './functions/create-customer.js';
export * from './functions/create-ictransaction.js';
export { itemFields, type ItemInput } from './functions/create-item.js';
export {
  createJournalEntry as createJournalEntryFunction,
  assertBalanced,
  type JournalEntryInput,
  type JournalEntryLine,
  type JournalExchangeRate,
} from './functions/create-journal-entry.js';
export * from './functions/create-sotransaction.js';
export * from './functions/delete.js';
export * from './functions/delete-sotransaction.js';
export * from './functions/get-api-session.js';
export * from './functions/legacy-parts.js';
export * from './functions/query.js';
export * from './functions/read.js';
export * from './functions/read-by-name.js';
export * from './functions/read-by-query.js';
export * from './functions/read-more.js';
export { recordDeposit as recordDepositFunction, type DepositInput } from './functions/record-deposit.js';
export * from './functions/reverse-arpayment.js';
export * from './functions/update-sotransaction.js';
export * from './suggestion-records.js';
