import type { ItemResolution } from '../workflows/order-to-cash-contract.js';
import type { ItemMappingRow } from '../store/schemas/mapping-tables.js';
import type { TenantSettings } from '../store/schemas/settings.js';
import type { CanonicalOrderLine } from './canonical-order.js';
import type { ResolvedItem } from './to-intacct-sales-document.js';

/** The line field a tenant matches items by. */
export type StorefrontItemField = TenantSettings['orderSync']['itemMatching']['storefrontField'];

const fieldLabels: Readonly<Record<StorefrontItemField, string>> = { sku: 'SKU', productId: 'product id', upc: 'UPC' };

/** The value a line is matched by (its SKU, product id or variant UPC/GTIN), or undefined when the line does not carry it. */
export function storefrontItemKey(
  line: Pick<CanonicalOrderLine, 'sku' | 'productId' | 'upc'>,
  field: StorefrontItemField,
): string | undefined {
  const value = field === 'sku' ? line.sku : field === 'productId' ? line.productId : line.upc;
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

/** An Intacct item found by the tenant's matching field, with that field's value. */
export interface IntacctItemCandidate {
  matchedValue: string;
  itemId: string;
  status: string;
}

/** The Intacct item a storefront key was matched to. */
export interface IntacctItemMatch {
  itemId: string;
}

/**
 * For each storefront key, the one active Intacct item whose matching field equals it (exactly,
 * else ignoring case). Inactive items cannot be sold, so they do not match. Two active items
 * with the same value are ambiguous and match nothing: the mapping table has to say which.
 */
export function matchIntacctItems(
  keys: readonly string[],
  candidates: readonly IntacctItemCandidate[],
): { matches: Map<string, IntacctItemMatch>; ambiguous: string[] } {
  const active = candidates.filter((candidate) => candidate.status.trim().toLowerCase() === 'active');
  const matches = new Map<string, IntacctItemMatch>();
  const ambiguous: string[] = [];
  for (const key of keys) {
    const exact = active.filter((candidate) => candidate.matchedValue === key);
    const found = exact.length > 0 ? exact : active.filter((candidate) => candidate.matchedValue.toLowerCase() === key.toLowerCase());
    const itemIds = [...new Set(found.map((candidate) => candidate.itemId))];
    if (itemIds.length === 1) matches.set(key, { itemId: itemIds[0]! });
    else if (itemIds.length > 1) ambiguous.push(key);
  }
  return { matches, ambiguous };
}

export interface OrderItemsInput {
  lines: readonly CanonicalOrderLine[];
  itemMatching: TenantSettings['orderSync']['itemMatching'];
  /** The items mapping table's rows, by storefront key. */
  mappedRows: ReadonlyMap<string, ItemMappingRow>;
  /** Active Intacct items matched by the tenant's Intacct field, by storefront key. */
  intacctMatches: ReadonlyMap<string, IntacctItemMatch>;
  /** Keys more than one active Intacct item matched. */
  ambiguous?: readonly string[];
  /** The warehouses mapping table: storefront location id → Intacct warehouse id. */
  warehouses?: ReadonlyMap<string, string>;
  defaultWarehouseId?: string | undefined;
}

const sortedUnique = (values: readonly string[]) => [...new Set(values)].sort();

/**
 * Every line's Intacct item: the mapping table's row first (its item, unit and warehouse), else
 * the item Intacct matched. The warehouse is the item row's, else the warehouses table's for the
 * line's storefront location, else the tenant's default. When any line is
 * left without an item, nothing is resolved and the notice lists what to add.
 */
export function resolveOrderItems(input: OrderItemsInput): ItemResolution {
  const { storefrontField, intacctField } = input.itemMatching;
  const items: Record<string, ResolvedItem> = {};
  const unknownKeys: string[] = [];
  const linesWithoutKey: string[] = [];
  for (const line of input.lines) {
    const key = storefrontItemKey(line, storefrontField);
    if (key === undefined) {
      linesWithoutKey.push(line.sku.trim() === '' ? `line ${line.lineId}` : line.sku.trim());
      continue;
    }
    const row = input.mappedRows.get(key);
    const match = input.intacctMatches.get(key);
    const locationWarehouse = line.locationId === undefined ? undefined : input.warehouses?.get(line.locationId);
    const warehouseId = row?.warehouseId ?? locationWarehouse ?? input.defaultWarehouseId;
    if (row !== undefined)
      items[line.lineId] = {
        itemId: row.intacctItemId,
        ...(row.unit !== undefined && { unit: row.unit }),
        ...(warehouseId !== undefined && { warehouseId }),
      };
    else if (match !== undefined) items[line.lineId] = { itemId: match.itemId, ...(warehouseId !== undefined && { warehouseId }) };
    else unknownKeys.push(key);
  }

  const label = fieldLabels[storefrontField];
  const ambiguous = sortedUnique((input.ambiguous ?? []).filter((key) => unknownKeys.includes(key)));
  if (linesWithoutKey.length > 0) {
    const missingSkus = sortedUnique([...linesWithoutKey, ...unknownKeys]);
    return {
      resolved: false,
      missingSkus,
      attention: {
        code: 'item_field_unavailable',
        reason: `items are matched by the storefront's ${label} (orderSync.itemMatching.storefrontField), which these lines do not have: ${sortedUnique(linesWithoutKey).join(', ')}`,
        fix: `match items by a field the order lines carry (set orderSync.itemMatching.storefrontField to sku${storefrontField === 'productId' ? '' : ' or productId'})${storefrontField === 'upc' ? ' or give every variant a UPC/GTIN in the storefront' : ''}, then retry the order`,
        details: {
          missingSkus,
          storefrontField,
          linesWithoutKey: sortedUnique(linesWithoutKey),
          ...(unknownKeys.length > 0 && { unknownKeys: sortedUnique(unknownKeys) }),
        },
      },
    };
  }
  if (unknownKeys.length > 0) {
    const missingSkus = sortedUnique(unknownKeys);
    return {
      resolved: false,
      missingSkus,
      attention: {
        code: 'unknown_sku',
        reason: `no Intacct item for ${label}${missingSkus.length > 1 ? 's' : ''} ${missingSkus.join(', ')}: the item mapping table has no row for ${missingSkus.length > 1 ? 'them' : 'it'} and Intacct has no single active item whose ${intacctField} matches${ambiguous.length > 0 ? ` (several active items match ${ambiguous.join(', ')})` : ''}`,
        fix: 'add the SKUs to the item mapping table (or create the items in Intacct), then retry the order',
        details: { missingSkus, ...(ambiguous.length > 0 && { ambiguous }) },
      },
    };
  }
  return { resolved: true, items };
}
