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
import { mappingRowKey, mappingTableSchemas, type MappingTableName } from '../../store/schemas/mapping-tables.js';
import type { MappingRowDocument } from '../../store/mappings.js';
import { readSettings } from '../../store/settings.js';
import { rejectedSuggestions } from '../../store/suggestion-rejections.js';
import { HttpError } from '../errors.js';
import { assertRole } from './auth.js';
import { requireCredentials } from './connections.js';
import { visibleTenant, type AdminDependencies } from './context.js';
import { notFoundError } from './documented-router.js';
import type { ActionContext } from './settings-changes.js';
import { acceptSuggestedRow, applySuggestedRows, autoApplyThreshold, rejectSuggestedRow } from './suggestion-decisions.js';

/**
 * Suggestions for the mapping tables other than items, as a use case: the tenant's Intacct
 * records read through its connection, each storefront value scored by `mappers/record-suggestions.ts`.
 */

/** The mapping tables that take suggestions besides items, by their names in the API. */
export const recordSuggestionTables = ['customers', 'paymentMethods', 'dimensions', 'shippingMethods'] as const;
export type RecordSuggestionTable = (typeof recordSuggestionTables)[number];

/** The mapping table each suggestion table writes: dimension values are the `dimensionRules` table's rows. */
export const suggestionMappingTable = {
  customers: 'customers',
  paymentMethods: 'paymentMethods',
  dimensions: 'dimensionRules',
  shippingMethods: 'shippingMethods',
} as const satisfies Record<RecordSuggestionTable, MappingTableName>;

/**
 * What a candidate row points at, as rejections remember it: its fields other than the key,
 * in a stable order (so `{class, storefrontValue}` and `{storefrontValue, class}` are one candidate).
 */
export function rejectionCandidate(table: RecordSuggestionTable, row: Readonly<Record<string, unknown>>): string {
  const keyField = mappingTableSchemas[suggestionMappingTable[table]].keyField;
  return JSON.stringify(
    Object.entries(row)
      .filter(([field]) => field !== keyField)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

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
  const rejected = new Map<string, Set<string>>();
  for (const { key, candidate } of await rejectedSuggestions(deps.db, tenantId, suggestionMappingTable[table])) {
    rejected.set(key, (rejected.get(key) ?? new Set()).add(candidate));
  }
  return {
    suggestions: request.values.map((query) => {
      const refused = rejected.get(query.value) ?? new Set<string>();
      // Scored past the limit by as many as were refused, so a refusal does not shorten the list.
      const candidates = score(query, request.limit + refused.size)
        .filter((candidate) => !refused.has(rejectionCandidate(table, candidate.row)))
        .slice(0, request.limit);
      return { value: query.value, candidates };
    }),
  };
}

/** A candidate taken: its row written under the storefront value as a person's PUT writes it (audited). */
export async function acceptRecordSuggestion(
  deps: AdminDependencies,
  context: ActionContext,
  tenantId: string,
  table: RecordSuggestionTable,
  accepted: { value: string; row: Record<string, string> },
): Promise<MappingRowDocument> {
  return acceptSuggestedRow(deps, context, tenantId, suggestionMappingTable[table], {
    key: accepted.value,
    row: accepted.row,
    details: { candidate: rejectionCandidate(table, accepted.row) },
  });
}

/** A candidate refused: remembered, so that storefront value is not offered that row again. */
export async function rejectRecordSuggestion(
  deps: AdminDependencies,
  context: ActionContext,
  tenantId: string,
  table: RecordSuggestionTable,
  rejected: { value: string; row: Record<string, string> },
): Promise<void> {
  const candidate = rejectionCandidate(table, rejected.row);
  await rejectSuggestedRow(deps, context, tenantId, suggestionMappingTable[table], {
    key: rejected.value,
    candidate,
    details: { candidate },
  });
}

/**
 * Applies each value's best candidate at or above the tenant's threshold (409 when automatic
 * application is off) as a new row marked as the assistant's; a value that has a row keeps it.
 * Answers the rows created.
 */
export async function applyRecordSuggestions(
  deps: AdminDependencies,
  context: ActionContext,
  tenantId: string,
  table: RecordSuggestionTable,
  request: { values: RecordSuggestionQuery[] },
): Promise<Array<{ value: string; row: Record<string, string>; confidence: number }>> {
  const minimumConfidence = await autoApplyThreshold(deps, context, tenantId);
  const mappingTable = suggestionMappingTable[table];
  const { suggestions } = await suggestRecords(deps, context, tenantId, table, { values: request.values, limit: 1 });
  const chosen = suggestions.flatMap(({ value, candidates }) => {
    const best = candidates[0];
    if (best === undefined || best.confidence < minimumConfidence) return [];
    const definition = mappingTableSchemas[mappingTable];
    const row = definition.rowSchema.safeParse({ ...best.row, [definition.keyField]: value });
    if (!row.success) return [];
    return [{ value, key: mappingRowKey(mappingTable, row.data as never), stored: row.data, row: best.row, confidence: best.confidence }];
  });
  const created = await applySuggestedRows(deps, context, tenantId, mappingTable, {
    rows: chosen.map(({ key, stored }) => ({ key, row: stored })),
    minimumConfidence,
  });
  return chosen.filter(({ key }) => created.has(key)).map(({ value, row, confidence }) => ({ value, row, confidence }));
}
