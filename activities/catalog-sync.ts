import { heartbeat } from '@temporalio/activity';
import { BigCommerceInputError, maxProductBatch, maxVariantBatch, type BigCommerceClient } from '../connectors/bigcommerce/index.js';
import { readChangedItemsPage } from '../connectors/intacct/index.js';
import {
  formatIntacctTimestamp,
  fromStorefrontPrice,
  intacctTimestampMs,
  toStorefrontCatalogChange,
  toStorefrontPrice,
  type StorefrontCatalogEntry,
} from '../mappers/catalog-item-sync.js';
import { budgetDeferral } from '../decisions/intacct-budget-deferral.js';
import { batchesOf, inventorySkuMapping, storefrontSkusForItem } from '../mappers/inventory-availability.js';
import { readCatalogSyncState, saveCatalogSyncRun } from '../store/catalog-sync-state.js';
import { intacctUsageMonth, readIntacctUsage } from '../store/intacct-usage.js';
import { itemMappingRowsForItems } from '../store/mappings.js';
import { ownItemStamps } from '../store/own-item-writes.js';
import type { ItemMappingRow } from '../store/schemas/mapping-tables.js';
import type {
  CatalogSyncActivities,
  CatalogSyncPlan,
  CatalogSyncReport,
  ChangedItemsPage,
  PlanStorefrontChangesInput,
  PushCatalogChangesResult,
  PushProductChangesInput,
  PushVariantChangesInput,
  ReadChangedItemsInput,
  StorefrontCatalogChanges,
} from '../workflows/catalog-sync-contract.js';
import { withConnectorFailures } from './connector-failure.js';
import type { ActivityDependencies } from './dependencies.js';

/** SKUs (and product ids) per BigCommerce catalog read: keeps the URL far below servers' limits. */
const bigCommerceIdsPerRead = 250;

/** Beats only inside an activity, so the functions also run in plain tests. */
function beat(details?: unknown): void {
  try {
    heartbeat(details);
  } catch {
    // Not running as an activity.
  }
}

/** The store's record of each SKU: a simple product's own SKU names the product, an option's SKU its variant. */
async function readBigCommerceEntries(
  client: BigCommerceClient,
  skus: readonly string[],
  currency: string,
): Promise<{ entries: Map<string, StorefrontCatalogEntry>; requests: number }> {
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
    beat({ read: entries.size });
  }
  return { entries, requests };
}

/**
 * CatalogSync's activities: plan the run from the tenant's settings and watermark, read a page
 * of changed Intacct items, read those SKUs from the store and keep the changes the tenant's
 * field owners ask for (a pure mapper decides), write product and variant batches, and keep the
 * run's report with the next watermark.
 */
export function createCatalogSyncActivities(deps: ActivityDependencies) {
  const storefrontFor = async (tenantId: string) => {
    const connection = await deps.connections.forTenant(tenantId);
    const storefront = await connection.storefront();
    if (storefront.kind !== 'bigcommerce') throw new RangeError(`tenant ${tenantId} sells on ${storefront.kind}: no catalog writes`);
    return { client: storefront.client, currency: connection.settings.orderSync.currency.baseCurrency };
  };

  return {
    async planCatalogSync(input: { tenantId: string; full?: boolean }): Promise<CatalogSyncPlan> {
      const { settings } = await deps.connections.forTenant(input.tenantId);
      const state = input.full === true ? null : await readCatalogSyncState(deps.db, input.tenantId);
      const month = intacctUsageMonth(new Date());
      const usage = await readIntacctUsage(deps.db, input.tenantId, month);
      const deferredBecause = budgetDeferral(settings.intacctBudget, { month, transactions: usage?.transactions ?? 0 });
      return {
        enabled: settings.catalog.items.enabled,
        ...(deferredBecause !== undefined && { deferredBecause }),
        storefront: settings.connection.storefront.kind,
        ...(state?.watermarkMs !== undefined && { modifiedSince: formatIntacctTimestamp(state.watermarkMs) }),
      };
    },

    readChangedItems: withConnectorFailures(async (input: ReadChangedItemsInput): Promise<ChangedItemsPage> => {
      const connection = await deps.connections.forTenant(input.tenantId);
      beat({ cursor: input.cursor });
      const page = await readChangedItemsPage(await connection.intacct(), {
        modifiedSince: input.modifiedSince,
        afterItemId: input.cursor,
        pageSize: input.pageSize ?? 200,
        controlId: `changed-items:${input.modifiedSince ?? ''}:${input.cursor ?? ''}`.slice(0, 256),
      });
      const rows = await itemMappingRowsForItems(
        deps.db,
        input.tenantId,
        page.items.map((item) => item.itemId),
      );
      const mapping = inventorySkuMapping(rows.map((document) => document.row as ItemMappingRow));
      const items = page.items.map((item) => ({
        ...item,
        skus: storefrontSkusForItem(item.itemId, mapping, connection.settings.orderSync.itemMatching),
      }));
      return {
        items,
        unmapped: items.filter((item) => item.skus.length === 0).length,
        ...(page.nextAfterItemId !== undefined && { nextCursor: page.nextAfterItemId }),
        intacctTransactions: 1,
      };
    }),

    planStorefrontChanges: withConnectorFailures(async (input: PlanStorefrontChangesInput): Promise<StorefrontCatalogChanges> => {
      const connection = await deps.connections.forTenant(input.tenantId);
      const { client, currency } = await storefrontFor(input.tenantId);
      const skus = [...new Set(input.items.flatMap((item) => item.skus))];
      const { entries, requests } = await readBigCommerceEntries(client, skus, currency);
      const stamps = await ownItemStamps(
        deps.db,
        input.tenantId,
        input.items.map((item) => item.itemId),
      );
      const result: StorefrontCatalogChanges = {
        products: [],
        variants: [],
        notInStorefront: 0,
        unchanged: 0,
        ownWrites: 0,
        failed: [],
        storefrontRequests: requests,
      };
      for (const item of input.items) {
        for (const sku of item.skus) {
          const entry = entries.get(sku);
          if (entry === undefined) {
            result.notInStorefront += 1;
            continue;
          }
          const decision = toStorefrontCatalogChange(
            item,
            entry,
            connection.settings.catalog.items.fields,
            currency,
            stamps.get(item.itemId),
          );
          if (decision.kind === 'product') result.products.push(decision.change);
          else if (decision.kind === 'variant') result.variants.push(decision.change);
          else if (decision.kind === 'unchanged') result.unchanged += 1;
          else if (decision.kind === 'ownWrite') result.ownWrites += 1;
          else result.failed.push({ sku, reason: decision.reason });
        }
      }
      return result;
    }),

    /** One product batch; BigCommerce saves some and refuses others (207): the refused are reported, not retried. */
    pushProductChanges: withConnectorFailures(async (input: PushProductChangesInput): Promise<PushCatalogChangesResult> => {
      if (input.changes.length === 0) return { written: 0, failed: [] };
      if (input.changes.length > maxProductBatch) throw new RangeError(`a product batch takes at most ${maxProductBatch}`);
      const { client, currency } = await storefrontFor(input.tenantId);
      try {
        const { updated } = await client.catalog.updateProducts(
          input.changes.map((change) => ({
            id: Number(change.productId),
            ...(change.name !== undefined && { name: change.name }),
            ...(change.priceMinor !== undefined && { price: toStorefrontPrice(change.priceMinor, currency) }),
            ...(change.costMinor !== undefined && { cost_price: toStorefrontPrice(change.costMinor, currency) }),
            ...(change.visible !== undefined && { is_visible: change.visible }),
          })),
        );
        const saved = new Set(updated.map((product) => String(product.id)));
        const failed = input.changes
          .filter((change) => !saved.has(change.productId))
          .map((change) => ({ sku: change.sku, reason: `BigCommerce did not save product ${change.productId}` }));
        return { written: input.changes.length - failed.length, failed };
      } catch (error) {
        if (!(error instanceof BigCommerceInputError)) throw error;
        return { written: 0, failed: input.changes.map((change) => ({ sku: change.sku, reason: error.message })) };
      }
    }),

    /** One variant batch: BigCommerce applies it whole or refuses it (422), which fails every variant in it. */
    pushVariantChanges: withConnectorFailures(async (input: PushVariantChangesInput): Promise<PushCatalogChangesResult> => {
      if (input.changes.length === 0) return { written: 0, failed: [] };
      if (input.changes.length > maxVariantBatch) throw new RangeError(`a variant batch takes at most ${maxVariantBatch}`);
      const { client, currency } = await storefrontFor(input.tenantId);
      try {
        await client.catalog.updateVariants(
          input.changes.map((change) => ({
            id: Number(change.variantId),
            ...(change.priceMinor !== undefined && { price: toStorefrontPrice(change.priceMinor, currency) }),
            ...(change.costMinor !== undefined && { cost_price: toStorefrontPrice(change.costMinor, currency) }),
            ...(change.purchasable !== undefined && { purchasing_disabled: !change.purchasable }),
          })),
        );
        return { written: input.changes.length, failed: [] };
      } catch (error) {
        if (!(error instanceof BigCommerceInputError)) throw error;
        return { written: 0, failed: input.changes.map((change) => ({ sku: change.sku, reason: error.message })) };
      }
    }),

    async finishCatalogSync(report: CatalogSyncReport): Promise<void> {
      const watermarkMs = report.nextModifiedSince === undefined ? undefined : intacctTimestampMs(report.nextModifiedSince);
      await saveCatalogSyncRun(deps.db, report.tenantId, report, watermarkMs);
    },
  } satisfies CatalogSyncActivities;
}
