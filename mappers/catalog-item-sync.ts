import type { CatalogSettings, ItemFieldDirections } from '../store/schemas/settings.js';
import { itemFieldFlow } from './catalog-field-directions.js';
import { currencyExponent, formatAmount, parseAmount } from './money.js';

/** An Intacct item as the catalog sync reads it: ids and the fields Intacct may own, as Intacct writes them. */
export interface IntacctCatalogItem {
  itemId: string;
  name: string;
  /** `active` or `inactive`. */
  status: string;
  /** BASEPRICE, a decimal string ('' when unset). */
  basePrice: string;
  /** STANDARD_COST, a decimal string ('' when unset). */
  standardCost: string;
  /** WHENMODIFIED as Intacct gave it (`MM/DD/YYYY HH:MM:SS`). */
  modifiedAt: string;
  /** The value of the tenant's web flag field (`catalog.items.createInStorefront.flagField`), when it has one. */
  webFlag?: string;
}

/**
 * The storefront record a SKU names. `product`: a product's own SKU (a product without options,
 * whose base variant stands for it): name, price, cost and visibility are the product's.
 * `variant`: one option combination of a product with options: price, cost and whether it can
 * be bought are the variant's; the name is the product's and is left alone.
 * Prices are in minor units of the tenant's base currency; undefined when the store has none
 * (a variant inheriting its product's price).
 */
export type StorefrontCatalogEntry =
  | {
      kind: 'product';
      sku: string;
      productId: string;
      name: string;
      priceMinor: number;
      costMinor: number | undefined;
      visible: boolean;
      /** The record's last change as the store stamps it (Clarity's `updatedAt`), where the store keys writes by it. */
      version?: string;
    }
  | {
      kind: 'variant';
      sku: string;
      productId: string;
      variantId: string;
      priceMinor: number | undefined;
      costMinor: number | undefined;
      purchasable: boolean;
    };

/** What to write to a product: only the fields that change. */
export interface ProductChange {
  sku: string;
  productId: string;
  /** The record's version the change was decided from (the entry's), so a retried write is recognised and a later one is not. */
  version?: string;
  name?: string;
  priceMinor?: number;
  costMinor?: number;
  visible?: boolean;
}

/** What to write to a variant: only the fields that change. */
export interface VariantChange {
  sku: string;
  productId: string;
  variantId: string;
  priceMinor?: number;
  costMinor?: number;
  purchasable?: boolean;
}

/** The decision for one SKU of a changed item. */
export type CatalogItemDecision =
  | { kind: 'unchanged' }
  | { kind: 'ownWrite' }
  | { kind: 'product'; change: ProductChange }
  | { kind: 'variant'; change: VariantChange }
  | { kind: 'unreadable'; reason: string };

/**
 * The item's version as the product itself last wrote it to Intacct: the fields Intacct may own,
 * in one line. When CatalogSync reads an item whose version is still the one the product wrote
 * (an item it created from a storefront product), the change is the product's own echo and is
 * not carried back to the store: the store already holds what it was made from.
 */
export function intacctItemStamp(item: Pick<IntacctCatalogItem, 'name' | 'status' | 'basePrice' | 'standardCost'>): string {
  const decimal = (text: string) => (text.trim() === '' ? '' : String(Number(text)));
  return JSON.stringify([item.name, item.status, decimal(item.basePrice), decimal(item.standardCost)]);
}

/**
 * What one changed Intacct item means for the storefront record its SKU names: the fields
 * Intacct owns (per the tenant's directions) that differ, or `unchanged` when none does, so a
 * second run over the same items writes nothing. `ownStamp` is the version the product last
 * wrote to this item, if any ({@link intacctItemStamp}).
 */
export function toStorefrontCatalogChange(
  item: IntacctCatalogItem,
  entry: StorefrontCatalogEntry,
  directions: ItemFieldDirections,
  currency: string,
  ownStamp?: string,
): CatalogItemDecision {
  if (ownStamp !== undefined && ownStamp === intacctItemStamp(item)) return { kind: 'ownWrite' };
  const owned = (field: keyof ItemFieldDirections) => itemFieldFlow(directions[field]) === 'toStorefront';
  let price: number | undefined;
  let cost: number | undefined;
  try {
    price = owned('price') && item.basePrice.trim() !== '' ? parseAmount(item.basePrice, currency).minor : undefined;
    cost = owned('cost') && item.standardCost.trim() !== '' ? parseAmount(item.standardCost, currency).minor : undefined;
  } catch (error) {
    return { kind: 'unreadable', reason: `item ${item.itemId}: ${error instanceof Error ? error.message : String(error)}` };
  }
  const active = item.status === 'active';
  if (entry.kind === 'product') {
    const change: ProductChange = { sku: entry.sku, productId: entry.productId };
    if (owned('name') && item.name !== '' && item.name !== entry.name) change.name = item.name;
    if (price !== undefined && price !== entry.priceMinor) change.priceMinor = price;
    if (cost !== undefined && cost !== entry.costMinor) change.costMinor = cost;
    if (owned('status') && active !== entry.visible) change.visible = active;
    if (Object.keys(change).length === 2) return { kind: 'unchanged' };
    return { kind: 'product', change: entry.version === undefined ? change : { ...change, version: entry.version } };
  }
  const change: VariantChange = { sku: entry.sku, productId: entry.productId, variantId: entry.variantId };
  if (price !== undefined && price !== entry.priceMinor) change.priceMinor = price;
  if (cost !== undefined && cost !== entry.costMinor) change.costMinor = cost;
  if (owned('status') && active !== entry.purchasable) change.purchasable = active;
  return Object.keys(change).length > 3 ? { kind: 'variant', change } : { kind: 'unchanged' };
}

/** A storefront price (BigCommerce sends floats) in minor units of `currency`; undefined for none. */
export function fromStorefrontPrice(price: number | null | undefined, currency: string): number | undefined {
  if (price === null || price === undefined) return undefined;
  return Math.round(price * 10 ** currencyExponent(currency));
}

/** Minor units as the float a storefront's catalog takes. */
export function toStorefrontPrice(minor: number, currency: string): number {
  return minor / 10 ** currencyExponent(currency);
}

/** A storefront product or variant whose SKU Intacct may lack, as the store describes it. */
export interface NewStorefrontSku {
  sku: string;
  /** The product's name, with the variant's option labels when it is a variant. */
  name: string;
  priceMinor: number | undefined;
  costMinor: number | undefined;
}

/** The Intacct item to create for a storefront SKU: ids and values only, the builder writes the XML. */
export interface IntacctItemToCreate {
  itemId: string;
  name: string;
  itemType: string;
  status: 'active' | 'inactive';
  basePrice?: string;
  standardCost?: string;
  unitOfMeasureGroup?: string;
  glGroup?: string;
  taxGroup?: string;
}

/** Intacct's longest item name. */
export const maxIntacctItemNameLength = 100;

/**
 * The Intacct item a new storefront SKU becomes, per the tenant's `catalog.items`: undefined when
 * `createInIntacct` is `off` (the SKU is raised for attention instead). Its id is the SKU, so the
 * item matches the store's orders by ITEMID. Price and cost come from the store unless the tenant
 * syncs them neither way; they are only a starting point when Intacct owns them.
 */
export function toIntacctItemFromStorefront(
  sku: NewStorefrontSku,
  settings: Pick<CatalogSettings['items'], 'createInIntacct' | 'itemDefaults' | 'fields'>,
  currency: string,
): IntacctItemToCreate | undefined {
  if (settings.createInIntacct === 'off') return undefined;
  const { itemDefaults, fields } = settings;
  const name = (sku.name.trim() === '' ? sku.sku : sku.name.trim()).slice(0, maxIntacctItemNameLength);
  return {
    itemId: sku.sku,
    name,
    itemType: itemDefaults.itemType,
    status: settings.createInIntacct,
    ...(fields.price !== 'none' && sku.priceMinor !== undefined && { basePrice: formatAmount(sku.priceMinor, currency) }),
    ...(fields.cost !== 'none' && sku.costMinor !== undefined && { standardCost: formatAmount(sku.costMinor, currency) }),
    ...(itemDefaults.unitOfMeasure !== undefined && { unitOfMeasureGroup: itemDefaults.unitOfMeasure }),
    ...(itemDefaults.glGroup !== undefined && { glGroup: itemDefaults.glGroup }),
    ...(itemDefaults.taxGroup !== undefined && { taxGroup: itemDefaults.taxGroup }),
  };
}

const intacctTimestampPattern = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2}):(\d{2})$/;

/**
 * An Intacct timestamp (`MM/DD/YYYY HH:MM:SS`, WHENMODIFIED) as milliseconds of its wall clock,
 * read as if it were UTC: whatever zone the company's clock is in, two of its timestamps compare
 * and subtract correctly, and {@link formatIntacctTimestamp} gives the text back in the same
 * clock. Undefined when the text is not such a timestamp.
 */
export function intacctTimestampMs(text: string): number | undefined {
  const match = intacctTimestampPattern.exec(text.trim());
  if (match === null) return undefined;
  const [, month, day, year, hours, minutes, seconds] = match.map(Number) as [number, number, number, number, number, number, number];
  return Date.UTC(year, month - 1, day, hours, minutes, seconds);
}

/** The inverse of {@link intacctTimestampMs}. */
export function formatIntacctTimestamp(ms: number): string {
  const at = new Date(ms);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(at.getUTCMonth() + 1)}/${pad(at.getUTCDate())}/${at.getUTCFullYear()} ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}`;
}

/** How far before the latest change a run read the next run starts polling, on top of the run's own duration. */
export const catalogPollMarginMs = 5 * 60_000;

/**
 * Where the next run polls from, in Intacct's own clock: the latest WHENMODIFIED this run read,
 * less the run's duration and a margin. Intacct's clock is used, never ours, so a company whose
 * timestamps are in another zone is neither skipped nor re-read in full. The duration is taken
 * off because an item changed while the run paged past it carries an earlier time than items
 * read after it; re-reading a few items costs reads, never writes, since unchanged values are
 * not written. Undefined when the run read nothing (the watermark stays where it was).
 */
export function nextCatalogWatermark(latestModifiedAt: string | undefined, runDurationMs: number): string | undefined {
  const latest = latestModifiedAt === undefined ? undefined : intacctTimestampMs(latestModifiedAt);
  if (latest === undefined) return undefined;
  return formatIntacctTimestamp(latest - Math.max(0, runDurationMs) - catalogPollMarginMs);
}

/** The later of two Intacct timestamps; an unreadable one loses. */
export function laterIntacctTimestamp(a: string | undefined, b: string | undefined): string | undefined {
  const aMs = a === undefined ? undefined : intacctTimestampMs(a);
  const bMs = b === undefined ? undefined : intacctTimestampMs(b);
  if (bMs === undefined) return aMs === undefined ? undefined : a;
  if (aMs === undefined) return b;
  return bMs > aMs ? b : a;
}
