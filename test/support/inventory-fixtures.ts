import type { Db } from 'mongodb';
import { upsertMappingRows } from '../../store/mappings.js';

/**
 * The `warehouses` mapping the inventory suites give a tenant, swapped on purpose: the
 * BigCommerce demo store's default location 1 sells the East Overflow's stock (WH02, 40 mugs),
 * location 2 the main warehouse's (WH01, 120), so a level taken from the wrong warehouse shows.
 */
export function mapStoreLocationsToSwappedWarehouses(db: Db, tenantId: string): Promise<{ created: number; updated: number }> {
  return upsertMappingRows(
    db,
    tenantId,
    'warehouses',
    [
      { key: '1', row: { storefrontLocationId: '1', intacctWarehouseId: 'WH02' } },
      { key: '2', row: { storefrontLocationId: '2', intacctWarehouseId: 'WH01' } },
    ],
    'test',
  );
}
