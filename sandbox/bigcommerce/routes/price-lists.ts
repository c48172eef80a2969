import { Router } from 'express';
import { z } from 'zod';
import { v3Date, v3Money } from '../formats.js';
import type { PriceList, PriceRecord } from '../model.js';
import { listFilter, readPaging, v3Pagination } from '../responses.js';
import { SandboxError, type SandboxStore } from '../store.js';

/** The most records `PUT /v3/pricelists/{id}/records` takes (the docs' "up to 1,000 price records"). */
export const maxPriceRecordBatch = 1000;

const money = z.number().min(0);
const recordUpsert = z
  .object({
    variant_id: z.number().int().optional(),
    sku: z.string().min(1).optional(),
    currency: z.string().length(3),
    price: money,
    sale_price: money.optional(),
    retail_price: money.optional(),
    map_price: money.optional(),
  })
  .refine((record) => record.variant_id !== undefined || record.sku !== undefined, { message: 'variant_id or sku is required' });

const cents = (value: number) => Math.round(value * 100);

/** Price lists saved before the sandbox had them (an older state file) start with the seed's one list. */
function priceListsOf(store: SandboxStore): PriceList[] {
  store.state.priceLists ??= [{ id: 1, name: 'Wholesale', active: true, customerGroupId: 2, records: [] }];
  return store.state.priceLists;
}

/**
 * V3 price lists as the BigCommerce docs describe them (`price_lists.v3.yml`): lists, their
 * records read by `sku:in` / `variant_id:in` / `currency`, and the batch upsert of up to 1,000
 * records, validated whole (a refused batch saves nothing) and answered with an empty `data`.
 */
export function v3PriceListRoutes(store: SandboxStore): Router {
  const router = Router({ mergeParams: true });

  const recordView = (list: PriceList, record: PriceRecord) => {
    const found = store.variant(record.variantId);
    return {
      price_list_id: list.id,
      variant_id: record.variantId,
      product_id: found?.product.id,
      sku: found?.variant.sku,
      currency: record.currency.toLowerCase(),
      price: v3Money(record.priceCents),
      sale_price: record.salePriceCents === undefined ? null : v3Money(record.salePriceCents),
      retail_price: record.retailPriceCents === undefined ? null : v3Money(record.retailPriceCents),
      map_price: record.mapPriceCents === undefined ? null : v3Money(record.mapPriceCents),
      calculated_price: v3Money(record.salePriceCents ?? record.priceCents),
      date_modified: v3Date(record.modifiedAt),
    };
  };
  const listNamed = (id: string | undefined): PriceList => {
    const list = priceListsOf(store).find((candidate) => String(candidate.id) === id);
    if (list === undefined) throw new SandboxError(404, 'Price list not found');
    return list;
  };

  router.get('/pricelists', (_request, response) => {
    const lists = priceListsOf(store);
    response.json({
      data: lists.map((list) => ({ id: list.id, name: list.name, active: list.active })),
      meta: v3Pagination(lists.length, 1, 50, lists.length),
    });
  });

  router.get('/pricelists/:priceListId/records', (request, response) => {
    const list = listNamed(request.params.priceListId);
    const paging = readPaging(request.query, 1000);
    if (!paging) throw new SandboxError(422, 'The page or limit parameter is invalid.');
    const query = request.query as Record<string, string | undefined>;
    const skus = listFilter(query['sku:in']);
    const variantIds = listFilter(query['variant_id:in'])?.map(Number);
    const currency = query.currency?.toUpperCase();
    const all = list.records.filter(
      (record) =>
        (skus === undefined || skus.includes(store.variant(record.variantId)?.variant.sku ?? '')) &&
        (variantIds === undefined || variantIds.includes(record.variantId)) &&
        (currency === undefined || record.currency === currency),
    );
    const rows = all.slice((paging.page - 1) * paging.limit, paging.page * paging.limit);
    response.json({
      data: rows.map((record) => recordView(list, record)),
      meta: v3Pagination(all.length, paging.page, paging.limit, rows.length),
    });
  });

  // Validated whole before anything is saved; a record is keyed by variant and currency, so
  // sending the same batch again changes nothing but the modification time.
  router.put('/pricelists/:priceListId/records', (request, response) => {
    const list = listNamed(request.params.priceListId);
    const upserts: unknown = request.body;
    if (!Array.isArray(upserts) || upserts.length === 0)
      throw new SandboxError(422, 'JSON data is missing or invalid', { body: 'error.expected.jsarray' });
    if (upserts.length > maxPriceRecordBatch)
      throw new SandboxError(413, `The request payload is too large. The maximum items allowed in the array is ${maxPriceRecordBatch}`);
    const errors: Record<string, string> = {};
    const targets = upserts.map((upsert: unknown, index) => {
      const parsed = recordUpsert.safeParse(upsert);
      if (!parsed.success) {
        errors[`${index}`] = `error.path.${parsed.error.issues[0]?.path.join('.') || 'record'}`;
        return undefined;
      }
      const found =
        parsed.data.variant_id !== undefined ? store.variant(parsed.data.variant_id) : store.variantBySku(parsed.data.sku ?? '');
      if (found === undefined) {
        errors[`${index}`] = `variant ${parsed.data.variant_id ?? parsed.data.sku} not found`;
        return undefined;
      }
      return { variantId: found.variant.id, upsert: parsed.data };
    });
    if (Object.keys(errors).length > 0) throw new SandboxError(422, 'The price records are invalid', errors);
    const now = new Date();
    for (const target of targets) {
      const { variantId, upsert } = target!;
      const record: PriceRecord = {
        variantId,
        currency: upsert.currency.toUpperCase(),
        priceCents: cents(upsert.price),
        ...(upsert.sale_price !== undefined && { salePriceCents: cents(upsert.sale_price) }),
        ...(upsert.retail_price !== undefined && { retailPriceCents: cents(upsert.retail_price) }),
        ...(upsert.map_price !== undefined && { mapPriceCents: cents(upsert.map_price) }),
        modifiedAt: now,
      };
      const at = list.records.findIndex((existing) => existing.variantId === variantId && existing.currency === record.currency);
      if (at === -1) list.records.push(record);
      else list.records[at] = record;
    }
    response.json({ data: {}, meta: {} });
  });

  // BigCommerce answers 204 whether or not a record matched: deleting one already gone succeeds.
  router.delete('/pricelists/:priceListId/records', (request, response) => {
    const list = listNamed(request.params.priceListId);
    const query = request.query as Record<string, string | undefined>;
    const skus = listFilter(query['sku:in']);
    const variantIds = listFilter(query['variant_id:in'])?.map(Number);
    if (skus === undefined && variantIds === undefined) throw new SandboxError(422, 'A sku:in or variant_id:in filter is required.');
    const currency = query.currency?.toUpperCase();
    list.records = list.records.filter(
      (record) =>
        !(
          (skus === undefined || skus.includes(store.variant(record.variantId)?.variant.sku ?? '')) &&
          (variantIds === undefined || variantIds.includes(record.variantId)) &&
          (currency === undefined || record.currency === currency)
        ),
    );
    response.status(204).end();
  });

  return router;
}
