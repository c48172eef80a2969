import { isConnectorError } from '../../connectors/connector-error.js';
import {
  readSuggestionAccounts,
  readSuggestionCustomers,
  readSuggestionDimensionValues,
  readSuggestionShippingMethods,
} from '../../connectors/intacct/index.js';
import type { IntacctClient } from '../../connectors/intacct/client.js';
import {
  suggestCustomers,
  suggestDimensionValues,
  suggestPaymentAccounts,
  suggestShippingMethods,
  type DimensionName,
  type RecordCandidate,
  type SuggestionAddress,
} from '../../mappers/record-suggestions.js';
import { readSettings } from '../../store/settings.js';
import { HttpError } from '../errors.js';
import { assertRole } from './auth.js';
import { requireCredentials } from './connections.js';
import { visibleTenant, type AdminDependencies } from './context.js';
import { notFoundError } from './documented-router.js';
import type { ActionContext } from './settings-changes.js';

/**
 * Suggestions for the mapping tables other than items, as a use case: the tenant's Intacct
 * records read through its connection, each storefront value scored by `mappers/record-suggestions.ts`.
 */

/** The mapping tables that take suggestions besides items, by their table names. */
export const recordSuggestionTables = ['customers', 'paymentMethods', 'dimensions', 'shippingMethods'] as const;
export type RecordSuggestionTable = (typeof recordSuggestionTables)[number];

/** A storefront value looking for its Intacct record, with what helps find it. */
export interface RecordSuggestionQuery {
  /** The mapping row's key: customer id or guest email, payment method, storefront value, shipping method. */
  value: string;
  email?: string | undefined;
  name?: string | undefined;
  company?: string | undefined;
  address?: SuggestionAddress | undefined;
  /** For dimensions: the one dimension the value is for. */
  dimension?: DimensionName | undefined;
}

export interface RecordSuggestions {
  suggestions: Array<{ value: string; candidates: RecordCandidate[] }>;
}

/** The scorer of each table over the records it reads once per request. */
const scorers: Record<
  RecordSuggestionTable,
  (
    client: IntacctClient,
    queries: readonly RecordSuggestionQuery[],
  ) => Promise<(query: RecordSuggestionQuery, limit: number) => RecordCandidate[]>
> = {
  customers: async (client) => {
    const customers = await readSuggestionCustomers(client);
    return (query, limit) =>
      suggestCustomers(
        { storefrontCustomer: query.value, email: query.email, name: query.name, company: query.company, address: query.address },
        customers,
        { limit },
      );
  },
  paymentMethods: async (client) => {
    const accounts = await readSuggestionAccounts(client);
    return (query, limit) => suggestPaymentAccounts({ paymentMethod: query.value }, accounts, { limit });
  },
  dimensions: async (client, queries) => {
    const only = new Set(queries.map((query) => query.dimension));
    const values = await readSuggestionDimensionValues(client, only.size === 1 ? [...only][0] : undefined);
    return (query, limit) => suggestDimensionValues({ storefrontValue: query.value, dimension: query.dimension }, values, { limit });
  },
  shippingMethods: async (client) => {
    const methods = await readSuggestionShippingMethods(client);
    return (query, limit) => suggestShippingMethods({ storefrontMethod: query.value }, methods, { limit });
  },
};

/** Ranked mapping rows from the tenant's Intacct records for each named storefront value. */
export async function suggestRecords(
  deps: AdminDependencies,
  context: ActionContext,
  tenantId: string,
  table: RecordSuggestionTable,
  request: { values: RecordSuggestionQuery[]; limit: number },
): Promise<RecordSuggestions> {
  assertRole(context.principal, 'operator');
  await visibleTenant(deps.db, context.principal, tenantId);
  const stored = await readSettings(deps.db, tenantId);
  if (!stored) throw notFoundError(`settings of ${tenantId}`);
  const credentials = await requireCredentials(deps, tenantId, 'intacct');
  const client = deps.connectors.intacct(tenantId, stored.settings.connection.intacct, credentials);
  let score: Awaited<ReturnType<(typeof scorers)[RecordSuggestionTable]>>;
  try {
    score = await scorers[table](client, request.values);
  } catch (error) {
    if (!isConnectorError(error)) throw error;
    throw new HttpError(502, 'intacct_unavailable', `Intacct's records for ${table} could not be read: ${error.message}`);
  }
  return { suggestions: request.values.map((query) => ({ value: query.value, candidates: score(query, request.limit) })) };
}
