import type { ItemMappingRow, WarehouseMappingRow } from '../store/schemas/mapping-tables.js';
import type { TenantSettings } from '../store/schemas/settings.js';

/** The tenant's inventory settings (`inventory`). */
export type InventorySettings = TenantSettings['inventory'];

/** One item's stock in one Intacct warehouse, as decimal text (as Intacct sends it). */
export interface WarehouseQuantities {
  warehouseId: string;
  onHand: string;
  onHold: string;
}

const quantity = (text: string): number => {
  const value = Number(text.trim());
  return text.trim() !== '' && Number.isFinite(value) ? value : 0;
};

/**
 * What the storefront may sell of one item: on hand (or on hand minus what is on hold for open
 * orders) over the chosen warehouses (none chosen = all), minus safety stock, in whole units,
 * never below zero. Totals are taken before subtracting, so one warehouse's over-commitment is
 * covered by another's stock, as Intacct's own availability is.
 */
export function availableQuantity(
  rows: readonly WarehouseQuantities[],
  settings: Pick<InventorySettings, 'availability' | 'warehouseIds' | 'safetyStock'>,
): number {
  const counted = settings.warehouseIds.length === 0 ? rows : rows.filter((row) => settings.warehouseIds.includes(row.warehouseId));
  let total = 0;
  for (const row of counted) total += quantity(row.onHand) - (settings.availability === 'onHandMinusCommitted' ? quantity(row.onHold) : 0);
  // Rounded to 6 places first so 0.1 + 0.2 does not floor to a unit less than it is.
  return Math.max(0, Math.floor(Math.round(total * 1e6) / 1e6) - settings.safetyStock);
}

/**
 * The warehouses mapping table read in the direction stock flows: each storefront location and
 * the Intacct warehouses whose stock it sells, in the table's order. Empty: the tenant keeps one
 * storefront location (the store's default) for all of its counted warehouses.
 */
export function warehousesByLocation(rows: readonly WarehouseMappingRow[]): Map<string, string[]> {
  const locations = new Map<string, string[]>();
  for (const row of rows)
    locations.set(row.storefrontLocationId, [...(locations.get(row.storefrontLocationId) ?? []), row.intacctWarehouseId]);
  return locations;
}

/** A desired storefront level: at the store's default location, or at the location the warehouses table names. */
export interface DesiredLevel {
  sku: string;
  available: number;
  locationId?: string;
}

/**
 * What the storefront should show of one item's SKUs: without location mapping, one level per
 * SKU over the counted warehouses; with it, one level per SKU and mapped storefront location,
 * each over the Intacct warehouses mapped to that location (`inventory.warehouseIds`, when set,
 * still limits which count).
 */
export function desiredLevels(
  skus: readonly string[],
  rows: readonly WarehouseQuantities[],
  settings: Pick<InventorySettings, 'availability' | 'warehouseIds' | 'safetyStock'>,
  locations: ReadonlyMap<string, readonly string[]>,
): DesiredLevel[] {
  if (locations.size === 0) {
    const available = availableQuantity(rows, settings);
    return skus.map((sku) => ({ sku, available }));
  }
  return skus.flatMap((sku) =>
    [...locations].map(([locationId, warehouseIds]) => ({
      sku,
      available: availableQuantity(
        rows.filter((row) => warehouseIds.includes(row.warehouseId)),
        settings,
      ),
      locationId,
    })),
  );
}

/** The items mapping table, read in the direction stock flows: Intacct item → storefront SKUs. */
export interface InventorySkuMapping {
  /** Storefront SKUs listed against each Intacct item id. */
  skusByItem: ReadonlyMap<string, readonly string[]>;
  /** Every storefront SKU the table lists (a listed SKU belongs to the item its row names). */
  listedSkus: ReadonlySet<string>;
}

/** Builds {@link InventorySkuMapping} from the items mapping table's rows. */
export function inventorySkuMapping(rows: readonly ItemMappingRow[]): InventorySkuMapping {
  const skusByItem = new Map<string, string[]>();
  for (const row of rows) skusByItem.set(row.intacctItemId, [...(skusByItem.get(row.intacctItemId) ?? []), row.storefrontSku]);
  for (const skus of skusByItem.values()) skus.sort();
  return { skusByItem, listedSkus: new Set(rows.map((row) => row.storefrontSku)) };
}

/**
 * The storefront SKUs an Intacct item's stock goes to: the mapping table's rows for it, else the
 * item id itself when the tenant matches storefront SKU to Intacct ITEMID and no row gives that
 * SKU to another item. Other matching fields need the item's field value, which stock reads do
 * not carry: such items sync through the mapping table only. Empty means unmapped.
 */
export function storefrontSkusForItem(
  itemId: string,
  mapping: InventorySkuMapping,
  itemMatching: TenantSettings['orderSync']['itemMatching'],
): string[] {
  const mapped = mapping.skusByItem.get(itemId);
  if (mapped !== undefined && mapped.length > 0) return [...mapped];
  const byItemId = itemMatching.storefrontField === 'sku' && itemMatching.intacctField === 'ITEMID';
  return byItemId && !mapping.listedSkus.has(itemId) ? [itemId] : [];
}

/** True when the tenant's SKU filter (`inventory.skus`) lets this storefront SKU sync. */
export function isSkuSynced(sku: string, filter: InventorySettings['skus']): boolean {
  return filter.mode === 'all' || filter.skus.includes(sku);
}

/** A storefront SKU's level and the ids the storefront knows it by. */
export interface StorefrontLevel {
  sku: string;
  /** The storefront location the level is at, when the warehouses table maps locations. */
  locationId?: string;
  onHand: number;
  productId?: string;
  variantId?: string;
}

/** A level to write: the new absolute quantity and what the storefront had. */
export interface InventoryChange {
  sku: string;
  locationId?: string;
  from: number;
  to: number;
  productId?: string;
  variantId?: string;
}

export interface InventoryDiff {
  changes: InventoryChange[];
  unchanged: number;
  /** SKUs Intacct has stock for that the storefront does not carry (or does not track). */
  notInStorefront: string[];
}

/** What tells one level from another: its SKU at its location (levels at the store's default location name none). */
export function levelKey(level: { sku: string; locationId?: string | undefined }): string {
  return `${level.locationId ?? ''}\u0000${level.sku}`;
}

/** The storefront locations desired levels name, each once (none: the store's default): the locations the storefront read asks for. */
export function mappedLocationIds(levels: ReadonlyArray<{ locationId?: string | undefined }>): string[] {
  return [...new Set(levels.flatMap((level) => (level.locationId === undefined ? [] : [level.locationId])))];
}

/** A change as the push writes it: the absolute level at its location, with the ids the storefront knows the SKU by. */
export function levelToWrite(change: InventoryChange): {
  sku: string;
  quantity: number;
  locationId?: string;
  productId?: string;
  variantId?: string;
} {
  return {
    sku: change.sku,
    ...(change.locationId !== undefined && { locationId: change.locationId }),
    quantity: change.to,
    ...(change.productId !== undefined && { productId: change.productId }),
    ...(change.variantId !== undefined && { variantId: change.variantId }),
  };
}

/**
 * Desired levels against the storefront's, SKU by SKU and location by location: only differing
 * ones become changes, in the desired order.
 */
export function diffInventoryLevels(desired: readonly DesiredLevel[], current: readonly StorefrontLevel[]): InventoryDiff {
  const byKey = new Map(current.map((level) => [levelKey(level), level]));
  const changes: InventoryChange[] = [];
  const notInStorefront: string[] = [];
  let unchanged = 0;
  for (const wanted of desired) {
    const { sku, available } = wanted;
    const level = byKey.get(levelKey(wanted));
    if (level === undefined) notInStorefront.push(sku);
    else if (level.onHand === available) unchanged += 1;
    else
      changes.push({
        sku,
        ...(wanted.locationId !== undefined && { locationId: wanted.locationId }),
        from: level.onHand,
        to: available,
        ...(level.productId !== undefined && { productId: level.productId }),
        ...(level.variantId !== undefined && { variantId: level.variantId }),
      });
  }
  return { changes, unchanged, notInStorefront };
}

/** The most items one inventory write takes: BigCommerce's adjustment cap; Clarity's `inventory:batch` contract. */
export const maxInventoryBatchSize = { bigcommerce: 2000, clarity: 500 } as const;

/** Splits items into batches of at most `size`, in order. */
export function batchesOf<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`batch size must be a positive whole number, got ${size}`);
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += size) batches.push(items.slice(start, start + size));
  return batches;
}

/** A drift worth reporting: what the storefront had and what Intacct says. */
export interface InventoryDrift {
  sku: string;
  from: number;
  to: number;
}

/** The `limit` largest drifts of both lists (by size, then SKU), so a report stays bounded however large the catalogue. */
export function largestDrifts(kept: readonly InventoryDrift[], more: readonly InventoryDrift[], limit: number): InventoryDrift[] {
  const size = (drift: InventoryDrift) => Math.abs(drift.to - drift.from);
  return [...kept, ...more.map(({ sku, from, to }) => ({ sku, from, to }))]
    .sort((a, b) => size(b) - size(a) || (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0))
    .slice(0, limit);
}
