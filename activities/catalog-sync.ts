import { heartbeat } from '@temporalio/activity';
import { readChangedItemsPage } from '../connectors/intacct/index.js';
import { itemDirectionsWithin } from '../mappers/catalog-field-directions.js';
import { formatIntacctTimestamp, intacctTimestampMs, toStorefrontCatalogChange } from '../mappers/catalog-item-sync.js';
import { budgetDeferral } from '../decisions/intacct-budget-deferral.js';
import { toWebProduct } from '../decisions/web-product-creation.js';
import { inventorySkuMapping, storefrontSkusForItem } from '../mappers/inventory-availability.js';
import { readCatalogSyncState, saveCatalogSyncRun } from '../store/catalog-sync-state.js';
import { intacctUsageMonth, readIntacctUsage } from '../store/intacct-usage.js';
import { itemMappingRowsForItems } from '../store/mappings.js';
import { ownItemStamps } from '../store/own-item-writes.js';
import {
  productCreationsBySku,
  recordProductCreated,
  recordProductCreationStarted,
  type OwnProductCreation,
} from '../store/own-product-creations.js';
import type { ItemMappingRow } from '../store/schemas/mapping-tables.js';
import type {
  CatalogSyncActivities,
  CatalogSyncPlan,
  CatalogSyncReport,
  ChangedItemsPage,
  CreateStorefrontProductsInput,
  CreateStorefrontProductsResult,
  PlanStorefrontChangesInput,
  PushCatalogChangesResult,
  PushProductChangesInput,
  PushVariantChangesInput,
  ReadChangedItemsInput,
  StorefrontCatalogChanges,
} from '../workflows/catalog-sync-contract.js';
import { withConnectorFailures } from './connector-failure.js';
import type { ActivityDependencies } from './dependencies.js';
import { storefrontCatalog } from './storefront-catalog.js';

/** Beats only inside an activity, so the functions also run in plain tests. */
function beat(details?: unknown): void {
  try {
    heartbeat(details);
  } catch {
    // Not running as an activity.
  }
}

/**
 * CatalogSync's activities: plan the run from the tenant's settings and watermark, read a page
 * of changed Intacct items, read those SKUs from the store and keep the changes the tenant's
 * field owners ask for (a pure mapper decides), write product and variant batches, and keep the
 * run's report with the next watermark. The store is reached through its `StorefrontCatalog`
 * (BigCommerce or Clarity), never by kind here.
 */
export function createCatalogSyncActivities(deps: ActivityDependencies) {
  const catalogOf = async (tenantId: string) => {
    const connection = await deps.connections.forTenant(tenantId);
    return {
      connection,
      catalog: storefrontCatalog(await connection.storefront(), connection.settings.orderSync.currency.baseCurrency, (done) =>
        beat({ done }),
      ),
    };
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
      const { createInStorefront } = connection.settings.catalog.items;
      const page = await readChangedItemsPage(await connection.intacct(), {
        modifiedSince: input.modifiedSince,
        afterItemId: input.cursor,
        pageSize: input.pageSize ?? 200,
        controlId: `changed-items:${input.modifiedSince ?? ''}:${input.cursor ?? ''}`.slice(0, 256),
        ...(createInStorefront.enabled && { webFlagField: createInStorefront.flagField }),
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
      const { connection, catalog } = await catalogOf(input.tenantId);
      const skus = [...new Set(input.items.flatMap((item) => item.skus))];
      const { entries, unreadable, requests } = await catalog.read(skus);
      const stamps = await ownItemStamps(
        deps.db,
        input.tenantId,
        input.items.map((item) => item.itemId),
      );
      const directions = itemDirectionsWithin(connection.settings.catalog.items.fields, catalog.holds);
      const currency = connection.settings.orderSync.currency.baseCurrency;
      const result: StorefrontCatalogChanges = {
        products: [],
        variants: [],
        notInStorefront: 0,
        unchanged: 0,
        ownWrites: 0,
        failed: [...unreadable],
        storefrontRequests: requests,
      };
      const unreadableSkus = new Set(unreadable.map((failure) => failure.sku));
      const { createInStorefront } = connection.settings.catalog.items;
      const creating = createInStorefront.enabled && catalog.createProduct !== undefined;
      const createdBefore = creating
        ? await productCreationsBySku(
            deps.db,
            input.tenantId,
            skus.filter((sku) => !entries.has(sku) && !unreadableSkus.has(sku)),
          )
        : new Map<string, OwnProductCreation>();
      for (const item of input.items) {
        for (const sku of item.skus) {
          if (unreadableSkus.has(sku)) continue;
          const entry = entries.get(sku);
          if (entry === undefined) {
            result.notInStorefront += 1;
            if (!creating) continue;
            const creation = toWebProduct(
              item,
              sku,
              createInStorefront,
              { inStorefront: false, createdAlready: createdBefore.get(sku)?.productId !== undefined },
              currency,
            );
            if (creation.kind === 'create') (result.creations ??= []).push(creation.product);
            else if (creation.kind === 'unreadable') result.failed.push({ sku, reason: creation.reason });
            continue;
          }
          const decision = toStorefrontCatalogChange(item, entry, directions, currency, stamps.get(item.itemId));
          if (decision.kind === 'product') result.products.push(decision.change);
          else if (decision.kind === 'variant') result.variants.push(decision.change);
          else if (decision.kind === 'unchanged') result.unchanged += 1;
          else if (decision.kind === 'ownWrite') result.ownWrites += 1;
          else result.failed.push({ sku, reason: decision.reason });
        }
      }
      return result;
    }),

    pushProductChanges: withConnectorFailures(async (input: PushProductChangesInput): Promise<PushCatalogChangesResult> => {
      if (input.changes.length === 0) return { written: 0, failed: [], requests: 0 };
      const { catalog } = await catalogOf(input.tenantId);
      if (input.changes.length > catalog.maxProductsPerWrite)
        throw new RangeError(`a product write takes at most ${catalog.maxProductsPerWrite}`);
      return catalog.writeProducts(input.changes);
    }),

    pushVariantChanges: withConnectorFailures(async (input: PushVariantChangesInput): Promise<PushCatalogChangesResult> => {
      if (input.changes.length === 0) return { written: 0, failed: [], requests: 0 };
      const { catalog } = await catalogOf(input.tenantId);
      if (input.changes.length > catalog.maxVariantsPerWrite)
        throw new RangeError(`a variant write takes at most ${catalog.maxVariantsPerWrite}`);
      return catalog.writeVariants(input.changes);
    }),

    createStorefrontProducts: withConnectorFailures(
      async (input: CreateStorefrontProductsInput): Promise<CreateStorefrontProductsResult> => {
        const result: CreateStorefrontProductsResult = { created: 0, existing: 0, failed: [], requests: 0 };
        if (input.products.length === 0) return result;
        const { catalog } = await catalogOf(input.tenantId);
        if (input.products.length > catalog.maxProductsPerWrite)
          throw new RangeError(`a product create takes at most ${catalog.maxProductsPerWrite}`);
        for (const product of input.products) {
          if (catalog.createProduct === undefined) {
            result.failed.push({ sku: product.sku, reason: 'the storefront has no product create' });
            continue;
          }
          // Recorded before the create is sent, so its webhook is known for our own even if it overtakes the answer.
          await recordProductCreationStarted(deps.db, input.tenantId, product.sku, product.itemId);
          const creation = await catalog.createProduct(product);
          result.requests += creation.requests;
          if (creation.outcome === 'refused') {
            result.failed.push({ sku: product.sku, reason: creation.reason });
            continue;
          }
          await recordProductCreated(deps.db, input.tenantId, product.sku, creation.productId);
          if (creation.outcome === 'created') result.created += 1;
          else result.existing += 1;
          beat({ done: result.created + result.existing });
        }
        return result;
      },
    ),

    async finishCatalogSync(report: CatalogSyncReport): Promise<void> {
      const watermarkMs = report.nextModifiedSince === undefined ? undefined : intacctTimestampMs(report.nextModifiedSince);
      await saveCatalogSyncRun(deps.db, report.tenantId, report, watermarkMs);
    },
  } satisfies CatalogSyncActivities;
}
