import { z } from 'zod';
import type { MappingRowDocument } from '../../store/mappings.js';
import { tenantParams, type AdminDependencies } from './context.js';
import type { DocumentedRouter } from './documented-router.js';
import { automaticRows } from './suggestion-decisions.js';
import {
  acceptItemSuggestion,
  applyItemSuggestions,
  itemCatalogueCache,
  rejectSuggestedItem,
  suggestItems,
} from './item-suggestion-actions.js';

const text = (name: string) => z.string().trim().min(1, `${name} is empty`).max(200);

const skuQuery = z.strictObject({
  sku: text('sku'),
  name: z.string().max(500).optional(),
  upc: z.string().max(20).optional(),
  /** The storefront price in major units, compared with the item's base price. */
  price: z.number().nonnegative().optional(),
  unit: z.string().max(50).optional(),
});

const suggestionsBody = z.strictObject({
  skus: z.array(skuQuery).min(1).max(1_000).optional(),
  limit: z.number().int().min(1).max(10).default(3),
});

const candidateView = z.object({ intacctItemId: z.string(), confidence: z.number(), reasons: z.array(z.string()) });
const suggestionsView = z.object({ suggestions: z.array(z.object({ sku: z.string(), candidates: z.array(candidateView) })) });
const pairBody = z.strictObject({ sku: text('sku'), intacctItemId: text('intacctItemId') });
/** A stored mapping row as the suggestion calls answer it (accept, applied). */
export const mappingRowView = z.object({
  key: z.string(),
  row: z.record(z.string(), z.unknown()),
  updatedAt: z.string(),
  updatedBy: z.string(),
});

/** A stored row in {@link mappingRowView}'s shape. */
export const toMappingRowView = (row: MappingRowDocument): z.output<typeof mappingRowView> => ({
  key: row.key,
  row: row.row,
  updatedAt: row.updatedAt.toISOString(),
  updatedBy: row.updatedBy,
});

export function registerItemSuggestionRoutes(router: DocumentedRouter, deps: AdminDependencies): void {
  const catalogues = itemCatalogueCache(deps);

  router.add({
    method: 'post',
    path: '/tenants/:tenantId/mappings/items/suggestions',
    summary:
      "Ranked Intacct items for storefront SKUs, each with a confidence in [0, 1] and its reasons. Without `skus`: every SKU that parked an order and has no mapping row. Reads Intacct's items through a per-tenant cache refreshed by WHENMODIFIED",
    tag: 'mappings',
    role: 'operator',
    params: tenantParams,
    body: suggestionsBody,
    response: suggestionsView,
    handler: ({ params, body, principal, requestId }) => suggestItems(deps, catalogues, { principal, requestId }, params.tenantId, body),
  });

  router.add({
    method: 'post',
    path: '/tenants/:tenantId/mappings/items/suggestions/accept',
    summary: 'Accept a suggestion: writes the items mapping row (audited); 409 when the item is no longer active in Intacct',
    tag: 'mappings',
    role: 'operator',
    params: tenantParams,
    body: pairBody.extend({ unit: text('unit').optional(), warehouseId: text('warehouseId').optional() }),
    response: mappingRowView,
    handler: async ({ params, body, principal, requestId }) =>
      toMappingRowView(await acceptItemSuggestion(deps, catalogues, { principal, requestId }, params.tenantId, body)),
  });

  router.add({
    method: 'post',
    path: '/tenants/:tenantId/mappings/items/suggestions/reject',
    summary: 'Reject a suggestion: that SKU is never offered that item again',
    tag: 'mappings',
    role: 'operator',
    params: tenantParams,
    body: pairBody,
    handler: async ({ params, body, principal, requestId }) => {
      await rejectSuggestedItem(deps, { principal, requestId }, params.tenantId, body);
      return undefined;
    },
  });

  router.add({
    method: 'post',
    path: '/tenants/:tenantId/mappings/items/suggestions/apply',
    summary:
      'Apply each SKU’s best candidate at or above the tenant’s `mappingAssistant.autoApply.minConfidence` as a new items row, marked as written by mapping-assistant; a SKU that has a row keeps it. Without `skus`: the SKUs that parked orders. 409 `auto_apply_off` unless the tenant’s settings switch automatic application on',
    tag: 'mappings',
    role: 'operator',
    params: tenantParams,
    body: z.strictObject({ skus: suggestionsBody.shape.skus }),
    response: z.object({ applied: z.array(z.object({ sku: z.string(), intacctItemId: z.string(), confidence: z.number() })) }),
    handler: async ({ params, body, principal, requestId }) => ({
      applied: await applyItemSuggestions(deps, catalogues, { principal, requestId }, params.tenantId, body),
    }),
  });

  router.add({
    method: 'get',
    path: '/tenants/:tenantId/mappings/items/suggestions/applied',
    summary: 'The items rows the mapping assistant wrote on its own (not yet replaced by a person)',
    tag: 'mappings',
    role: 'viewer',
    params: tenantParams,
    response: z.object({ rows: z.array(mappingRowView) }),
    handler: async ({ params, principal, requestId }) => ({
      rows: (await automaticRows(deps, { principal, requestId }, params.tenantId, 'items')).map(toMappingRowView),
    }),
  });
}
