import { defineSearchAttributeKey } from '@temporalio/common';

/**
 * Custom search attributes, so operators can find every workflow of a tenant or an order in
 * Temporal UI (`TenantId = "acme" AND SyncState = "parked"`). Search attributes are indexed
 * and not encrypted: never put secrets or personal data in them.
 */
export const TenantId = defineSearchAttributeKey('TenantId', 'KEYWORD');
/** `bigcommerce` or `clarity`. */
export const Storefront = defineSearchAttributeKey('Storefront', 'KEYWORD');
/** The storefront's order id (the sales document's reference number). */
export const OrderNumber = defineSearchAttributeKey('OrderNumber', 'KEYWORD');
/** Where the order stands: pending, waiting, synced, parked, skipped, cancelled, failed. */
export const SyncState = defineSearchAttributeKey('SyncState', 'KEYWORD');
/** The Intacct sales document's DOCID once it exists. */
export const IntacctDocument = defineSearchAttributeKey('IntacctDocument', 'KEYWORD');

/** The same keys in the form `temporal server start-dev --search-attribute NAME=TYPE` takes. */
export const searchAttributeRegistrations: Record<string, 'Keyword'> = {
  [TenantId.name]: 'Keyword',
  [Storefront.name]: 'Keyword',
  [OrderNumber.name]: 'Keyword',
  [SyncState.name]: 'Keyword',
  [IntacctDocument.name]: 'Keyword',
};
