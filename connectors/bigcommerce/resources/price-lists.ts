import { z } from 'zod';
import { BigCommerceInputError } from '../errors.js';
import type { BigCommerceTransport } from '../transport.js';
import { readV3Page, type V3Page } from './paging.js';

/** The most records one price list upsert takes (`PUT /v3/pricelists/{id}/records`). */
export const maxPriceRecordBatch = 1000;

/** A price record as BigCommerce lists it: one variant's price in one currency on one price list. */
export const priceRecord = z.object({
  price_list_id: z.number(),
  variant_id: z.number(),
  sku: z.string().nullish(),
  currency: z.string(),
  price: z.number(),
  sale_price: z.number().nullish(),
});
export type PriceRecord = z.output<typeof priceRecord>;

/** One record to upsert, by SKU: the record of that variant and currency is created or replaced. */
export interface PriceRecordUpsert {
  sku: string;
  currency: string;
  price: number;
}

/** V3 price list records, read by SKU and written in batches. */
export interface PriceListsResource {
  listRecords(
    priceListId: number,
    filter: { skus?: string[]; currency?: string; page?: number; limit?: number },
  ): Promise<V3Page<PriceRecord>>;
  /**
   * Upserts up to 1,000 records in one call. BigCommerce allows two such upserts at a time per
   * store: the client sends them one at a time. A refused batch is a `BigCommerceInputError`.
   */
  upsertRecords(priceListId: number, records: PriceRecordUpsert[]): Promise<void>;
  /** Deletes the records of these SKUs in one currency; records already gone are no error (204). */
  deleteRecords(priceListId: number, filter: { skus: string[]; currency: string }): Promise<void>;
}

export function priceListsResource(transport: BigCommerceTransport): PriceListsResource {
  return {
    listRecords: (priceListId, filter) =>
      readV3Page(
        transport,
        {
          version: 'v3',
          method: 'GET',
          path: `/pricelists/${priceListId}/records`,
          searchParams: { 'sku:in': filter.skus?.join(','), currency: filter.currency, page: filter.page, limit: filter.limit },
        },
        priceRecord,
      ),
    async upsertRecords(priceListId, records) {
      if (records.length === 0 || records.length > maxPriceRecordBatch) {
        throw new BigCommerceInputError(`a price record batch takes 1 to ${maxPriceRecordBatch} records, not ${records.length}`, {
          vendorCode: 'too_many_items',
        });
      }
      await transport.send({ version: 'v3', method: 'PUT', path: `/pricelists/${priceListId}/records`, json: records, exclusive: true });
    },
    async deleteRecords(priceListId, filter) {
      if (filter.skus.length === 0) return;
      await transport.send({
        version: 'v3',
        method: 'DELETE',
        path: `/pricelists/${priceListId}/records`,
        searchParams: { 'sku:in': filter.skus.join(','), currency: filter.currency },
      });
    },
  };
}
