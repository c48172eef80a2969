import { BigCommerceInputError } from '../errors.js';
import {
  adjustmentResult,
  inventoryItem,
  location,
  maxAdjustmentItems,
  type InventoryItem,
  type InventoryLevelInput,
  type Location,
} from '../schemas/inventory.js';
import type { BigCommerceTransport } from '../transport.js';
import { readV3Page, type V3Page } from './paging.js';

/** V3 inventory: absolute levels (idempotent, unlike relative ones), items and locations. */
export interface InventoryResource {
  /**
   * Sets absolute on-hand levels, at most 2,000 items per request; requests of one store run
   * one at a time, as BigCommerce asks. Resolves with the store's transaction id.
   */
  setAbsoluteLevels(items: InventoryLevelInput[], reason?: string): Promise<string>;
  listItems(filter?: {
    skus?: string[];
    variantIds?: number[];
    locationIds?: number[];
    page?: number;
    limit?: number;
  }): Promise<V3Page<InventoryItem>>;
  listLocations(filter?: { isDefault?: boolean }): Promise<Location[]>;
}

export function inventoryResource(transport: BigCommerceTransport): InventoryResource {
  return {
    async setAbsoluteLevels(items, reason) {
      // Splitting here would make one call two writes with two outcomes: the caller batches.
      if (items.length === 0 || items.length > maxAdjustmentItems) {
        throw new BigCommerceInputError(`an absolute adjustment takes 1 to ${maxAdjustmentItems} items, not ${items.length}`, {
          vendorCode: 'too_many_items',
        });
      }
      const result = await transport.sendParsed(
        {
          version: 'v3',
          method: 'PUT',
          path: '/inventory/adjustments/absolute',
          json: { ...(reason !== undefined && { reason }), items },
          exclusive: true,
        },
        adjustmentResult,
      );
      return result.transaction_id;
    },
    listItems: (filter = {}) =>
      readV3Page(
        transport,
        {
          version: 'v3',
          method: 'GET',
          path: '/inventory/items',
          searchParams: {
            'sku:in': filter.skus?.join(','),
            'variant_id:in': filter.variantIds?.join(','),
            'location_id:in': filter.locationIds?.join(','),
            page: filter.page,
            limit: filter.limit,
          },
        },
        inventoryItem,
      ),
    listLocations: async (filter = {}) =>
      (
        await readV3Page(
          transport,
          { version: 'v3', method: 'GET', path: '/inventory/locations', searchParams: { is_default: filter.isDefault } },
          location,
        )
      ).data,
  };
}
