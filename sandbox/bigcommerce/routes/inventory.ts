import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { listFilter, readPaging, sendV3Error, v3Pagination } from '../responses.js';
import type { SandboxStore } from '../store.js';

const maxItems = 2000;
const maxQuantity = 2_147_483_647;

const adjustment = z.object({
  reason: z.string().optional(),
  items: z
    .array(
      z.object({
        location_id: z.number().int(),
        sku: z.string().optional(),
        variant_id: z.number().int().optional(),
        product_id: z.number().int().optional(),
        quantity: z.number().int().min(0).max(maxQuantity),
      }),
    )
    .min(1),
});

/** V3 inventory: absolute adjustments (all-or-nothing, webhooks per change), items, locations. */
export function v3InventoryRoutes(store: SandboxStore): Router {
  const router = Router({ mergeParams: true });

  router.put('/inventory/adjustments/absolute', (request, response) => {
    const body = request.body as { items?: unknown[] } | undefined;
    if (Array.isArray(body?.items) && body.items.length > maxItems) {
      sendV3Error(response, 422, `The maximum number of items allowed in an adjustment is ${maxItems}.`, {}, true);
      return;
    }
    const parsed = adjustment.safeParse(body ?? {});
    if (!parsed.success) {
      sendV3Error(
        response,
        422,
        'JSON data is missing or invalid',
        Object.fromEntries(parsed.error.issues.map((issue) => [issue.path.join('.'), `error.path.${issue.code}`])),
        true,
      );
      return;
    }
    const resolved: { variantId: number; locationId: number; quantity: number }[] = [];
    for (const item of parsed.data.items) {
      const identities = [item.sku, item.variant_id, item.product_id].filter((value) => value !== undefined);
      if (identities.length !== 1) {
        sendV3Error(response, 422, '[Each item needs exactly one of sku, variant_id or product_id]', {}, true);
        return;
      }
      if (!store.state.locations.some((location) => location.id === item.location_id)) {
        sendV3Error(response, 422, `[Location with id ${item.location_id} does not exist]`, {}, true);
        return;
      }
      const found =
        item.sku !== undefined
          ? store.variantBySku(item.sku)
          : item.variant_id !== undefined
            ? store.variant(item.variant_id)
            : (() => {
                const product = store.product(item.product_id!);
                const variant = product?.variants.find((candidate) => candidate.id === product.baseVariantId);
                return product && variant ? { product, variant } : undefined;
              })();
      const label =
        item.sku !== undefined
          ? `sku ${item.sku}`
          : item.variant_id !== undefined
            ? `variant_id ${item.variant_id}`
            : `product_id ${item.product_id}`;
      if (!found) {
        sendV3Error(response, 422, `[Item with ${label} does not exist]`, {}, true);
        return;
      }
      if (found.product.tracking === 'none') {
        sendV3Error(response, 422, `[Item with ${label} does not track inventory]`, {}, true);
        return;
      }
      if (found.product.tracking === 'variant' && item.product_id !== undefined) {
        sendV3Error(response, 422, `[Item with ${label} is tracked by variant, please update stock by variant id or sku]`, {}, true);
        return;
      }
      if (found.product.tracking === 'product' && item.variant_id !== undefined) {
        sendV3Error(response, 422, `[Item with ${label} is tracked by product, please update stock by product id]`, {}, true);
        return;
      }
      resolved.push({ variantId: found.variant.id, locationId: item.location_id, quantity: item.quantity });
    }
    for (const item of resolved) store.adjustStock(item.variantId, item.locationId, item.quantity, 'absolute');
    const transactionId = randomUUID();
    const name = (item: (typeof parsed.data.items)[number]) =>
      item.sku ?? (item.variant_id !== undefined ? `variant:${item.variant_id}` : `product:${item.product_id}`);
    store.recordAdjustment({
      transactionId,
      at: new Date().toISOString(),
      items: resolved.length,
      first: name(parsed.data.items[0]!),
      last: name(parsed.data.items.at(-1)!),
    });
    response.json({ transaction_id: transactionId });
  });

  router.get('/inventory/items', (request, response) => {
    const paging = readPaging(request.query, 1000);
    if (!paging) {
      sendV3Error(response, 422, 'The page or limit parameter is invalid.');
      return;
    }
    const query = request.query as Record<string, string | undefined>;
    const skus = listFilter(query['sku:in']);
    const variantIds = listFilter(query['variant_id:in'])?.map(Number);
    const productIds = listFilter(query['product_id:in'])?.map(Number);
    const locationIds = listFilter(query['location_id:in'])?.map(Number);
    const wantedProducts = productIds === undefined ? undefined : new Set(productIds);
    const wantedVariants = variantIds === undefined ? undefined : new Set(variantIds);
    // A SKU filter is answered from the SKU index, so its cost follows the SKUs asked for, not the catalogue.
    const candidates =
      skus !== undefined
        ? store.variantsBySkus(skus)
        : store.state.products.flatMap((product) => product.variants.map((variant) => ({ product, variant })));
    const all = candidates.filter(
      ({ product, variant }) =>
        product.tracking !== 'none' &&
        (wantedProducts === undefined || wantedProducts.has(product.id)) &&
        (wantedVariants === undefined || wantedVariants.has(variant.id)),
    );
    const rows = all.slice((paging.page - 1) * paging.limit, paging.page * paging.limit);
    response.json({
      data: rows.map(({ product, variant }) => ({
        identity: { sku: variant.sku, variant_id: variant.id, product_id: product.id, sku_id: variant.id + 1000 },
        locations: store.state.locations
          .filter((location) => locationIds === undefined || locationIds.includes(location.id))
          .map((location) => {
            const level = store.stock(variant.id, location.id);
            const onHand = level?.onHand ?? 0;
            const safety = level?.safetyStock ?? 0;
            return {
              location_id: location.id,
              location_code: location.code,
              location_name: location.label,
              available_to_sell: Math.max(0, onHand - safety),
              total_inventory_onhand: onHand,
              location_enabled: true,
              settings: {
                safety_stock: safety,
                is_in_stock: onHand - safety > 0,
                warning_level: level?.warningLevel ?? 0,
                bin_picking_number: '',
              },
            };
          }),
      })),
      meta: v3Pagination(all.length, paging.page, paging.limit, rows.length),
    });
  });

  router.get('/inventory/locations', (request, response) => {
    const isDefault = request.query.is_default === undefined ? undefined : request.query.is_default === 'true';
    const rows = store.state.locations.filter((location) => isDefault === undefined || location.isDefault === isDefault);
    response.json({
      data: rows.map((location) => ({
        id: location.id,
        code: location.code,
        label: location.label,
        description: '',
        managed_by_external_source: false,
        type_id: 'PHYSICAL',
        enabled: true,
        operating_hours: {},
        time_zone: 'America/Chicago',
        address: {
          address1: '100 Warehouse Row',
          address2: '',
          city: 'Austin',
          state: 'Texas',
          zip: '78701',
          email: 'ops@demostore.example',
          phone: '512-555-0199',
          geo_coordinates: { latitude: 30.2672, longitude: -97.7431 },
          country_code: 'US',
        },
        storefront_visibility: true,
        created_at: '2026-01-01T00:00:00Z',
        updated_at: '2026-01-01T00:00:00Z',
      })),
      meta: v3Pagination(rows.length, 1, 50, rows.length),
    });
  });

  return router;
}
