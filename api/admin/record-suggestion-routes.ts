import { z } from 'zod';
import { tenantParams, type AdminDependencies } from './context.js';
import type { DocumentedRouter } from './documented-router.js';
import { recordSuggestionTables, suggestRecords } from './record-suggestion-actions.js';

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
  router.add({
    method: 'post',
    path: '/tenants/:tenantId/mappings/:table/suggestions',
    summary:
      'Ranked Intacct records for storefront values of the customers (by email, name, company, address), paymentMethods (GL and bank accounts by title), dimensions (values by id or name) or shippingMethods table, each a mapping row with a confidence in [0, 1] and its reasons. Items have their own call',
    tag: 'mappings',
    role: 'operator',
    params: tenantParams.extend({ table: z.enum(recordSuggestionTables) }),
    body: z.strictObject({ values: z.array(valueQuery).min(1).max(1_000), limit: z.number().int().min(1).max(10).default(3) }),
    response: z.object({ suggestions: z.array(z.object({ value: z.string(), candidates: z.array(candidateView) })) }),
    handler: ({ params, body, principal, requestId }) =>
      suggestRecords(deps, { principal, requestId }, params.tenantId, params.table, body),
  });
}
