import { Router, type Request } from 'express';
import { z } from 'zod';
import { v3Date } from '../formats.js';
import type { Order, OrderMetafield } from '../model.js';
import { listFilter, readPaging, v3Pagination } from '../responses.js';
import { SandboxError, type SandboxStore } from '../store.js';

const permissionSets = ['app_only', 'read', 'write', 'read_and_sf_access', 'write_and_sf_access'] as const;
const newMetafield = z.object({
  permission_set: z.enum(permissionSets),
  namespace: z.string().min(1).max(64),
  key: z.string().min(1).max(64),
  value: z.string().min(1).max(65535),
  description: z.string().max(255).optional(),
});
/** "The maximum number of metafields allowed on each order … is 250 per client ID." */
const maxMetafieldsPerOrder = 250;

const orderId = (request: Request) => Number(request.params.orderId);

function metafieldView(order: Order, metafield: OrderMetafield) {
  return {
    id: metafield.id,
    namespace: metafield.namespace,
    key: metafield.key,
    value: metafield.value,
    description: metafield.description,
    permission_set: metafield.permissionSet,
    resource_type: 'order',
    resource_id: order.id,
    date_created: v3Date(metafield.createdAt),
    date_modified: v3Date(metafield.modifiedAt),
  };
}

/**
 * V3 order metafields (orders.v3.yml `/orders/{order_id}/metafields`): an app writes them, and
 * any API account reads those not `app_only` to another app. The sandbox has one API account,
 * so every metafield is its own and all are listed.
 */
export function v3OrderMetafieldRoutes(store: SandboxStore): Router {
  const router = Router({ mergeParams: true });

  router.get('/orders/:orderId/metafields', (request, response) => {
    const order = store.order(orderId(request));
    const paging = readPaging(request.query, 250);
    if (!paging) throw new SandboxError(422, 'The page or limit parameter is invalid.');
    const query = request.query as Record<string, string | undefined>;
    const namespaces = listFilter(query['namespace:in']) ?? (query.namespace === undefined ? undefined : [query.namespace]);
    const keys = listFilter(query['key:in']) ?? (query.key === undefined ? undefined : [query.key]);
    const all = (order.metafields ?? []).filter(
      (metafield) =>
        (namespaces === undefined || namespaces.includes(metafield.namespace)) && (keys === undefined || keys.includes(metafield.key)),
    );
    const rows = all.slice((paging.page - 1) * paging.limit, paging.page * paging.limit);
    response.json({
      data: rows.map((metafield) => metafieldView(order, metafield)),
      meta: v3Pagination(all.length, paging.page, paging.limit, rows.length),
    });
  });

  router.post('/orders/:orderId/metafields', (request, response) => {
    const order = store.order(orderId(request));
    const parsed = newMetafield.safeParse(request.body ?? {});
    if (!parsed.success)
      throw new SandboxError(
        422,
        'JSON data is missing or invalid',
        Object.fromEntries(parsed.error.issues.map((issue) => [issue.path.join('.') || 'body', `error.path.${issue.code}`])),
      );
    const { namespace, key, value, description = '', permission_set: permissionSet } = parsed.data;
    const metafields = (order.metafields ??= []);
    if (metafields.some((metafield) => metafield.namespace === namespace && metafield.key === key))
      throw new SandboxError(409, `A metafield with namespace "${namespace}" and key "${key}" already exists for this order.`);
    if (metafields.length >= maxMetafieldsPerOrder)
      throw new SandboxError(422, `An order can have at most ${maxMetafieldsPerOrder} metafields per client ID.`);
    const now = new Date();
    const id = 1 + Math.max(0, ...store.state.orders.flatMap((each) => (each.metafields ?? []).map((metafield) => metafield.id)));
    const metafield: OrderMetafield = { id, namespace, key, value, description, permissionSet, createdAt: now, modifiedAt: now };
    metafields.push(metafield);
    response.json({ data: metafieldView(order, metafield), meta: {} });
  });

  return router;
}
