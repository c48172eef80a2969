import { z } from 'zod';
import { tenantParams, type AdminDependencies } from './context.js';
import type { DocumentedRouter } from './documented-router.js';
import { mappingRowView, toMappingRowView } from './item-suggestion-routes.js';
import {
  acceptRecordSuggestion,
  applyRecordSuggestions,
  recordSuggestionTables,
  rejectRecordSuggestion,
  suggestionMappingTable,
  suggestRecords,
} from './record-suggestion-actions.js';
import { automaticRows } from './suggestion-decisions.js';

const text = (name: string, max = 200) => z.string().trim().min(1, `${name} is empty`).max(max);

const valueQuery = z.strictObject({
  value: text('value'),
  email: z.string().trim().max(200).optional(),
  name: z.string().trim().max(200).optional(),
  company: z.string().trim().max(200).optional(),
  address: z
    .strictObject({
      line1: z.string().max(200),
      city: z.string().max(100),
      postalCode: z.string().max(20),
      country: z.string().max(60),
    })
    .partial()
    .optional(),
  dimension: z.enum(['department', 'location', 'project', 'class']).optional(),
});

const candidateView = z.object({ row: z.record(z.string(), z.string()), confidence: z.number(), reasons: z.array(z.string()) });

/**
 * `POST /tenants/{id}/mappings/{table}/suggestions` for customers, payment methods, dimensions
 * and shipping methods: the items call's shape, each candidate being the mapping row it would
 * write (`PUT …/mappings/{table}/rows/{key}` writes it).
 */
export function registerRecordSuggestionRoutes(router: DocumentedRouter, deps: AdminDependencies): void {
  const params = tenantParams.extend({ table: z.enum(recordSuggestionTables) });
  const values = z.array(valueQuery).min(1).max(1_000);
  // A candidate's row as the suggestions answered it; the table's row schema validates it on write.
  const decision = z.strictObject({ value: text('value'), row: z.record(z.string(), text('row field')) });

  router.add({
    method: 'post',
    path: '/tenants/:tenantId/mappings/:table/suggestions',
    summary:
      'Ranked Intacct records for storefront values of the customers (by email, name, company, address), paymentMethods (GL and bank accounts by title), dimensions (values by id or name) or shippingMethods table, each a mapping row with a confidence in [0, 1] and its reasons. Items have their own call',
    tag: 'mappings',
    role: 'operator',
    params,
    body: z.strictObject({ values, limit: z.number().int().min(1).max(10).default(3) }),
    response: z.object({ suggestions: z.array(z.object({ value: z.string(), candidates: z.array(candidateView) })) }),
    handler: ({ params, body, principal, requestId }) =>
      suggestRecords(deps, { principal, requestId }, params.tenantId, params.table, body),
  });

  router.add({
    method: 'post',
    path: '/tenants/:tenantId/mappings/:table/suggestions/accept',
    summary:
      'Accept a candidate: its `row` is written under `value` as `PUT …/mappings/{table}/rows/{value}` writes it (validated, audited; dimensions write the dimensionRules table)',
    tag: 'mappings',
    role: 'operator',
    params,
    body: decision,
    response: mappingRowView,
    handler: async ({ params, body, principal, requestId }) =>
      toMappingRowView(await acceptRecordSuggestion(deps, { principal, requestId }, params.tenantId, params.table, body)),
  });

  router.add({
    method: 'post',
    path: '/tenants/:tenantId/mappings/:table/suggestions/reject',
    summary: 'Reject a candidate: that value is never offered that row again',
    tag: 'mappings',
    role: 'operator',
    params,
    body: decision,
    handler: async ({ params, body, principal, requestId }) => {
      await rejectRecordSuggestion(deps, { principal, requestId }, params.tenantId, params.table, body);
      return undefined;
    },
  });

  router.add({
    method: 'post',
    path: '/tenants/:tenantId/mappings/:table/suggestions/apply',
    summary:
      'Apply each value’s best candidate at or above the tenant’s `mappingAssistant.autoApply.minConfidence` as a new row, marked as written by mapping-assistant; a value that has a row keeps it. 409 `auto_apply_off` unless the tenant’s settings switch automatic application on',
    tag: 'mappings',
    role: 'operator',
    params,
    body: z.strictObject({ values }),
    response: z.object({
      applied: z.array(z.object({ value: z.string(), row: z.record(z.string(), z.string()), confidence: z.number() })),
    }),
    handler: async ({ params, body, principal, requestId }) => ({
      applied: await applyRecordSuggestions(deps, { principal, requestId }, params.tenantId, params.table, body),
    }),
  });

  router.add({
    method: 'get',
    path: '/tenants/:tenantId/mappings/:table/suggestions/applied',
    summary: 'The rows of the table the mapping assistant wrote on its own (not yet replaced by a person)',
    tag: 'mappings',
    role: 'viewer',
    params,
    response: z.object({ rows: z.array(mappingRowView) }),
    handler: async ({ params, principal, requestId }) => ({
      rows: (await automaticRows(deps, { principal, requestId }, params.tenantId, suggestionMappingTable[params.table])).map(
        toMappingRowView,
      ),
    }),
  });
}
