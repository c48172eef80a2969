import type { ItemMappingRow } from '../store/schemas/mapping-tables.js';
import type { TenantSettings } from '../store/schemas/settings.js';
import {
  desiredLevels,
  levelKey,
  type DesiredLevel,
  type InventoryChange,
  type InventorySettings,
  type WarehouseQuantities,
} from './inventory-availability.js';

/**
 * The Intacct item whose stock a storefront SKU gets: the items mapping table's row for the SKU,
 * else the SKU itself as ITEMID when the tenant matches storefront SKU to ITEMID and no row maps
 * that item elsewhere. The inverse of `storefrontSkusForItem`, so one SKU and a whole
 * reconciliation agree. `rows` must hold the rows keyed by the SKU and those naming the SKU as
 * item (what `itemMappingRowsForItems(db, tenantId, [sku])` returns). Undefined: unmapped.
 */
export function intacctItemForSku(
  sku: string,
  rows: readonly ItemMappingRow[],
  itemMatching: TenantSettings['orderSync']['itemMatching'],
): string | undefined {
  const mapped = rows.find((row) => row.storefrontSku === sku);
  if (mapped !== undefined) return mapped.intacctItemId;
  const byItemId = itemMatching.storefrontField === 'sku' && itemMatching.intacctField === 'ITEMID';
  const itemMappedElsewhere = rows.some((row) => row.intacctItemId === sku);
  return byItemId && !itemMappedElsewhere ? sku : undefined;
}

/** A SKU's desired level (at a mapped storefront location, when the warehouses table maps them) and the item it comes from. */
export type SkuLevel = DesiredLevel & { intacctItemId: string };

/**
 * Each SKU's availability from its item's stock rows, as a reconciliation computes it: one level
 * over the counted warehouses, or, when the warehouses table maps storefront locations
 * (`warehousesByLocation`), one per mapped location over its own warehouses. A SKU whose item
 * has no stock row at all is `notInIntacct`, not 0: a whole reconciliation never sees such an
 * item either, so it never pushes a level for it.
 */
export function skuAvailability(
  itemBySku: ReadonlyMap<string, string>,
  stockRows: ReadonlyArray<WarehouseQuantities & { itemId: string }>,
  settings: Pick<InventorySettings, 'availability' | 'warehouseIds' | 'safetyStock'>,
  locations: ReadonlyMap<string, readonly string[]>,
): { levels: SkuLevel[]; notInIntacct: Array<{ sku: string; intacctItemId: string }> } {
  const rowsByItem = new Map<string, WarehouseQuantities[]>();
  for (const { itemId, ...row } of stockRows) rowsByItem.set(itemId, [...(rowsByItem.get(itemId) ?? []), row]);
  const levels: SkuLevel[] = [];
  const notInIntacct: Array<{ sku: string; intacctItemId: string }> = [];
  for (const [sku, intacctItemId] of itemBySku) {
    const rows = rowsByItem.get(intacctItemId);
    if (rows === undefined) notInIntacct.push({ sku, intacctItemId });
    else levels.push(...desiredLevels([sku], rows, settings, locations).map((level) => ({ ...level, intacctItemId })));
  }
  return { levels, notInIntacct };
}

/** Per-SKU outcome of one sync round, from what each step found. */
export interface SkuSyncReportInput {
  /** The target's SKUs, in the order reported. */
  skus: readonly string[];
  stock: {
    levels: readonly SkuLevel[];
    filtered: readonly string[];
    unmapped: readonly string[];
    notInIntacct: ReadonlyArray<{ sku: string; intacctItemId: string }>;
  };
  /** The storefront's levels for the SKUs with a desired level (at their locations, when mapped). */
  current: ReadonlyArray<{ sku: string; locationId?: string; onHand: number }>;
  changes: readonly InventoryChange[];
  failed: ReadonlyArray<{ sku: string; reason: string }>;
}

export interface SkuSyncReportLine {
  sku: string;
  /** The storefront location of the level, when the warehouses table maps locations. */
  locationId?: string;
  outcome: 'pushed' | 'unchanged' | 'failed' | 'filtered' | 'unmapped' | 'notInIntacct' | 'notInStorefront';
  intacctItemId?: string;
  from?: number;
  to?: number;
  reason?: string;
}

/**
 * What happened to each SKU of the target, in the target's order: one line per SKU, or, when
 * the warehouses table maps locations, one per SKU and location in the table's order. A refused
 * write fails every level of its batch, so a failure is the SKU's at each of its locations.
 */
export function skuSyncReports(input: SkuSyncReportInput): SkuSyncReportLine[] {
  const filtered = new Set(input.stock.filtered);
  const unmapped = new Set(input.stock.unmapped);
  const notInIntacct = new Map(input.stock.notInIntacct.map((entry) => [entry.sku, entry.intacctItemId]));
  const desired = new Map<string, SkuLevel[]>();
  for (const level of input.stock.levels) desired.set(level.sku, [...(desired.get(level.sku) ?? []), level]);
  const current = new Map(input.current.map((level) => [levelKey(level), level.onHand]));
  const changed = new Set(input.changes.map(levelKey));
  const failed = new Map(input.failed.map((failure) => [failure.sku, failure.reason]));
  return input.skus.flatMap((sku): SkuSyncReportLine[] => {
    if (filtered.has(sku)) return [{ sku, outcome: 'filtered' }];
    if (unmapped.has(sku)) return [{ sku, outcome: 'unmapped' }];
    const missingItem = notInIntacct.get(sku);
    if (missingItem !== undefined) return [{ sku, outcome: 'notInIntacct', intacctItemId: missingItem }];
    const levels = desired.get(sku);
    if (levels === undefined) return [{ sku, outcome: 'unmapped' }];
    return levels.map((level): SkuSyncReportLine => {
      const from = current.get(levelKey(level));
      const known = {
        sku,
        ...(level.locationId !== undefined && { locationId: level.locationId }),
        intacctItemId: level.intacctItemId,
        to: level.available,
      };
      if (from === undefined) return { ...known, outcome: 'notInStorefront' };
      const reason = failed.get(sku);
      if (reason !== undefined) return { ...known, from, outcome: 'failed', reason };
      return { ...known, from, outcome: changed.has(levelKey(level)) ? 'pushed' : 'unchanged' };
    });
  });
}
