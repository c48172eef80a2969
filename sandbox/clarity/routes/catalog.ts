import { Router } from 'express';
import { z } from 'zod';
import { idempotent, parseBody, pathParam, requireScope, type StateRef, stringParam, timestampParam } from '../context.js';
import { toCents } from '../money.js';
import { page, readPageQuery } from '../paging.js';
import { validationFailed } from '../problems.js';
import { inventoryToWire, productToWire, type ProductRecord } from '../records.js';

/** The store has one stock location; others are refused rather than silently ignored. */
const locationId = z.literal('MAIN', { error: 'unknown location (this store has MAIN only)' });

const inventoryUpdate = z.strictObject({ available: z.number().int().nonnegative(), locationId: locationId.optional() });
/** The fields an ERP may own (the contract's ProductPatch, a proposal addition). */
const productPatch = z
  .strictObject({
    name: z.string().min(1).max(250).optional(),
    price: z
      .string()
      .regex(/^\d+\.\d{2}$/, 'a decimal amount with two decimals, not negative')
      .optional(),
    active: z.boolean().optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, 'at least one field to change');

const inventoryBatch = z.strictObject({
  items: z
    .array(z.strictObject({ sku: z.string().min(1), available: z.number().int().nonnegative(), locationId: locationId.optional() }))
    .min(1)
    .max(500),
});

/** Products and stock levels. Products and stock written here are an integration's writes: no `product.updated`. */
export function catalogRoutes(state: StateRef): Router {
  const router = Router();
  const keyed = idempotent(state);

  const listed = (query: Record<string, unknown>) => {
    const sku = stringParam(query, 'sku');
    const updatedSince = timestampParam(query, 'updatedSince');
    return [...state().store.products.values()]
      .filter((product) => (sku === undefined || product.sku === sku) && (updatedSince === undefined || product.updatedAt >= updatedSince))
      .sort((a, b) => a.sku.localeCompare(b.sku));
  };

  router.get('/api/v1/products', requireScope(state, 'products:read'), (request, response) => {
    const query = request.query as Record<string, unknown>;
    const paging = readPageQuery(query);
    const result = page(listed(query), skuOf, paging);
    response.json({ data: result.data.map(productToWire), nextCursor: result.nextCursor });
  });

  router.get('/api/v1/products/:sku', requireScope(state, 'products:read'), (request, response) => {
    response.json(productToWire(state().store.product(pathParam(request, 'sku'))));
  });

  router.patch('/api/v1/products/:sku', requireScope(state, 'products:write'), keyed, (request, response) => {
    const store = state().store;
    const product = store.product(pathParam(request, 'sku'));
    const { price, ...rest } = parseBody(productPatch, request.body);
    response.json(productToWire(store.writeProduct(product.sku, { ...rest, ...(price !== undefined && { price: toCents(price) }) })));
  });

  router.get('/api/v1/inventory', requireScope(state, 'products:read'), (request, response) => {
    const query = request.query as Record<string, unknown>;
    const paging = readPageQuery(query);
    const result = page(listed(query), skuOf, paging);
    response.json({ data: result.data.map(inventoryToWire), nextCursor: result.nextCursor });
  });

  // Registered before `/inventory/:sku`; the colon is literal (`inventory:batch`, AIP-style custom method).
  router.post('/api/v1/inventory\\:batch', requireScope(state, 'inventory:write'), keyed, (request, response) => {
    const { items } = parseBody(inventoryBatch, request.body);
    const store = state().store;
    const results = items.map((item) => {
      const product = store.products.get(item.sku);
      if (product === undefined) return { sku: item.sku, status: 'error', error: { title: 'unknown sku' } };
      if (!product.tracked) return { sku: item.sku, status: 'error', error: { title: 'stock is not tracked for this product' } };
      store.setInventory(item.sku, item.available);
      return { sku: item.sku, status: 'ok' };
    });
    response.json({ results });
  });

  router.put('/api/v1/inventory/:sku', requireScope(state, 'inventory:write'), keyed, (request, response) => {
    const store = state().store;
    const product = store.product(pathParam(request, 'sku'));
    const update = parseBody(inventoryUpdate, request.body);
    if (!product.tracked) throw validationFailed([{ field: 'sku', message: 'stock is not tracked for this product' }]);
    response.json(inventoryToWire(store.setInventory(product.sku, update.available)));
  });

  return router;
}

function skuOf(product: ProductRecord): string {
  return product.sku;
}
