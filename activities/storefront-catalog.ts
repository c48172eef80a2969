import { BigCommerceInputError, maxProductBatch, maxVariantBatch, type BigCommerceClient } from '../connectors/bigcommerce/index.js';
import { ClarityInputError, type ClarityClient, type ClarityProductUpdate } from '../connectors/clarity/index.js';
import { clarityProductFields, type StorefrontItemField } from '../mappers/catalog-field-directions.js';
import {
  fromStorefrontPrice,
  toStorefrontPrice,
  type ProductChange,
  type StorefrontCatalogEntry,
  type VariantChange,
} from '../mappers/catalog-item-sync.js';
import type { WebProductToCreate } from '../decisions/web-product-creation.js';
import { batchesOf } from '../mappers/inventory-availability.js';
import { formatAmount, parseAmount } from '../mappers/money.js';
import type { PushCatalogChangesResult } from '../workflows/catalog-sync-contract.js';
import { idempotencyKey } from './storefront-order-access.js';
import type { StorefrontConnection } from './tenant-connections.js';

/** What a store said about a set of SKUs: the record each names (a SKU it lacks is absent) and what could not be compared. */
export interface StorefrontCatalogRead {
  entries: Map<string, StorefrontCatalogEntry>;
  unreadable: Array<{ sku: string; reason: string }>;
  requests: number;
}

/**
 * A store's catalog as CatalogSync sees it, whichever storefront sells: read the records some
 * SKUs name, write changed products and variants. Writes set absolute values, so a retried write
 * writes the same again; a refused record comes back as failed, anything retryable is thrown.
 */
export interface StorefrontCatalog {
  /** The item fields the store has a place for (the others flow neither way). */
  readonly holds: readonly StorefrontItemField[];
  /** The most products, and variants, one write takes. */
  readonly maxProductsPerWrite: number;
  readonly maxVariantsPerWrite: number;
  read(skus: readonly string[]): Promise<StorefrontCatalogRead>;
  writeProducts(changes: readonly ProductChange[]): Promise<PushCatalogChangesResult>;
  writeVariants(changes: readonly VariantChange[]): Promise<PushCatalogChangesResult>;
  /**
   * Creates a product for an Intacct item flagged for the web, unless the store already has its
   * SKU (a retry after a lost answer finds the first one). Absent where the storefront's API has
   * no product create (Clarity's contract).
   */
  createProduct?(product: WebProductToCreate): Promise<StorefrontProductCreation>;
}

/** What a product create came to: made now, found already there (by SKU), or refused by the store. */
export type StorefrontProductCreation = { requests: number } & (
  { outcome: 'created' | 'existing'; productId: string } | { outcome: 'refused'; reason: string }
);

/**
 * The tenant's store as a {@link StorefrontCatalog}; prices are in the tenant's base currency.
 * `progress` is told how far a long read or write has got (the activity's heartbeat).
 */
export function storefrontCatalog(storefront: StorefrontConnection, currency: string, progress: (done: number) => void): StorefrontCatalog {
  return storefront.kind === 'bigcommerce'
    ? bigCommerceCatalog(storefront.client, currency, progress)
    : clarityCatalog(storefront.client, currency, progress);
}

/** SKUs (and product ids) per BigCommerce catalog read: keeps the URL far below servers' limits. */
const bigCommerceIdsPerRead = 250;

/**
 * BigCommerce: a simple product's own SKU names the product, an option's SKU its variant;
 * products are written 10 per `PUT /v3/catalog/products`, variants 50 per `PUT /v3/catalog/variants`.
 */
function bigCommerceCatalog(client: BigCommerceClient, currency: string, progress: (done: number) => void): StorefrontCatalog {
  return {
    holds: ['name', 'price', 'cost', 'status'],
    maxProductsPerWrite: maxProductBatch,
    maxVariantsPerWrite: maxVariantBatch,

    async read(skus) {
      const entries = new Map<string, StorefrontCatalogEntry>();
      let requests = 0;
      for (const chunk of batchesOf(skus, bigCommerceIdsPerRead)) {
        const variants = (await client.catalog.listVariants({ skus: chunk, limit: bigCommerceIdsPerRead })).data;
        requests += 1;
        const productIds = [...new Set(variants.map((variant) => variant.product_id))];
        const products = new Map<number, Awaited<ReturnType<BigCommerceClient['catalog']['listProducts']>>['data'][number]>();
        for (const ids of batchesOf(productIds, bigCommerceIdsPerRead)) {
          for (const product of (await client.catalog.listProducts({ ids, limit: bigCommerceIdsPerRead })).data)
            products.set(product.id, product);
          requests += 1;
        }
        for (const variant of variants) {
          const product = products.get(variant.product_id);
          if (product === undefined || !chunk.includes(variant.sku)) continue;
          // BigCommerce gives a base variant id only to products without options: that variant is the product.
          entries.set(
            variant.sku,
            product.base_variant_id === variant.id
              ? {
                  kind: 'product',
                  sku: variant.sku,
                  productId: String(product.id),
                  name: product.name,
                  priceMinor: fromStorefrontPrice(product.price, currency) ?? 0,
                  costMinor: fromStorefrontPrice(product.cost_price, currency),
                  visible: product.is_visible ?? true,
                }
              : {
                  kind: 'variant',
                  sku: variant.sku,
                  productId: String(product.id),
                  variantId: String(variant.id),
                  priceMinor: fromStorefrontPrice(variant.price, currency),
                  costMinor: fromStorefrontPrice(variant.cost_price, currency),
                  purchasable: variant.purchasing_disabled !== true,
                },
          );
        }
        progress(entries.size);
      }
      return { entries, unreadable: [], requests };
    },

    /** One product batch; BigCommerce saves some and refuses others (207): the refused are reported, not retried. */
    async writeProducts(changes) {
      try {
        const { updated } = await client.catalog.updateProducts(
          changes.map((change) => ({
            id: Number(change.productId),
            ...(change.name !== undefined && { name: change.name }),
            ...(change.priceMinor !== undefined && { price: toStorefrontPrice(change.priceMinor, currency) }),
            ...(change.costMinor !== undefined && { cost_price: toStorefrontPrice(change.costMinor, currency) }),
            ...(change.visible !== undefined && { is_visible: change.visible }),
          })),
        );
        const saved = new Set(updated.map((product) => String(product.id)));
        const failed = changes
          .filter((change) => !saved.has(change.productId))
          .map((change) => ({ sku: change.sku, reason: `BigCommerce did not save product ${change.productId}` }));
        return { written: changes.length - failed.length, failed, requests: 1 };
      } catch (error) {
        if (!(error instanceof BigCommerceInputError)) throw error;
        return { written: 0, failed: changes.map((change) => ({ sku: change.sku, reason: error.message })), requests: 1 };
      }
    },

    /** One variant batch: BigCommerce applies it whole or refuses it (422), which fails every variant in it. */
    async writeVariants(changes) {
      try {
        await client.catalog.updateVariants(
          changes.map((change) => ({
            id: Number(change.variantId),
            ...(change.priceMinor !== undefined && { price: toStorefrontPrice(change.priceMinor, currency) }),
            ...(change.costMinor !== undefined && { cost_price: toStorefrontPrice(change.costMinor, currency) }),
            ...(change.purchasable !== undefined && { purchasing_disabled: !change.purchasable }),
          })),
        );
        return { written: changes.length, failed: [], requests: 1 };
      } catch (error) {
        if (!(error instanceof BigCommerceInputError)) throw error;
        return { written: 0, failed: changes.map((change) => ({ sku: change.sku, reason: error.message })), requests: 1 };
      }
    },

    /**
     * Looks the SKU up first (a product's own SKU is its base variant's), since BigCommerce takes
     * no idempotency key: a retry after a lost answer finds the product the first attempt made. A
     * 409 (the SKU or the name in use) is read again: the SKU found means it is there already.
     */
    async createProduct(product) {
      const findSku = async () =>
        (await client.catalog.listVariants({ skus: [product.sku], limit: 1 })).data.find((variant) => variant.sku === product.sku);
      const before = await findSku();
      if (before !== undefined) return { outcome: 'existing', productId: String(before.product_id), requests: 1 };
      try {
        const created = await client.catalog.createProduct({
          name: product.name,
          type: 'physical',
          sku: product.sku,
          price: toStorefrontPrice(product.priceMinor, currency),
          weight: 0,
          is_visible: product.visible,
          ...(product.categoryId !== undefined && { categories: [Number(product.categoryId)] }),
        });
        return { outcome: 'created', productId: String(created.id), requests: 2 };
      } catch (error) {
        if (!(error instanceof BigCommerceInputError)) throw error;
        if (error.status === 409) {
          const after = await findSku();
          if (after !== undefined) return { outcome: 'existing', productId: String(after.product_id), requests: 3 };
        }
        return { outcome: 'refused', reason: error.message, requests: error.status === 409 ? 3 : 2 };
      }
    },
  };
}

/**
 * Clarity (the contract's products, plus its proposed `PATCH /products/{sku}`): every SKU is a
 * product with a name, a price in its own currency and an active flag, and no cost. Its contract
 * filters products by one SKU, so each SKU is one read; each changed product is one write, keyed
 * by the SKU, the version read and the values, so a retry after a lost answer is replayed by
 * Clarity and a later change is not mistaken for it. Clarity sends no `product.updated` for it.
 */
function clarityCatalog(client: ClarityClient, currency: string, progress: (done: number) => void): StorefrontCatalog {
  return {
    holds: clarityProductFields,
    maxProductsPerWrite: maxProductBatch,
    maxVariantsPerWrite: 0,

    async read(skus) {
      const entries = new Map<string, StorefrontCatalogEntry>();
      const unreadable: StorefrontCatalogRead['unreadable'] = [];
      for (const sku of skus) {
        const product = (await client.listProducts({ sku, limit: 1 })).items.find((candidate) => candidate.sku === sku);
        if (product === undefined) continue;
        if (product.currency !== currency) {
          unreadable.push({ sku, reason: `Clarity prices ${sku} in ${product.currency}, not the tenant's base currency ${currency}` });
          continue;
        }
        entries.set(sku, {
          kind: 'product',
          sku,
          productId: product.productId,
          name: product.name,
          priceMinor: parseAmount(product.price, currency).minor,
          costMinor: undefined,
          visible: product.active,
          version: product.updatedAt,
        });
        progress(entries.size);
      }
      return { entries, unreadable, requests: skus.length };
    },

    async writeProducts(changes) {
      let written = 0;
      const failed: PushCatalogChangesResult['failed'] = [];
      for (const change of changes) {
        const update: ClarityProductUpdate = {
          ...(change.name !== undefined && { name: change.name }),
          ...(change.priceMinor !== undefined && { price: formatAmount(change.priceMinor, currency) }),
          ...(change.visible !== undefined && { active: change.visible }),
        };
        try {
          await client.updateProduct(change.sku, update, {
            idempotencyKey: idempotencyKey(
              'catalog-product',
              change.sku,
              change.version ?? '',
              update.name ?? '',
              update.price ?? '',
              String(update.active ?? ''),
            ),
          });
          written += 1;
          progress(written);
        } catch (error) {
          if (!(error instanceof ClarityInputError)) throw error;
          failed.push({ sku: change.sku, reason: error.message });
        }
      }
      return { written, failed, requests: changes.length };
    },

    writeVariants(changes) {
      // Clarity has no variants: every SKU reads back as a product, so no variant change is ever planned.
      return Promise.resolve({
        written: 0,
        failed: changes.map((change) => ({ sku: change.sku, reason: 'Clarity has no variants' })),
        requests: 0,
      });
    },
  };
}
