import { isConnectorError } from '../../connectors/connector-error.js';
import { readItemCatalogue } from '../../connectors/intacct/index.js';
import type { ItemCandidate, ItemSuggestionQuery } from '../../mappers/item-suggestions.js';
import { listAttention } from '../../store/attention.js';
import { rejectedSuggestions } from '../../store/suggestion-rejections.js';
import { itemMappingRowSchema } from '../../store/schemas/mapping-tables.js';
import { allMappingRows, type MappingRowDocument } from '../../store/mappings.js';
import { readSettings } from '../../store/settings.js';
import { HttpError } from '../errors.js';
import { assertRole } from './auth.js';
import { requireCredentials } from './connections.js';
import { visibleTenant, type AdminDependencies } from './context.js';
import { notFoundError } from './documented-router.js';
import { IntacctItemCatalogueCache } from './item-catalogue-cache.js';
import type { ActionContext } from './settings-changes.js';
import {
  acceptSuggestedRow,
  applySuggestedRows,
  autoApplyThreshold,
  automaticRowWriter,
  rejectSuggestedRow,
} from './suggestion-decisions.js';

/**
 * Item mapping suggestions as use cases (role, tenant, Intacct's items through the per-tenant
 * cache, the tenant's confirmed and rejected pairs), shared by the admin API and any page that
 * offers them. Accepting writes the mapping row through the one mapping write path.
 */

/** Most parked orders read for their unknown SKUs when no SKUs are named. */
const parkedOrdersRead = 500;

/** One catalogue cache per database handle: the admin API and the console, mounted on the same dependencies, share it. */
const cataloguesByDatabase = new WeakMap<AdminDependencies['db'], IntacctItemCatalogueCache>();

/**
 * The process's item catalogues, read through the tenant's Intacct connection. Shared, so a
 * suggestion asked in the console and one asked through the API read Intacct's items once.
 */
export function itemCatalogueCache(deps: AdminDependencies): IntacctItemCatalogueCache {
  const known = cataloguesByDatabase.get(deps.db);
  if (known) return known;
  const catalogues = new IntacctItemCatalogueCache(async function* (tenantId, modifiedSince) {
    const stored = await readSettings(deps.db, tenantId);
    if (!stored) throw notFoundError(`settings of ${tenantId}`);
    const credentials = await requireCredentials(deps, tenantId, 'intacct');
    const client = deps.connectors.intacct(tenantId, stored.settings.connection.intacct, credentials);
    try {
      yield* readItemCatalogue(client, modifiedSince);
    } catch (error) {
      if (!isConnectorError(error)) throw error;
      throw new HttpError(502, 'intacct_unavailable', `Intacct's items could not be read: ${error.message}`);
    }
  });
  cataloguesByDatabase.set(deps.db, catalogues);
  return catalogues;
}

/** The SKUs that parked orders because no item matched them, from the open attention items. */
async function parkedUnknownSkus(deps: AdminDependencies, tenantId: string): Promise<string[]> {
  const page = await listAttention(deps.db, tenantId, { state: 'open', entity: 'order', code: 'unknown_sku' }, { limit: parkedOrdersRead });
  const skus = page.items.flatMap((item) => {
    const missing = item.details?.missingSkus;
    return Array.isArray(missing) ? missing.filter((sku): sku is string => typeof sku === 'string') : [];
  });
  return [...new Set(skus)].sort();
}

/** Rows a person wrote or accepted: the pairs suggestions learn from (automatic rows would only echo the scorer). */
const confirmedPairs = (rows: readonly MappingRowDocument[]) =>
  rows
    .filter((row) => row.updatedBy !== automaticRowWriter)
    .map((row) => ({ storefrontSku: row.key, intacctItemId: String(row.row.intacctItemId) }));

export interface ItemSuggestions {
  suggestions: Array<{ sku: string; candidates: ItemCandidate[] }>;
}

/**
 * Candidates for the named SKUs or, without any, for every SKU that parked an order and still
 * has no mapping row.
 */
export async function suggestItems(
  deps: AdminDependencies,
  catalogues: IntacctItemCatalogueCache,
  context: ActionContext,
  tenantId: string,
  request: { skus?: ItemSuggestionQuery[] | undefined; limit: number },
): Promise<ItemSuggestions> {
  assertRole(context.principal, 'operator');
  await visibleTenant(deps.db, context.principal, tenantId);
  const rows = await allMappingRows(deps.db, tenantId, 'items');
  const mapped = new Set(rows.map((row) => row.key));
  const queries = request.skus ?? (await parkedUnknownSkus(deps, tenantId)).filter((sku) => !mapped.has(sku)).map((sku) => ({ sku }));
  if (queries.length === 0) return { suggestions: [] };
  const index = await catalogues.index(tenantId);
  const rejected = (await rejectedSuggestions(deps.db, tenantId, 'items')).map(({ key, candidate }) => ({
    storefrontSku: key,
    intacctItemId: candidate,
  }));
  const knowledge = { confirmed: confirmedPairs(rows), rejected };
  return { suggestions: index.suggestMany(queries, knowledge, { limit: request.limit }) };
}

/** A suggestion taken: the items row is written (audited as any mapping write) and the acceptance audited. */
export async function acceptItemSuggestion(
  deps: AdminDependencies,
  catalogues: IntacctItemCatalogueCache,
  context: ActionContext,
  tenantId: string,
  accepted: { sku: string; intacctItemId: string; unit?: string | undefined; warehouseId?: string | undefined },
): Promise<MappingRowDocument> {
  assertRole(context.principal, 'operator');
  await visibleTenant(deps.db, context.principal, tenantId);
  const index = await catalogues.index(tenantId);
  if (!index.has(accepted.intacctItemId))
    throw new HttpError(409, 'item_not_active', `Intacct has no active item ${accepted.intacctItemId}: refresh the suggestions`);
  const { sku, ...row } = accepted;
  return acceptSuggestedRow(deps, context, tenantId, 'items', { key: sku, row, details: { intacctItemId: accepted.intacctItemId } });
}

/** A suggestion refused: remembered, so that SKU is not offered that item again. */
export async function rejectSuggestedItem(
  deps: AdminDependencies,
  context: ActionContext,
  tenantId: string,
  rejected: { sku: string; intacctItemId: string },
): Promise<void> {
  await rejectSuggestedRow(deps, context, tenantId, 'items', {
    key: rejected.sku,
    candidate: rejected.intacctItemId,
    details: { intacctItemId: rejected.intacctItemId },
  });
}

/**
 * Applies the best candidate of each SKU at or above the tenant's threshold
 * (`mappingAssistant.autoApply`; 409 when automatic application is off) as a new items row,
 * marked as the assistant's; a SKU that has a row keeps it, whoever wrote it. Answers the rows created.
 */
export async function applyItemSuggestions(
  deps: AdminDependencies,
  catalogues: IntacctItemCatalogueCache,
  context: ActionContext,
  tenantId: string,
  request: { skus?: ItemSuggestionQuery[] | undefined },
): Promise<Array<{ sku: string; intacctItemId: string; confidence: number }>> {
  const minimumConfidence = await autoApplyThreshold(deps, context, tenantId);
  const { suggestions } = await suggestItems(deps, catalogues, context, tenantId, { skus: request.skus, limit: 1 });
  const chosen = suggestions.flatMap(({ sku, candidates }) => {
    const best = candidates[0];
    if (best === undefined || best.confidence < minimumConfidence) return [];
    const row = itemMappingRowSchema.safeParse({ storefrontSku: sku, intacctItemId: best.intacctItemId });
    return row.success ? [{ sku, intacctItemId: best.intacctItemId, confidence: best.confidence, row: row.data }] : [];
  });
  const created = await applySuggestedRows(deps, context, tenantId, 'items', {
    rows: chosen.map(({ sku, row }) => ({ key: sku, row })),
    minimumConfidence,
  });
  return chosen.filter(({ sku }) => created.has(sku)).map(({ sku, intacctItemId, confidence }) => ({ sku, intacctItemId, confidence }));
}
