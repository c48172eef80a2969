import { z } from 'zod';
import { settlementColumnMappingSchema, settlementTemplateNames } from '../../mappers/settlement-report/parse-settlement-report.js';
import { findSettlementMapping, listSettlementMappings, putSettlementMapping } from '../../store/settlement-mappings.js';
import { audit, tenantParams, visibleTenant, type AdminDependencies } from './context.js';
import { notFoundError, type DocumentedRouter } from './documented-router.js';

/** A mapping's name: lower case, digits and dashes; never a built-in template's name. */
export const settlementMappingNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lower-case letters, digits and dashes, at most 40')
  .refine((name) => !(settlementTemplateNames as readonly string[]).includes(name), 'that is the name of a built-in template');

const mappingParams = tenantParams.extend({ name: settlementMappingNameSchema });
const mappingView = z.object({
  name: z.string(),
  mapping: z.record(z.string(), z.unknown()),
  updatedAt: z.string(),
  updatedBy: z.string(),
});

export function registerSettlementMappingRoutes(router: DocumentedRouter, deps: AdminDependencies): void {
  router.add({
    method: 'get',
    path: '/tenants/:tenantId/settlement-mappings',
    summary: 'List the tenant’s settlement-file column mappings',
    tag: 'payouts',
    role: 'viewer',
    params: tenantParams,
    response: z.object({ mappings: z.array(mappingView) }),
    handler: async ({ params, principal }) => {
      await visibleTenant(deps.db, principal, params.tenantId);
      const mappings = await listSettlementMappings(deps.db, params.tenantId);
      return {
        mappings: mappings.map((stored) => ({
          name: stored.name,
          mapping: stored.mapping,
          updatedAt: stored.updatedAt.toISOString(),
          updatedBy: stored.updatedBy,
        })),
      };
    },
  });

  router.add({
    method: 'get',
    path: '/tenants/:tenantId/settlement-mappings/:name',
    summary: 'Read one settlement-file column mapping',
    tag: 'payouts',
    role: 'viewer',
    params: mappingParams,
    response: mappingView,
    handler: async ({ params, principal }) => {
      await visibleTenant(deps.db, principal, params.tenantId);
      const stored = await findSettlementMapping(deps.db, params.tenantId, params.name);
      if (!stored) throw notFoundError(`settlement mapping ${params.name}`);
      return { name: stored.name, mapping: stored.mapping, updatedAt: stored.updatedAt.toISOString(), updatedBy: stored.updatedBy };
    },
  });

  router.add({
    method: 'put',
    path: '/tenants/:tenantId/settlement-mappings/:name',
    summary: 'Create or replace a settlement-file column mapping (which column is what, value → kind, separators, date layout)',
    tag: 'payouts',
    role: 'operator',
    params: mappingParams,
    body: settlementColumnMappingSchema,
    response: mappingView,
    handler: async ({ params, body, principal, requestId, response }) => {
      await visibleTenant(deps.db, principal, params.tenantId);
      const { created } = await putSettlementMapping(deps.db, params.tenantId, params.name, body, principal.keyId);
      await audit(
        deps.db,
        { principal, requestId },
        { tenantId: params.tenantId, action: 'settlement-mapping.put', target: `settlement-mapping:${params.name}` },
      );
      const stored = (await findSettlementMapping(deps.db, params.tenantId, params.name))!;
      const view = { name: stored.name, mapping: stored.mapping, updatedAt: stored.updatedAt.toISOString(), updatedBy: stored.updatedBy };
      response.status(created ? 201 : 200).json(view);
      return undefined;
    },
  });
}
