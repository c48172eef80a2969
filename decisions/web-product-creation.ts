import type { IntacctCatalogItem } from '../mappers/catalog-item-sync.js';
import { parseAmount } from '../mappers/money.js';
import type { CreateInStorefrontSettings } from '../store/schemas/settings.js';

/** BigCommerce's longest product name. */
export const maxStorefrontProductNameLength = 250;

/** A BigCommerce product to create for an Intacct item flagged for the web: values only, the adapter writes the request. */
export interface WebProductToCreate {
  /** The storefront SKU, which the product carries as its own (a product without options). */
  sku: string;
  itemId: string;
  name: string;
  priceMinor: number;
  visible: boolean;
  categoryId?: string;
}

/** Why an Intacct item does not become a storefront product, in the merchant's words. */
export type WebProductSkipReason = 'off' | 'notFlagged' | 'inactive' | 'inStorefront' | 'createdAlready' | 'unpriced';

export type WebProductDecision =
  { kind: 'create'; product: WebProductToCreate } | { kind: 'skip'; reason: WebProductSkipReason } | { kind: 'unreadable'; reason: string };

/** What is known about the item's SKU when the decision is taken. */
export interface WebProductFacts {
  /** The store already has a product or variant with this SKU. */
  inStorefront: boolean;
  /** The product created a storefront product for this SKU before (it may since have been deleted by the merchant: not made again). */
  createdAlready: boolean;
}

/** True when the item's flag field holds the tenant's "on the web" value (ignoring case and surrounding spaces). */
export function isFlaggedForWeb(
  item: Pick<IntacctCatalogItem, 'webFlag'>,
  settings: Pick<CreateInStorefrontSettings, 'flagValue'>,
): boolean {
  return item.webFlag !== undefined && item.webFlag.trim().toLowerCase() === settings.flagValue.trim().toLowerCase();
}

/**
 * Whether a changed Intacct item becomes a new storefront product, for one of its SKUs: only
 * when the tenant creates products, the item is flagged for the web and active, has a price,
 * and the store neither has the SKU nor had it created by us before. The product starts as the
 * tenant says (visible or hidden, in its category or none), named and priced as the item.
 */
export function toWebProduct(
  item: IntacctCatalogItem,
  sku: string,
  settings: CreateInStorefrontSettings,
  facts: WebProductFacts,
  currency: string,
): WebProductDecision {
  if (!settings.enabled) return { kind: 'skip', reason: 'off' };
  if (!isFlaggedForWeb(item, settings)) return { kind: 'skip', reason: 'notFlagged' };
  if (item.status !== 'active') return { kind: 'skip', reason: 'inactive' };
  if (facts.inStorefront) return { kind: 'skip', reason: 'inStorefront' };
  if (facts.createdAlready) return { kind: 'skip', reason: 'createdAlready' };
  // A product without a price would sell for nothing: the item waits until Intacct has one.
  if (item.basePrice.trim() === '') return { kind: 'skip', reason: 'unpriced' };
  let priceMinor: number;
  try {
    priceMinor = parseAmount(item.basePrice, currency).minor;
  } catch (error) {
    return { kind: 'unreadable', reason: `item ${item.itemId}: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (priceMinor < 0)
    return { kind: 'unreadable', reason: `item ${item.itemId}: a negative price (${item.basePrice}) cannot be a product's` };
  const name = (item.name.trim() === '' ? item.itemId : item.name.trim()).slice(0, maxStorefrontProductNameLength);
  return {
    kind: 'create',
    product: {
      sku,
      itemId: item.itemId,
      name,
      priceMinor,
      visible: settings.visibility === 'visible',
      ...(settings.categoryId !== undefined && { categoryId: settings.categoryId }),
    },
  };
}
