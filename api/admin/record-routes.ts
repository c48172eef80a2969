import { z } from 'zod';
import type { Role } from '../../store/api-keys.js';
import { listAttention, resolveAttention, type AttentionItem } from '../../store/attention.js';
import { listAudit } from '../../store/audit-log.js';
import { listLedger } from '../../store/ledger.js';
import type { Principal } from './auth.js';
import { audit, pageQuery, tenantParams, visibleTenant, type AdminDependencies } from './context.js';
import { notFoundError, type DocumentedRouter } from './documented-router.js';

const iso = (date: Date | undefined) => date?.toISOString();

/** The role resolving or retrying attention items needs (admin API and console alike). */
export const attentionActionRole: Role = 'operator';

/**
 * Marks an open attention item resolved, audited (admin API and console alike); 404 when the
 * key may not see the tenant or the item is not open. The caller has checked {@link attentionActionRole}.
 */
export async function resolveAttentionItem(
  deps: AdminDependencies,
  context: { principal: Principal; requestId: string | undefined },
  item: { tenantId: string; entity: AttentionItem['entity']; externalId: string },
): Promise<void> {
  await visibleTenant(deps.db, context.principal, item.tenantId);
  const resolved = await resolveAttention(deps.db, item, context.principal.keyId);
  if (!resolved) throw notFoundError(`open attention item ${item.entity} ${item.externalId}`);
  await audit(deps.db, context, { tenantId: item.tenantId, action: 'attention.resolve', target: `${item.entity}:${item.externalId}` });
}

export function registerRecordRoutes(router: DocumentedRouter, deps: AdminDependencies): void {
  router.add({
    method: 'get',
    path: '/tenants/:tenantId/ledger',
    summary: 'The sync ledger: every storefront entity and the Intacct record it became',
    tag: 'ledger',
    role: 'viewer',
    params: tenantParams,
    query: z.object({
      entity: z.enum(['order', 'refund', 'payment', 'invoice', 'shipment', 'inventory']).optional(),
      state: z.enum(['pending', 'synced', 'parked', 'skipped', 'cancelled', 'failed']).optional(),
      externalId: z.string().max(200).optional(),
      ...pageQuery,
    }),
    response: z.object({ entries: z.array(z.record(z.string(), z.unknown())), nextCursor: z.string().optional() }),
    handler: async ({ params, query, principal }) => {
      await visibleTenant(deps.db, principal, params.tenantId);
      const { limit, cursor, ...filter } = query;
      const page = await listLedger(deps.db, params.tenantId, filter, { limit, cursor });
      return {
        entries: page.items.map(({ _id, createdAt, updatedAt, lastError, ...entry }) => ({
          id: String(_id),
          ...entry,
          ...(lastError && { lastError: { ...lastError, at: iso(lastError.at) } }),
          createdAt: iso(createdAt),
          updatedAt: iso(updatedAt),
        })),
        ...(page.nextCursor && { nextCursor: page.nextCursor }),
      };
    },
  });

  const attentionEntity = z.enum(['order', 'refund', 'inventory', 'tenant']);
  router.add({
    method: 'get',
    path: '/tenants/:tenantId/attention',
    summary: 'The attention queue: what is parked, why, since when, and what fixes it',
    tag: 'attention',
    role: 'viewer',
    params: tenantParams,
    query: z.object({
      state: z.enum(['open', 'resolved']).default('open'),
      entity: attentionEntity.optional(),
      code: z.string().max(100).optional(),
      ...pageQuery,
    }),
    response: z.object({ items: z.array(z.record(z.string(), z.unknown())), nextCursor: z.string().optional() }),
    handler: async ({ params, query, principal }) => {
      await visibleTenant(deps.db, principal, params.tenantId);
      const { limit, cursor, ...filter } = query;
      const page = await listAttention(deps.db, params.tenantId, filter, { limit, cursor });
      return {
        items: page.items.map(({ _id, since, updatedAt, resolvedAt, ...item }) => ({
          id: String(_id),
          ...item,
          since: iso(since),
          updatedAt: iso(updatedAt),
          ...(resolvedAt && { resolvedAt: iso(resolvedAt) }),
        })),
        ...(page.nextCursor && { nextCursor: page.nextCursor }),
      };
    },
  });

  router.add({
    method: 'post',
    path: '/tenants/:tenantId/attention/:entity/:externalId/resolve',
    summary: 'Mark a parked item resolved (when it was fixed outside the product)',
    tag: 'attention',
    role: attentionActionRole,
    params: tenantParams.extend({ entity: attentionEntity, externalId: z.string().min(1).max(200) }),
    response: z.object({ state: z.literal('resolved') }),
    handler: async ({ params, principal, requestId }) => {
      await resolveAttentionItem(deps, { principal, requestId }, params);
      return { state: 'resolved' as const };
    },
  });

  router.add({
    method: 'get',
    path: '/tenants/:tenantId/audit',
    summary: 'The audit log of writes through this API',
    tag: 'audit',
    role: 'admin',
    params: tenantParams,
    query: z.object(pageQuery),
    response: z.object({ entries: z.array(z.record(z.string(), z.unknown())), nextCursor: z.string().optional() }),
    handler: async ({ params, query, principal }) => {
      await visibleTenant(deps.db, principal, params.tenantId);
      const page = await listAudit(deps.db, params.tenantId, query);
      return {
        entries: page.items.map(({ _id, at, ...entry }) => ({ id: String(_id), at: iso(at), ...entry })),
        ...(page.nextCursor && { nextCursor: page.nextCursor }),
      };
    },
  });
}
