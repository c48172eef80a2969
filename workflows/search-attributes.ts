import { defineSearchAttributeKey } from '@temporalio/common';

/**
 * Custom search attributes, so operators can find every workflow of a tenant or an order in
 * Temporal UI. Search attributes are indexed and not encrypted: never put secrets or personal
 * data in them.
 */
export const TenantId = defineSearchAttributeKey('TenantId', 'KEYWORD');
export const StorefrontKind = defineSearchAttributeKey('StorefrontKind', 'KEYWORD');
export const StorefrontOrderId = defineSearchAttributeKey('StorefrontOrderId', 'KEYWORD');
export const SyncState = defineSearchAttributeKey('SyncState', 'KEYWORD');

/** The same keys in the form `temporal server start-dev --search-attribute NAME=TYPE` takes. */
export const searchAttributeRegistrations: Record<string, 'Keyword'> = {
  [TenantId.name]: 'Keyword',
  [StorefrontKind.name]: 'Keyword',
  [StorefrontOrderId.name]: 'Keyword',
  [SyncState.name]: 'Keyword',
};
